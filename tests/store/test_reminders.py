"""Reminders claimed in the database: each due reminder goes to one claimant, a claim whose process died
is taken over once its lease is up (the dead process can no longer strike it off), a reminder is not
claimed before it is due or once its task is done; a postponed interaction is reminded of once."""

import threading
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from store import reminders
from store.interactions import InteractionInput, create_interaction
from store.models import InteractionLogEntry
from store.tasks import NewTask, add_task, complete_task

NOW = datetime(2021, 3, 4, 8, 0, tzinfo=UTC)
"""Before any task the other tests make (they are due from today on), so the claims here see only these."""


def make_task(sessions, workspace, due: date = date(2021, 3, 5)) -> int:
    with sessions.begin() as session:
        new = NewTask(workspace.adatum, "call back", due, "U1", timezone="Europe/Madrid")
        return add_task(session, workspace.team, "U1", new, now=NOW).no


def mine(claimed, team):
    return [c for c in claimed if c.team_id == team]


def test_a_reminder_is_claimed_only_when_due_and_by_one_claimant(sessions, workspace) -> None:
    make_task(sessions, workspace)
    due = datetime(2021, 3, 5, 8, 0, tzinfo=UTC)  # 09:00 in Madrid
    assert mine(reminders.claim_due(sessions, due - timedelta(seconds=1)), workspace.team) == []
    claimed: list = []
    lock = threading.Lock()

    def claim() -> None:
        got = mine(reminders.claim_due(sessions, due), workspace.team)
        with lock:
            claimed.extend(got)

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(claimed) == 1
    assert reminders.sent(sessions, claimed[0], due)
    assert mine(reminders.claim_due(sessions, due + reminders.LEASE * 3), workspace.team) == []


def test_a_claim_of_a_dead_process_is_taken_over_after_its_lease(sessions, workspace) -> None:
    make_task(sessions, workspace)
    due = datetime(2021, 3, 5, 8, 0, tzinfo=UTC)
    [dead] = mine(reminders.claim_due(sessions, due), workspace.team)
    assert mine(reminders.claim_due(sessions, due + reminders.LEASE / 2), workspace.team) == []
    [taken] = mine(reminders.claim_due(sessions, due + reminders.LEASE * 2), workspace.team)
    assert not reminders.sent(sessions, dead, due)  # too late: its claim is gone
    assert reminders.sent(sessions, taken, due + reminders.LEASE * 2)


def test_a_task_completed_while_claimed_is_not_struck_off_by_the_claimant(sessions, workspace) -> None:
    no = make_task(sessions, workspace)
    due = datetime(2021, 3, 5, 8, 0, tzinfo=UTC)
    [claim] = mine(reminders.claim_due(sessions, due), workspace.team)
    with sessions.begin() as session:
        complete_task(session, workspace.team, "U1", no, is_admin=False, now=due)
        assert reminders.still_claimed(session, claim) is None
    assert not reminders.sent(sessions, claim, due)
    assert mine(reminders.claim_due(sessions, due + timedelta(days=1)), workspace.team) == []


def test_a_postponed_interaction_over_a_day_old_is_reminded_of_once(sessions, workspace) -> None:
    with sessions.begin() as session:
        given = InteractionInput(contact=workspace.john, template="PHONE", date=date(2021, 3, 1))
        entry = create_interaction(session, workspace.team, "U1", given, postpone=True, now=NOW)
        session.execute(
            update(InteractionLogEntry)
            .where(
                InteractionLogEntry.team_id == workspace.team, InteractionLogEntry.entry_no == entry.entry_no
            )
            .values(created_at=NOW)
        )
    assert mine(reminders.claim_postponed(sessions, NOW + timedelta(hours=23)), workspace.team) == []
    [reminder] = mine(reminders.claim_postponed(sessions, NOW + timedelta(days=2)), workspace.team)
    assert reminder.user_id == "U1" and reminder.entry_nos == [entry.entry_no]
    assert mine(reminders.claim_postponed(sessions, NOW + timedelta(days=3)), workspace.team) == []
