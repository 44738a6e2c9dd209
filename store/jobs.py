"""A queue of work finished after Slack was answered, kept in the database so any serving process can
run it. Claiming locks the row with FOR UPDATE SKIP LOCKED on PostgreSQL, so several processes never take
the same job; SQLite's BEGIN IMMEDIATE (see store.db) already lets one writer in at a time. The process
running a job renews its heartbeat every few seconds; a job whose heartbeat is older than `stale_after`
belongs to a process that died, and is claimed again (up to MAX_ATTEMPTS claims, then given up and
handed to the caller to report)."""

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from store.models import Job
from store.types import utcnow

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
MAX_ATTEMPTS = 3
STALE_AFTER = timedelta(seconds=45)
"""Three missed heartbeats (see bot.slack.worker): a dead process is noticed within a minute."""


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


Report = Callable[[Session, ClaimedJob], None]
"""Called within the transaction that gives a job up, so the report is kept exactly when the job fails."""


def claim(
    sessions: sessionmaker[Session],
    *,
    stale_after: timedelta = STALE_AFTER,
    kinds: Collection[str] | None = None,
    report: Report | None = None,
) -> ClaimedJob | None:
    """The oldest job waiting (of these `kinds`, when given), now marked running, or None. A job whose
    process died is taken again, up to MAX_ATTEMPTS claims in all; then it is marked failed and handed to
    `report` (whatever its kind: the user is told even by a process that cannot run it)."""
    now = utcnow()
    # A job claimed by a release without heartbeats has only its start time.
    stale = (Job.status == RUNNING) & (func.coalesce(Job.heartbeat_at, Job.started_at) < now - stale_after)
    waiting = or_(Job.status == QUEUED, stale & (Job.attempts < MAX_ATTEMPTS))
    query = select(Job).where(waiting).order_by(Job.id).limit(1).with_for_update(skip_locked=True)
    if kinds is not None:
        query = query.where(Job.kind.in_(list(kinds)))
    with sessions.begin() as session:
        abandoned = session.execute(
            update(Job)
            .where(stale, Job.attempts >= MAX_ATTEMPTS)
            .values(status=FAILED, finished_at=now, result=f"given up after {MAX_ATTEMPTS} attempts")
            .returning(Job.id, Job.team_id, Job.user_id, Job.kind, Job.payload, Job.started_at),
            execution_options={"synchronize_session": False},
        ).all()
        if report is not None:
            for row in abandoned:
                given_up = ClaimedJob(
                    row.id, row.team_id, row.user_id, row.kind, json.loads(row.payload), now
                )
                report(session, given_up)
        job = session.scalars(query).first()
        if job is None:
            return None
        job.status = RUNNING
        job.started_at = now
        job.heartbeat_at = now
        job.attempts += 1
        return ClaimedJob(job.id, job.team_id, job.user_id, job.kind, json.loads(job.payload), now)


def heartbeat(sessions: sessionmaker[Session], job: ClaimedJob) -> bool:
    """Say the job's process is alive; False when the claim was lost."""
    with sessions.begin() as session:
        beat = session.execute(
            update(Job)
            .where(Job.id == job.id, Job.status == RUNNING, Job.started_at == job.started_at)
            .values(heartbeat_at=utcnow())
            .returning(Job.id),
            execution_options={"synchronize_session": False},
        ).first()
        return beat is not None


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
