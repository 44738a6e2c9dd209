"""Deliveries already handled, so a retried delivery (a Slack event, a double-clicked button, a resent
webhook) does its work only once. The first caller to record a key wins; the others are told to skip."""

from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, update
from sqlalchemy.orm import Session, sessionmaker

from store.db import dialect_insert
from store.models import ProcessedEvent
from store.types import utcnow


def claim(
    sessions: sessionmaker[Session],
    source: str,
    event_id: str,
    team_id: str,
    *,
    within: timedelta | None = None,
) -> bool:
    """True if this delivery is new and the caller should do the work. With `within`, a key last seen
    longer ago than that counts as new again (a button clicked twice a minute apart is two clicks)."""
    now = utcnow()
    with sessions.begin() as session:
        if first_delivery(session, source, event_id, team_id):
            return True
        if within is None:
            return False
        # The WHERE re-checks the age, so of two concurrent callers only one renews the row.
        renewed = session.execute(
            update(ProcessedEvent)
            .where(
                ProcessedEvent.source == source,
                ProcessedEvent.event_id == event_id[:100],
                ProcessedEvent.received_at < now - within,
            )
            .values(received_at=now)
            .returning(ProcessedEvent.event_id)
        ).first()
        return renewed is not None


def purge(sessions: sessionmaker[Session], source: str, older_than: timedelta) -> int:
    """Forget a source's deliveries older than any retry of it can be."""
    with sessions.begin() as session:
        result = session.execute(
            delete(ProcessedEvent).where(
                ProcessedEvent.source == source, ProcessedEvent.received_at < utcnow() - older_than
            )
        )
        return result.rowcount


def first_delivery(session: Session, source: str, key: str, team_id: str) -> bool:
    """Within the caller's transaction: True for the first delivery of `key`, False for any repeat. On
    PostgreSQL a concurrent copy waits on the primary key for the first one's transaction to end."""
    values = {"source": source, "event_id": key[:100], "team_id": team_id[:32], "received_at": utcnow()}
    return session.execute(_first(dialect_insert(session)), values).first() is not None


@cache
def _first(insert: Any) -> Any:
    """Built once for each database's INSERT (every click and event comes through here)."""
    table = ProcessedEvent.__table__
    return (
        insert(table)
        .values(
            {name: bindparam(name) for name in ("source", "event_id", "team_id", "received_at")}
            | {"result": ""}
        )
        .on_conflict_do_nothing(index_elements=["source", "event_id"])
        .returning(table.c.event_id)
    )
