"""Creating interactions on one contact: defaults from the template, validation, postponing and resuming."""

import datetime as dt
import textwrap
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from store.attachments import drop_unused_attachments, merge_entry_document
from store.contacts import find_contact
from store.enums import CorrespondenceType, Evaluation, InformationFlow, InitiatedBy
from store.errors import Conflict, Invalid, NotFound
from store.models import (
    CommentLine,
    Contact,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTemplateLanguage,
)
from store.numbering import reserve
from store.templates import get_template
from store.types import to_money

MAX_DESCRIPTION = 100
MAX_COMMENT = 2000
MAX_DURATION = 60 * 24 * 366
COMMENT_WIDTH = 80
"""A comment line holds 80 characters, as in Business Central; a longer comment takes several lines."""


@dataclass(frozen=True)
class InteractionInput:
    """What the user said; None means "take the template's default"."""

    contact: str
    template: str
    description: str = ""
    date: dt.date | None = None
    time: dt.time | None = None
    cost: Decimal | None = None
    duration: int | None = None
    information_flow: InformationFlow | None = None
    initiated_by: InitiatedBy | None = None
    correspondence_type: CorrespondenceType | None = None
    language_code: str | None = None
    successful: bool = True
    evaluation: Evaluation = Evaluation.BLANK
    salesperson: str = ""
    subject: str = ""
    contact_via: str = ""
    document_type: str = ""
    document_no: str = ""
    version_no: int = 0
    doc_no_occurrence: int = 0


def fit_description(text: str) -> str:
    """Words from elsewhere (a chat message) as a description: on one line, cut to fit with "…"."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def local_now(now: datetime | None) -> tuple[date, time]:
    """Today and the time now rounded up to the next whole minute, as Business Central prefills them."""
    now = now or datetime.now(UTC)
    rounded = now.replace(second=0, microsecond=0)
    if rounded != now:
        rounded += timedelta(minutes=1)
    return now.date(), rounded.time()


def zone_name(now: datetime | None) -> str:
    """The IANA name of the zone `now` is in, which the date and time local_now gives are read in ("UTC"
    without a `now`); "" for a zone without a name (a bare UTC offset)."""
    if now is None:
        return "UTC"
    key = getattr(now.tzinfo, "key", None)
    if isinstance(key, str):
        return key
    return "UTC" if now.utcoffset() == timedelta(0) else ""


def next_entry_nos(session: Session, team_id: str, count: int = 1, *, apart: bool = False) -> int:
    """`apart` for bulk work: see store.numbering."""
    return reserve(
        session,
        team_id,
        "interaction_log_entry",
        count,
        in_use=InteractionLogEntry.entry_no,
        apart=apart,
    )


def create_interaction(
    session: Session,
    team_id: str,
    user_id: str,
    given: InteractionInput,
    *,
    postpone: bool = False,
    now: datetime | None = None,
) -> InteractionLogEntry:
    """Record one interaction. A postponed one is saved to finish later: it needs the same mandatory
    fields, stays out of the log and the statistics, and cannot be canceled."""
    contact = find_contact(session, team_id, given.contact)
    template = get_template(session, team_id, given.template)
    entry = InteractionLogEntry(team_id=team_id, entry_no=next_entry_nos(session, team_id))
    _fill(session, entry, contact, template, user_id, given, now)
    entry.postponed = postpone
    session.add(entry)
    session.flush()
    merge_entry_document(session, entry)
    return entry


def _fill(
    session: Session,
    entry: InteractionLogEntry,
    contact: Contact,
    template: InteractionTemplate,
    user_id: str,
    given: InteractionInput,
    now: datetime | None,
) -> None:
    today, time_now = local_now(now)
    description = (given.description or template.description).strip()
    if not description:
        raise Invalid(f"Template {template.code} has no description, so say what the interaction was about.")
    if len(description) > MAX_DESCRIPTION:
        raise Invalid(f"A description can have at most {MAX_DESCRIPTION} characters.")
    cost = to_money(template.unit_cost if given.cost is None else given.cost)
    if cost < 0:
        raise Invalid("The cost cannot be negative.")
    duration = template.unit_duration if given.duration is None else given.duration
    if not 0 <= duration <= MAX_DURATION:
        raise Invalid("The duration is a number of minutes, 0 or more.")
    language, attachment_no = _language(session, template, contact, given.language_code)

    entry.contact_no = contact.no
    entry.contact_company_no = contact.company_no
    entry.date = given.date or today
    entry.time_of_interaction = given.time or time_now
    entry.timezone = zone_name(now)
    entry.description = description
    entry.subject = (given.subject or description)[:MAX_DESCRIPTION]
    entry.information_flow = (given.information_flow or InformationFlow(template.information_flow)).value
    entry.initiated_by = (given.initiated_by or InitiatedBy(template.initiated_by)).value
    entry.cost = cost
    entry.duration = duration
    entry.user_id = user_id
    entry.salesperson = given.salesperson or contact.salesperson or user_id
    entry.group_code = template.group_code
    entry.template_code = template.code
    entry.evaluation = given.evaluation.value
    entry.attempt_failed = not given.successful
    entry.canceled = False
    entry.correspondence_type = correspondence_type(template, contact, given.correspondence_type).value
    entry.language_code = language
    entry.attachment_no = attachment_no
    entry.contact_via = given.contact_via or contact.phone or contact.email
    entry.document_type = given.document_type
    entry.document_no = given.document_no
    entry.version_no = given.version_no
    entry.doc_no_occurrence = given.doc_no_occurrence


_TEMPLATE_LANGUAGES = InteractionTemplateLanguage.__table__.c
_LANGUAGES = select(_TEMPLATE_LANGUAGES.language_code, _TEMPLATE_LANGUAGES.attachment_no).where(
    _TEMPLATE_LANGUAGES.team_id == bindparam("team_id"),
    _TEMPLATE_LANGUAGES.template_code == bindparam("template_code"),
)


def correspondence_type(
    template: InteractionTemplate, contact: Contact, chosen: CorrespondenceType | None = None
) -> CorrespondenceType:
    """The template's default when it ignores the contact's preference or the contact has none, else the
    contact's. E-mail to a contact without an address falls back to blank, as Business Central does;
    unlike it, e-mail never demands an attachment just to record the interaction."""
    if chosen is None:
        preferred = contact.correspondence_type
        use_template = template.ignore_contact_corres_type or not preferred
        chosen = CorrespondenceType(template.correspondence_type if use_template else preferred)
    if chosen is CorrespondenceType.EMAIL and not contact.email:
        return CorrespondenceType.BLANK
    return chosen


def _language(
    session: Session, template: InteractionTemplate, contact: Contact, chosen: str | None
) -> tuple[str, int | None]:
    """The contact's language when the template has a row for it, else the template's default; the
    attachment comes from that row."""
    found = session.execute(_LANGUAGES, {"team_id": template.team_id, "template_code": template.code})
    rows: dict[str, int | None] = {code: attachment_no for code, attachment_no in found}
    for code in (chosen, contact.language_code, template.language_code):
        if code is not None and code.upper() in rows:
            return code.upper(), rows[code.upper()]
    if chosen:
        known = ", ".join(sorted(rows)) or "none"
        raise Invalid(f"Template {template.code} has no language {chosen.upper()} (it has: {known}).")
    return template.language_code, None


def get_entry(session: Session, team_id: str, entry_no: int) -> InteractionLogEntry:
    entry = session.get(InteractionLogEntry, (team_id, entry_no))
    if entry is None:
        raise NotFound(f"Interaction log entry {entry_no} does not exist.")
    return entry


def resume(
    session: Session,
    team_id: str,
    user_id: str,
    entry_no: int,
    changes: dict[str, object] | None = None,
    *,
    now: datetime | None = None,
) -> InteractionLogEntry:
    """Finish a postponed interaction under the same entry number. Date and time become now unless given;
    every other field is taken from the entry unless changed. Choosing another template brings its
    defaults, and its description unless the user had typed one (as when creating)."""
    entry = get_entry(session, team_id, entry_no)
    if not entry.postponed:
        raise Conflict(f"Interaction log entry {entry_no} is not postponed, so there is nothing to resume.")
    changes = changes or {}
    kept = InteractionInput(
        contact=entry.contact_no,
        template=entry.template_code,
        description=entry.description,
        successful=not entry.attempt_failed,
        evaluation=Evaluation(entry.evaluation),
        salesperson=entry.salesperson,
        subject=entry.subject,
    )
    if str(changes.get("template", entry.template_code)).strip().upper() == entry.template_code:
        kept = replace(
            kept,
            cost=entry.cost,
            duration=entry.duration,
            information_flow=InformationFlow(entry.information_flow),
            initiated_by=InitiatedBy(entry.initiated_by),
            correspondence_type=CorrespondenceType(entry.correspondence_type)
            if entry.correspondence_type
            else None,
        )
    else:
        previous = session.get(InteractionTemplate, (team_id, entry.template_code))
        if previous is not None and entry.description == previous.description:
            kept = replace(kept, description="", subject="")
    given = replace(kept, **changes)
    contact = find_contact(session, team_id, given.contact)
    template = get_template(session, team_id, given.template)
    merged_before = entry.attachment_no
    _fill(session, entry, contact, template, user_id, given, now)
    entry.postponed = False
    session.flush()
    merge_entry_document(session, entry)
    drop_unused_attachments(session, team_id, [merged_before])
    return entry


def delete_postponed(session: Session, team_id: str, entry_no: int) -> None:
    entry = get_entry(session, team_id, entry_no)
    if not entry.postponed:
        raise Conflict(
            f"Interaction log entry {entry_no} is not postponed; cancel it, then delete canceled entries."
        )
    attachment_no = entry.attachment_no
    session.delete(entry)
    session.flush()
    drop_unused_attachments(session, team_id, [attachment_no])


def evaluate(
    session: Session, team_id: str, entry_nos: list[int], evaluation: Evaluation
) -> list[InteractionLogEntry]:
    if evaluation is Evaluation.BLANK:
        raise Invalid("Choose an evaluation: very-positive, positive, neutral, negative or very-negative.")
    entries = entries_by_no(session, team_id, entry_nos)
    for entry in entries:
        entry.evaluation = evaluation.value
    session.flush()
    return entries


def entries_by_no(
    session: Session, team_id: str, entry_nos: list[int], *, for_update: bool = False
) -> list[InteractionLogEntry]:
    """The entries with these numbers, in the order given; NotFound names every number that is missing."""
    if not entry_nos:
        raise Invalid("Give one or more entry numbers.")
    query = select(InteractionLogEntry).where(
        InteractionLogEntry.team_id == team_id, InteractionLogEntry.entry_no.in_(set(entry_nos))
    )
    if for_update:
        query = query.with_for_update()
    found = {e.entry_no: e for e in session.scalars(query)}
    missing = [str(no) for no in dict.fromkeys(entry_nos) if no not in found]
    if missing:
        noun = "entry" if len(missing) == 1 else "entries"
        verb = "does" if len(missing) == 1 else "do"
        raise NotFound(f"Interaction log {noun} {', '.join(missing)} {verb} not exist.")
    return [found[no] for no in dict.fromkeys(entry_nos)]


def add_comment(session: Session, team_id: str, user_id: str, entry_no: int, text: str, today: date) -> None:
    """The comment in as many lines as it takes (see COMMENT_WIDTH)."""
    text = " ".join(text.split())
    if not text:
        raise Invalid("Write the comment after the entry number.")
    if len(text) > MAX_COMMENT:
        raise Invalid(f"A comment can have at most {MAX_COMMENT:,} characters.")
    get_entry(session, team_id, entry_no)
    last = session.scalar(
        select(CommentLine.line_no)
        .where(CommentLine.team_id == team_id, CommentLine.entry_no == entry_no)
        .order_by(CommentLine.line_no.desc())
        .limit(1)
    )
    line_no = last or 0
    for chunk in _wrap(text, COMMENT_WIDTH):
        line_no += 10000
        session.add(
            CommentLine(
                team_id=team_id,
                entry_no=entry_no,
                line_no=line_no,
                date=today,
                comment=chunk,
                user_id=user_id,
            )
        )
    session.flush()


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=True) or [text]


class Comment(NamedTuple):
    """A comment line as an entry's card shows it (read as a plain row)."""

    line_no: int
    date: date
    comment: str
    user_id: str


def comments(session: Session, team_id: str, entry_no: int) -> list[Comment]:
    found = session.execute(_COMMENTS, {"team_id": team_id, "entry_no": entry_no})
    return [Comment._make(row) for row in found]


_COMMENT_LINES = CommentLine.__table__.c
_COMMENTS = (  # of Core columns only (see store.filters._ENTRY)
    select(*(_COMMENT_LINES[name] for name in Comment._fields))
    .where(_COMMENT_LINES.team_id == bindparam("team_id"), _COMMENT_LINES.entry_no == bindparam("entry_no"))
    .order_by(_COMMENT_LINES.line_no)
)
