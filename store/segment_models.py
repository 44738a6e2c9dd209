"""Tables of building a segment step by step: the steps, the lines each changed, saved criteria. Kept
beside store.models (same metadata), which holds the segments and their lines."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKeyConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base, Code, TeamId
from store.types import UtcDateTime, utcnow


class SegmentStep(Base):
    """One step of building a segment (add, reduce, refine, remove): what it was and what it changed."""

    __tablename__ = "segment_steps"
    __table_args__ = (
        ForeignKeyConstraint(
            ["team_id", "segment_no"], ["segments.team_id", "segments.no"], ondelete="CASCADE"
        ),
    )

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    segment_no: Mapped[str] = mapped_column(Code, primary_key=True)
    step_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(10))
    criteria: Mapped[str] = mapped_column(Text)
    """The step's criteria as JSON (store.segment_criteria.Criteria), so Save Criteria can replay it."""
    people: Mapped[bool] = mapped_column(Boolean, default=False)
    duplicates: Mapped[bool] = mapped_column(Boolean, default=False)
    added: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    first_line: Mapped[int | None] = mapped_column(Integer)
    last_line: Mapped[int | None] = mapped_column(Integer)
    """The numbers an add step gave its lines, first to last: what Go Back takes off the segment."""
    user_id: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SegmentStepLine(Base):
    """A line a step took off the segment: Go Back puts it back with its number. The lines an add step put
    on are known by their numbers (SegmentStep.first_line to last_line); `added` stays false. No foreign
    key, as for the lines themselves (store.models.SegmentLine): Go Back deletes a step's record with it."""

    __tablename__ = "segment_step_lines"

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    segment_no: Mapped[str] = mapped_column(Code, primary_key=True)
    step_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    contact_no: Mapped[str] = mapped_column(Code)
    added: Mapped[bool] = mapped_column(Boolean)


class SavedSegmentCriteria(Base):
    """Save Criteria: a segment's steps under a name, to build another segment the same way."""

    __tablename__ = "saved_segment_criteria"

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    name: Mapped[str] = mapped_column(Code, primary_key=True)
    description: Mapped[str] = mapped_column(String(100), default="")
    steps: Mapped[str] = mapped_column(Text)
    """JSON list of {kind, criteria, people, duplicates}."""
    user_id: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


__all__ = ["SavedSegmentCriteria", "SegmentStep", "SegmentStepLine"]
