"""Channels linked to a contact: `/crm link` typed in a channel links that channel, and each message
posted there afterwards arrives as a signed event and is logged once as an interaction with the contact,
inbound from the other organisation's people (Slack Connect) and outbound from ours."""

import time
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.enums import DocumentKind
from store.models import ChannelLink, InteractionLogEntry
from store.templates import TemplateDefaults, add_template, set_setup
from tests.conftest import Workspace
from tests.fake_slack import WAIT, text_of
from tests.slack_requests import USER, Slack, message

CHANNEL = "C0ACME"
GUEST, GUEST_TEAM = "U0GUEST", "T0CUSTOMER"
RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
LATE_EVENING = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
"""Already the next day in Madrid, where USER works."""


def entries(sessions: sessionmaker[Session], team: str) -> list[InteractionLogEntry]:
    with sessions() as session:
        query = select(InteractionLogEntry).where(InteractionLogEntry.team_id == team)
        return list(session.scalars(query.order_by(InteractionLogEntry.entry_no)))


def logged(sessions: sessionmaker[Session], team: str, count: int, timeout: float = WAIT) -> list[Any]:
    """The entries once `count` are there (events are handled after Slack has its 200)."""
    deadline = time.monotonic() + timeout
    while len(found := entries(sessions, team)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(found) == count, [e.description for e in found]
    return found


def settled(sessions: sessionmaker[Session], team: str, count: int) -> list[Any]:
    """The entries after giving events that must log nothing the time to do so wrongly."""
    time.sleep(0.4)
    return logged(sessions, team, count, timeout=0)


def guest_says(text: str, **more: Any) -> dict[str, Any]:
    return message(CHANNEL, text, user=GUEST, user_team=GUEST_TEAM, team=GUEST_TEAM, **more)


def we_say(slack: Slack, text: str, **more: Any) -> dict[str, Any]:
    return message(CHANNEL, text, user_team=slack.team, team=slack.team, **more)


def event_id() -> str:
    return "Ev" + uuid.uuid4().hex[:10].upper()


@pytest.fixture
def message_template(sessions: sessionmaker[Session], workspace: Workspace) -> str:
    with sessions.begin() as s:
        add_template(s, workspace.team, "SLACK", "LETTERS", TemplateDefaults("Slack message", Decimal(0), 2))
        set_setup(s, workspace.team, "U0SETUP", DocumentKind.SLACK_MESSAGE, "SLACK")
    return "SLACK"


@pytest.fixture
def linked(slack: Slack, workspace: Workspace, message_template: str) -> str:
    """CHANNEL linked to John Smith, by the slash command typed in it."""
    answer = slack.ask("link John Smith", channel=CHANNEL)
    assert "linked to John Smith" in answer["text"], answer
    return CHANNEL


def test_link_typed_in_a_channel_links_that_channel(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    answer = slack.ask("link John Smith", channel="C0SHARED")
    assert f"linked to John Smith ({workspace.john})" in answer["text"]
    assert "No template is set up for slack-message" in text_of(answer)
    with sessions() as session:
        link = session.get(ChannelLink, (workspace.team, "C0SHARED"))
    assert link is not None and (link.contact_no, link.linked_by) == (workspace.john, USER)

    assert "no longer linked" in slack.ask("unlink", channel="C0SHARED")["text"]
    with sessions() as session:
        assert session.get(ChannelLink, (workspace.team, "C0SHARED")) is None


def test_a_direct_message_cannot_be_linked(slack: Slack, workspace: Workspace) -> None:
    answer = slack.ask("link John Smith", channel="D0SELLER")
    assert "not a direct message" in text_of(answer)


def test_the_other_organisation_writes_in_and_we_write_out(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session], linked: str
) -> None:
    ts = LATE_EVENING.timestamp()
    inbound = slack.event(guest_says("Could you send the quote?", ts=f"{ts:.6f}"))
    outbound = slack.event(we_say(slack, "Sure, it is attached.", ts=f"{ts + 60:.6f}"))
    assert inbound.status == outbound.status == 200 and inbound.elapsed < 3

    came_in, went_out = sorted(logged(sessions, workspace.team, 2), key=lambda e: e.information_flow)
    assert (came_in.contact_no, came_in.template_code) == (workspace.john, "SLACK")
    assert (came_in.information_flow, came_in.initiated_by, came_in.user_id) == ("inbound", "them", GUEST)
    assert came_in.description == "Could you send the quote?"
    # Theirs in UTC; ours in USER's own time zone (Europe/Madrid), where it is already the 25th.
    assert (came_in.date, came_in.time_of_interaction.isoformat()) == (date(2026, 11, 24), "23:30:00")
    assert (went_out.information_flow, went_out.initiated_by) == ("outbound", "us")
    assert (went_out.salesperson, went_out.description) == (USER, "Sure, it is attached.")
    assert (went_out.date, went_out.time_of_interaction.isoformat()) == (date(2026, 11, 25), "00:31:00")

    assert not slack.fake.calls_to("/chat.postMessage") and not slack.fake.calls_to("/chat.postEphemeral")
    asked = [call.body.get("user") for call in slack.fake.calls_to("/users.info")]
    assert GUEST not in asked  # another organisation's people are not looked up


def test_files_broadcasts_and_private_channels_are_messages_too(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session], message_template: str
) -> None:
    slack.ask("link Fabrikam", channel="G0PRIVATE")
    private = {"channel": "G0PRIVATE", "channel_type": "group"}
    slack.event(we_say(slack, "The signed contract", subtype="file_share", files=[{"id": "F1"}]) | private)
    slack.event(we_say(slack, "Also for the channel", subtype="thread_broadcast", thread_ts="1.2") | private)
    found = logged(sessions, workspace.team, 2)
    assert {e.contact_no for e in found} == {workspace.fabrikam}
    assert {e.description for e in found} == {"The signed contract", "Also for the channel"}


def test_a_group_dm_is_linked_and_logged_like_a_channel(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session], message_template: str
) -> None:
    """message.mpim: a group DM with the customer, the app added to it."""
    assert "linked to Fabrikam" in slack.ask("link Fabrikam", channel="G0GROUPDM")["text"]
    group = {"channel": "G0GROUPDM", "channel_type": "mpim"}
    slack.event(guest_says("Can we meet on Friday?") | group)
    slack.event(we_say(slack, "Friday at ten works") | group)
    slack.event(we_say(slack, "Friday at ten works, edited", subtype="message_changed") | group)
    found = logged(sessions, workspace.team, 2)
    assert {(e.contact_no, e.information_flow) for e in found} == {
        (workspace.fabrikam, "inbound"),
        (workspace.fabrikam, "outbound"),
    }
    assert settled(sessions, workspace.team, 2)


def test_edits_deletions_joins_and_bots_log_nothing(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session], linked: str
) -> None:
    original = we_say(slack, "Original text")
    slack.event(
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": CHANNEL,
            "channel_type": "channel",
            "hidden": True,
            "message": original | {"text": "Edited text", "edited": {"user": USER, "ts": "1.0"}},
            "previous_message": original,
            "ts": f"{time.time():.6f}",
        }
    )
    slack.event(
        {
            "type": "message",
            "subtype": "message_deleted",
            "channel": CHANNEL,
            "channel_type": "channel",
            "hidden": True,
            "deleted_ts": original["ts"],
            "previous_message": original,
            "ts": f"{time.time():.6f}",
        }
    )
    slack.event(we_say(slack, "<@U0SELLER> has joined the channel", subtype="channel_join"))
    slack.event(we_say(slack, "Reminder from a bot", subtype="bot_message", bot_id="B0OTHER"))
    slack.event(we_say(slack, "An app speaking", bot_id="B0APP"))
    slack.event(we_say(slack, "Only this one"))
    assert [e.description for e in settled(sessions, workspace.team, 1)] == ["Only this one"]


def test_slacks_retries_of_an_event_log_it_once(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session], linked: str
) -> None:
    event, same_id = guest_says("Hello from Acme"), event_id()
    for headers in ({}, RETRY, {"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"}):
        assert slack.event(event, event_id=same_id, **headers).status == 200
    assert len(settled(sessions, workspace.team, 1)) == 1


def test_the_same_message_under_another_event_id_logs_once(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session], linked: str
) -> None:
    """Slack can deliver one message as two events (message.channels and message.groups, say)."""
    event = guest_says("Hello again")
    assert slack.event(event, event_id=event_id()).status == 200
    assert slack.event(event | {"channel_type": "group"}, event_id=event_id()).status == 200
    assert len(settled(sessions, workspace.team, 1)) == 1


def test_an_unlinked_channel_logs_nothing(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session], linked: str
) -> None:
    slack.event(we_say(slack, "Team chatter") | {"channel": "C0RANDOM"})
    slack.event(guest_says("In the linked one"))
    assert [e.description for e in settled(sessions, workspace.team, 1)] == ["In the linked one"]


def test_without_a_slack_message_template_nothing_is_logged_until_one_is_set_up(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    slack.ask("link John Smith", channel=CHANNEL)
    event = guest_says("Anyone there?")
    slack.event(event)
    assert settled(sessions, workspace.team, 0) == []

    slack.ask("template add SLACK Slack message group=LETTERS")
    slack.ask("setup slack-message SLACK", user="U0ADMIN")
    slack.event(event)  # Slack would not send it again; this shows it was not marked as handled
    assert logged(sessions, workspace.team, 1)[0].template_code == "SLACK"


def test_the_manifest_asks_for_channel_messages() -> None:
    manifest = (Path(__file__).parents[3] / "manifest.yml").read_text()
    for line in (
        "- message.channels",
        "- message.groups",
        "- message.mpim",
        "- channels:history",
        "- groups:history",
        "- mpim:history",
    ):
        assert line in manifest
