from sqlalchemy import update
from sqlalchemy.orm import Session

from store.db import dialect_insert
from store.models import Workspace


def ensure_workspace(session: Session, team_id: str, name: str = "") -> None:
    """Create the workspace row on first use; every other table is scoped by its team_id."""
    if not team_id:
        raise ValueError("team_id is required")
    insert = dialect_insert(session)
    session.execute(
        insert(Workspace).values(team_id=team_id, name=name, contacts_version=0).on_conflict_do_nothing()
    )


def bump_contacts_version(session: Session, team_id: str) -> int:
    """The workspace's next contacts_version, for the contacts this transaction adds or renames to carry
    (`Contact.search_version`). The row stays locked until commit, so versions commit in order."""
    return (
        session.execute(
            update(Workspace)
            .where(Workspace.team_id == team_id)
            .values(contacts_version=Workspace.contacts_version + 1)
            .returning(Workspace.contacts_version)
        ).scalar()
        or 0
    )
