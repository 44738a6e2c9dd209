"""How often and how lately each user ran each action ("frecency"), which Tell Me uses to break near-ties."""

import math
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.db import dialect_insert
from store.models import ActionUse
from store.types import utcnow

HALF_LIFE_DAYS = 14.0


def record_use(
    session: Session, team_id: str, user_id: str, action_id: str, at: datetime | None = None
) -> None:
    statement = dialect_insert(session)(ActionUse).values(
        team_id=team_id, user_id=user_id, action_id=action_id, uses=1, last_used_at=at or utcnow()
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["team_id", "user_id", "action_id"],
            set_={"uses": ActionUse.uses + 1, "last_used_at": statement.excluded.last_used_at},
        )
    )


def count_use(sessions: sessionmaker[Session], team_id: str, user_id: str, action_id: str) -> None:
    """One use of an action, in a short transaction of its own."""
    with sessions.begin() as session:
        record_use(session, team_id, user_id, action_id)


def frecency_scores(
    session: Session, team_id: str, user_id: str, now: datetime | None = None
) -> dict[str, float]:
    """Per action, 0 to 1: 1 for the user's most frecent action. Uses count logarithmically and fade
    with a two-week half-life, so a habit from last year yields to this week's work."""
    now = now or utcnow()
    rows = session.execute(
        select(ActionUse.action_id, ActionUse.uses, ActionUse.last_used_at).where(
            ActionUse.team_id == team_id, ActionUse.user_id == user_id
        )
    ).all()
    raw = {}
    for action_id, uses, last_used_at in rows:
        age_days = max(0.0, (now - last_used_at).total_seconds() / 86400.0)
        raw[action_id] = math.log2(1 + uses) * 0.5 ** (age_days / HALF_LIFE_DAYS)
    top = max(raw.values(), default=0.0)
    return {action_id: value / top for action_id, value in raw.items()} if top > 0 else {}
