"""A background job whose process died: the job's heartbeat stops, and another process takes the job over
within the bound (45 s in production; a fraction of a second here) and finishes it, or, when its processes
died MAX_ATTEMPTS times, gives it up and tells the user through the outbox. A job whose process is alive
keeps its heartbeat and is never taken from it, however long it runs."""

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.slack.runtime import Runtime
from bot.slack.worker import JobWorker
from commands.pages.segments import LOG_SEGMENT
from store import jobs, segments
from store.models import InteractionLogEntry, Job
from tests.bot.slack.conftest import quick_retries
from tests.conftest import Workspace
from tests.helpers import Died, dies_between_chunks
from tests.slack_requests import Slack

STALE = timedelta(milliseconds=500)
BEAT = 0.1


def entries(sessions: Any, team: str) -> int:
    with sessions() as session:
        return session.scalar(
            select(func.count()).select_from(InteractionLogEntry).where(InteractionLogEntry.team_id == team)
        )


def wait_status(sessions: Any, job_id: int, status: str, timeout: float = 10) -> str | None:
    """The job's status once it is `status` (or when `timeout` seconds are up)."""
    deadline = time.monotonic() + timeout
    while (found := jobs.status(sessions, job_id)) != status and time.monotonic() < deadline:
        time.sleep(0.02)
    return found


@pytest.fixture
def kind() -> str:
    """Jobs of a kind of this test's own, which no serving process's worker claims."""
    return "test-" + uuid.uuid4().hex[:8]


@pytest.fixture
def survivor(slack: Slack) -> Iterator[tuple[Runtime, list[JobWorker]]]:
    """The serving process's own job worker is stopped (it is the one that "dies"); `start()` brings up
    the process that survives, noticing dead ones after STALE."""
    runtime = quick_retries(slack.server.bot.runtime)
    runtime.worker.stop()
    started: list[JobWorker] = []
    yield runtime, started
    for worker in started:
        worker.stop()


def start_survivor(runtime: Runtime, started: list[JobWorker]) -> JobWorker:
    worker = JobWorker(
        runtime.sessions,
        runtime.run_job,
        poll=0.05,
        stale_after=STALE,
        heartbeat=BEAT,
        kinds=runtime.commands.background_kinds,
        report=runtime.report_abandoned,
    )
    worker.start()
    started.append(worker)
    return worker


def queue_segment_job(slack: Slack, monkeypatch: pytest.MonkeyPatch) -> str:
    """Log a segment in the background; returns once its job is queued (the acknowledgement comes first)."""
    monkeypatch.setattr(LOG_SEGMENT.background, "threshold", 1)
    response = slack.command("log LETTER segment=NEWSLETTER")
    assert "I will post the result here" in response.json()["text"]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with slack.server.bot.runtime.sessions() as session:
            waiting = select(Job.id).where(Job.team_id == slack.team, Job.status == jobs.QUEUED)
            queued = session.scalar(waiting)
        if queued is not None:
            return response.response_url
        time.sleep(0.01)
    raise AssertionError("the job was never queued")


def test_a_job_of_a_dead_process_is_resumed_by_another_within_the_bound(
    slack: Slack,
    survivor: tuple[Runtime, list[JobWorker]],
    workspace: Workspace,
    sessions: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runtime, started = survivor
    response_url = queue_segment_job(slack, monkeypatch)
    dead = jobs.claim(sessions, kinds=runtime.commands.background_kinds)  # then the process is killed
    assert dead is not None and dead.team_id == workspace.team
    died = time.monotonic()
    start_survivor(runtime, started)
    answer = slack.answer(response_url)
    assert "Segment NEWSLETTER logged: 3 interaction log entries" in answer["text"]
    assert time.monotonic() - died < STALE.total_seconds() + 2
    assert entries(sessions, workspace.team) == 3
    assert wait_status(sessions, dead.id, jobs.DONE) == jobs.DONE
    assert not jobs.finish(sessions, dead, "too late")  # the dead process's claim is gone
    time.sleep(2 * STALE.total_seconds())
    assert len(slack.fake.posts_to(response_url)) == 1  # resumed once, answered once


def test_a_segment_log_whose_process_died_between_chunks_is_finished_by_the_next_claim(
    slack: Slack,
    survivor: tuple[Runtime, list[JobWorker]],
    workspace: Workspace,
    sessions: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runtime, started = survivor
    monkeypatch.setattr(segments, "CHUNK", 1)
    response_url = queue_segment_job(slack, monkeypatch)
    dead = jobs.claim(sessions, kinds=runtime.commands.background_kinds)
    assert dead is not None
    with monkeypatch.context() as dying:  # the process runs the job, commits one chunk, and is killed
        dies_between_chunks(dying, after=1)
        with pytest.raises(Died):
            runtime.run_job(dead)
    assert entries(sessions, workspace.team) == 1
    start_survivor(runtime, started)
    answer = slack.answer(response_url)
    assert answer["text"] == "Segment NEWSLETTER logged: 3 interaction log entries (logged segment 1)."
    with sessions() as session:
        numbers = session.scalars(
            select(InteractionLogEntry.entry_no).where(InteractionLogEntry.team_id == workspace.team)
        )
        assert sorted(numbers) == [1, 2, 3]
    assert wait_status(sessions, dead.id, jobs.DONE) == jobs.DONE
    time.sleep(2 * STALE.total_seconds())
    assert len(slack.fake.posts_to(response_url)) == 1


def test_a_job_given_up_after_its_processes_died_is_reported_to_the_user(
    slack: Slack,
    survivor: tuple[Runtime, list[JobWorker]],
    workspace: Workspace,
    sessions: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runtime, started = survivor
    response_url = queue_segment_job(slack, monkeypatch)
    for _ in range(jobs.MAX_ATTEMPTS):  # each process that took it died
        assert jobs.claim(sessions, stale_after=timedelta(0), kinds=runtime.commands.background_kinds)
    start_survivor(runtime, started)
    answer = slack.answer(response_url)
    assert "could not be finished" in answer["text"] and "log LETTER segment=NEWSLETTER" in answer["text"]
    assert f"stopped {jobs.MAX_ATTEMPTS} times" in answer["text"]
    time.sleep(2 * STALE.total_seconds())
    assert len(slack.fake.posts_to(response_url)) == 1
    assert entries(sessions, workspace.team) == 0


def test_a_long_job_whose_process_is_alive_is_never_taken_over(sessions: Any, team: str, kind: str) -> None:
    job_id = jobs.enqueue(sessions, team, "U1", kind, {})
    release, ran = threading.Event(), []

    def long_job(job: jobs.ClaimedJob) -> str:
        ran.append(job.id)
        release.wait(10)
        return "done"

    alive = JobWorker(sessions, long_job, poll=0.05, stale_after=STALE, heartbeat=BEAT, kinds={kind})
    other = JobWorker(sessions, long_job, poll=0.05, stale_after=STALE, heartbeat=BEAT, kinds={kind})
    alive.start()
    try:
        while not ran:
            time.sleep(0.01)
        other.start()
        time.sleep(4 * STALE.total_seconds())  # four times as long as a dead process is given
        assert ran == [job_id]
        release.set()
        assert wait_status(sessions, job_id, jobs.DONE) == jobs.DONE and ran == [job_id]
    finally:
        release.set()
        alive.stop()
        other.stop()


def test_a_job_without_heartbeats_is_stale_after_the_bound_and_not_before(
    sessions: Any, team: str, kind: str
) -> None:
    job_id = jobs.enqueue(sessions, team, "U1", kind, {})
    dead = jobs.claim(sessions, kinds=[kind])
    assert dead is not None
    assert jobs.claim(sessions, kinds=[kind]) is None  # 45 s in production
    assert jobs.claim(sessions, kinds=[kind], stale_after=STALE) is None
    time.sleep(STALE.total_seconds() + 0.1)
    taken = jobs.claim(sessions, kinds=[kind], stale_after=STALE)
    assert taken is not None and taken.id == job_id
    assert jobs.heartbeat(sessions, taken) and not jobs.heartbeat(sessions, dead)
    assert jobs.finish(sessions, taken, "ok")
