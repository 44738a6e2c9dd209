"""Answers waiting to reach their users: every message sent after Slack was answered (a click's result, a
Tell Me answer in a thread, a background job's result, a file) is kept here until it is delivered, so an
outage or throttling of the chat service costs a delay, not the answer.

A message is claimed by one process at a time: FOR UPDATE SKIP LOCKED on PostgreSQL, SQLite's BEGIN
IMMEDIATE (see store.db) elsewhere, and in both a conditional UPDATE on the row's status, so two processes
never send the same message. Messages to one conversation go out in the order they were written (a
"Working on it…" before the result that replaces it). A claim that its process did not finish within the
lease (the process died) is taken again. After `give_up_at` the message is given up: the caller tells the
user another way, or leaves it as a notice for the user to read and dismiss."""

import hashlib
import json
import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    and_,
    bindparam,
    delete,
    exists,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column, sessionmaker

from store.models import Base, TeamId
from store.types import UtcDateTime, utcnow

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
GIVEN_UP = "given_up"
"""Not delivered, and the user was told so another way (a direct message)."""
UNDELIVERED = "undelivered"
"""Not delivered, and the user could not be told: a notice until they dismiss it."""
DISMISSED = "dismissed"
SUPERSEDED = "superseded"
"""Not sent: a newer message took its place before its turn came (an App Home view)."""
UNFINISHED = (PENDING, SENDING)
FINISHED = (SENT, GIVEN_UP, DISMISSED, SUPERSEDED)

SEND_LEASE = timedelta(seconds=45)
"""Longer than any one try of a message takes (at most three calls, each within its 5 s timeout): a claim
older than this belongs to a process that died while sending, so its answer goes out within a minute."""
FILE_LEASE = timedelta(minutes=3)
"""A file's try makes four calls, each within 30 s."""
ERROR_CHARS = 200


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index(None, "status", "next_attempt_at"),
        Index(None, "conversation", "id"),
        Index(None, "team_id", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(TeamId)
    user_id: Mapped[str] = mapped_column(String(50))
    enterprise_id: Mapped[str] = mapped_column(String(32), default="")
    destination: Mapped[str] = mapped_column(String(20))
    """How it goes out (the adapter's word: a response_url, a thread, an ephemeral message, a DM, a file)."""
    conversation: Mapped[str] = mapped_column(String(64))
    """Digest of where it goes; messages with the same one are delivered in order."""
    target: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    file: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    give_up_at: Mapped[datetime] = mapped_column(UtcDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    claim_token: Mapped[str] = mapped_column(String(32), default="")
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str] = mapped_column(String(ERROR_CHARS), default="")


@dataclass(frozen=True)
class Outgoing:
    """A message claimed for one try: only the holder of `claim_token` may mark it sent or retry it."""

    id: int
    team_id: str
    user_id: str
    enterprise_id: str
    destination: str
    target: dict[str, Any]
    body: dict[str, Any]
    file: bytes | None
    attempts: int
    give_up_at: datetime
    claim_token: str


@dataclass(frozen=True)
class Notice:
    id: int
    created_at: datetime
    body: dict[str, Any]
    last_error: str


@dataclass(frozen=True)
class Backoff:
    """Waits between tries: `first`, doubling up to `longest`, each shortened by up to a fifth at random
    so that messages failed together do not all come back at once."""

    first: timedelta = timedelta(seconds=1)
    longest: timedelta = timedelta(seconds=60)

    def after(self, attempts: int) -> timedelta:
        wait = min(self.first * 2 ** max(attempts - 1, 0), self.longest)
        return wait * (1 - random.random() / 5)


def conversation_of(team_id: str, *where: str) -> str:
    return hashlib.sha256("\x1f".join((team_id, *where)).encode()).hexdigest()[:64]


def put(sessions: sessionmaker[Session], *, send_now: bool = True, **message: Any) -> Outgoing | None:
    """Keep a message to deliver (`message`: the fields `put_in` takes), in a transaction of its own.
    With `send_now`, it comes back claimed for the caller to try at once, unless an earlier message to
    the same conversation is still on its way: then it waits its turn (None)."""
    with sessions.begin() as session:
        return put_in(session, send_now=send_now, **message)


def put_in(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    destination: str,
    conversation: str,
    target: dict[str, Any],
    body: dict[str, Any],
    give_up_after: timedelta,
    file: bytes | None = None,
    enterprise_id: str = "",
    send_now: bool = False,
    supersede: bool = False,
    as_of: datetime | None = None,
) -> Outgoing | None:
    """`put` within the caller's transaction (the message is kept only if the rest of its work is).
    `supersede`: earlier messages to the conversation still waiting for a try are dropped (the one being
    tried goes on), and this one waits as long as they were to (a Retry-After Slack asked for). `as_of`:
    when the message's content was read (default now); a superseding message read before one already
    written to the conversation is itself superseded at once (two App Home views built side by side: the
    one read last is the newest, whichever is written last)."""
    now = utcnow()
    as_of = as_of or now
    not_before = now
    stale = supersede and _newer_written(session, conversation, as_of)
    if supersede and not stale:
        waits = session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.conversation == conversation, OutboxMessage.status == PENDING)
            .values(status=SUPERSEDED, finished_at=now, file=None)
            .returning(OutboxMessage.next_attempt_at)
            .execution_options(synchronize_session=False)
        )
        not_before = max([now, *waits])
        send_now = send_now and not_before <= now
    if send_now and not stale:
        send_now = session.scalars(_EARLIER, {"conversation": conversation}).first() is None
    send_now = send_now and not stale
    values = {
        "team_id": team_id,
        "user_id": user_id,
        "enterprise_id": enterprise_id or "",
        "destination": destination,
        "conversation": conversation,
        "target": json.dumps(target),
        "body": json.dumps(body),
        "file": None if stale else file,
        "status": SUPERSEDED if stale else SENDING if send_now else PENDING,
        "attempts": 1 if send_now else 0,
        "created_at": as_of,
        "next_attempt_at": not_before,
        "give_up_at": now + give_up_after,
        "finished_at": now if stale else None,
        "claimed_at": now if send_now else None,
        "claim_token": uuid.uuid4().hex if send_now else "",
        "last_error": "",
    }
    # A Core INSERT: the row is not needed as an object, and the unit of work cost more than the insert.
    message_id = session.execute(_INSERT, values).scalar_one()
    if not send_now:
        return None
    return _outgoing(values | {"id": message_id})


_EARLIER = (
    select(OutboxMessage.id)
    .where(OutboxMessage.conversation == bindparam("conversation"), OutboxMessage.status.in_(UNFINISHED))
    .limit(1)
)
_INSERT = insert(OutboxMessage.__table__).returning(OutboxMessage.__table__.c.id)


def _newer_written(session: Session, conversation: str, as_of: datetime) -> bool:
    """Whether a message read after `as_of` was already written to the conversation (sent or not)."""
    newer = select(OutboxMessage.id).where(
        OutboxMessage.conversation == conversation,
        OutboxMessage.status.in_((*UNFINISHED, SENT)),
        OutboxMessage.created_at > as_of,
    )
    return session.scalars(newer.limit(1)).first() is not None


def claim(
    sessions: sessionmaker[Session], *, lease: timedelta = SEND_LEASE, file_lease: timedelta = FILE_LEASE
) -> Outgoing | None:
    """The message due longest ago, now claimed by the caller, or None. A message waits while an earlier
    one to its conversation is unfinished. A claim is taken over after `lease` (`file_lease` for a message
    with a file)."""
    now = utcnow()
    moments = {"now": now, "lapsed": now - lease, "file_lapsed": now - file_lease}
    token = uuid.uuid4().hex
    with sessions.begin() as session:
        found = session.scalars(_CANDIDATES, moments).first()
        if found is None:
            return None
        claimed = session.execute(_CLAIM, moments | {"found": found, "token": token}).first()
        if claimed is None:
            return None
        row = session.execute(_CLAIMED, {"found": found}).mappings().first()
        return None if row is None else _outgoing(row)


def _due() -> Any:
    """Pending and due, or sending under a claim that lapsed (its process died while sending)."""
    lapsed = or_(
        OutboxMessage.file.is_(None) & (OutboxMessage.claimed_at < bindparam("lapsed")),
        OutboxMessage.file.is_not(None) & (OutboxMessage.claimed_at < bindparam("file_lapsed")),
    )
    return or_(
        (OutboxMessage.status == PENDING) & (OutboxMessage.next_attempt_at <= bindparam("now")),
        (OutboxMessage.status == SENDING) & lapsed,
    )


_EARLIER_UNFINISHED = aliased(OutboxMessage)
_CANDIDATES = (
    select(OutboxMessage.id)
    .where(
        _due(),
        ~exists().where(
            _EARLIER_UNFINISHED.conversation == OutboxMessage.conversation,
            _EARLIER_UNFINISHED.id < OutboxMessage.id,
            _EARLIER_UNFINISHED.status.in_(UNFINISHED),
        ),
    )
    .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
    .limit(1)
    .with_for_update(skip_locked=True, of=OutboxMessage)
)
"""Polled by every process about once a second: built once."""
_CLAIMED = select(OutboxMessage.__table__).where(OutboxMessage.__table__.c.id == bindparam("found"))
_CLAIM = (
    update(OutboxMessage)
    .where(OutboxMessage.id == bindparam("found"), _due())
    .values(
        status=SENDING,
        claimed_at=bindparam("now"),
        claim_token=bindparam("token"),
        attempts=OutboxMessage.attempts + 1,
    )
    .returning(OutboxMessage.id)
    .execution_options(synchronize_session=False)
)


def _finish(sessions: sessionmaker[Session], message: Outgoing, **values: Any) -> bool:
    """False when the claim was lost (the try outlived its lease and another process took it)."""
    with sessions.begin() as session:
        owned = {"message_id": message.id, "owner_token": message.claim_token}
        return session.execute(_finishing(tuple(values)), owned | values).first() is not None


_OWNED = and_(
    OutboxMessage.__table__.c.id == bindparam("message_id"),
    OutboxMessage.__table__.c.status == SENDING,
    OutboxMessage.__table__.c.claim_token == bindparam("owner_token"),
)
"""The message being tried, while the claim is still its claimer's."""


@cache
def _finishing(names: tuple[str, ...]) -> Any:
    """The UPDATE that ends a try setting these columns, built once for each set of them."""
    table = OutboxMessage.__table__
    return (
        update(table)
        .where(_OWNED)
        .values(claim_token="", **{name: bindparam(name) for name in names})
        .returning(table.c.id)
    )


def sent(sessions: sessionmaker[Session], message: Outgoing) -> bool:
    return _finish(sessions, message, status=SENT, finished_at=utcnow(), last_error="", file=None)


def drop_if_newer(sessions: sessionmaker[Session], message: Outgoing) -> bool:
    """For a message only the newest of which matters (a superseding one, see `put_in`): end a try that
    failed as superseded when a newer message to its conversation was written meanwhile (the one being
    tried goes on, so it was not dropped then). Whether it was."""
    with sessions.begin() as session:
        owned = {"message_id": message.id, "owner_token": message.claim_token, "now": utcnow()}
        return session.execute(_DROP_IF_NEWER, owned).first() is not None


_NEWER = aliased(OutboxMessage)
_DROP_IF_NEWER = (
    update(OutboxMessage)
    .where(
        _OWNED,
        exists().where(_NEWER.conversation == OutboxMessage.conversation, _NEWER.id > OutboxMessage.id),
    )
    .values(status=SUPERSEDED, finished_at=bindparam("now"), claim_token="", file=None)
    .returning(OutboxMessage.id)
    .execution_options(synchronize_session=False)
)


def retry(sessions: sessionmaker[Session], message: Outgoing, error: str, at: datetime) -> bool:
    """Try again at `at` (never after the message's give-up time)."""
    at = min(at, message.give_up_at)
    return _finish(sessions, message, status=PENDING, next_attempt_at=at, last_error=error[:ERROR_CHARS])


def give_up(sessions: sessionmaker[Session], message: Outgoing, error: str, *, told: bool) -> bool:
    """`told`: the user learnt of it another way; otherwise it stays as a notice until dismissed."""
    return _finish(
        sessions,
        message,
        status=GIVEN_UP if told else UNDELIVERED,
        finished_at=utcnow(),
        last_error=error[:ERROR_CHARS],
        file=None,
    )


def notices(session: Session, team_id: str, user_id: str, limit: int = 5) -> list[Notice]:
    """The user's messages that could not be delivered nor told of, newest first."""
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.created_at, OutboxMessage.body, OutboxMessage.last_error)
        .where(
            OutboxMessage.team_id == team_id,
            OutboxMessage.user_id == user_id,
            OutboxMessage.status == UNDELIVERED,
        )
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    ).all()
    return [Notice(row.id, row.created_at, json.loads(row.body), row.last_error) for row in rows]


def dismiss(sessions: sessionmaker[Session], team_id: str, user_id: str, message_id: int) -> bool:
    """Only the user's own notice, in their own workspace."""
    with sessions.begin() as session:
        done = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.team_id == team_id,
                OutboxMessage.user_id == user_id,
                OutboxMessage.status == UNDELIVERED,
            )
            .values(status=DISMISSED, finished_at=utcnow())
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        ).first()
        return done is not None


def status(sessions: sessionmaker[Session], message_id: int) -> str | None:
    with sessions() as session:
        return session.scalar(select(OutboxMessage.status).where(OutboxMessage.id == message_id))


def purge(sessions: sessionmaker[Session], older_than: timedelta) -> int:
    """Forget what was delivered (or given up and told) long enough ago; notices stay until dismissed."""
    with sessions.begin() as session:
        result = session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.status.in_(FINISHED), OutboxMessage.finished_at < utcnow() - older_than
            )
        )
        return result.rowcount


def _outgoing(row: Mapping[str, Any]) -> Outgoing:
    """A message's row (as written, or as read back when claimed) as the one try its claimer makes."""
    return Outgoing(
        id=row["id"],
        team_id=row["team_id"],
        user_id=row["user_id"],
        enterprise_id=row["enterprise_id"],
        destination=row["destination"],
        target=json.loads(row["target"]),
        body=json.loads(row["body"]),
        file=row["file"],
        attempts=row["attempts"],
        give_up_at=row["give_up_at"],
        claim_token=row["claim_token"],
    )
