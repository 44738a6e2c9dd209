"""Reminders due, claimed by whichever serving process looks first. A claim marks the task with a token
and a time in one transaction (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite lets one writer in at a
time), so two processes never send the same reminder; the reminder is struck off only once it was sent,
by the process holding the claim. A process that dies holding a claim leaves it to be taken over once the
lease is up, so no reminder is lost. Completing, canceling or snoozing a task takes its claim away."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import false, or_, select, true, update
from sqlalchemy.orm import Session, sessionmaker

from store.models import InteractionLogEntry
from store.task_models import Task

LEASE = timedelta(seconds=30)
"""How long a claim holds: a reminder whose process died is sent by another well within a minute."""
POSTPONED_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class ClaimedReminder:
    team_id: str
    task_no: int
    owner_id: str
    claim: str


@dataclass(frozen=True)
class PostponedReminder:
    team_id: str
    user_id: str
    entry_nos: list[int]


def claim_due(sessions: sessionmaker[Session], now: datetime, *, limit: int = 20) -> list[ClaimedReminder]:
    """The reminders due by `now` (of open tasks) that no live process holds, now held by this one."""
    free = or_(Task.reminder_claimed_at.is_(None), Task.reminder_claimed_at < now - LEASE)
    query = (
        select(Task)
        .where(Task.remind_at <= now, Task.closed == false(), Task.canceled == false(), free)
        .order_by(Task.remind_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed: list[ClaimedReminder] = []
    with sessions.begin() as session:
        for task in session.scalars(query):
            token = uuid.uuid4().hex
            task.reminder_claim, task.reminder_claimed_at = token, now
            claimed.append(ClaimedReminder(task.team_id, task.no, task.owner_id, token))
    return claimed


def still_claimed(session: Session, reminder: ClaimedReminder) -> Task | None:
    """The task, if this claim still holds (it was not completed, canceled or snoozed meanwhile)."""
    task = session.get(Task, (reminder.team_id, reminder.task_no))
    if task is None or task.reminder_claim != reminder.claim:
        return None
    return task


def sent(sessions: sessionmaker[Session], reminder: ClaimedReminder, now: datetime) -> bool:
    """Strike the reminder off; False when the claim was lost (the task changed, or the lease ran out and
    another process took it over)."""
    with sessions.begin() as session:
        done = session.execute(
            update(Task)
            .where(
                Task.team_id == reminder.team_id,
                Task.no == reminder.task_no,
                Task.reminder_claim == reminder.claim,
            )
            .values(remind_at=None, reminder_claim=None, reminder_claimed_at=None, reminded_at=now)
            .returning(Task.no)
        ).first()
        return done is not None


def claim_postponed(
    sessions: sessionmaker[Session], now: datetime, *, limit: int = 200
) -> list[PostponedReminder]:
    """Postponed interactions over a day old not yet reminded of, grouped by who saved them, and marked
    reminded in the same transaction: a gentle reminder is sent at most once (one lost to a dying process
    is not sent again)."""
    query = (
        select(InteractionLogEntry)
        .where(
            InteractionLogEntry.postponed == true(),
            InteractionLogEntry.postponed_reminded_at.is_(None),
            InteractionLogEntry.created_at < now - POSTPONED_AFTER,
        )
        .order_by(InteractionLogEntry.team_id, InteractionLogEntry.entry_no)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    grouped: dict[tuple[str, str], list[int]] = {}
    with sessions.begin() as session:
        for entry in session.scalars(query):
            entry.postponed_reminded_at = now
            grouped.setdefault((entry.team_id, entry.user_id), []).append(entry.entry_no)
    return [PostponedReminder(team, user, nos) for (team, user), nos in grouped.items()]
