"""Shortcuts: "Log as interaction" on a message opens the Create Interaction form filled in from it (its
words, its author's contact, a link back to it), and "Log an interaction" opens the empty form from
anywhere. Slack gets its 200 at once; the form opens with the shortcut's trigger."""

import json
import time
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.interactions import comments
from store.models import InteractionLogEntry
from tests.conftest import Workspace
from tests.fake_slack import button, text_of
from tests.slack_requests import USER, Slack, filled, message

CHANNEL = "C0ACME"
GUEST = "U0GUEST"
TS = "1764000000.000100"
LINK = f"https://sales.slack.com/archives/{CHANNEL}/p1764000000000100"


def said(text: str, *, user: str = GUEST, **more: Any) -> dict[str, Any]:
    """A message as Slack puts it in the shortcut's payload."""
    return message(CHANNEL, text, user=user, ts=TS, **more)


def fields(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"].rsplit("~", 1)[0]: b["element"] for b in view["blocks"]}


def chosen(element: dict[str, Any]) -> str | None:
    return (element.get("initial_option") or {}).get("value")


@pytest.fixture
def linked(slack: Slack, workspace: Workspace) -> str:
    assert "linked to John Smith" in slack.ask("link John Smith", channel=CHANNEL)["text"]
    return CHANNEL


def test_logging_a_message_opens_the_form_filled_in_from_it(
    slack: Slack, workspace: Workspace, linked: str
) -> None:
    shortcut = slack.shortcut(said("Can you send the quote &amp; the price list?"), channel=CHANNEL)
    assert shortcut.body == b""  # the form is the answer: nothing is said in the channel
    opened = slack.fake.wait_for("/views.open")[0]
    assert opened.body["trigger_id"] == shortcut.trigger_id
    view = opened.json_field("view")
    assert view["callback_id"] == "create_interaction" and view["type"] == "modal"
    found = fields(view)
    assert found["description"]["initial_value"] == "Can you send the quote & the price list?"
    assert chosen(found["contact"]) == workspace.john
    assert found["comment"]["initial_value"] == f"Slack message: {LINK}"
    asked = slack.fake.calls_to("/chat.getPermalink")[0].body
    assert asked["channel"] == CHANNEL and asked["message_ts"] == TS


def test_the_submitted_form_keeps_the_link_with_the_entry(
    slack: Slack, workspace: Workspace, linked: str, sessions: sessionmaker[Session]
) -> None:
    slack.shortcut(said("Please call me back tomorrow"), channel=CHANNEL)
    view = slack.opened_view()
    response = slack.submit(filled(view, template="PHONE"))
    assert response.status == 200 and response.body == b""
    answer = slack.fake.wait_for("/chat.postEphemeral")[0].body
    assert answer["channel"] == CHANNEL and "Recorded" in answer["text"]
    with sessions() as session:
        entry = session.scalars(
            select(InteractionLogEntry).where(InteractionLogEntry.team_id == slack.team)
        ).one()
        lines = [line.comment for line in comments(session, slack.team, entry.entry_no)]
    assert entry.description == "Please call me back tomorrow" and entry.contact_no == workspace.john
    assert any(LINK in line for line in lines)  # whole on one comment line, so it stays a link
    detail = text_of(slack.ask(f"entry {entry.entry_no}"))
    assert "*Comments*" in detail and LINK in detail


def test_the_authors_contact_is_found_by_their_slack_e_mail(slack: Slack, workspace: Workspace) -> None:
    slack.fake.user("U0JOHN", profile={"email": "John@Adatum.example"})
    slack.shortcut(said("Any news on my order?", user="U0JOHN"), channel="C0UNLINKED")
    assert chosen(fields(slack.opened_view())["contact"]) == workspace.john


def test_an_unknown_author_leaves_the_contact_to_choose(slack: Slack, workspace: Workspace) -> None:
    slack.fake.user("U0STRANGER", profile={"email": "nobody@elsewhere.example"})
    slack.shortcut(said("Hello", user="U0STRANGER"), channel="C0UNLINKED")
    found = fields(slack.opened_view())
    assert chosen(found["contact"]) is None and found["description"]["initial_value"] == "Hello"


def test_the_description_is_the_text_as_read_and_cut_to_fit(slack: Slack, workspace: Workspace) -> None:
    text = (
        "Hi <@U0SELLER|ana>, see <https://example.com/q?a=1&amp;b=2|the quote> in <#C0DEALS|deals> "
        "&lt;3 <!here> " + "and more words " * 20
    )
    slack.shortcut(said(text), channel="C0UNLINKED")
    description = fields(slack.opened_view())["description"]["initial_value"]
    assert description.startswith("Hi @ana, see the quote in #deals <3 @here and more words")
    assert len(description) == 100 and description.endswith("…")


def test_a_link_that_does_not_fit_a_comment_line_is_built_from_the_workspace(
    slack: Slack, workspace: Workspace
) -> None:
    long_link = LINK + "?thread_ts=1763990000.000100&cid=" + CHANNEL
    slack.fake.fail_once("/chat.getPermalink", 200, {"ok": True, "permalink": long_link})
    slack.shortcut(said("In a thread"), channel=CHANNEL)
    assert fields(slack.opened_view())["comment"]["initial_value"] == f"Slack message: {LINK}"


def test_a_slow_slack_opens_the_form_in_time_with_a_built_link(slack: Slack, workspace: Workspace) -> None:
    slack.ask("help")  # who clicks is known already (users.info is asked once a minute)
    slack.fake.fail("/chat.getPermalink", 200, {"ok": True, "permalink": "https://x.example/"}, delay=4)
    slack.fake.fail("/users.info", 200, {"ok": False, "error": "ratelimited"}, delay=4)
    started = time.monotonic()
    slack.shortcut(said("Quick question"), channel=CHANNEL)
    opened = slack.fake.wait_for("/views.open")[0]
    assert opened.at - started < 2.5  # the trigger lasts about 3 seconds
    assert fields(opened.json_field("view"))["comment"]["initial_value"] == f"Slack message: {LINK}"


def test_a_form_that_cannot_open_is_offered_as_a_button(slack: Slack, workspace: Workspace) -> None:
    slack.fake.fail_once("/views.open", 200, {"ok": False, "error": "expired_trigger_id"})
    shortcut = slack.shortcut(said("Too late for the trigger"), channel=CHANNEL)
    offered = slack.answer(shortcut.response_url)
    form = json.loads(button(offered, "Open the form")["value"])
    assert form["kind"] == "create_interaction"
    assert form["values"]["description"] == "Too late for the trigger"


def test_a_message_without_a_timestamp_is_answered_not_logged(slack: Slack, workspace: Workspace) -> None:
    shortcut = slack.shortcut(message(CHANNEL, "hi", ts="not-a-ts"), channel=CHANNEL)
    assert "cannot be logged" in slack.answer(shortcut.response_url)["text"]
    assert not slack.fake.calls_to("/views.open")


def test_the_global_shortcut_opens_the_empty_form(slack: Slack, workspace: Workspace) -> None:
    slack.shortcut()
    view = slack.opened_view()
    assert view["callback_id"] == "create_interaction"
    found = fields(view)
    assert chosen(found["contact"]) is None and not found["description"].get("initial_value")
    assert not found["comment"].get("initial_value")
    response = slack.submit(filled(view, contact=workspace.john, template="PHONE"))
    assert response.status == 200
    # Opened from no channel: the answer goes to the user's DM.
    assert "Recorded" in slack.fake.wait_for("/chat.postMessage")[0].body["text"]
    assert slack.fake.calls_to("/chat.postMessage")[0].body["channel"] == USER


def test_an_author_that_is_no_slack_user_is_not_looked_up(
    slack: Slack, workspace: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    slack.shortcut(said("Hello", user="\x00\ud800"), channel="C0UNLINKED")
    found = fields(slack.opened_view())
    assert chosen(found["contact"]) is None and found["description"]["initial_value"] == "Hello"
    # Asking Slack about it failed, and the log line carried the odd text (which no log can write).
    assert not any("\ud800" in record.getMessage() for record in caplog.records)
