"""Building a segment step by step, as Business Central's Add, Reduce and Refine Contacts do: each step is
one set-based statement over the contacts (INSERT ... SELECT or DELETE ... WHERE), recorded with the lines
it added or removed so that Go Back undoes the last one. A logged segment's lines are frozen."""

from enum import StrEnum

from sqlalchemy import Boolean, ColumnElement, Insert, Integer, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from store.db import NO_SYNC, refresh_table_statistics
from store.errors import Conflict, Invalid, not_found
from store.models import Contact, LoggedSegment, Segment, SegmentLine
from store.numbering import reserve
from store.segment_criteria import Criteria, History, matching_contacts, resolve
from store.segment_models import SegmentStep, SegmentStepLine
from store.segments import add_segment, get_segment, is_logged, refuse_changes_while_logging

LINE_STEP = 10000
"""Bulk DML leaves the session's objects alone: SQLAlchemy would otherwise fetch every deleted row's key
back (RETURNING) to look for it in the session, a third of a step over 100,000 lines."""
MANY_LINES = 5000
"""A step that changes this many lines refreshes the planner's statistics of the segment tables."""


class StepKind(StrEnum):
    ADD = "add"
    """Contacts that match go on the segment (once, unless duplicates are allowed)."""
    REDUCE = "reduce"
    """Lines whose contact matches go."""
    REFINE = "refine"
    """Only lines whose contact matches stay."""
    REMOVE = "remove"
    """The named contacts' lines go."""


def _lines(team_id: str, code: str) -> tuple[ColumnElement[bool], ...]:
    return (SegmentLine.team_id == team_id, SegmentLine.segment_no == code)


def _open_segment(session: Session, team_id: str, code: str) -> str:
    segment = get_segment(session, team_id, code)
    refuse_changes_while_logging(session, team_id, segment.no)
    if is_logged(session, team_id, segment.no):
        raise Conflict(f"Segment {segment.no} is logged, so its lines are frozen; make a follow-up segment.")
    return segment.no


def preview_step(
    session: Session,
    team_id: str,
    code: str,
    kind: StepKind,
    criteria: Criteria,
    *,
    people: bool = False,
    duplicates: bool = False,
) -> int:
    """How many lines the step would add or remove."""
    code = _open_segment(session, team_id, code)
    chosen = matching_contacts(resolve(session, team_id, criteria), team_id, people=people)
    if kind is StepKind.ADD:
        query = select(func.count()).select_from(chosen.subquery())
        if not duplicates:
            on = select(SegmentLine.contact_no).where(*_lines(team_id, code))
            query = select(func.count()).select_from(chosen.where(Contact.no.not_in(on)).subquery())
        return session.scalar(query) or 0
    taken = SegmentLine.contact_no.in_(chosen)
    query = select(func.count()).where(*_lines(team_id, code), ~taken if kind is StepKind.REFINE else taken)
    return session.scalar(query) or 0


def run_step(
    session: Session,
    team_id: str,
    user_id: str,
    code: str,
    kind: StepKind,
    criteria: Criteria,
    *,
    people: bool = False,
    duplicates: bool = False,
    allow_empty: bool = False,
) -> SegmentStep | None:
    """Take the step and record it. A step that would change nothing is refused (Invalid, naming its
    criteria), or with `allow_empty` skipped and not recorded (None)."""
    code = _open_segment(session, team_id, code)
    if not criteria:
        raise Invalid("Give the criteria after `where`, such as `where country=ES type=company`.")
    if kind is StepKind.REMOVE and (criteria.fields or criteria.history):
        raise Invalid("Remove takes contacts by name or number; use reduce where … for criteria.")
    resolved = resolve(session, team_id, criteria)
    chosen = matching_contacts(resolved, team_id, people=people)
    step_no = (
        session.scalar(
            select(func.max(SegmentStep.step_no)).where(
                SegmentStep.team_id == team_id, SegmentStep.segment_no == code
            )
        )
        or 0
    ) + 1
    step = SegmentStep(
        team_id=team_id,
        segment_no=code,
        step_no=step_no,
        kind=kind.value,
        criteria=criteria.to_json(),
        people=people,
        duplicates=duplicates and kind is StepKind.ADD,
        added=0,
        removed=0,
        user_id=user_id,
    )
    session.add(step)
    session.flush()
    if kind is StepKind.ADD:
        _add(session, team_id, step, chosen, duplicates)
    else:
        taken = SegmentLine.contact_no.in_(chosen)
        step.removed = _take_off(session, team_id, step, ~taken if kind is StepKind.REFINE else taken)
    if not (step.added or step.removed):
        if allow_empty:
            session.delete(step)
            session.flush()
            return None
        raise Invalid(_nothing_changed(kind, code, criteria))
    session.flush()
    if step.added + step.removed >= MANY_LINES:
        changed = ("segment_lines",) if step.added else ("segment_lines", "segment_step_lines")
        refresh_table_statistics(session, *changed)
    return step


_HISTORY_COLUMNS = ["team_id", "segment_no", "step_no", "line_no", "contact_no", "added"]
_LINE_COLUMNS = ["team_id", "segment_no", "line_no", "contact_no"]


def _inserted(session: Session, statement: Insert) -> int:
    """Rows an INSERT ... SELECT wrote (psycopg reports them only when asked to keep the count)."""
    result = session.execute(statement.execution_options(preserve_rowcount=True))
    return int(getattr(result, "rowcount", 0) or 0)


def _last_line(session: Session, team_id: str, code: str) -> int:
    """The highest number a line of the segment has, or had while a step keeps it taken off."""
    return max(
        session.scalar(select(func.max(SegmentLine.line_no)).where(*_lines(team_id, code))) or 0,
        session.scalar(
            select(func.max(SegmentStepLine.line_no)).where(
                SegmentStepLine.team_id == team_id, SegmentStepLine.segment_no == code
            )
        )
        or 0,
    )


def _add(session: Session, team_id: str, step: SegmentStep, chosen: object, duplicates: bool) -> None:
    """One INSERT ... SELECT of the lines, numbered after every line the segment ever had. The step keeps
    the range of those numbers rather than a record of each line: Go Back, undoing steps last first, finds
    the step's lines by their numbers (a later step that took some off has put them back by then)."""
    code = step.segment_no
    last_line = _last_line(session, team_id, code)
    taken = chosen.subquery()  # type: ignore[attr-defined]
    rows = select(
        literal(team_id),
        literal(code),
        literal(last_line, Integer()) + literal(LINE_STEP) * func.row_number().over(order_by=taken.c.no),
        taken.c.no,
    )
    if not duplicates:
        rows = rows.where(taken.c.no.not_in(select(SegmentLine.contact_no).where(*_lines(team_id, code))))
    step.added = _inserted(session, insert(SegmentLine).from_select(_LINE_COLUMNS, rows))
    if step.added:
        step.first_line, step.last_line = last_line + LINE_STEP, last_line + LINE_STEP * step.added


def _take_off(session: Session, team_id: str, step: SegmentStep, which: ColumnElement[bool]) -> int:
    """The segment's lines that match `which` go, each recorded on the step so Go Back can put it back
    with its number: on PostgreSQL one statement (the DELETE ... RETURNING feeds the record), on SQLite,
    which takes no DELETE in a WITH, the record's INSERT ... SELECT and then one DELETE."""
    code = step.segment_no
    record = (literal(step.step_no, Integer()), literal(False, Boolean()))
    if session.get_bind().dialect.name == "postgresql":
        gone = (
            delete(SegmentLine)
            .where(*_lines(team_id, code), which)
            .returning(
                SegmentLine.team_id, SegmentLine.segment_no, SegmentLine.line_no, SegmentLine.contact_no
            )
            .cte("gone")
        )
        rows = select(
            gone.c.team_id, gone.c.segment_no, record[0], gone.c.line_no, gone.c.contact_no, record[1]
        )
        return _inserted(session, insert(SegmentStepLine).from_select(_HISTORY_COLUMNS, rows))
    going = select(
        SegmentLine.team_id,
        SegmentLine.segment_no,
        record[0],
        SegmentLine.line_no,
        SegmentLine.contact_no,
        record[1],
    ).where(*_lines(team_id, code), which)
    removed = _inserted(session, insert(SegmentStepLine).from_select(_HISTORY_COLUMNS, going))
    if removed:
        gone_lines = select(SegmentStepLine.line_no).where(*_step_lines(team_id, code, step.step_no))
        gone = delete(SegmentLine).where(*_lines(team_id, code), SegmentLine.line_no.in_(gone_lines))
        session.execute(gone, execution_options=NO_SYNC)
    return removed


def _step_lines(team_id: str, code: str, step_no: int) -> tuple[ColumnElement[bool], ...]:
    return (
        SegmentStepLine.team_id == team_id,
        SegmentStepLine.segment_no == code,
        SegmentStepLine.step_no == step_no,
    )


def _nothing_changed(kind: StepKind, code: str, criteria: Criteria) -> str:
    what = criteria.describe()
    if kind is StepKind.ADD:
        return f"No contacts match {what} that are not on segment {code} already; nothing changed."
    if kind is StepKind.REFINE:
        return f"Every contact on segment {code} matches {what}; nothing changed."
    if kind is StepKind.REMOVE:
        return f"{what} is not on segment {code}; nothing changed."
    if criteria.contacts and not (criteria.fields or criteria.history):
        return f"{what} is on segment {code} already; nothing changed."
    return f"No contact on segment {code} matches {what}; nothing changed."


def go_back(session: Session, team_id: str, code: str) -> SegmentStep:
    """Undo the last step: its added lines go, its removed lines come back with their numbers."""
    code = _open_segment(session, team_id, code)
    step = session.scalar(
        select(SegmentStep)
        .where(SegmentStep.team_id == team_id, SegmentStep.segment_no == code)
        .order_by(SegmentStep.step_no.desc())
        .limit(1)
    )
    if step is None:
        raise Invalid(f"Segment {code} has no steps to go back on.")
    history = _step_lines(team_id, code, step.step_no)
    if step.first_line is not None and step.last_line is not None:
        added = SegmentLine.line_no.between(step.first_line, step.last_line)
        session.execute(delete(SegmentLine).where(*_lines(team_id, code), added), execution_options=NO_SYNC)
    removed = select(
        SegmentStepLine.team_id,
        SegmentStepLine.segment_no,
        SegmentStepLine.line_no,
        SegmentStepLine.contact_no,
    ).where(*history, SegmentStepLine.added.is_(False))
    session.execute(
        insert(SegmentLine).from_select(["team_id", "segment_no", "line_no", "contact_no"], removed)
    )
    session.execute(delete(SegmentStepLine).where(*history), execution_options=NO_SYNC)
    session.execute(
        delete(SegmentStep).where(
            SegmentStep.team_id == team_id,
            SegmentStep.segment_no == code,
            SegmentStep.step_no == step.step_no,
        ),
        execution_options=NO_SYNC,
    )
    session.expunge(step)
    return step


def list_steps(session: Session, team_id: str, code: str) -> list[SegmentStep]:
    segment = get_segment(session, team_id, code)
    query = (
        select(SegmentStep)
        .where(SegmentStep.team_id == team_id, SegmentStep.segment_no == segment.no)
        .order_by(SegmentStep.step_no)
    )
    return list(session.scalars(query))


def create_follow_up(
    session: Session,
    team_id: str,
    user_id: str,
    logged_segment_no: int,
    *,
    evaluation: str | None = None,
    failed: bool | None = None,
) -> tuple[Segment, SegmentStep]:
    """A new segment (SM00001, ...) of the contacts of a logged segment's entries, canceled ones aside,
    optionally only those with an evaluation or a failed (or successful) attempt."""
    logged = session.scalar(
        select(LoggedSegment).where(
            LoggedSegment.team_id == team_id, LoggedSegment.entry_no == logged_segment_no
        )
    )
    if logged is None:
        raise not_found("logged segment", str(logged_segment_no))
    segment = add_segment(session, team_id, _new_segment_code(session, team_id), "")
    segment.description = f"Follow-up on segment {logged.segment_no}"
    history = History(logged_segment=logged.entry_no, evaluation=evaluation, failed=failed)
    criteria = Criteria(history=(history,))
    step = run_step(session, team_id, user_id, segment.no, StepKind.ADD, criteria, allow_empty=True)
    if step is None:
        which = " ".join(
            word
            for word in (
                f"evaluation={evaluation}" if evaluation else "",
                "" if failed is None else f"failed={'yes' if failed else 'no'}",
            )
            if word
        )
        raise Invalid(
            f"Logged segment {logged.entry_no} has no entries (canceled ones aside)"
            + (f" with {which}" if which else "")
            + "; no segment was made."
        )
    return segment, step


def _new_segment_code(session: Session, team_id: str) -> str:
    while True:
        code = f"SM{reserve(session, team_id, 'segment'):05d}"
        if session.get(Segment, (team_id, code)) is None:
            return code
