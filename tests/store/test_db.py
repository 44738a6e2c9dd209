"""Which database a URL names, whatever form the hosting gives it in; how writers of one process take
their turns on SQLite."""

import fcntl
import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import event, text

from store.db import make_engine, normalized_url, reading, session_factory


def test_a_postgres_url_as_hosting_gives_it_is_served_by_psycopg() -> None:
    for given in ("postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg://u@h/db"):
        assert normalized_url(given) == "postgresql+psycopg://u@h/db"
    assert normalized_url("sqlite:///crm.db") == "sqlite:///crm.db"


@pytest.fixture
def sqlite_sessions(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE counter (n INTEGER)")
        connection.exec_driver_sql("INSERT INTO counter VALUES (0)")
    yield session_factory(engine)
    engine.dispose()


def _count(sessions) -> int:
    with reading(sessions) as session:
        return session.execute(text("SELECT n FROM counter")).scalar_one()


def test_writers_of_one_process_each_get_their_turn_and_lose_nothing(sqlite_sessions) -> None:
    def add(times: int) -> None:
        for _ in range(times):
            with sqlite_sessions.begin() as session:
                n = session.execute(text("SELECT n FROM counter")).scalar_one()
                session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})

    threads = [threading.Thread(target=add, args=(50,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert _count(sqlite_sessions) == 400


def test_a_reader_spends_no_begin_and_each_statement_sees_the_latest_commit(sqlite_sessions) -> None:
    engine = sqlite_sessions.kw["bind"]
    sent: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, statement, *_: sent.append(statement))
    with reading(sqlite_sessions) as session:
        assert session.execute(text("SELECT n FROM counter")).scalar_one() == 0
        with sqlite_sessions.begin() as writer:
            writer.execute(text("UPDATE counter SET n = 3"))
        assert session.execute(text("SELECT n FROM counter")).scalar_one() == 3
    reads = "SELECT n FROM counter"
    assert sent == [reads, "BEGIN IMMEDIATE", "UPDATE counter SET n = 3", reads]  # the writer's BEGIN alone


def test_a_reader_goes_on_while_a_writer_holds_its_turn(sqlite_sessions) -> None:
    with sqlite_sessions.begin() as writer:
        writer.execute(text("UPDATE counter SET n = 5"))
        assert _count(sqlite_sessions) == 0, "the reader sees the last committed state, at once"
    assert _count(sqlite_sessions) == 5


def test_a_writer_that_failed_or_whose_connection_broke_gives_up_its_turn(sqlite_sessions) -> None:
    with pytest.raises(RuntimeError), sqlite_sessions.begin() as session:
        session.execute(text("UPDATE counter SET n = 1"))
        raise RuntimeError("the work failed")
    connection = sqlite_sessions.kw["bind"].connect()
    broken = connection.begin()
    connection.execute(text("UPDATE counter SET n = 2"))
    connection.invalidate()
    broken.rollback()
    connection.close()
    done = threading.Event()

    def write() -> None:
        with sqlite_sessions.begin() as session:
            session.execute(text("UPDATE counter SET n = 3"))
        done.set()

    threading.Thread(target=write, daemon=True).start()
    assert done.wait(10), "the next writer did not get its turn"
    assert _count(sqlite_sessions) == 3


def _impatient(engine) -> None:
    """SQLite answers "database is locked" at once instead of waiting: a writer that meets the lock
    failed to wait for its turn."""
    event.listen(
        engine, "connect", lambda dbapi_connection, _: dbapi_connection.execute("PRAGMA busy_timeout=0")
    )


def test_writers_of_two_processes_on_one_file_never_meet_the_database_locked(
    sqlite_sessions, tmp_path: Path
) -> None:
    """A second engine on the same file stands for another process (`crm serve`'s other worker). With
    SQLite's own wait turned off, a writer that asked SQLite before the previous one had committed would
    fail at once."""
    here = sqlite_sessions.kw["bind"]
    here.dispose()
    _impatient(here)
    other_engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    _impatient(other_engine)
    other = session_factory(other_engine)
    failures: list[Exception] = []

    def add(sessions, times: int) -> None:
        for _ in range(times):
            try:
                with sessions.begin() as session:
                    n = session.execute(text("SELECT n FROM counter")).scalar_one()
                    session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
            except Exception as failure:
                failures.append(failure)

    threads = [threading.Thread(target=add, args=(s, 100)) for s in (sqlite_sessions, other) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == [] and _count(sqlite_sessions) == 400
    other_engine.dispose()


def test_a_writer_waits_while_another_process_holds_the_writers_lock(sqlite_sessions, tmp_path: Path) -> None:
    with sqlite_sessions.begin() as session:  # the lock file exists once a writer has written
        session.execute(text("UPDATE counter SET n = 1"))
    holder = os.open(tmp_path / "turns.db-writers", os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)  # as another process's writer would
    done = threading.Event()

    def write() -> None:
        with sqlite_sessions.begin() as session:
            session.execute(text("UPDATE counter SET n = 2"))
        done.set()

    threading.Thread(target=write, daemon=True).start()
    try:
        assert not done.wait(0.5), "the writer went ahead while another process held the lock"
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
    assert done.wait(10), "the writer did not get its turn once the lock was let go"
    assert _count(sqlite_sessions) == 2


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"), reason="a PostgreSQL server's own"
)
def test_a_pooled_connection_the_server_closed_while_idle_is_replaced_unseen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = make_engine(os.environ["TEST_DATABASE_URL"], pool_size=1, max_overflow=0)
    with engine.connect() as connection:
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    killer = make_engine(os.environ["TEST_DATABASE_URL"])
    with killer.begin() as connection:
        connection.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
    killer.dispose()
    monkeypatch.setattr("store.db.IDLE_PING_SECONDS", 0.0)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() != pid
    engine.dispose()
