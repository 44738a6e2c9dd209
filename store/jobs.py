"""A queue of work finished after Slack was answered, kept in the database so any serving process can
run it. Claiming locks the row with FOR UPDATE SKIP LOCKED on PostgreSQL, so several processes never take
the same job; SQLite's BEGIN IMMEDIATE (see store.db) already lets one writer in at a time. A job left
running by a process that died is claimed again once it is older than `stale_after`."""

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from store.models import Job
from store.types import utcnow

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    team_id: str
    user_id: str
    kind: str
    payload: dict[str, Any]
    started_at: datetime
    """Also the claim's token: a process whose claim timed out and was taken over cannot finish it."""


def enqueue(
    sessions: sessionmaker[Session], team_id: str, user_id: str, kind: str, payload: dict[str, Any]
) -> int:
    with sessions.begin() as session:
        job = Job(
            team_id=team_id, user_id=user_id, kind=kind, payload=json.dumps(payload), status=QUEUED, result=""
        )
        session.add(job)
        session.flush()
        return job.id


def claim(
    sessions: sessionmaker[Session],
    *,
    stale_after: timedelta = timedelta(minutes=10),
    kinds: Collection[str] | None = None,
) -> ClaimedJob | None:
    """The oldest job waiting (of these `kinds`, when given), now marked running, or None. A job whose
    process died is taken again, up to MAX_ATTEMPTS claims in all; then it is marked failed."""
    now = utcnow()
    stale = (Job.status == RUNNING) & (Job.started_at < now - stale_after)
    waiting = or_(Job.status == QUEUED, stale & (Job.attempts < MAX_ATTEMPTS))
    query = select(Job).where(waiting).order_by(Job.id).limit(1).with_for_update(skip_locked=True)
    if kinds is not None:
        query = query.where(Job.kind.in_(list(kinds)))
    with sessions.begin() as session:
        session.execute(
            update(Job)
            .where(stale, Job.attempts >= MAX_ATTEMPTS)
            .values(status=FAILED, finished_at=now, result=f"given up after {MAX_ATTEMPTS} attempts"),
            execution_options={"synchronize_session": False},
        )
        job = session.scalars(query).first()
        if job is None:
            return None
        job.status = RUNNING
        job.started_at = now
        job.attempts += 1
        return ClaimedJob(job.id, job.team_id, job.user_id, job.kind, json.loads(job.payload), now)


def finish(
    sessions: sessionmaker[Session], job: ClaimedJob, result: str = "", *, failed: bool = False
) -> bool:
    """False when the claim was lost (the job ran too long and another process took it over)."""
    with sessions.begin() as session:
        done = session.execute(
            update(Job)
            .where(Job.id == job.id, Job.status == RUNNING, Job.started_at == job.started_at)
            .values(status=FAILED if failed else DONE, finished_at=utcnow(), result=result)
            .returning(Job.id)
        ).first()
        return done is not None


def status(sessions: sessionmaker[Session], job_id: int) -> str | None:
    with sessions() as session:
        return session.scalar(select(Job.status).where(Job.id == job_id))


def purge(sessions: sessionmaker[Session], older_than: timedelta) -> int:
    with sessions.begin() as session:
        result = session.execute(
            delete(Job).where(Job.status.in_((DONE, FAILED)), Job.finished_at < utcnow() - older_than)
        )
        return result.rowcount
