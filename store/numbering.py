"""Per-workspace number series. A new number is always above the highest one in use, even when rows
were added by other means, and two concurrent writers never get the same one: the series row is locked
(the UPDATE that hands the numbers out) before the highest number in use is read.

Bulk work (a segment logged, contacts imported, a segment's merged documents) reserves its numbers `apart`:
in a short transaction of its own, committed at once, so the series row is not held while the rows are
written and a single `/crm log` meanwhile gets the next number without waiting. If the bulk work then
fails, its numbers stay unused: a gap in the series, never a duplicate or a number used twice. (On SQLite
the caller's transaction already holds the database's one write lock, so the numbers are reserved inside
it: nothing else could write meanwhile anyway. That is why a segment is logged in chunks of short
transactions there, see store.segments.log_segment_in_chunks.)"""

from functools import cache

from sqlalchemy import ColumnElement, Engine, Update, bindparam, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from store.db import dialect_insert
from store.models import NumberSeries

HELD = "crm_series_held"
"""session.info key: the series rows the session's current transaction has locked."""


def reserve(
    session: Session,
    team_id: str,
    series: str,
    count: int = 1,
    *,
    in_use: InstrumentedAttribute[int] | None = None,
    apart: bool = False,
) -> int:
    """Reserve `count` consecutive numbers and return the first. `in_use` names the integer column whose
    highest value in the workspace must be stepped over (its model's rows belong to a workspace by
    `team_id`). `apart`: in a transaction of its own (see the module), where the database allows it."""
    bind = session.get_bind()
    held: dict[tuple[str, str], object] = session.info.setdefault(HELD, {})
    transaction = session.get_transaction()
    # A transaction that already locked the row itself would wait for itself: it reserves inside.
    mine = transaction is not None and held.get((team_id, series)) is transaction
    if apart and not mine and isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        with Session(bind) as own, own.begin():
            return reserve(own, team_id, series, count, in_use=in_use)
    values = {"series_team": team_id, "series_name": series, "series_count": count}
    step = _step(in_use, bind.dialect.name)
    reserved = session.execute(step, values).scalar()
    if reserved is None:  # the first number of a series needs its row first (another writer's is fine)
        session.execute(
            dialect_insert(session)(NumberSeries)
            .values(team_id=team_id, series=series, last_no=0)
            .on_conflict_do_nothing(index_elements=["team_id", "series"])
        )
        reserved = session.execute(step, values).scalar_one()
    held[(team_id, series)] = session.get_transaction()
    return reserved - count + 1


@cache
def _step(in_use: InstrumentedAttribute[int] | None, dialect: str) -> Update:
    """One statement, built once: the series row is locked, stepped over the highest number in use, and
    its new last number returned. Of Core columns only, so the ORM's bulk UPDATE machinery is skipped."""
    series = NumberSeries.__table__
    last: ColumnElement[int] = series.c.last_no
    if in_use is not None:
        used = in_use.class_.__table__.c
        highest = select(func.coalesce(func.max(used[in_use.key]), 0)).where(
            used.team_id == bindparam("series_team")
        )
        greatest = func.greatest if dialect == "postgresql" else func.max  # SQLite's max(a, b)
        last = greatest(last, highest.scalar_subquery())
    return (
        update(series)
        .where(series.c.team_id == bindparam("series_team"), series.c.series == bindparam("series_name"))
        .values(last_no=last + bindparam("series_count"))
        .returning(series.c.last_no)
    )
