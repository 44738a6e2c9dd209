"""Per-workspace number series. A new number is always above the highest one in use, even when rows
were added by other means, and two concurrent writers never get the same one: the series row is locked
(an UPDATE) before the highest number in use is read."""

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from store.db import dialect_insert
from store.models import NumberSeries


def reserve(
    session: Session,
    team_id: str,
    series: str,
    count: int = 1,
    *,
    in_use: tuple[InstrumentedAttribute[int], ColumnElement[bool]] | None = None,
) -> int:
    """Reserve `count` consecutive numbers and return the first. `in_use` names the integer column (and
    the filter selecting this workspace's rows) whose highest value must be stepped over."""
    insert = dialect_insert(session)
    session.execute(
        insert(NumberSeries)
        .values(team_id=team_id, series=series, last_no=0)
        .on_conflict_do_nothing(index_elements=["team_id", "series"])
    )
    key = (NumberSeries.team_id == team_id) & (NumberSeries.series == series)
    last = session.execute(
        update(NumberSeries).where(key).values(last_no=NumberSeries.last_no).returning(NumberSeries.last_no)
    ).scalar_one()
    if in_use is not None:
        column, scope = in_use
        highest = session.execute(select(func.max(column)).where(scope)).scalar() or 0
        last = max(last, highest)
    session.execute(update(NumberSeries).where(key).values(last_no=last + count))
    return last + 1
