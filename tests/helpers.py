from sqlalchemy.orm import Session

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
