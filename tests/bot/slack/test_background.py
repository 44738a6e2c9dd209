"""Work too long for Slack's 3 seconds: acknowledged at once, queued in the database, run by a worker in
any serving process, and answered through the response_url. The queue hands each job to one worker, and a
job abandoned by a dead process is taken up again."""

import threading
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.slack.worker import JobWorker
from commands.pages.canceled import DELETE_CANCELED_ENTRIES
from commands.pages.segments import LOG_SEGMENT
from store import deliveries, jobs
from store.models import InteractionLogEntry
from tests.conftest import Workspace
from tests.fake_slack import button
from tests.slack_requests import ADMIN, Slack


def entries(sessions: Any, team: str) -> int:
    with sessions() as session:
        return session.scalar(
            select(func.count()).select_from(InteractionLogEntry).where(InteractionLogEntry.team_id == team)
        )


def test_logging_a_big_segment_is_acknowledged_then_posted(
    slack: Slack, workspace: Workspace, sessions: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LOG_SEGMENT.background, "threshold", 1)
    response = slack.command("log LETTER segment=NEWSLETTER")
    assert response.status == 200 and response.elapsed < 3
    assert "I will post the result here" in response.json()["text"]
    answer = slack.answer(response.response_url)
    assert "Segment NEWSLETTER logged: 3 interaction log entries" in answer["text"]
    assert entries(sessions, workspace.team) == 3


def test_a_big_purge_replaces_the_question_twice(
    slack: Slack, workspace: Workspace, sessions: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DELETE_CANCELED_ENTRIES.background, "threshold", 1)
    slack.ask('log PHONE "John Smith"')
    slack.ask("cancel 1")
    question = slack.ask("delete-canceled", user=ADMIN)
    response_url = slack.click(button(question, "Delete"), user=ADMIN)
    working, done = slack.fake.posts_to(response_url, 2)  # type: ignore[arg-type]
    assert working["replace_original"] is True and "Deleting" in working["text"]
    assert done["replace_original"] is True and "Deleted 1 canceled" in done["text"]
    assert entries(sessions, workspace.team) == 0


@pytest.fixture
def kind() -> str:
    """Jobs of a kind of this test's own, which no serving process's worker claims."""
    return "test-" + uuid.uuid4().hex[:8]


def test_each_job_is_claimed_once_by_concurrent_workers(sessions: Any, team: str, kind: str) -> None:
    queued = {jobs.enqueue(sessions, team, "U1", kind, {"n": n}) for n in range(20)}
    claimed: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        while (job := jobs.claim(sessions, kinds=[kind])) is not None:
            with lock:
                claimed.append(job.id)
            assert jobs.finish(sessions, job, "ok")

    workers = [threading.Thread(target=work) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert sorted(claimed) == sorted(queued)
    assert {jobs.status(sessions, job_id) for job_id in queued} == {jobs.DONE}


def test_a_job_abandoned_by_a_dead_process_is_taken_over(sessions: Any, team: str, kind: str) -> None:
    job_id = jobs.enqueue(sessions, team, "U1", kind, {"work": 1})
    first = jobs.claim(sessions, kinds=[kind])
    assert first is not None and first.id == job_id and first.payload == {"work": 1}
    assert jobs.claim(sessions, kinds=[kind]) is None  # running, and not stale yet
    second = jobs.claim(sessions, kinds=[kind], stale_after=timedelta(0))
    assert second is not None and second.id == job_id
    assert not jobs.finish(sessions, first, "late")  # the dead process's claim is gone
    assert jobs.finish(sessions, second, "ok")
    assert jobs.status(sessions, job_id) == jobs.DONE


def test_a_worker_claims_only_the_kinds_of_work_it_can_run(sessions: Any, team: str, kind: str) -> None:
    unknown = "test-" + uuid.uuid4().hex[:8]
    foreign = jobs.enqueue(sessions, team, "U1", unknown, {})
    mine = jobs.enqueue(sessions, team, "U1", kind, {})
    ran: list[int] = []
    worker = JobWorker(sessions, lambda job: ran.append(job.id) or "ok", kinds={kind})
    assert worker.run_one() and not worker.run_one()
    assert ran == [mine] and jobs.status(sessions, mine) == jobs.DONE
    assert jobs.status(sessions, foreign) == jobs.QUEUED  # left for a process that knows it
    leftover = jobs.claim(sessions, kinds=[unknown])
    assert leftover is not None and jobs.finish(sessions, leftover)


def test_a_delivery_is_handled_once_and_a_click_again_after_a_while(sessions: Any, team: str) -> None:
    key = uuid.uuid4().hex
    assert deliveries.claim(sessions, "test", key, team)
    assert not deliveries.claim(sessions, "test", key, team)
    assert not deliveries.claim(sessions, "test", key, team, within=timedelta(hours=1))
    assert deliveries.claim(sessions, "test", key, team, within=timedelta(0))


def test_old_deliveries_and_finished_jobs_are_forgotten(sessions: Any, team: str, kind: str) -> None:
    mine, other = "test-" + uuid.uuid4().hex[:8], "test-" + uuid.uuid4().hex[:8]
    deliveries.claim(sessions, mine, "e1", team)
    deliveries.claim(sessions, other, "e1", team)
    assert deliveries.purge(sessions, mine, timedelta(0)) == 1
    assert deliveries.claim(sessions, mine, "e1", team)  # forgotten: new again
    assert not deliveries.claim(sessions, other, "e1", team)  # another source is left alone
    done = jobs.enqueue(sessions, team, "U1", kind, {})
    waiting = jobs.enqueue(sessions, team, "U1", kind, {})
    claimed = jobs.claim(sessions, kinds=[kind])
    assert claimed is not None and claimed.id == done and jobs.finish(sessions, claimed, "ok")
    jobs.purge(sessions, timedelta(0))
    assert jobs.status(sessions, done) is None and jobs.status(sessions, waiting) == jobs.QUEUED
    leftover = jobs.claim(sessions, kinds=[kind])  # leave no work behind for the other tests' workers
    assert leftover is not None and jobs.finish(sessions, leftover)
