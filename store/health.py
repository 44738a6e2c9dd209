"""Whether the database can serve requests now: every table a request reads or writes can be read, and
could be written without waiting, within a short timeout. A locked table (a migration, a bulk job holding
a table lock, a stuck transaction on SQLite's one write lock) or a read-only database makes requests hang
or fail while `SELECT 1` still answers, so that is not what is asked.

Nothing is written: each table gets an UPDATE that matches no row, which still takes the lock a write
takes (PostgreSQL's ROW EXCLUSIVE on the table, SQLite's write lock on the database) and is refused by a
read-only database. PostgreSQL waits at most `seconds` for a lock (lock_timeout, and twice that for any
statement); SQLite's busy timeout is cut to `seconds` for the check and put back after."""

from sqlalchemy import Engine, false, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from store.db import READ_ONLY, SQLITE_BUSY_SECONDS
from store.models import Contact, InteractionLogEntry, Job, NumberSeries, ProcessedEvent
from store.outbox import OutboxMessage

SERVING_TABLES = (InteractionLogEntry, NumberSeries, Contact, ProcessedEvent, OutboxMessage, Job)
"""What a request touches: the log, its numbers, contacts, de-duplicated deliveries, answers, jobs."""
LOCKED = ("lock", "timeout", "canceling statement")


def serving_problem(sessions: sessionmaker[Session], seconds: float = 1.0) -> str | None:
    """Why requests could not be served now (one line), or None when they could."""
    engine: Engine = sessions.kw["bind"]
    sqlite = engine.dialect.name == "sqlite"
    milliseconds = max(1, round(seconds * 1000))
    with engine.connect() as connection:
        # A deferred BEGIN on SQLite: the busy timeout is cut before the write lock is asked for.
        connection = connection.execution_options(**{READ_ONLY: True})
        transaction = connection.begin()
        try:
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {milliseconds}")
            else:
                connection.execute(text(f"SET LOCAL lock_timeout = {milliseconds}"))
                connection.execute(text(f"SET LOCAL statement_timeout = {2 * milliseconds}"))
            for model in SERVING_TABLES:
                table = model.__table__
                key = next(iter(table.primary_key.columns))
                # Writing first: on SQLite a transaction that has read cannot wait for the write lock
                # (another writer's commit since its read fails it at once), one that writes first can.
                doing = "write"
                try:
                    connection.execute(update(table).where(false()).values({key.name: key}))
                    doing = "read"
                    connection.execute(select(key).limit(1))
                except DBAPIError as failure:
                    return _reason(table.name, doing, failure, seconds)
        finally:
            transaction.rollback()
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_SECONDS * 1000}")
    return None


def _reason(table: str, doing: str, failure: DBAPIError, seconds: float) -> str:
    said = str(failure.orig).strip().splitlines()[0] if str(failure.orig).strip() else type(failure).__name__
    if any(word in said.lower() for word in LOCKED):
        return f"cannot {doing} {table} within {seconds:g} s: it is locked"
    return f"cannot {doing} {table}: {said[:120]}"
