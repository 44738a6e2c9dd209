import socket
from contextlib import closing
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from commands.context import Context
from store import segments
from store.models import Attachment, Contact
from store.numbering import reserve
from store.segments import segment_contacts
from store.workspaces import bump_contacts_version


def add_attachment(session: Session, team: str, content: bytes = b"hello") -> int:
    no = reserve(session, team, "attachment")
    session.add(
        Attachment(
            team_id=team,
            no=no,
            file_name="a.txt",
            content_type="text/plain",
            size=len(content),
            content=content,
        )
    )
    session.flush()
    return no


def clicked(ctx: Context) -> Context:
    """The same user, running a command from a button the bot offered."""
    return replace(ctx, clicked=True)


def add_companies(sessions: sessionmaker[Session], team: str, count: int, country: str = "ES") -> None:
    """Companies in bulk (Empresa 000, ...), as an import would add them."""
    rows = [
        {
            "team_id": team,
            "no": f"CT9{n:05d}",
            "type": "company",
            "name": f"Empresa {n:03d}",
            "search_name": f"empresa {n:03d}",
            "company_no": f"CT9{n:05d}",
            "country": country,
        }
        for n in range(count)
    ]
    with sessions.begin() as s:
        s.execute(insert(Contact), rows)
        bump_contacts_version(s, team)


def on_segment(sessions: sessionmaker[Session], team: str, code: str = "TARGET") -> set[str]:
    """The names of the contacts on a segment."""
    with sessions() as s:
        return {c.name for c in segment_contacts(s, team, code)}


class Died(BaseException):
    """The process ends on the spot (killed): nothing after it runs, not even `except Exception`."""


def dies_between_chunks(monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    """A segment log's process dies once `after` chunks are committed (store.segments rests between two
    chunks: the death comes there)."""
    rests: list[float] = []

    def rest(seconds: float) -> None:
        rests.append(seconds)
        if len(rests) == after:
            raise Died

    monkeypatch.setattr(segments, "_rest", rest)


def fails_in_chunk(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """The database fails while segment log chunk number `chunk` (counted from 1) is written."""
    merge, calls = segments.merge_entry_documents, []

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        if len(calls) == chunk:
            raise OperationalError("INSERT INTO attachments", None, Exception("disk I/O error"))
        return merge(*args, **kwargs)

    monkeypatch.setattr(segments, "merge_entry_documents", failing)


def free_port() -> int:
    """A loopback port nothing listens on (now)."""
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
