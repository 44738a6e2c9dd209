"""The Web API calls besides chat.* under 429 and 5xx (faults injected on the fake Web API): none waits out
a Retry-After in the thread that serves the request. users.info falls back to what Slack said lately (or
the safe defaults) and is not asked again before the Retry-After is over; views.open fails at once with a
button to try again (its trigger lives 3 s); views.update leaves the form as it was; views.publish, file
uploads and conversations.open go through the outbox and arrive once, after the Retry-After; files.info
asks the user to share the file again."""

import logging
import time
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import select

from store.outbox import SENT, SUPERSEDED, OutboxMessage
from tests.bot.slack.conftest import quick_retries
from tests.bot.slack.test_outage import settle
from tests.conftest import Workspace
from tests.fake_slack import Call, button, text_of
from tests.slack_requests import FORM, OWNER, USER, Slack, block_actions, element_of, filled, message, post

THROTTLED = {"status": 429, "body": {"ok": False, "error": "ratelimited"}}
FAILING = {"status": 500, "body": "upstream connect error"}
FAULTS = [
    pytest.param(THROTTLED | {"Retry_After": "30"}, id="429"),
    pytest.param(FAILING, id="500"),
]
"""A Retry-After of 30 s: the request would have waited it out twice before (2 retries)."""
OUTAGE = 1.5


@pytest.fixture
def quick(slack: Slack) -> Slack:
    quick_retries(slack.server.bot.runtime)
    return slack


@pytest.fixture
def tracebacks(caplog: pytest.LogCaptureFixture) -> Iterator[list[logging.LogRecord]]:
    """What was logged with a traceback while the test ran (in any of the server's threads)."""
    caplog.set_level(logging.INFO)
    found: list[logging.LogRecord] = []
    yield found
    found.extend(record for record in caplog.records if record.exc_info)
    assert not found, [record.getMessage() for record in found]


def lists_admin_commands(reply: dict[str, Any]) -> bool:
    return "/crm delete-canceled" in text_of(reply)


@pytest.mark.parametrize("fault", FAULTS)
def test_users_info_throttled_or_failing_costs_no_wait_and_what_slack_said_lately_stands(
    slack: Slack, workspace: Workspace, fault: dict[str, Any], tracebacks: list[logging.LogRecord]
) -> None:
    assert lists_admin_commands(slack.ask("help entries", user=OWNER))  # Slack says: an owner
    slack.server.bot.runtime.people.ttl = 0  # due to be asked again
    slack.fake.fail("/users.info", **fault)
    response = slack.command("help entries", user=OWNER)
    assert response.elapsed < 1.5 and lists_admin_commands(response.json())
    asked = len(slack.fake.calls_to("/users.info"))
    newcomer = slack.command("help entries", user="U0NEWCOMER")  # nothing known of them: no admin
    assert newcomer.elapsed < 1.5 and not lists_admin_commands(newcomer.json())
    throttled = fault["status"] == 429
    # After a 429 the workspace's profiles wait for the Retry-After; after a 500 the next one asks.
    assert len(slack.fake.calls_to("/users.info")) == asked + (0 if throttled else 1)


@pytest.mark.parametrize(
    ("fault", "within"),
    [
        pytest.param(THROTTLED | {"Retry_After": "30"}, 2.5, id="429"),
        pytest.param(FAILING, 2.5, id="500"),
        pytest.param({"status": 503, "body": "", "delay": 2.5}, 3.5, id="hung"),
    ],
)
def test_a_form_slack_does_not_open_is_answered_at_once_with_a_button_to_try_again(
    slack: Slack, workspace: Workspace, fault: dict[str, Any], within: float
) -> None:
    slack.fake.fail("/views.open", **fault)
    started = time.monotonic()
    response = slack.command("log")
    assert response.status == 200 and response.body == b""
    answer = slack.answer(response.response_url)
    assert time.monotonic() - started < within
    assert "Slack did not open the form just now" in answer["text"]
    assert len(slack.fake.calls_to("/views.open")) == 1  # its trigger would not open it later
    slack.fake.recover()
    slack.click(button(answer, "Open the form"))
    assert slack.opened_view(2)["callback_id"] == "create_interaction"


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(THROTTLED | {"Retry_After": "1"}, id="429"),
        pytest.param({"status": 503, "body": "", "delay": 2.5}, id="hung"),
    ],
)
def test_a_form_slack_does_not_update_stays_as_it_was_and_still_submits(
    slack: Slack,
    workspace: Workspace,
    sessions: Any,
    fault: dict[str, Any],
    tracebacks: list[logging.LogRecord],
    caplog: pytest.LogCaptureFixture,
) -> None:
    slack.command("log")
    view = slack.opened_view()
    slack.fake.fail("/views.update", **fault)
    choice = element_of(view, "template") | {"selected_option": {"value": "PHONE"}}
    body = block_actions(workspace.team, USER, choice, response_url=None, view=filled(view, template="PHONE"))
    assert post(slack.events_url, body, FORM).status == 200
    slack.fake.wait_for("/views.update")
    deadline = time.monotonic() + 5
    while "views.update skipped" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "views.update skipped" in caplog.text
    time.sleep(1.2)  # past the Retry-After: no second try
    assert len(slack.fake.calls_to("/views.update")) == 1
    filled_in = filled(view, contact=workspace.john, template="PHONE", description="Called")
    assert slack.submit(filled_in).status == 200
    assert "Called" in text_of(slack.fake.wait_for("/chat.postEphemeral")[0].body)


def home_views(sessions: Any, team: str) -> list[str]:
    with sessions() as session:
        rows = select(OutboxMessage.status).where(
            OutboxMessage.team_id == team, OutboxMessage.destination == "home"
        )
        return list(session.scalars(rows.order_by(OutboxMessage.id)))


def retried_after(calls: list[Call], seconds: float) -> bool:
    """Every try after a 429 came at least `seconds` later."""
    return all(b.at - a.at >= seconds - 0.05 for a, b in pairwise(calls) if a.status == 429)


@pytest.mark.parametrize("fault", [pytest.param(THROTTLED | {"Retry_After": "1"}, id="429"), FAULTS[1]])
def test_an_app_home_slack_does_not_take_is_published_once_later_the_newest_only(
    quick: Slack, workspace: Workspace, sessions: Any, fault: dict[str, Any]
) -> None:
    slack = quick
    slack.fake.fail("/views.publish", seconds=OUTAGE, **fault)
    for n in range(3):  # the user opens the tab three times while Slack fails, an entry logged between
        slack.ask(f'log PHONE "John Smith" Call number {n}')
        response = slack.event({"type": "app_home_opened", "user": USER, "channel": "D0HOME", "tab": "home"})
        assert response.status == 200 and response.elapsed < 1
        if n == 0:
            slack.fake.wait_for("/views.publish")
    slack.fake.wait_delivered("/views.publish")
    settle(sessions, workspace.team)
    [published] = slack.fake.delivered("/views.publish")
    assert published.body["user_id"] == USER and "Call number 2" in text_of(published.json_field("view"))
    assert home_views(sessions, workspace.team) == [SUPERSEDED, SUPERSEDED, SENT]
    assert retried_after(slack.fake.calls_to("/views.publish"), 1.0 if fault["status"] == 429 else 0)


@pytest.mark.parametrize(
    ("path", "fault"),
    [
        pytest.param("/conversations.open", FAILING, id="conversations.open-500"),
        pytest.param("/files.getUploadURLExternal", THROTTLED | {"Retry_After": "1"}, id="upload-url-429"),
        pytest.param("/files.completeUploadExternal", FAILING, id="complete-upload-500"),
        pytest.param("/conversations.open", THROTTLED | {"Retry_After": "1"}, id="conversations.open-429"),
    ],
)
def test_a_file_slack_does_not_take_arrives_once_after_it_recovers(
    quick: Slack, workspace: Workspace, sessions: Any, path: str, fault: dict[str, Any]
) -> None:
    slack = quick
    slack.ask('log PHONE "John Smith" Called about the quote')
    slack.fake.fail(path, seconds=OUTAGE, **fault)
    assert "Exported" in slack.ask("export entries")["text"]
    slack.fake.wait_delivered("/files.completeUploadExternal")
    settle(sessions, workspace.team)
    [completed] = slack.fake.delivered("/files.completeUploadExternal")
    assert completed.body["channel_id"] == "D0DM"
    assert len(slack.fake.calls_to(path)) > 1  # the outage was met
    assert retried_after(slack.fake.calls_to(path), 1.0 if fault["status"] == 429 else 0)


@pytest.mark.parametrize("fault", FAULTS)
def test_a_shared_file_slack_will_not_describe_now_is_asked_for_again(
    slack: Slack, workspace: Workspace, fault: dict[str, Any], tracebacks: list[logging.LogRecord]
) -> None:
    slack.fake.fail("/files.info", **fault)
    event = message(
        "D0SELLER",
        "attach LETTER",
        channel_type="im",
        subtype="file_share",
        files=[{"id": "F0WHATEVER", "file_access": "check_file_info"}],
        upload=True,
    )
    started = time.monotonic()
    assert slack.event(event).status == 200
    answer = slack.fake.wait_for("/chat.postMessage")[0]
    assert time.monotonic() - started < 2
    assert "did not describe the file just now; please share it again" in text_of(
        answer.body | {"blocks": answer.json_field("blocks")}
    )
    assert len(slack.fake.calls_to("/files.info")) == 1
