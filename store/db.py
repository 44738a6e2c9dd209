"""Engine and session setup. `DATABASE_URL` picks the database; the default is `crm.db` (SQLite) in the
current folder, in WAL mode with foreign keys enforced."""

import logging
import os
import threading
import time
import uuid
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

try:
    import fcntl
except ImportError:  # Windows: processes meet SQLite's own wait
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

DEFAULT_URL = "sqlite:///crm.db"
READ_ONLY = "crm_read_only"
"""A connection's option on SQLite: its transaction begins deferred (BEGIN), never waiting for the writers."""
EACH_STATEMENT = "crm_each_statement"
"""A connection's option on SQLite: no transaction is begun, each statement is one (see `reading`)."""
T = TypeVar("T")
SQLITE_BUSY_SECONDS = 30
"""How long an SQLite writer waits for the write lock before "database is locked"."""
CONNECT_SECONDS = 10
"""How long connecting to PostgreSQL may take: a host that drops packets answers "unreachable" after
this, rather than after the system's TCP timeout (two minutes)."""
IDLE_PING_SECONDS = 10.0
"""A PostgreSQL connection left in the pool longer than this is tried before it is handed out."""
NO_SYNC = {"synchronize_session": False}
"""For an UPDATE or DELETE of many rows: the session's objects are not looked up and kept in step (the
callers load none of the rows they change)."""
IN_LIST = 1000
"""Values per IN (...) list: far below every database's limit on bound parameters (65,535 on PostgreSQL)."""


def database_url() -> str:
    return normalized_url(os.environ.get("DATABASE_URL") or DEFAULT_URL)


def normalized_url(url: str) -> str:
    """Let people paste the URL their hosting gives them; we talk to PostgreSQL through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    url = normalized_url(url) if url else database_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS}, **kwargs)
        turn = _WriterTurn(make_url(url).database)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", turn.begin)
        turn.follow(engine.dialect)
        event.listen(engine, "checkin", turn.given_back)
        event.listen(engine, "invalidate", turn.given_back)
        return engine
    given = make_url(url).query
    connect = {} if "connect_timeout" in given else {"connect_timeout": CONNECT_SECONDS}
    engine = create_engine(url, connect_args=connect, **kwargs)
    event.listen(engine, "checkin", _note_checkin)
    event.listen(engine, "checkout", _ping_if_idle)
    return engine


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """A connection back from the pool after IDLE_PING_SECONDS may have been closed by the server (a
    restart, an idle timeout): it is tried first, and replaced if it does not answer. A ping on every
    checkout (pool_pre_ping) was a round trip per checkout; a connection that breaks while in steady use
    is found by the statement that fails, and SQLAlchemy then replaces every connection of the pool."""
    since = record.info.get("checked_in")
    if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()
    except Exception as failure:
        raise DisconnectionError(f"an idle connection no longer answers: {failure}") from failure


class _WriterTurn:
    """A transaction that reads and then writes fails at once with "database is locked" when another
    writer committed in between, so writers take SQLite's write lock up front (BEGIN IMMEDIATE). Readers
    (see `reading`) don't: in WAL mode they go on while a writer works.

    Writers wait for their turn here before asking SQLite, whose own wait sleeps 1, 2, 5 … 100 ms between
    looks: under load a writer slept long after the lock was free (p90 of 130 ms, up to 1.6 s, for locks
    held a few milliseconds). The writers of one process wait on a lock; processes on one file (the
    workers of `crm serve`, a command-line import) on an advisory lock of a file beside it (flock), a wait
    in the kernel that wakes as soon as the lock is let go, and that the kernel lets go of by itself when a
    process dies. Neither lock keeps waiters in order. A turn ends once COMMIT or ROLLBACK has run (the
    dialect's own calls, wrapped by `follow`): SQLAlchemy's commit and rollback events come before them,
    when the next writer's BEGIN IMMEDIATE would still meet SQLite's lock."""

    def __init__(self, database: str | None) -> None:
        self.lock = threading.Lock()
        self.holder: object | None = None
        self.file = _lock_file(database)
        self.file_held = False
        if self.file is not None:
            weakref.finalize(self, os.close, self.file)  # with the engine that holds this turn

    def follow(self, dialect: Any) -> None:
        commit, rollback = dialect.do_commit, dialect.do_rollback

        def do_commit(dbapi_connection: Any) -> None:
            try:
                commit(dbapi_connection)
            finally:
                self.given_back(dbapi_connection)

        def do_rollback(dbapi_connection: Any) -> None:
            try:
                rollback(dbapi_connection)
            finally:
                self.given_back(dbapi_connection)

        dialect.do_commit, dialect.do_rollback = do_commit, do_rollback

    def begin(self, connection: Connection) -> None:
        options = connection.get_execution_options()
        if options.get(EACH_STATEMENT, False):
            return  # each statement reads in a transaction of its own (see `reading`)
        if options.get(READ_ONLY, False):
            connection.exec_driver_sql("BEGIN")
            return
        if not self.lock.acquire(timeout=SQLITE_BUSY_SECONDS):
            raise _locked()
        self.holder = connection.connection.dbapi_connection
        try:
            if self.file is not None:
                fcntl.flock(self.file, fcntl.LOCK_EX)  # the GIL is let go while the kernel waits
                self.file_held = True
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self._release(self.holder)
            raise

    def given_back(self, dbapi_connection: Any, *_: Any) -> None:
        """A connection that committed, rolled back, or was given back or broken without either: its
        turn ends."""
        self._release(getattr(dbapi_connection, "dbapi_connection", dbapi_connection))

    def _release(self, dbapi_connection: Any) -> None:
        if dbapi_connection is not None and self.holder is dbapi_connection:
            self.holder = None
            try:
                if self.file_held:
                    self.file_held = False
                    fcntl.flock(self.file, fcntl.LOCK_UN)
            finally:
                self.lock.release()


def _lock_file(database: str | None) -> int | None:
    """The lock file of the writers of `database`; None for an in-memory database, where there is no
    fcntl (Windows: SQLite's own wait), or where it cannot be opened (they meet SQLite's wait then)."""
    if not database or database == ":memory:" or fcntl is None:
        return None
    try:
        return os.open(f"{database}-writers", os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as failure:
        log.warning("SQLite writers of several processes will meet SQLite's own wait: %s", failure)
        return None


def _locked() -> OperationalError:
    return OperationalError("BEGIN IMMEDIATE", None, Exception("database is locked"))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, see make_engine
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Statistics from a sample of each index (a few milliseconds) rather than a full scan.
    cursor.execute("PRAGMA analysis_limit=400")
    cursor.close()


def refresh_statistics(session: Session) -> None:
    """Let SQLite's query planner know the tables' current shape (PostgreSQL's autovacuum does this by
    itself). Without statistics SQLite guesses, and can skip the index that fits a filter (by document,
    say) to walk the whole log instead; it is cheap when nothing changed much."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA optimize"))


def refresh_table_statistics(session: Session, *tables: str) -> None:
    """After bulk work on these tables: PostgreSQL's autovacuum sees it only later, and the next statement
    (a segment step right after another) would be planned for the old size, as a nested loop over what
    are now 100,000 rows."""
    if session.get_bind().dialect.name == "postgresql":
        for table in tables:
            session.execute(text(f"ANALYZE {table}"))
    else:
        refresh_statistics(session)


def analyze(session: Session, model: Any) -> None:
    """Have PostgreSQL count a table now, within the caller's transaction (its own new rows included),
    rather than when autovacuum gets to it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"ANALYZE {model.__tablename__}"))


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def reading(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session that only reads, without a transaction of its own: each statement sees its own snapshot,
    as under PostgreSQL's READ COMMITTED, and no BEGIN and ROLLBACK are spent on it (on PostgreSQL a
    round trip each). On SQLite it never waits for (or blocks) a writer."""
    with sessions() as session:
        options: dict[str, Any] = {READ_ONLY: True, EACH_STATEMENT: True}
        if session.get_bind().dialect.name == "postgresql":
            options["isolation_level"] = "AUTOCOMMIT"
        session.connection(execution_options=options)
        yield session


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commits when the block ends, rolls back if it raises."""
    with sessions.begin() as session:
        yield session


def chunks(values: Sequence[T], size: int | None = None) -> Iterator[Sequence[T]]:
    """The values in slices of `size` (IN_LIST unless given)."""
    size = size or IN_LIST
    for start in range(0, len(values), size):
        yield values[start : start + size]


def dialect_insert(session: Session) -> Any:
    """`insert` of the session's database, which knows ON CONFLICT: PostgreSQL's, else SQLite's."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


@contextmanager
def postgres_schema(given: str, prefix: str = "crm_test") -> Iterator[str]:
    """The URL of a new, empty schema in the PostgreSQL database `given` names (a test run's, a
    benchmark's), dropped afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(given)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in given else "?"
    try:
        yield f"{given}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()
