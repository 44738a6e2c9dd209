"""GET /healthz: 200 "ok" when this process can serve, else 503 with a one-line reason, always within
DEADLINE seconds. Serving needs the database to read and write the tables requests touch without waiting
on a lock (store.health), and this process's background threads (the job worker, the outbox sender) to be
running. The database is asked from a thread of its own, so a check stuck in connecting or waiting for a
pooled connection answers 503 at the deadline; requests that come while it is stuck wait on the same check
instead of starting more."""

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from sqlalchemy.orm import Session, sessionmaker

from store.health import serving_problem

log = logging.getLogger(__name__)

LOCK_SECONDS = 1.0
"""How long the check waits for a table's lock: a request that would wait longer is not being served."""
DEADLINE = 1.5


class Health:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        stopped_threads: Callable[[], list[str]] = list,
        *,
        lock_seconds: float = LOCK_SECONDS,
        deadline: float = DEADLINE,
    ) -> None:
        self.sessions = sessions
        self.stopped_threads = stopped_threads
        self.lock_seconds = lock_seconds
        self.deadline = deadline
        self._lock = threading.Lock()
        self._check: Future[str | None] | None = None

    def problem(self) -> str | None:
        stopped = self.stopped_threads()
        if stopped:
            return f"{', '.join(stopped)} stopped"
        with self._lock:
            if self._check is None or self._check.done():
                self._check = Future()
                threading.Thread(
                    target=self._run, args=(self._check,), name="crm-health", daemon=True
                ).start()
            check = self._check
        try:
            return check.result(timeout=self.deadline)
        except FutureTimeout:
            return f"the database did not answer within {self.deadline:g} s"

    def _run(self, check: "Future[str | None]") -> None:
        try:
            problem = serving_problem(self.sessions, self.lock_seconds)
        except Exception as failure:
            log.warning("health check: the database is unreachable: %s", _first_line(failure))
            problem = "database unreachable"
        else:
            if problem is not None:
                log.warning("health check: %s", problem)
        check.set_result(problem)


def _first_line(failure: BaseException) -> str:
    said = str(getattr(failure, "orig", None) or failure).strip()
    return said.splitlines()[0] if said else type(failure).__name__
