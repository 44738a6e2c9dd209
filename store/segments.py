"""Segments (lists of contacts) and logging them: one interaction log entry per contact."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Date, Integer, String, Time, and_, case, func, insert, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from store.attachments import merge_entry_documents
from store.contacts import find_contact
from store.db import refresh_statistics
from store.enums import CorrespondenceType, Evaluation
from store.errors import Conflict, Invalid, not_found
from store.interactions import local_now, next_entry_nos, zone_name
from store.models import (
    Contact,
    InteractionLogEntry,
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


def list_segments(session: Session, team_id: str) -> list[SegmentSummary]:
    lines = (
        select(func.count())
        .where(SegmentLine.team_id == Segment.team_id, SegmentLine.segment_no == Segment.no)
        .scalar_subquery()
    )
    query = (
        select(Segment, lines, LoggedSegment.entry_no)
        .outerjoin(
            LoggedSegment,
            and_(LoggedSegment.team_id == Segment.team_id, LoggedSegment.segment_no == Segment.no),
        )
        .where(Segment.team_id == team_id)
        .order_by(Segment.no)
    )
    return [SegmentSummary(s, n, logged) for s, n, logged in session.execute(query)]


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
    SELECT. All or nothing: the caller's transaction holds it all. Logging a segment twice is refused."""
    segment = get_segment(session, team_id, code)
    if not (template_code or segment.template_code):
        raise Invalid(f"Say which interaction template to log segment {segment.no} with.")
    template = get_template(session, team_id, template_code or segment.template_code)
    logged = session.scalar(
        select(LoggedSegment).where(LoggedSegment.team_id == team_id, LoggedSegment.segment_no == segment.no)
    )
    if logged is not None:
        raise Conflict(f"Segment {segment.no} was logged already (logged segment {logged.entry_no}).")
    description = (description or segment.interaction_description or template.description).strip()
    if not description:
        raise Invalid(f"Template {template.code} has no description, so give the interaction a description.")
    count = session.scalar(
        select(func.count()).where(SegmentLine.team_id == team_id, SegmentLine.segment_no == segment.no)
    )
    if not count:
        raise Invalid(f"Segment {segment.no} has no contacts to log.")

    today, time_now = local_now(now)
    logged = LoggedSegment(
        team_id=team_id,
        entry_no=reserve(
            session,
            team_id,
            "logged_segment",
            in_use=(LoggedSegment.entry_no, LoggedSegment.team_id == team_id),
        ),
        segment_no=segment.no,
        description=description[:100],
        creation_date=today,
        user_id=user_id,
        canceled=False,
    )
    session.add(logged)
    try:
        session.flush()
    except IntegrityError as error:  # another request logged it a moment ago
        raise Conflict(f"Segment {segment.no} was logged already.") from error

    first_no = next_entry_nos(session, team_id, count, apart=True)
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
        "date": literal(today, Date()),
        "time_of_interaction": literal(time_now, Time()),
        "timezone": literal(zone_name(now)),
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
        .where(line.team_id == team_id, line.segment_no == segment.no)
    )
    session.execute(insert(InteractionLogEntry).from_select(list(columns), rows))
    merge_entry_documents(session, team_id, InteractionLogEntry.logged_segment_entry_no == logged.entry_no)
    refresh_statistics(session)
    return logged


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
