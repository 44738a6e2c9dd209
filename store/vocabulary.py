"""What Tell Me reads a sentence against besides contacts: a workspace's template, group and segment
codes with their descriptions, and the version its contact index is read at, in one round trip to the
database."""

from dataclasses import dataclass, field, replace

from sqlalchemy import String, bindparam, cast, literal, select, union_all
from sqlalchemy.orm import Session

from store.models import InteractionGroup, InteractionTemplate, Segment, Workspace


@dataclass(frozen=True)
class Codes:
    templates: list[tuple[str, str]] = field(default_factory=list)
    groups: list[tuple[str, str]] = field(default_factory=list)
    segments: list[tuple[str, str]] = field(default_factory=list)
    """(code, description) each."""
    contacts_version: int | None = None
    """The workspace's contacts version, as the contact index is read at (store.contact_search.index_at)."""


TEAM = bindparam("team")
CODES = union_all(
    select(literal("t"), InteractionTemplate.code, InteractionTemplate.description).where(
        InteractionTemplate.team_id == TEAM
    ),
    select(literal("g"), InteractionGroup.code, InteractionGroup.description).where(
        InteractionGroup.team_id == TEAM
    ),
    select(literal("s"), Segment.no, Segment.description).where(Segment.team_id == TEAM),
    select(literal("v"), cast(Workspace.contacts_version, String), literal("")).where(
        Workspace.team_id == TEAM
    ),
)
"""Built once: read for every sentence, so only its parameter changes."""


def workspace_codes(session: Session, team_id: str) -> Codes:
    codes = Codes()
    kinds = {"t": codes.templates, "g": codes.groups, "s": codes.segments}
    version: int | None = None
    for kind, code, description in session.execute(CODES, {"team": team_id}):
        if kind == "v":
            version = int(code) if code is not None else None
        else:
            kinds[kind].append((code, description or ""))
    return replace(codes, contacts_version=version)
