import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import AuditEvent


def record(session: Session, team_id: str, user_id: str, action: str, **details: Any) -> None:
    session.add(
        AuditEvent(team_id=team_id, user_id=user_id, action=action, details=json.dumps(details, default=str))
    )


def recent(session: Session, team_id: str, limit: int = 50) -> list[AuditEvent]:
    query = (
        select(AuditEvent).where(AuditEvent.team_id == team_id).order_by(AuditEvent.id.desc()).limit(limit)
    )
    return list(session.scalars(query))
