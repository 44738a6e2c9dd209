"""Segments (lists of contacts) and logging them: one interaction log entry per contact."""

import logging
import time
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    Select,
    String,
    Time,
    and_,
    case,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, sessionmaker

from store.attachments import merge_entry_documents
from store.contacts import find_contact
from store.db import NO_SYNC, refresh_statistics
from store.enums import CorrespondenceType, Evaluation
from store.errors import Conflict, DomainError, Invalid, not_found
from store.interactions import local_now, next_entry_nos, zone_name
from store.jobs import STALE_AFTER
from store.models import (
    Contact,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTemplateLanguage,
    LoggedSegment,
    Segment,
    SegmentLine,
)
from store.numbering import reserve
from store.segment_models import SegmentStepLine
from store.templates import get_template, normalize_code
from store.types import Money, utcnow
from store.workspaces import ensure_workspace

_log = logging.getLogger(__name__)


def add_segment(session: Session, team_id: str, code: str, description: str) -> Segment:
    code = normalize_code(code, "segment")
    ensure_workspace(session, team_id)
    if session.get(Segment, (team_id, code)):
        raise Conflict(f"Segment {code} already exists.")
    segment = Segment(team_id=team_id, no=code, description=description.strip()[:100])
    session.add(segment)
    session.flush()
    return segment


def get_segment(session: Session, team_id: str, code: str) -> Segment:
    code = code.strip().upper()
    segment = session.get(Segment, (team_id, code))
    if segment is None:
        known = session.scalars(select(Segment.no).where(Segment.team_id == team_id).order_by(Segment.no))
        raise not_found("segment", code, known)
    return segment


@dataclass(frozen=True)
class SegmentSummary:
    segment: Segment
    contacts: int
    logged_segment_entry_no: int | None
    logged_segment: LoggedSegment | None = None


def list_segments(session: Session, team_id: str) -> list[SegmentSummary]:
    lines = (
        select(func.count())
        .where(SegmentLine.team_id == Segment.team_id, SegmentLine.segment_no == Segment.no)
        .scalar_subquery()
    )
    query = (
        select(Segment, lines, LoggedSegment)
        .outerjoin(
            LoggedSegment,
            and_(LoggedSegment.team_id == Segment.team_id, LoggedSegment.segment_no == Segment.no),
        )
        .where(Segment.team_id == team_id)
        .order_by(Segment.no)
    )
    return [
        SegmentSummary(s, n, logged.entry_no if logged else None, logged)
        for s, n, logged in session.execute(query)
    ]


def count_segment_lines(session: Session, team_id: str, code: str) -> int:
    query = select(func.count()).where(SegmentLine.team_id == team_id, SegmentLine.segment_no == code)
    return session.scalar(query) or 0


def segment_descriptions(session: Session, team_id: str) -> list[tuple[str, str]]:
    """(code, description) of every segment: what free text is read against."""
    query = select(Segment.no, Segment.description).where(Segment.team_id == team_id)
    return [(no, description) for no, description in session.execute(query)]


def add_segment_lines(session: Session, team_id: str, code: str, contacts: list[str]) -> list[Contact]:
    """Add contacts (numbers or names) to a segment; a contact already on it is left as it is. Not a
    step of its own (as in Business Central, lines typed in are not criteria): Go Back leaves them."""
    segment = get_segment(session, team_id, code)
    refuse_changes_while_logging(session, team_id, segment.no)
    if is_logged(session, team_id, segment.no):
        raise Conflict(f"Segment {segment.no} is logged already; make a new segment for more contacts.")
    found = [find_contact(session, team_id, text) for text in contacts if text.strip()]
    if not found:
        raise Invalid("Name the contacts to add, separated by commas.")
    present = set(
        session.scalars(
            select(SegmentLine.contact_no).where(
                SegmentLine.team_id == team_id, SegmentLine.segment_no == segment.no
            )
        )
    )
    last = session.scalar(
        select(func.max(SegmentLine.line_no)).where(
            SegmentLine.team_id == team_id, SegmentLine.segment_no == segment.no
        )
    )
    # Above every number a step took off too, so Go Back can put those lines back with their numbers.
    taken_off = session.scalar(
        select(func.max(SegmentStepLine.line_no)).where(
            SegmentStepLine.team_id == team_id, SegmentStepLine.segment_no == segment.no
        )
    )
    line_no = max(last or 0, taken_off or 0)
    rows = []
    for contact in dict.fromkeys(found):
        if contact.no not in present:
            line_no += 10000
            rows.append(
                {"team_id": team_id, "segment_no": segment.no, "line_no": line_no, "contact_no": contact.no}
            )
    if rows:
        session.execute(insert(SegmentLine), rows)
    return found


def segment_contacts(session: Session, team_id: str, code: str) -> list[Contact]:
    query = (
        select(Contact)
        .join(SegmentLine, and_(SegmentLine.team_id == Contact.team_id, SegmentLine.contact_no == Contact.no))
        .where(SegmentLine.team_id == team_id, SegmentLine.segment_no == code.upper())
        .order_by(SegmentLine.line_no)
    )
    return list(session.scalars(query))


def is_logged(session: Session, team_id: str, code: str) -> bool:
    query = select(LoggedSegment.entry_no).where(
        LoggedSegment.team_id == team_id, LoggedSegment.segment_no == code
    )
    return session.scalar(query) is not None


LOGGING = "logging"
STOPPED = "stopped"
CHUNK = 1_000
"""Lines logged per transaction by log_segment_in_chunks. On SQLite, with a million entries in the log, a
chunk of 1,000 held the database's one write lock 53-64 ms (median; 2,000 took 117 ms, 500 no less than
50 ms: committing, with its WAL checkpoint, costs as much as the rows)."""
PAUSE = 0.02
"""Seconds between two chunks: see _rest."""
STALLED_AFTER = STALE_AFTER
"""A log whose last chunk is older than this lost its process (as a job loses its heartbeat): it is
stopped, to be continued or canceled."""


@dataclass(frozen=True)
class SegmentLog:
    """Where a segment's log stands, as last committed."""

    segment_no: str
    entry_no: int
    """The logged segment's number."""
    template_code: str
    logged: int
    contacts: int
    state: str
    """As log_state tells it."""

    @staticmethod
    def of(logged: LoggedSegment) -> "SegmentLog":
        return SegmentLog(
            logged.segment_no,
            logged.entry_no,
            logged.template_code,
            logged.logged,
            logged.contacts,
            log_state(logged),
        )


class LogStopped(DomainError):
    """A chunk failed after others were committed: what was logged stays, to be continued or canceled."""

    def __init__(self, log: SegmentLog, reason: str) -> None:
        super().__init__(
            f"Logging segment {log.segment_no} stopped after {log.logged:,} of {log.contacts:,} entries "
            f"(logged segment {log.entry_no}): {reason}."
        )
        self.log = log
        self.reason = reason


def log_state(logged: LoggedSegment, now: datetime | None = None) -> str:
    """LOGGING while being written, STOPPED part-way (a chunk failed, or the process writing it has not
    committed one for STALLED_AFTER), the empty string once logged in full."""
    if logged.status != LOGGING:
        return logged.status
    since = logged.progress_at
    return LOGGING if since is not None and since > (now or utcnow()) - STALLED_AFTER else STOPPED


def refuse_while_logging(logged: LoggedSegment, doing: str) -> None:
    """Refuse what would change a logged segment whose entries are still being written."""
    if log_state(logged) == LOGGING:
        raise Conflict(
            f"Logged segment {logged.entry_no} is still being logged ({logged.logged:,} of "
            f"{logged.contacts:,} entries so far): {doing} once it is done."
        )


def logged_segment_of(session: Session, team_id: str, code: str) -> LoggedSegment | None:
    query = select(LoggedSegment).where(LoggedSegment.team_id == team_id, LoggedSegment.segment_no == code)
    return session.scalar(query)


def lines_to_log(session: Session, team_id: str, code: str) -> int:
    """The lines logging the segment would write now (what is left, for a log that stopped part-way);
    refuses as logging it would: logged already, being logged, canceled part-way."""
    segment = get_segment(session, team_id, code)
    logged = logged_segment_of(session, team_id, segment.no)
    if logged is None:
        return count_segment_lines(session, team_id, segment.no)
    _check_continue(logged, "")
    return logged.contacts - logged.logged


def refuse_changes_while_logging(session: Session, team_id: str, code: str) -> None:
    """A segment's lines stay as they are while it is being logged (the log reads them chunk by chunk)."""
    logged = logged_segment_of(session, team_id, code)
    if logged is not None and log_state(logged) == LOGGING:
        raise Conflict(
            f"Segment {code} is being logged ({logged.logged:,} of {logged.contacts:,} entries so far): "
            "its lines cannot change."
        )


def log_segment(
    session: Session,
    team_id: str,
    user_id: str,
    code: str,
    template_code: str = "",
    description: str = "",
    *,
    now: datetime | None = None,
) -> LoggedSegment:
    """Write one log entry per contact on the segment, with one logged segment record, in one INSERT ...
    SELECT, all or nothing in the caller's transaction (for work that has the database to itself: the
    demo, benchmarks, tests; the app logs in chunks, see log_segment_in_chunks). Logging a segment twice is
    refused; one that stopped part-way is finished."""
    logged, _ = _begin_log(session, team_id, user_id, code, template_code, description, now, run="")
    _write_chunk(session, logged, None)
    return logged


def log_segment_in_chunks(
    sessions: sessionmaker[Session],
    team_id: str,
    user_id: str,
    code: str,
    template_code: str = "",
    description: str = "",
    *,
    now: datetime | None = None,
    run: str,
    chunk: int | None = None,
) -> SegmentLog:
    """Log the segment `chunk` lines at a time, each chunk a short transaction of its own that also
    commits how far the log got, so a single `/crm log` meanwhile waits at most for one chunk (SQLite has
    one writer). The first chunk is committed with the logged segment: a segment of up to one chunk is
    logged all or nothing. All entry numbers are reserved up front, so they stay contiguous however many
    transactions write them.

    `run` names who writes: the same run (a queued job claimed again after its process died) picks up
    after the last committed chunk; another may take over a log that stopped (a chunk failed, or no chunk
    was committed for STALLED_AFTER), and is refused while it is being written. A chunk that fails marks
    the log stopped and raises LogStopped: what was committed stays, and logging the segment again
    continues it (cancel the logged segment to drop it instead)."""
    chunk = chunk or CHUNK
    with sessions.begin() as session:
        logged, new = _begin_log(session, team_id, user_id, code, template_code, description, now, run)
        done = _write_chunk(session, logged, chunk) if new else log_state(logged) == ""
        progress = SegmentLog.of(logged)
    while not done:
        _rest(PAUSE)
        try:
            with sessions.begin() as session:
                logged = _owned(session, team_id, progress.entry_no, run)
                done = _write_chunk(session, logged, chunk)
                progress = SegmentLog.of(logged)
        except _Lost:
            raise
        except Exception as failure:
            _log.exception("logging segment %s stopped", progress.segment_no)
            _stop(sessions, team_id, progress.entry_no, run)
            reason = failure.message if isinstance(failure, DomainError) else "the database failed"
            raise LogStopped(replace(progress, state=STOPPED), reason) from failure
    return progress


class _Lost(Conflict):
    """Another run took the log over (or it was canceled) while this one was between chunks."""


def _rest(seconds: float) -> None:
    """Between two chunks, so that writers waiting for SQLite's write lock get it: the locks of store.db
    keep no queue, and a writer that asks again at once often gets the lock straight back."""
    time.sleep(seconds)


def _check_continue(logged: LoggedSegment, run: str) -> None:
    state = log_state(logged)
    if state == "":
        raise Conflict(f"Segment {logged.segment_no} was logged already (logged segment {logged.entry_no}).")
    if logged.canceled:
        raise Conflict(
            f"Logged segment {logged.entry_no} was canceled after {logged.logged:,} of {logged.contacts:,} "
            "entries: restore it first to finish logging it."
        )
    if state == LOGGING and (not run or logged.logging_by != run):
        raise Conflict(
            f"Segment {logged.segment_no} is being logged: {logged.logged:,} of {logged.contacts:,} entries "
            f"so far (logged segment {logged.entry_no})."
        )


def _begin_log(
    session: Session,
    team_id: str,
    user_id: str,
    code: str,
    template_code: str,
    description: str,
    now: datetime | None,
    run: str,
) -> tuple[LoggedSegment, bool]:
    """The logged segment, new (True) or one that stopped part-way, now written by `run`."""
    segment = get_segment(session, team_id, code)
    logged = session.scalar(
        select(LoggedSegment)
        .where(LoggedSegment.team_id == team_id, LoggedSegment.segment_no == segment.no)
        .with_for_update()
    )
    if logged is not None:
        if run and logged.logging_by == run and log_state(logged) == "" and not logged.canceled:
            return logged, False  # this run wrote its last chunk, then its process died before answering
        _check_continue(logged, run)
        if template_code and template_code.strip().upper() != logged.template_code:
            raise Conflict(
                f"Segment {segment.no} was being logged with template {logged.template_code}: "
                "finish it with that template."
            )
        logged.status, logged.logging_by, logged.progress_at = LOGGING, run, utcnow()
        return logged, False
    if not (template_code or segment.template_code):
        raise Invalid(f"Say which interaction template to log segment {segment.no} with.")
    template = get_template(session, team_id, template_code or segment.template_code)
    description = (description or segment.interaction_description or template.description).strip()
    if not description:
        raise Invalid(f"Template {template.code} has no description, so give the interaction a description.")
    count = count_segment_lines(session, team_id, segment.no)
    if not count:
        raise Invalid(f"Segment {segment.no} has no contacts to log.")

    today, time_now = local_now(now)
    logged = LoggedSegment(
        team_id=team_id,
        entry_no=reserve(
            session,
            team_id,
            "logged_segment",
            in_use=LoggedSegment.entry_no,
        ),
        segment_no=segment.no,
        description=description[:100],
        creation_date=today,
        user_id=user_id,
        canceled=False,
        status=LOGGING,
        contacts=count,
        logged=0,
        last_line_no=0,
        template_code=template.code,
        time_of_interaction=time_now,
        timezone=zone_name(now),
        progress_at=utcnow(),
        logging_by=run,
    )
    session.add(logged)
    try:
        session.flush()
    except IntegrityError as error:  # another request logged it a moment ago
        raise Conflict(f"Segment {segment.no} was logged already.") from error
    logged.first_entry_no = next_entry_nos(session, team_id, count, apart=True)
    return logged, True


def locked_logged_segment(session: Session, team_id: str, entry_no: int) -> LoggedSegment | None:
    """The logged segment of that number, its row locked until the transaction ends."""
    return session.scalar(
        select(LoggedSegment)
        .where(LoggedSegment.team_id == team_id, LoggedSegment.entry_no == entry_no)
        .with_for_update()
    )


def _owned(session: Session, team_id: str, entry_no: int, run: str) -> LoggedSegment:
    """The logged segment, locked, if `run` still writes it."""
    logged = locked_logged_segment(session, team_id, entry_no)
    if logged is None:
        raise _Lost(f"Logged segment {entry_no} was deleted while it was being logged.")
    if logged.canceled:
        raise _Lost(f"Logged segment {entry_no} was canceled while it was being logged.")
    if logged.status != LOGGING or logged.logging_by != run:
        raise _Lost(f"Segment {logged.segment_no} is being logged by another request, which will answer.")
    return logged


def _stop(sessions: sessionmaker[Session], team_id: str, entry_no: int, run: str) -> None:
    """Mark the log stopped at once. If the database cannot be reached, it counts as stopped once its last
    chunk is STALLED_AFTER old."""
    try:
        with sessions.begin() as session:
            session.execute(
                update(LoggedSegment)
                .where(
                    LoggedSegment.team_id == team_id,
                    LoggedSegment.entry_no == entry_no,
                    LoggedSegment.status == LOGGING,
                    LoggedSegment.logging_by == run,
                )
                .values(status=STOPPED, progress_at=None),
                execution_options=NO_SYNC,
            )
    except Exception:
        _log.exception("cannot mark logged segment %s stopped", entry_no)


def _write_chunk(session: Session, logged: LoggedSegment, size: int | None) -> bool:
    """Write the entries of the next `size` lines (all that are left: None) after logged.last_line_no and
    move the log's progress on, in the session's transaction; whether the log is now complete."""
    team_id = logged.team_id
    segment = get_segment(session, team_id, logged.segment_no)
    template = get_template(session, team_id, logged.template_code)
    of_segment = (SegmentLine.team_id == team_id, SegmentLine.segment_no == segment.no)
    after = SegmentLine.line_no > logged.last_line_no
    ahead = select(SegmentLine.line_no).where(*of_segment, after).order_by(SegmentLine.line_no)
    if size is not None:
        ahead = ahead.limit(size)
    window = ahead.subquery()
    last_line, lines = session.execute(
        select(func.max(window.c.line_no), func.count()).select_from(window)
    ).one()
    if lines:
        first_no = logged.first_entry_no + logged.logged
        lines_from = (logged.last_line_no + 1, last_line)
        columns, rows = _entry_rows(logged, segment, template, first_no, lines_from)
        statement = insert(InteractionLogEntry).from_select(columns, rows)
        written = session.execute(statement.execution_options(preserve_rowcount=True)).rowcount
        merge_entry_documents(
            session,
            team_id,
            (InteractionLogEntry.logged_segment_entry_no == logged.entry_no)
            & (InteractionLogEntry.entry_no >= first_no),
        )
        logged.logged += written
        logged.last_line_no = last_line
    done = size is None or lines < size
    if done:
        logged.status, logged.progress_at = "", None
        refresh_statistics(session)
    else:
        logged.progress_at = utcnow()
    session.flush()
    return done


def _entry_rows(
    logged: LoggedSegment,
    segment: Segment,
    template: InteractionTemplate,
    first_no: int,
    lines: tuple[int, int],
) -> tuple[list[str], Select[Any]]:
    """The columns and the SELECT of the entries of the segment's lines numbered `lines` (first, last),
    numbered from `first_no` in line order, dated as the log was begun."""
    team_id, user_id, description = logged.team_id, logged.user_id, logged.description
    line, contact = aliased(SegmentLine), aliased(Contact)
    in_contact_language = aliased(InteractionTemplateLanguage)
    in_default_language = aliased(InteractionTemplateLanguage)
    chosen_type = segment.correspondence_type or template.correspondence_type
    ignore_contact = segment.ignore_contact_corres_type or template.ignore_contact_corres_type
    preferred_type = (
        literal(chosen_type)
        if ignore_contact
        else case(
            (contact.correspondence_type == "", literal(chosen_type)), else_=contact.correspondence_type
        )
    )
    columns = {
        "team_id": literal(team_id),
        "entry_no": literal(first_no - 1) + func.row_number().over(order_by=line.line_no),
        "contact_no": line.contact_no,
        "contact_company_no": contact.company_no,
        "date": literal(logged.creation_date, Date()),
        "time_of_interaction": literal(logged.time_of_interaction, Time()),
        "timezone": literal(logged.timezone),
        "created_at": literal(utcnow(), InteractionLogEntry.created_at.type),
        "description": literal(description[:100]),
        "subject": literal(description[:100]),
        "information_flow": literal(segment.information_flow or template.information_flow),
        "initiated_by": literal(segment.initiated_by or template.initiated_by),
        "cost": literal(segment.cost if segment.cost is not None else template.unit_cost, Money()),
        "duration": literal(
            segment.duration if segment.duration is not None else template.unit_duration, Integer()
        ),
        "user_id": literal(user_id),
        "salesperson": case(
            (contact.salesperson == "", literal(segment.salesperson or user_id)), else_=contact.salesperson
        ),
        "group_code": literal(template.group_code),
        "template_code": literal(template.code),
        "segment_no": literal(segment.no),
        "logged_segment_entry_no": literal(logged.entry_no, Integer()),
        "campaign_no": literal(""),
        "opportunity_no": literal(""),
        "task_no": literal(""),
        "evaluation": literal(Evaluation.BLANK.value),
        "attempt_failed": literal(False, Boolean()),
        "canceled": literal(False, Boolean()),
        "postponed": literal(False, Boolean()),
        "delivery_status": literal(""),
        "correspondence_type": case(
            (and_(preferred_type == CorrespondenceType.EMAIL.value, contact.email == ""), literal("")),
            else_=preferred_type,
        ),
        "language_code": func.coalesce(
            in_contact_language.language_code,
            literal(segment.language_code or template.language_code, String()),
        ),
        "attachment_no": func.coalesce(in_contact_language.attachment_no, in_default_language.attachment_no),
        "document_type": literal(""),
        "document_no": literal(""),
        "version_no": literal(0, Integer()),
        "doc_no_occurrence": literal(0, Integer()),
        "contact_via": case((contact.phone == "", contact.email), else_=contact.phone),
    }
    rows = (
        select(*(value.label(name) for name, value in columns.items()))
        .select_from(line)
        .join(contact, and_(contact.team_id == line.team_id, contact.no == line.contact_no))
        .outerjoin(
            in_contact_language,
            and_(
                in_contact_language.team_id == line.team_id,
                in_contact_language.template_code == template.code,
                in_contact_language.language_code == contact.language_code,
            ),
        )
        .outerjoin(
            in_default_language,
            and_(
                in_default_language.team_id == line.team_id,
                in_default_language.template_code == template.code,
                in_default_language.language_code == (segment.language_code or template.language_code),
            ),
        )
        .where(line.team_id == team_id, line.segment_no == segment.no, line.line_no.between(*lines))
    )
    return list(columns), rows


def list_logged_segments(session: Session, team_id: str) -> list[tuple[LoggedSegment, int]]:
    """Each logged segment with its number of interactions: entries whose Canceled equals its own."""
    entries = (
        select(func.count())
        .where(
            InteractionLogEntry.team_id == LoggedSegment.team_id,
            InteractionLogEntry.logged_segment_entry_no == LoggedSegment.entry_no,
            InteractionLogEntry.canceled == LoggedSegment.canceled,
        )
        .scalar_subquery()
    )
    query = (
        select(LoggedSegment, entries)
        .where(LoggedSegment.team_id == team_id)
        .order_by(LoggedSegment.entry_no.desc())
    )
    return [(logged, count) for logged, count in session.execute(query)]
