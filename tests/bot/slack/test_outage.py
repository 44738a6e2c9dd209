"""Slack down or throttling (faults injected on the fake Web API): every answer given after Slack was
answered (a click's result, a Tell Me answer in a thread, a background result, a late slash-command answer,
a form's private answer) is kept in the outbox and arrives exactly once when Slack recovers, after the
Retry-After Slack asked for; several serving processes deliver each once; an answer Slack never takes is
given up visibly (a DM, else a notice on the App Home until dismissed)."""

import time
from collections.abc import Callable
from datetime import timedelta
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from commands.pages.segments import LOG_SEGMENT
from store.outbox import UNFINISHED, OutboxMessage
from tests.bot.slack.conftest import QUICK_TIMEOUT, quick_retries
from tests.conftest import Workspace
from tests.fake_slack import WAIT, Call, button, text_of
from tests.slack_requests import ADMIN, USER, Slack, filled, message

OUTAGE = 2.0
"""Seconds Slack fails for; long enough for every answer below to meet it."""
SLACK_CALLS = ("/chat.postMessage", "/chat.postEphemeral", "/response/")


def settle(sessions: Any, team: str) -> None:
    """Wait until nothing of the workspace is left in the outbox to send."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with sessions() as session:
            left = session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.team_id == team, OutboxMessage.status.in_(UNFINISHED))
            )
        if not left:
            return
        time.sleep(0.05)
    raise AssertionError(f"{left} message(s) still waiting in the outbox")


def path_of(url: str) -> str:
    return urlsplit(url).path


def blocks_text(call: Call) -> str:
    return text_of(call.body | {"blocks": call.json_field("blocks") or []})


def in_thread(calls: list[Call], ts: str) -> list[Call]:
    return [call for call in calls if call.body.get("thread_ts") == ts]


def dm(text: str, *, threaded: bool = False) -> dict[str, Any]:
    """A direct message; `threaded`: written in a thread of its own, where the answer then goes."""
    event = message("D0SELLER", text, channel_type="im")
    return event | {"thread_ts": event["ts"]} if threaded else event


@pytest.fixture
def quick(slack: Slack) -> Slack:
    quick_retries(slack.server.bot.runtime)
    return slack


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param({"status": 500, "body": "upstream connect error"}, id="500"),
        pytest.param({"status": 503, "body": "", "delay": 2 * QUICK_TIMEOUT}, id="timeout"),
    ],
)
def test_every_deferred_answer_arrives_once_after_slack_recovers(
    quick: Slack, workspace: Workspace, sessions: Any, monkeypatch: pytest.MonkeyPatch, fault: dict[str, Any]
) -> None:
    slack = quick
    monkeypatch.setattr(LOG_SEGMENT.background, "threshold", 1)
    slack.ask('log PHONE "John Smith" Called about the quote')
    listed = slack.ask("entries")
    slack.command("tellme")
    form = slack.opened_view()
    for path in SLACK_CALLS:
        slack.fake.fail(path, seconds=OUTAGE, **fault)

    clicked = slack.click(button(listed, "Cancel"))
    question = dm("show me the templates")
    slack.event(question)
    background = slack.command("log LETTER segment=NEWSLETTER")
    slack.server.bot.runtime.ack_budget = 0.0
    late = slack.command("templates")
    assert "Working on it" in late.text
    slack.server.bot.runtime.ack_budget = 2.0
    assert slack.submit(filled(form, text="show the groups")).status == 200

    # While Slack fails, every answer is tried and none gets through.
    slack.fake.wait_for("/response/", 3)
    assert not slack.fake.delivered("/chat.postMessage") and not slack.fake.delivered("/response/")

    slack.fake.wait_delivered("/response/", 3)
    slack.fake.wait_delivered("/chat.postMessage")
    slack.fake.wait_delivered("/chat.postEphemeral")
    settle(sessions, workspace.team)
    delivered = {path: slack.fake.delivered(path) for path in SLACK_CALLS}
    to = {call.path: call.body for call in delivered["/response/"]}
    assert clicked is not None
    assert len(delivered["/response/"]) == 3 and len(to) == 3
    assert "Canceled 1 entry" in to[path_of(clicked)]["text"]
    assert (
        "3 interaction log entries"
        in to[background.response_url.removeprefix(slack.fake.base_url[:-1])]["text"]
    )
    late_answer = to[path_of(late.response_url)]
    assert "PHONE" in late_answer["text"] and late_answer["replace_original"] is True
    [thread_answer] = delivered["/chat.postMessage"]
    assert thread_answer.body["channel"] == question["channel"] and "PHONE" in blocks_text(thread_answer)
    [private] = delivered["/chat.postEphemeral"]
    assert private.body["user"] == USER and "CALLS" in blocks_text(private)
    assert len(slack.fake.calls_to("/chat.postMessage")) > 1  # the outage was met, and outlasted


def test_tell_me_answers_all_arrive_once_after_the_retry_after_slack_asked_for(
    quick: Slack, workspace: Workspace, sessions: Any
) -> None:
    slack = quick
    slack.fake.fail(
        "/chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, times=12, Retry_After="1"
    )
    questions = [dm(f"show me the templates {n}", threaded=True) for n in range(8)]
    for question in questions:
        response = slack.event(question)
        assert response.status == 200 and response.elapsed < 1
    slack.fake.wait_delivered("/chat.postMessage", len(questions))
    settle(sessions, workspace.team)
    calls = slack.fake.calls_to("/chat.postMessage")
    for question in questions:
        tries = in_thread(calls, question["ts"])
        assert len([call for call in tries if call.got_through]) == 1
        for throttled, following in pairwise(tries):
            if throttled.status == 429:
                assert following.at - throttled.at >= 0.95, "tried again before Retry-After"


def test_two_serving_processes_deliver_each_answer_once(
    serve_slack: Callable[..., Slack], workspace: Workspace, sessions: Any
) -> None:
    first, second = serve_slack(), serve_slack()
    for instance in (first, second):
        quick_retries(instance.server.bot.runtime)
    first.fake.fail("/chat.postMessage", 500, "down", seconds=1.5)
    questions = [dm(f"show me the templates {n}", threaded=True) for n in range(12)]
    for n, question in enumerate(questions):
        (first if n % 2 else second).event(question)
    first.fake.wait_delivered("/chat.postMessage", len(questions))
    settle(sessions, workspace.team)
    calls = first.fake.calls_to("/chat.postMessage")
    assert len([call for call in calls if call.got_through]) == len(questions)
    for question in questions:
        assert len([call for call in in_thread(calls, question["ts"]) if call.got_through]) == 1


def test_an_answer_slack_never_takes_is_given_up_in_a_direct_message(
    quick: Slack, workspace: Workspace, sessions: Any
) -> None:
    slack = quick
    quick_retries(slack.server.bot.runtime, give_up_after=timedelta(seconds=1))
    slack.ask('log PHONE "John Smith" Called about the quote')
    listed = slack.ask("entries")
    slack.fake.fail("/response/", 500, "down")
    slack.click(button(listed, "Cancel"))
    told = slack.fake.wait_delivered("/chat.postMessage")
    settle(sessions, workspace.team)
    [dm_call] = slack.fake.delivered("/chat.postMessage")
    assert dm_call.body["channel"] == USER
    assert (
        "Slack did not take this answer" in dm_call.body["text"]
        and "Canceled 1 entry" in told[0].body["text"]
    )
    assert len(slack.fake.calls_to("/response/")) >= 2  # tried again before giving up


def open_home(slack: Slack, user: str = USER, count: int = 1) -> dict[str, Any]:
    slack.event({"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"})
    return slack.fake.wait_for("/views.publish", count)[-1].json_field("view")


def test_when_not_even_a_dm_gets_through_the_app_home_shows_a_notice_until_dismissed(
    quick: Slack, workspace: Workspace, sessions: Any
) -> None:
    slack = quick
    quick_retries(slack.server.bot.runtime, give_up_after=timedelta(seconds=1))
    slack.fake.fail("/chat.postMessage", 500, "down")
    slack.event(dm("show me the templates"))
    slack.fake.wait_for("/chat.postMessage", 3)
    settle(sessions, workspace.team)
    slack.fake.recover()

    home = open_home(slack)
    assert "could not be delivered" in text_of(home) and "PHONE" in text_of(home)
    assert "could not be delivered" not in text_of(open_home(slack, ADMIN, 2))  # only its user's
    slack.click(button(home, "Dismiss"), view=home)
    refreshed = slack.fake.wait_for("/views.publish", 3)[-1].json_field("view")
    assert "could not be delivered" not in text_of(refreshed)
    assert not slack.fake.delivered("/chat.postMessage")  # never sent late, after giving up


def test_an_answer_slack_refuses_is_given_up_at_once_in_a_direct_message(
    quick: Slack, workspace: Workspace, sessions: Any
) -> None:
    slack = quick
    slack.fake.fail_once("/chat.postMessage", 200, {"ok": False, "error": "channel_not_found"})
    slack.event(dm("show me the templates") | {"channel": "D0GONE"})
    slack.fake.wait_delivered("/chat.postMessage")
    settle(sessions, workspace.team)
    refused, told = slack.fake.calls_to("/chat.postMessage")
    assert refused.body["channel"] == "D0GONE" and told.body["channel"] == USER
    assert "Slack did not take this answer (channel_not_found)" in told.body["text"]
    assert "PHONE" in told.body["text"]
