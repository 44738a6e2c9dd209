"""A thread in every serving process that runs queued jobs (store.jobs) until it is stopped. It is woken
at once when this process queues a job, and polls for jobs queued by the other processes."""

import logging
import threading
import time
from collections.abc import Callable, Collection
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from store import deliveries, jobs

log = logging.getLogger(__name__)

HOUSEKEEPING_EVERY = 3600.0


class JobWorker(threading.Thread):
    def __init__(
        self,
        sessions: sessionmaker[Session],
        handle: Callable[[jobs.ClaimedJob], str],
        *,
        poll: float = 2.0,
        stale_after: timedelta = timedelta(minutes=10),
        forget: tuple[str, ...] = (),
        kinds: Collection[str] | None = None,
        remind: Callable[[], object] | None = None,
    ) -> None:
        """`forget`: the delivery sources (store.deliveries) whose old records the worker clears out.
        `kinds`: the kinds of job `handle` can run (None: any). `remind`: sends the reminders that are
        due (claimed in the database, so each goes out from one process), on every poll."""
        super().__init__(name="crm-jobs", daemon=True)
        self.sessions = sessions
        self.handle = handle
        self.poll = poll
        self.stale_after = stale_after
        self.forget = forget
        self.kinds = kinds
        self.remind = remind
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._housekept = 0.0

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopped.set()
        self._wake.set()
        if self.is_alive():
            self.join(timeout)

    def run(self) -> None:
        while not self._stopped.is_set():
            try:
                worked = self.run_one()
                if self.remind is not None:
                    self.remind()
                self._housekeeping()
            except Exception:  # the database may be away for a while; keep the thread alive
                log.exception("job worker: cannot reach the job queue")
                worked = False
            if not worked:
                self._wake.wait(self.poll)
                self._wake.clear()

    def run_one(self) -> bool:
        job = jobs.claim(self.sessions, stale_after=self.stale_after, kinds=self.kinds)
        if job is None:
            return False
        try:
            result = self.handle(job)
        except Exception:
            log.exception("job %s (%s) failed", job.id, job.kind)
            jobs.finish(self.sessions, job, "failed", failed=True)
        else:
            if not jobs.finish(self.sessions, job, result):
                log.warning("job %s finished after another process had taken it over", job.id)
        return True

    def _housekeeping(self) -> None:
        now = time.monotonic()
        if self._housekept and now - self._housekept < HOUSEKEEPING_EVERY:
            return
        self._housekept = now
        # Slack retries an event within the hour; a day is ample.
        for source in self.forget:
            deliveries.purge(self.sessions, source, timedelta(days=1))
        jobs.purge(self.sessions, timedelta(days=7))
