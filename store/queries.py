"""Reading the interaction log: filtered pages, newest first, and statistics."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, extract, func, select, tuple_
from sqlalchemy.orm import Session

from store.contacts import get_contact
from store.enums import ContactType, InitiatedBy
from store.errors import Invalid, NotFound
from store.filters import CanceledFilter, EntryFilter, condition, contact_scope
from store.models import Contact, InteractionLogEntry
from store.types import to_money

MAX_PAGE = 200


class LoggedEntry(NamedTuple):
    """An interaction log entry as a page shows it, read as a plain row: loading a page of entries as ORM
    objects cost more than the query itself."""

    team_id: str
    entry_no: int
    contact_no: str
    date: date
    time_of_interaction: time
    timezone: str
    description: str
    information_flow: str
    initiated_by: str
    cost: Decimal
    duration: int
    user_id: str
    salesperson: str
    group_code: str
    template_code: str
    evaluation: str
    attempt_failed: bool
    canceled: bool
    postponed: bool
    document_type: str
    document_no: str
    version_no: int
    doc_no_occurrence: int
    attachment_no: int | None


Entry = InteractionLogEntry | LoggedEntry
"""What reading an entry needs: the ORM object (to change it) or the row a page read."""


@dataclass(frozen=True)
class EntryRow:
    entry: LoggedEntry
    contact_name: str

    @classmethod
    def of(cls, values: Any) -> "EntryRow":
        """From a row of `_with_contact_name`: the entry's columns, then the contact's name."""
        return cls(LoggedEntry._make(values[:-1]), values[-1] or "")


@dataclass(frozen=True)
class Cursor:
    """Where the next (older) page starts: below this entry number, or, for a page of a date range, below
    this (date, entry number)."""

    entry_no: int
    day: date | None = None

    def __str__(self) -> str:
        return str(self.entry_no) if self.day is None else f"{self.day.isoformat()}/{self.entry_no}"

    @classmethod
    def parse(cls, text: str) -> "Cursor":
        """`123` or `2025-06-14/123`, as str() writes them; raises ValueError otherwise."""
        found = CURSOR.fullmatch(text.strip())
        if found is None:
            raise ValueError(text)
        day, number = found.groups()
        return cls(int(number), date.fromisoformat(day) if day else None)


CURSOR = re.compile(r"(?:(\d{4}-\d{2}-\d{2})/)?#?(\d{1,18})")


@dataclass(frozen=True)
class Page:
    rows: list[EntryRow]
    next_before: Cursor | None
    """Pass as `before` to get the next (older) page; None when this is the last."""


def entry_row(session: Session, team_id: str, entry_no: int) -> EntryRow:
    """One entry with its contact's name, in one query."""
    found = session.execute(_ONE_ENTRY, {"team_id": team_id, "entry_no": entry_no}).first()
    if found is None:
        raise NotFound(f"Interaction log entry {entry_no} does not exist.")
    return EntryRow.of(found)


_ENTRIES = InteractionLogEntry.__table__
_CONTACTS = Contact.__table__


def _with_contact_name() -> Select[Any]:
    """Of Core columns only (see store.filters._ENTRY)."""
    entry, contact = _ENTRIES.c, _CONTACTS.c
    return select(*(entry[name] for name in LoggedEntry._fields), contact.name).select_from(
        _ENTRIES.outerjoin(_CONTACTS, (contact.team_id == entry.team_id) & (contact.no == entry.contact_no))
    )


_ONE_ENTRY = _with_contact_name().where(
    _ENTRIES.c.team_id == bindparam("team_id"), _ENTRIES.c.entry_no == bindparam("entry_no")
)


def list_entries(
    session: Session,
    team_id: str,
    given: EntryFilter,
    *,
    limit: int = 50,
    before: Cursor | int | None = None,
) -> Page:
    """Keyset pagination, so page 1,000 costs what page 1 does. Newest first by entry number; a page of a
    date range goes newest first by (date, entry number) on the index of that order, which reads only the
    page's rows: walking by entry number to a month long ago read every newer entry first."""
    if not 1 <= limit <= MAX_PAGE:
        raise Invalid(f"A page holds 1 to {MAX_PAGE} entries.")
    if isinstance(before, int):
        before = Cursor(before)
    by_date = given.date_from is not None or given.date_to is not None
    values = given.values(team_id)
    query = _page_query(tuple(values), by_date, _below(before, by_date))
    values |= {"page_limit": limit + 1}
    if before is not None:
        values |= {"before_day": before.day, "before_no": before.entry_no}
    rows = [EntryRow.of(found) for found in session.execute(query, values)]
    more = len(rows) > limit
    rows = rows[:limit]
    if not more:
        return Page(rows, None)
    last = rows[-1].entry
    return Page(rows, Cursor(last.entry_no, last.date if by_date else None))


def _below(before: Cursor | None, by_date: bool) -> str:
    """Where a page starts: "" at the newest, "day" below a (date, entry number), "entry" below an entry
    number (for a date range, the older entries of that date on)."""
    if before is None:
        return ""
    return "day" if by_date and before.day is not None else "entry"


@cache
def _page_query(names: tuple[str, ...], by_date: bool, below: str) -> Select[Any]:
    """A page's query for one shape of filter (the filter's `names`), built once (see
    store.filters.condition); `below` as `_below` says."""
    entry = _ENTRIES.c
    query = _with_contact_name().where(condition(names)).limit(bindparam("page_limit"))
    if below == "day":
        query = query.where(
            tuple_(entry.date, entry.entry_no) < tuple_(bindparam("before_day"), bindparam("before_no"))
        )
    elif below == "entry":
        query = query.where(entry.entry_no < bindparam("before_no"))
    if by_date:
        return query.order_by(entry.date.desc(), entry.entry_no.desc())
    return query.order_by(entry.entry_no.desc())


def entry_title(entry: Entry, contact_name: str, user: Callable[[str], str] = str) -> str:
    """As Business Central titles an entry: the description, then who it came from or who made it.
    `user` names the user who logged it when they are the one who made it (a Slack mention)."""
    if entry.information_flow == "inbound":
        return f"{entry.description} - from {contact_name or entry.contact_no}"
    if entry.information_flow == "outbound":
        made_by = entry.salesperson or entry.user_id
        return f"{entry.description} - by {user(made_by) if made_by == entry.user_id else made_by}"
    return entry.description


@dataclass(frozen=True)
class Statistic:
    key: str
    interactions: int
    cost: Decimal
    duration: int


def statistics(session: Session, team_id: str, by: str, given: EntryFilter | None = None) -> list[Statistic]:
    """Number of interactions, cost and duration per contact, template or group. Canceled and postponed
    entries do not count. A company's figures include its people's."""
    column = {
        "contact": InteractionLogEntry.contact_no,
        "company": InteractionLogEntry.contact_company_no,
        "template": InteractionLogEntry.template_code,
        "group": InteractionLogEntry.group_code,
    }.get(by)
    if column is None:
        raise Invalid("Statistics are by contact, company, template or group.")
    counted = EntryFilter(canceled=CanceledFilter.NO) if given is None else given
    query = (
        select(
            column,
            func.count(),
            func.coalesce(func.sum(InteractionLogEntry.cost), 0),
            func.coalesce(func.sum(InteractionLogEntry.duration), 0),
        )
        .where(counted.where(team_id), InteractionLogEntry.canceled.is_(False))
        .group_by(column)
        .order_by(func.count().desc(), column)
    )
    return [
        Statistic(key, n, Decimal(cost), int(duration)) for key, n, cost, duration in session.execute(query)
    ]


def contact_statistics(session: Session, team_id: str, contact_no: str) -> Statistic:
    """One contact's figures; for a company, all of its people's interactions too."""
    contact = get_contact(session, team_id, contact_no)
    scope = EntryFilter(canceled=CanceledFilter.NO, **contact_scope(contact))
    rows = statistics(
        session, team_id, "company" if contact.type == ContactType.COMPANY else "contact", scope
    )
    return rows[0] if rows else Statistic(contact.no, 0, Decimal("0.00"), 0)


@dataclass(frozen=True)
class ContactFigures:
    """Business Central's statistics of a contact; a company's include its people's."""

    interactions: int
    """Canceled entries are not counted, nor is their cost or duration."""
    cost: Decimal
    duration: int
    last_interaction: date | None
    """The latest entry whose attempt did not fail."""
    last_attempted: date | None
    """The latest entry we initiated (or that says nothing about who did), failed or not."""


def contact_figures(session: Session, team_id: str, contact: Contact) -> ContactFigures:
    """One aggregate over the contact's entries (postponed ones aside), as the Contact table's FlowFields
    compute them: the totals leave canceled entries out, the two dates do not (a canceled attempt was
    still made)."""
    entry = InteractionLogEntry
    counted = entry.canceled.is_(False)
    query = select(
        func.count().filter(counted),
        func.sum(entry.cost).filter(counted),
        func.sum(entry.duration).filter(counted),
        func.max(entry.date).filter(entry.attempt_failed.is_(False)),
        func.max(entry.date).filter(entry.initiated_by != InitiatedBy.THEM.value),
    ).where(EntryFilter(**contact_scope(contact)).where(team_id))
    count, cost, duration, last_interaction, last_attempted = session.execute(query).one()
    return ContactFigures(count, to_money(cost or 0), int(duration or 0), last_interaction, last_attempted)


@dataclass(frozen=True)
class MonthStatistic:
    month: date
    """The first day of the month."""
    interactions: int
    cost: Decimal


def monthly_statistics(
    session: Session, team_id: str, given: EntryFilter, first: date, last: date
) -> list[MonthStatistic]:
    """Number and cost of interactions in each month from `first`'s to `last`'s, months without any
    included; canceled and postponed entries do not count."""
    entry = InteractionLogEntry
    start, end = first.replace(day=1), last.replace(day=1)
    year, month = extract("year", entry.date), extract("month", entry.date)
    query = (
        select(year, month, func.count(), func.sum(entry.cost))
        .where(given.where(team_id), entry.canceled.is_(False), entry.date >= start)
        .where(entry.date < _next_month(end))
        .group_by(year, month)
    )
    found = {(int(y), int(m)): (n, to_money(cost or 0)) for y, m, n, cost in session.execute(query)}
    months = []
    while start <= end:
        n, cost = found.get((start.year, start.month), (0, to_money(0)))
        months.append(MonthStatistic(start, n, cost))
        start = _next_month(start)
    return months


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)
