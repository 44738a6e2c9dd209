from dataclasses import replace

from sqlalchemy.orm import Session

from commands.context import Context
from store.models import Attachment
from store.numbering import reserve


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
