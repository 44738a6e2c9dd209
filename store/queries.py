"""Reading the interaction log: filtered pages, newest first, and statistics."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.contacts import get_contact
from store.enums import ContactType
from store.errors import Invalid
from store.filters import CanceledFilter, EntryFilter, contact_scope
from store.models import Contact, InteractionLogEntry

MAX_PAGE = 200


@dataclass(frozen=True)
class EntryRow:
    entry: InteractionLogEntry
    contact_name: str


@dataclass(frozen=True)
class Page:
    rows: list[EntryRow]
    next_before: int | None
    """Pass as `before` to get the next (older) page; None when this is the last."""


def list_entries(
    session: Session, team_id: str, given: EntryFilter, *, limit: int = 50, before: int | None = None
) -> Page:
    """Keyset pagination on the entry number, so page 1,000 costs what page 1 does."""
    if not 1 <= limit <= MAX_PAGE:
        raise Invalid(f"A page holds 1 to {MAX_PAGE} entries.")
    query = (
        select(InteractionLogEntry, Contact.name)
        .outerjoin(
            Contact,
            (Contact.team_id == InteractionLogEntry.team_id) & (Contact.no == InteractionLogEntry.contact_no),
        )
        .where(given.where(team_id))
        .order_by(InteractionLogEntry.entry_no.desc())
        .limit(limit + 1)
    )
    if before is not None:
        query = query.where(InteractionLogEntry.entry_no < before)
    rows = [EntryRow(entry, name or "") for entry, name in session.execute(query)]
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, rows[-1].entry.entry_no if more else None)


def entry_title(entry: InteractionLogEntry, contact_name: str) -> str:
    """As Business Central titles an entry: the description, then who it came from or who made it."""
    if entry.information_flow == "inbound":
        return f"{entry.description} - from {contact_name or entry.contact_no}"
    if entry.information_flow == "outbound":
        return f"{entry.description} - by {entry.salesperson or entry.user_id}"
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
