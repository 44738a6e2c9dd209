"""Tasks typed in `/crm`: added on a contact with a due date, listed soonest first, completed, snoozed
and canceled by their owner, refused with a clear message when something is off."""

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select

from commands.router import ROUTER
from store.audit import recent
from store.task_models import Task


def count_tasks(ctx) -> int:
    with ctx.sessions() as session:
        return session.scalar(select(func.count()).select_from(Task).where(Task.team_id == ctx.team_id))


def test_a_task_is_added_on_a_contact_due_on_a_date_in_words(ctx, workspace) -> None:
    reply = ROUTER.run(
        ctx, "task add 'Adatum Corporation' send the quote due=next tuesday priority=high type=call"
    )
    assert not reply.error, reply.text
    assert reply.text.startswith("Task 1 added.")
    with ctx.sessions() as session:
        task = session.get(Task, (ctx.team_id, 1))
        assert task.contact_no == workspace.adatum and task.description == "send the quote"
        assert task.priority == "high" and task.type == "phone-call" and task.owner_id == ctx.user_id
        assert task.due_date.weekday() == 1 and task.due_time is None
        assert task.remind_at == task.due_at
        assert recent(session, ctx.team_id)[0].action == "add_task"


def test_a_due_date_alone_is_due_at_nine_in_the_owners_time_zone(ctx, workspace) -> None:
    madrid = replace(ctx, timezone="Europe/Madrid")
    ROUTER.run(madrid, "task add 'Adatum Corporation' call back due=2099-07-01")
    with ctx.sessions() as session:
        task = session.get(Task, (ctx.team_id, 1))
        assert task.timezone == "Europe/Madrid"
        assert task.due_at.hour == 7 and task.due_at.minute == 0  # 09:00 CEST is 07:00 UTC


def test_tasks_are_numbered_per_workspace(ctx, workspace, sessions) -> None:
    ROUTER.run(ctx, "task add 'Adatum Corporation' one due=tomorrow")
    ROUTER.run(ctx, "task add 'Adatum Corporation' two due=tomorrow")
    with sessions() as session:
        assert sorted(session.scalars(select(Task.no).where(Task.team_id == ctx.team_id))) == [1, 2]


def test_bad_input_names_the_problem_and_changes_nothing(ctx, workspace) -> None:
    cases = {
        "task add Nobody-Such-Contact call due=tomorrow": "No contact matches",
        "task add 'Adatum Corporation' call due=2001-01-01": "is in the past",
        "task add 'Adatum Corporation' call due=2026-02-30": "not a due date I understand",
        "task add 'Adatum Corporation' call due=tomorrow owner=bob": "not a Slack user",
        "task add 'Adatum Corporation' call due=tomorrow entry=999": "entry 999 does not exist",
    }
    for command, message in cases.items():
        reply = ROUTER.run(ctx, command)
        assert reply.error and message in reply.text, (command, reply.text)
    assert count_tasks(ctx) == 0


def test_my_open_tasks_are_listed_soonest_first_and_paginated(ctx, workspace) -> None:
    for day in (5, 2, 9):
        ROUTER.run(ctx, f"task add 'Adatum Corporation' in {day} days due=in {day} days")
    ROUTER.run(ctx, "task add 'Fabrikam Inc.' for another seller due=tomorrow owner=<@U9OTHER|other>")
    reply = ROUTER.run(ctx, "tasks")
    assert [item.text.split("·")[-2].strip() for item in reply.items] == [
        "in 2 days",
        "in 5 days",
        "in 9 days",
    ]
    everyone = ROUTER.run(ctx, "tasks all")
    assert len(everyone.items) == 4
    for n in range(10):
        ROUTER.run(ctx, f"task add 'Adatum Corporation' more {n} due=in 20 days")
    first = ROUTER.run(ctx, "tasks")
    assert len(first.items) == 10 and first.buttons[0].label == "Next page"
    second = ROUTER.run(ctx, first.buttons[0].command)
    assert len(second.items) == 3


def test_tasks_of_a_contact_include_its_companys_people(ctx, workspace) -> None:
    ROUTER.run(ctx, "task add 'John Smith' ask about renewal due=tomorrow")
    ROUTER.run(ctx, "task add 'Fabrikam Inc.' unrelated due=tomorrow")
    reply = ROUTER.run(ctx, "tasks contact=Adatum")
    assert len(reply.items) == 1 and "ask about renewal" in reply.items[0].text


def test_a_done_call_task_offers_to_log_the_phone_call(ctx, workspace) -> None:
    ROUTER.run(ctx, "task add 'Adatum Corporation' call about the quote due=tomorrow type=call")
    reply = ROUTER.run(ctx, "task done 1")
    assert reply.text.startswith("Task 1 completed")
    logged = ROUTER.run(ctx, reply.buttons[0].command)
    assert logged.text.startswith("Recorded: interaction log entry 1"), logged.text
    assert "PHONE" in logged.paragraphs[0] and "call about the quote" in logged.paragraphs[0]
    again = ROUTER.run(ctx, "task done 1")
    assert again.error and "already completed" in again.text


def test_snooze_moves_the_due_date_and_rearms_the_reminder(ctx, workspace) -> None:
    ROUTER.run(ctx, "task add 'Adatum Corporation' call due=tomorrow")
    reply = ROUTER.run(ctx, "task snooze 1 next week")
    assert "snoozed" in reply.text, reply.text
    with ctx.sessions() as session:
        task = session.get(Task, (ctx.team_id, 1))
        assert task.due_date == ctx.today() + timedelta(days=7) and task.remind_at == task.due_at


def test_a_canceled_task_is_not_listed_and_not_reminded(ctx, workspace) -> None:
    ROUTER.run(ctx, "task add 'Adatum Corporation' call due=tomorrow")
    assert "canceled" in ROUTER.run(ctx, "task cancel 1").text
    assert ROUTER.run(ctx, "tasks").text.endswith("none found.")
    with ctx.sessions() as session:
        assert session.get(Task, (ctx.team_id, 1)).remind_at is None


def test_only_the_owner_the_creator_or_an_admin_changes_a_task(ctx, user, workspace) -> None:
    ROUTER.run(ctx, "task add 'Adatum Corporation' call due=tomorrow")
    for command in ("task done 1", "task cancel 1", "task snooze 1 tomorrow"):
        refused = ROUTER.run(user, command)
        assert refused.error and "only its owner, its creator or an admin" in refused.text
    assert "Task 1" in ROUTER.run(user, "task 1").text  # anyone in the workspace may look
    mine = ROUTER.run(user, f"task add 'Adatum Corporation' mine due=tomorrow owner=<@{user.user_id}>")
    assert not mine.error and not ROUTER.run(user, "task done 2").error


def test_another_workspaces_task_does_not_exist_here(ctx, workspace, sessions) -> None:
    ROUTER.run(ctx, "task add 'Adatum Corporation' call due=tomorrow")
    other = replace(ctx, team_id="T" + ctx.team_id[1:][::-1])
    for command in ("task 1", "task done 1", "task snooze 1 tomorrow", "task cancel 1"):
        reply = ROUTER.run(other, command)
        assert reply.error and "Task 1 does not exist" in reply.text
    with sessions() as session:
        assert not session.get(Task, (ctx.team_id, 1)).closed


def test_the_follow_up_form_is_prefilled_from_the_entry(ctx, workspace) -> None:
    ROUTER.run(ctx, 'log PHONE "John Smith" "Price list"')
    opened = ROUTER.run(ctx, "task add entry=1")
    assert opened.modal is not None and opened.modal.kind == "add_task"
    form = ROUTER.form("add_task", ctx, opened.modal.values)
    values = {field.name: field.value for field in form.fields}
    assert values["contact"] == workspace.john and values["entry"] == "1"
    assert values["description"] == "Follow-up on entry 1: Price list"
    due = ROUTER.run(ctx, "tasks")  # nothing yet
    assert due.text.endswith("none found.")
    reply = ROUTER.submit("add_task", ctx, values)
    assert reply.text.startswith("Task 1 added"), reply.text
    with ctx.sessions() as session:
        task = session.get(Task, (ctx.team_id, 1))
        assert task.entry_no == 1 and task.due_date.weekday() < 5
        assert (task.due_date - ctx.today()).days in (3, 4, 5)
