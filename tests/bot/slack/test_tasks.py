"""Tasks over Slack: added typed, from an entry's Follow up button and its form, and from Tell Me; listed,
completed, snoozed and canceled; reminded of in a direct message at the due time, once, whichever of two
serving processes on the same database gets there first, and not at all once the task is done."""

import threading
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.slack.listeners.commands import WORKING
from bot.slack.runtime import Runtime
from store.task_models import Task
from tests.bot.slack.test_home import open_home
from tests.conftest import Workspace
from tests.fake_slack import button, text_of
from tests.slack_requests import USER, Slack, filled

OTHER_SELLER = "U0OTHER"


class Clock:
    """The time the reminder senders see; tests move it on instead of waiting."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def task(sessions: sessionmaker[Session], team: str, no: int) -> Task:
    with sessions() as session:
        found = session.get(Task, (team, no))
        assert found is not None
        return found


def reminders_of(slack: Slack, marker: str) -> list[dict[str, Any]]:
    """The direct messages to USER about the task whose description holds `marker`."""
    return [
        {"text": c.body.get("text"), "blocks": c.json_field("blocks")}
        for c in slack.fake.calls_to("/chat.postMessage")
        if c.body.get("channel") == USER and marker in text_of({"blocks": c.json_field("blocks") or []})
    ]


@pytest.fixture
def two_instances(slack: Slack, serve_slack: Callable[..., Slack]) -> tuple[Runtime, Runtime]:
    """Two serving processes on one database, their reminders on a clock of the test's."""
    second = serve_slack()
    return slack.server.bot.runtime, second.server.bot.runtime


def say(slack: Slack, text: str, **kwargs: Any) -> dict[str, Any]:
    """The answer to a command: the acknowledgement, or what followed it (the first date parsed loads
    dateparser, which can take longer than the acknowledgement waits); {} when it opened a form."""
    response = slack.command(text, **kwargs)
    assert response.status == 200, response.text
    if not response.body:  # acknowledged with nothing to say: a form was opened
        return {}
    if response.text == WORKING:
        return slack.answer(response.response_url)
    return response.json()


def add_task(slack: Slack, text: str) -> str:
    answer = say(slack, text)
    assert answer["text"].startswith("Task "), answer
    return answer["text"]


def test_a_typed_task_is_added_and_listed_as_mine(slack: Slack, workspace: Workspace) -> None:
    text = add_task(slack, "task add 'Adatum Corporation' send the quote due=next tuesday priority=high")
    assert text.startswith("Task 1 added. I will remind")
    listed = say(slack, "tasks")
    assert "send the quote" in text_of(listed) and "Adatum Corporation" in text_of(listed)
    button(listed, "Done")
    assert "none found" in say(slack, "tasks", user=OTHER_SELLER)["text"]


def test_the_follow_up_button_opens_a_form_prefilled_from_the_entry(
    slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    logged = say(slack, 'log PHONE "John Smith" Price list')
    slack.click(button(logged, "Follow up"))
    view = slack.opened_view()
    values = {
        block["block_id"].rsplit("~", 1)[0]: block["element"]
        for block in view["blocks"]
        if block["type"] == "input"
    }
    assert values["description"]["initial_value"] == "Follow-up on entry 1: Price list"
    response = slack.submit(filled(view))
    assert response.status == 200, response.text
    slack.fake.wait_for("/chat.postEphemeral")
    created = task(sessions, workspace.team, 1)
    assert created.entry_no == 1 and created.contact_no == workspace.john and created.due_date.weekday() < 5


def test_tell_me_reads_a_reminder_into_the_create_task_form(slack: Slack, workspace: Workspace) -> None:
    answer = say(slack, "remind me to call Adatum next tuesday")
    assert answer.get("text", "") in ("", "Understood: Create Task. Opening Create Task…"), answer
    view = slack.opened_view()
    initial = {
        block["block_id"].rsplit("~", 1)[0]: block["element"]
        for block in view["blocks"]
        if block["type"] == "input"
    }
    assert initial["contact"]["initial_option"]["value"] == workspace.adatum
    due = date.fromisoformat(initial["due"]["initial_date"])
    assert due.weekday() == 1 and due > date.today()
    spanish = say(slack, "recuérdame enviar la oferta a Jane Doe el lunes")
    assert spanish.get("text", "") in ("", "Understood: Create Task. Opening Create Task…"), spanish
    assert slack.opened_view(2)["blocks"]
    add_task(slack, "task add 'Adatum Corporation' send the quote due=tomorrow")
    listed = say(slack, "what do I have due this week?")
    assert "Your open tasks" in listed["text"] and "send the quote" in text_of(listed), listed


def test_done_snooze_and_cancel_from_buttons(slack: Slack, workspace: Workspace, sessions: Any) -> None:
    add_task(slack, "task add 'Adatum Corporation' call back due=tomorrow type=call")
    add_task(slack, "task add 'Fabrikam Inc.' visit due=tomorrow")
    url = slack.click(button(say(slack, "task 1"), "Done"))
    done = slack.answer(url)
    assert "Task 1 completed" in done["text"]
    logged = slack.answer(slack.click(button(done, "Log phone interaction")))
    assert logged["text"].startswith("Recorded: interaction log entry 1")
    url = slack.click(button(say(slack, "task 2"), "Snooze"))
    assert "snoozed" in slack.answer(url)["text"]
    url = slack.click(button(say(slack, "task 2"), "Cancel task"))
    assert "canceled" in slack.answer(url)["text"]
    assert task(sessions, workspace.team, 2).canceled and task(sessions, workspace.team, 2).remind_at is None


def test_only_its_owner_or_creator_changes_a_task_and_other_workspaces_cannot_see_it(
    slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    add_task(slack, "task add 'Adatum Corporation' call back due=tomorrow")
    refused = say(slack, "task done 1", user=OTHER_SELLER)
    assert "only its owner, its creator or an admin" in refused["text"]
    elsewhere = say(slack, "task done 1", team="T" + uuid.uuid4().hex[:10].upper())
    assert "Task 1 does not exist" in elsewhere["text"]
    assert not task(sessions, workspace.team, 1).closed


def test_reminder_is_sent_once_at_the_due_time_by_one_of_two_instances(
    two_instances: tuple[Runtime, Runtime], slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    marker = uuid.uuid4().hex[:8]
    add_task(slack, f"task add 'Adatum Corporation' call {marker} due=tomorrow 10:00")
    due_at = task(sessions, workspace.team, 1).due_at
    clock = Clock(due_at - timedelta(minutes=1))
    for runtime in two_instances:
        runtime.clock = clock
    for runtime in two_instances:
        runtime.send_reminders()
    assert reminders_of(slack, marker) == []  # not yet
    clock.now = due_at + timedelta(seconds=5)
    senders = [threading.Thread(target=runtime.send_reminders) for runtime in two_instances for _ in range(3)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(30)
    for runtime in two_instances:
        runtime.worker.wake()  # the workers' own polls run too
    time.sleep(1.0)
    sent = reminders_of(slack, marker)
    assert len(sent) == 1
    labels = {
        b["text"]["text"]
        for block in sent[0]["blocks"]
        if block["type"] == "actions"
        for b in block["elements"]
    }
    assert {"Done", "Snooze 1 h", "Tomorrow", "Next week"} <= labels
    assert task(sessions, workspace.team, 1).reminded_at == clock.now


def test_no_reminder_for_a_task_done_before_it_was_due(
    two_instances: tuple[Runtime, Runtime], slack: Slack, workspace: Workspace
) -> None:
    marker = uuid.uuid4().hex[:8]
    add_task(slack, f"task add 'Adatum Corporation' call {marker} due=tomorrow 10:00")
    say(slack, "task done 1")
    clock = Clock(datetime.now().astimezone() + timedelta(days=3))
    for runtime in two_instances:
        runtime.clock = clock
        runtime.send_reminders()
    assert reminders_of(slack, marker) == []


def test_a_snoozed_task_is_reminded_at_its_new_time_and_done_from_the_reminder(
    two_instances: tuple[Runtime, Runtime], slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    marker = uuid.uuid4().hex[:8]
    add_task(slack, f"task add 'Adatum Corporation' call {marker} due=tomorrow 10:00")
    first_due = task(sessions, workspace.team, 1).due_at
    say(slack, "task snooze 1 in 3 days")
    new_due = task(sessions, workspace.team, 1).due_at
    one, other = two_instances
    clock = Clock(first_due + timedelta(seconds=1))
    one.clock = other.clock = clock
    one.send_reminders()
    assert reminders_of(slack, marker) == []
    clock.now = new_due + timedelta(seconds=1)
    other.send_reminders()
    one.send_reminders()
    [reminder] = reminders_of(slack, marker)
    url = slack.click(button(reminder, "Done"))
    assert "Task 1 completed" in slack.answer(url)["text"]


def test_the_home_tab_shows_what_is_overdue_and_due_today(
    slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    add_task(slack, "task add 'Adatum Corporation' overdue one due=in 1 hour")
    add_task(slack, "task add 'Fabrikam Inc.' due later today due=in 2 minutes")
    with sessions.begin() as session:  # as if an hour had passed since it was due
        session.get(Task, (workspace.team, 1)).due_at = datetime.now().astimezone() - timedelta(hours=1)
    home = open_home(slack)
    shown = text_of(home)
    assert shown.index("Overdue") < shown.index("overdue one") < shown.index("Due today")
    assert shown.index("Due today") < shown.index("due later today")
    button(home, "Done")
