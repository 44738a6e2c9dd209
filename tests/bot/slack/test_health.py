"""/healthz asks what serving needs: the tables a request writes can be written without waiting, and the
process's background threads run. It answers 503 with a one-line reason, within a deadline, and 200
again once the cause is gone."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.health import Health
from store.db import make_engine, reading, session_factory
from store.models import InteractionLogEntry
from tests.slack_requests import Slack, get

FAST = 2.0
"""Seconds /healthz may take to say it cannot serve (its lock wait is 1 s, its deadline 1.5 s)."""


@contextmanager
def log_table_locked(engine: Engine, team: str) -> Iterator[None]:
    """Another transaction holds what a write to the log table needs: on PostgreSQL a table lock that
    lets readers in and keeps writers out; on SQLite the database's one write lock."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("LOCK TABLE interaction_log_entries IN EXCLUSIVE MODE")
        else:  # the first statement takes the write lock (BEGIN IMMEDIATE, see store.db)
            entries = update(InteractionLogEntry).where(InteractionLogEntry.team_id == team)
            connection.execute(entries.values(canceled=True))
        try:
            yield
        finally:
            connection.rollback()


def timed_health(slack: Slack) -> tuple[int, str, float]:
    started = time.monotonic()
    response = get(slack.url + "/healthz")
    return response.status, response.text, time.monotonic() - started


def test_health_fails_fast_while_the_log_table_is_locked_and_recovers(
    slack: Slack, sessions: sessionmaker[Session], engine: Engine
) -> None:
    assert timed_health(slack)[:2] == (200, "ok\n")
    with log_table_locked(engine, slack.team):
        with reading(sessions) as session:  # what `SELECT 1` saw: the database answers reads
            session.scalar(select(func.count()).select_from(InteractionLogEntry))
        status, text, took = timed_health(slack)
        assert status == 503 and took < FAST, (status, text, took)
        assert text == "cannot write interaction_log_entries within 1 s: it is locked\n"
        assert timed_health(slack)[0] == 503  # and again: the check does not get stuck
    status, text, took = timed_health(slack)
    assert (status, text) == (200, "ok\n") and took < FAST


def test_health_answers_at_its_deadline_when_no_connection_comes(database_url: str) -> None:
    """Every pooled connection is taken (and the pool would make a new caller wait 30 s)."""
    engine = make_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=30)
    checks = Health(session_factory(engine), deadline=0.5)
    held = engine.connect()
    try:
        for _ in range(2):  # a second request waits on the stuck check rather than starting another
            started = time.monotonic()
            assert checks.problem() == "the database did not answer within 0.5 s"
            assert time.monotonic() - started < 1.5
        assert len([t for t in threading.enumerate() if t.name == "crm-health"]) == 1
    finally:
        held.close()
    deadline = time.monotonic() + 35
    while (problem := checks.problem()) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert problem is None
    engine.dispose()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_health_fails_when_a_background_thread_of_the_process_stopped(slack: Slack) -> None:
    runtime = slack.server.bot.runtime

    def crash() -> Any:
        raise SystemExit  # what the loop's own guard does not catch

    runtime.worker.run_one = crash  # type: ignore[method-assign]
    runtime.worker.wake()
    runtime.worker.join(5)
    response = get(slack.url + "/healthz")
    assert (response.status, response.text) == (503, "job worker stopped\n")
