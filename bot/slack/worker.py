"""Threads in every serving process, each polling the database until it is stopped: the job worker runs
queued jobs (store.jobs), the outbox worker delivers the answers Slack did not take at once
(bot.slack.outbox). Each is woken at once when this process gives it work, and polls for work the other
processes left."""

import logging
import threading
import time
from collections.abc import Callable, Collection
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.slack.outbox import Outbox
from store import deliveries, jobs, outbox

log = logging.getLogger(__name__)

HOUSEKEEPING_EVERY = 3600.0
HEARTBEAT_EVERY = 10.0
"""Seconds between a running job's heartbeats; jobs.STALE_AFTER allows for a few missed ones."""


class PollingLoop(threading.Thread):
    def __init__(self, name: str, poll: float) -> None:
        super().__init__(name=name, daemon=True)
        self.poll = poll
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._housekept = 0.0

    def wake(self) -> None:
        self._wake.set()

    @property
    def died(self) -> bool:
        """Started, and ended without being stopped (what `run` does not catch, a SystemExit, ended it)."""
        return self.ident is not None and not self.is_alive() and not self._stopped.is_set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopped.set()
        self._wake.set()
        if self.is_alive():
            self.join(timeout)

    def run(self) -> None:
        while not self._stopped.is_set():
            try:
                worked = self.run_one()
                self._housekeeping()
            except Exception:  # the database may be away for a while; keep the thread alive
                log.exception("%s: cannot reach the database", self.name)
                worked = False
            if not worked:
                self._wake.wait(self.poll)
                self._wake.clear()

    def run_one(self) -> bool:
        """Do one piece of work; whether there was any."""
        raise NotImplementedError

    def housekeeping(self) -> None:
        """Forget old finished work (once an hour)."""

    def _housekeeping(self) -> None:
        now = time.monotonic()
        if self._housekept and now - self._housekept < HOUSEKEEPING_EVERY:
            return
        self._housekept = now
        self.housekeeping()


class JobWorker(PollingLoop):
    def __init__(
        self,
        sessions: sessionmaker[Session],
        handle: Callable[[jobs.ClaimedJob], str],
        *,
        poll: float = 2.0,
        stale_after: timedelta = jobs.STALE_AFTER,
        heartbeat: float = HEARTBEAT_EVERY,
        forget: tuple[str, ...] = (),
        kinds: Collection[str] | None = None,
        report: jobs.Report | None = None,
        remind: Callable[[], object] | None = None,
    ) -> None:
        """`forget`: the delivery sources (store.deliveries) whose old records the worker clears out.
        `kinds`: the kinds of job `handle` can run (None: any). `report`: tells the user of a job given
        up after its processes died MAX_ATTEMPTS times. `remind`: sends the reminders that are due
        (claimed in the database, so each goes out from one process), on every poll."""
        super().__init__("crm-jobs", poll)
        self.sessions = sessions
        self.handle = handle
        self.stale_after = stale_after
        self.heartbeat = heartbeat
        self.forget = forget
        self.kinds = kinds
        self.report = report
        self.remind = remind

    def run_one(self) -> bool:
        if self.remind is not None:
            self.remind()
        job = jobs.claim(self.sessions, stale_after=self.stale_after, kinds=self.kinds, report=self.report)
        if job is None:
            return False
        beating = Heartbeat(self.sessions, job, self.heartbeat)
        beating.start()
        try:
            result = self.handle(job)
        except Exception:
            log.exception("job %s (%s) failed", job.id, job.kind)
            jobs.finish(self.sessions, job, "failed", failed=True)
        else:
            if not jobs.finish(self.sessions, job, result):
                log.warning("job %s finished after another process had taken it over", job.id)
        finally:
            beating.stop()
        return True

    def housekeeping(self) -> None:
        # Slack retries an event within the hour; a day is ample.
        for source in self.forget:
            deliveries.purge(self.sessions, source, timedelta(days=1))
        jobs.purge(self.sessions, timedelta(days=7))


class Heartbeat(threading.Thread):
    """Renews a running job's heartbeat from beside the thread that runs it, until stopped."""

    def __init__(self, sessions: sessionmaker[Session], job: jobs.ClaimedJob, every: float) -> None:
        super().__init__(name=f"crm-job-{job.id}-heartbeat", daemon=True)
        self.sessions = sessions
        self.job = job
        self.every = every
        self._stopped = threading.Event()

    def stop(self) -> None:
        self._stopped.set()
        self.join(5.0)

    def run(self) -> None:
        while not self._stopped.wait(self.every):
            try:
                if not jobs.heartbeat(self.sessions, self.job):
                    log.warning("job %s was taken over by another process", self.job.id)
                    return
            except Exception:  # the next beat may get through; three missed ones lose the job
                log.exception("job %s: heartbeat failed", self.job.id)


class OutboxWorker(PollingLoop):
    def __init__(self, box: Outbox, *, poll: float = 1.0) -> None:
        super().__init__("crm-outbox", poll)
        self.box = box
        box.wake_worker = self.wake

    def run_one(self) -> bool:
        return self.box.deliver_due()

    def housekeeping(self) -> None:
        # Delivered answers are kept a day, for whoever looks into a complaint; notices until dismissed.
        outbox.purge(self.box.sessions, timedelta(days=1))
