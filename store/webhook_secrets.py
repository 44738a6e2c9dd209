"""Each workspace signs its document webhook requests with a secret of its own, created and rotated by an
admin. A rotation keeps the secret it replaces valid for GRACE, so a sender can switch over without losing
a delivery; `at_once` ends it at once instead (for a secret that leaked).

Secrets are stored as given, not hashed: checking an HMAC signature needs the secret itself (the Slack
installation store keeps bot tokens the same way)."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, delete, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from store import audit
from store.models import Base, TeamId
from store.numbering import reserve
from store.types import UtcDateTime, utcnow
from store.workspaces import ensure_workspace


class WebhookSecret(Base):
    """A workspace's secret for signing document webhook requests, kept as given: the HMAC needs it, as
    the Slack installation store needs its tokens. The current one has no `valid_until`; one that a
    rotation replaced stays valid until then."""

    __tablename__ = "webhook_secrets"

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    secret: Mapped[str] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    valid_until: Mapped[datetime | None] = mapped_column(UtcDateTime)


GRACE = timedelta(hours=24)
SERIES = "webhook-secret"


@dataclass(frozen=True)
class IssuedSecret:
    secret: str
    created: bool
    """False when the workspace's current secret is shown again."""
    previous_valid_until: datetime | None = None
    """When the secret a rotation replaced stops being accepted (None: there was none)."""


def webhook_secret(session: Session, team_id: str, user_id: str) -> IssuedSecret:
    """The workspace's current secret, created on first asking."""
    current = _current(session, team_id)
    if current is not None:
        return IssuedSecret(current.secret, created=False)
    no = _reserve(session, team_id)
    current = _current(session, team_id)  # another admin may have created it while we waited for the lock
    if current is not None:
        return IssuedSecret(current.secret, created=False)
    secret = _add(session, team_id, user_id, no)
    audit.record(session, team_id, user_id, "webhook_secret")
    return IssuedSecret(secret, created=True)


def rotate_webhook_secret(
    session: Session, team_id: str, user_id: str, *, at_once: bool = False, now: datetime | None = None
) -> IssuedSecret:
    """A new current secret. The one it replaces is accepted until now + GRACE; with `at_once` no earlier
    one is accepted any more, not even one still in its grace period."""
    now = now or utcnow()
    no = _reserve(session, team_id)
    mine = WebhookSecret.team_id == team_id
    until: datetime | None = None
    if at_once:
        session.execute(delete(WebhookSecret).where(mine))
    else:
        session.execute(delete(WebhookSecret).where(mine, WebhookSecret.valid_until <= now))
        replaced = session.execute(
            update(WebhookSecret)
            .where(mine, WebhookSecret.valid_until.is_(None))
            .values(valid_until=now + GRACE)
        ).rowcount
        until = now + GRACE if replaced else None
    secret = _add(session, team_id, user_id, no, now=now)
    audit.record(session, team_id, user_id, "rotate_webhook_secret", at_once=at_once)
    return IssuedSecret(secret, created=True, previous_valid_until=until)


def signing_secrets(session: Session, team_id: str, now: datetime | None = None) -> list[str]:
    """The secrets a request for the workspace may be signed with: the current one, and any a rotation
    replaced that is still in its grace period."""
    now = now or utcnow()
    query = select(WebhookSecret.secret).where(
        WebhookSecret.team_id == team_id,
        or_(WebhookSecret.valid_until.is_(None), WebhookSecret.valid_until > now),
    )
    return list(session.scalars(query.order_by(WebhookSecret.no.desc())))


def _current(session: Session, team_id: str) -> WebhookSecret | None:
    query = select(WebhookSecret).where(WebhookSecret.team_id == team_id, WebhookSecret.valid_until.is_(None))
    return session.scalars(query.order_by(WebhookSecret.no.desc()).limit(1)).first()


def _reserve(session: Session, team_id: str) -> int:
    """The next number; it also locks the workspace's series, so rotations one after the other."""
    ensure_workspace(session, team_id)
    return reserve(session, team_id, SERIES, in_use=WebhookSecret.no)


def _add(session: Session, team_id: str, user_id: str, no: int, *, now: datetime | None = None) -> str:
    secret = "whsec_" + secrets.token_urlsafe(32)
    session.add(
        WebhookSecret(team_id=team_id, no=no, secret=secret, created_by=user_id, created_at=now or utcnow())
    )
    session.flush()
    return secret
