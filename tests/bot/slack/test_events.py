"""Events: a DM or a mention is Tell Me, answered in the conversation's thread; Slack's retries of an
event already handled do nothing; other messages are ignored."""

import time
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from store.models import InteractionLogEntry
from tests.conftest import Workspace
from tests.fake_slack import BOT_USER, button, text_of
from tests.slack_requests import USER, Slack


def dm(text: str, **more: Any) -> dict[str, Any]:
    ts = f"{time.time():.6f}"
    return {
        "type": "message",
        "channel": "D0SELLER",
        "channel_type": "im",
        "user": USER,
        "text": text,
        "ts": ts,
        "event_ts": ts,
    } | more


def posted(slack: Slack, count: int = 1, path: str = "/chat.postMessage") -> dict[str, Any]:
    call = slack.fake.wait_for(path, count)[-1]
    return call.body | {"blocks": call.json_field("blocks")}


def entries(sessions: Any, team: str) -> int:
    with sessions() as session:
        return session.scalar(
            select(func.count()).select_from(InteractionLogEntry).where(InteractionLogEntry.team_id == team)
        )


def test_a_direct_message_is_answered_in_the_conversation(slack: Slack, workspace: Workspace) -> None:
    event = dm("show me the templates")
    response = slack.event(event)
    assert response.status == 200 and response.elapsed < 3
    answer = posted(slack)
    assert answer["channel"] == "D0SELLER" and "thread_ts" not in answer
    assert "PHONE" in text_of(answer)


def test_a_direct_message_that_is_a_command_runs_it(slack: Slack, workspace: Workspace) -> None:
    slack.event(dm("templates"))
    answer = posted(slack)
    assert answer["text"].startswith("Interaction Templates (3)"), "run as typed, not offered as a choice"


def test_a_mention_is_answered_privately_in_its_thread_with_a_share_button(
    slack: Slack, workspace: Workspace
) -> None:
    ts = f"{time.time():.6f}"
    mention = {"type": "app_mention", "user": USER, "text": f"<@{BOT_USER}> templates"}
    slack.event(mention | {"channel": "C0SALES", "ts": ts, "event_ts": ts})
    answer = posted(slack, path="/chat.postEphemeral")
    assert (answer["channel"], answer["user"], answer["thread_ts"]) == ("C0SALES", USER, ts)
    assert "PHONE" in text_of(answer) and button(answer, "Share in channel")["value"] == "templates"
    assert not slack.fake.calls_to("/chat.postMessage"), "nothing is shown to the channel unasked"


def test_an_empty_mention_gets_the_help(slack: Slack) -> None:
    ts = f"{time.time():.6f}"
    slack.event({"type": "app_mention", "user": USER, "text": f"<@{BOT_USER}>", "channel": "C0", "ts": ts})
    assert "/crm entries" in text_of(posted(slack, path="/chat.postEphemeral"))


def test_slack_retries_of_an_event_do_nothing_twice(
    slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    event, event_id = dm("log a call with john smith"), "Ev" + uuid.uuid4().hex[:12].upper()
    first = slack.event(event, event_id=event_id)
    retry = slack.event(
        event, event_id=event_id, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    again = slack.event(
        event, event_id=event_id, **{"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"}
    )
    assert first.status == retry.status == again.status == 200
    assert "Recorded" in text_of(posted(slack))
    time.sleep(0.3)  # room for a duplicate, which must not come
    assert len(slack.fake.calls_to("/chat.postMessage")) == 1
    assert entries(sessions, workspace.team) == 1


def test_edits_bot_posts_and_channel_messages_are_not_questions(slack: Slack, workspace: Workspace) -> None:
    slack.event(dm("edited", subtype="message_changed"))
    slack.event(dm("a bot speaking", bot_id="B0OTHER"))
    slack.event(dm("chatter in a channel", channel="C0SALES", channel_type="channel"))
    slack.event(dm("help"))  # a question, so the others had their chance to be (wrongly) answered first
    assert "/crm entries" in text_of(posted(slack))
    time.sleep(0.2)
    assert len(slack.fake.calls_to("/chat.postMessage")) == 1


def test_a_rate_limited_post_is_retried_after_the_wait(slack: Slack, workspace: Workspace) -> None:
    slack.fake.fail_once("/chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, Retry_After="0")
    slack.event(dm("show me the templates"))
    answer = posted(slack, 2)
    assert "PHONE" in text_of(answer)


def test_the_users_time_zone_dates_the_entry(slack: Slack, workspace: Workspace, sessions: Any) -> None:
    slack.fake.user(USER, tz="Pacific/Kiritimati")  # UTC+14: already tomorrow for most of the day
    slack.event(dm("log a call with john smith"))
    posted(slack)
    with sessions() as session:
        entry = session.scalars(
            select(InteractionLogEntry).where(InteractionLogEntry.team_id == workspace.team)
        ).one()
    assert entry.date == datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
