"""Which interaction log entries a list, a statistic or a purge is about."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from store.contacts import find_contact
from store.enums import ContactType
from store.errors import Invalid
from store.models import Contact
from store.models import InteractionLogEntry as Entry
from store.segments import get_segment
from store.templates import get_group, get_template


class CanceledFilter(StrEnum):
    YES = "yes"
    NO = "no"
    ALL = "all"


@dataclass(frozen=True)
class EntryFilter:
    entry_nos: tuple[int, ...] = ()
    contact_no: str = ""
    company_no: str = ""
    segment_no: str = ""
    logged_segment_entry_no: int | None = None
    template_code: str = ""
    group_code: str = ""
    salesperson: str = ""
    user_id: str = ""
    canceled: CanceledFilter = CanceledFilter.ALL
    canceled_through: int | None = None
    """Only entries canceled by this cancellation (see store.cancellation) or an earlier one."""
    postponed: bool = False
    date_from: date | None = None
    date_to: date | None = None
    document_type: str = ""
    document_no: str = ""

    def where(self, team_id: str) -> ColumnElement[bool]:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise Invalid(f"The date range ends ({self.date_to}) before it starts ({self.date_from}).")
        conditions: list[ColumnElement[bool]] = [Entry.team_id == team_id, Entry.postponed == self.postponed]
        if self.canceled is not CanceledFilter.ALL:
            conditions.append(Entry.canceled == (self.canceled is CanceledFilter.YES))
        if self.canceled_through is not None:
            conditions.append(Entry.cancellation_no <= self.canceled_through)
        if self.entry_nos:
            conditions.append(Entry.entry_no.in_(self.entry_nos))
        if self.contact_no:
            conditions.append(Entry.contact_no == self.contact_no)
        if self.company_no:
            conditions.append(Entry.contact_company_no == self.company_no)
        equal = {
            Entry.segment_no: self.segment_no,
            Entry.template_code: self.template_code,
            Entry.group_code: self.group_code,
            Entry.salesperson: self.salesperson,
            Entry.user_id: self.user_id,
            Entry.document_type: self.document_type,
            Entry.document_no: self.document_no,
        }
        conditions += [column == value for column, value in equal.items() if value]
        if self.logged_segment_entry_no is not None:
            conditions.append(Entry.logged_segment_entry_no == self.logged_segment_entry_no)
        if self.date_from:
            conditions.append(Entry.date >= self.date_from)
        if self.date_to:
            conditions.append(Entry.date <= self.date_to)
        return and_(*conditions)


def count_entries(session: Session, team_id: str, given: EntryFilter) -> int:
    query = select(func.count()).select_from(Entry).where(given.where(team_id))
    return session.scalar(query) or 0


def contact_scope(contact: Contact) -> dict[str, str]:
    """The EntryFilter fields that select a contact's entries: a company's include its people's (Business
    Central's Contact Company No.), a person's are their own."""
    return {"company_no": contact.no} if contact.type == ContactType.COMPANY else {"contact_no": contact.no}


def entry_filter(
    session: Session,
    team_id: str,
    *,
    contact: str = "",
    segment: str = "",
    template: str = "",
    group: str = "",
    canceled: CanceledFilter = CanceledFilter.ALL,
    date_from: date | None = None,
    date_to: date | None = None,
) -> EntryFilter:
    """The filter for what a user named, each named record checked to exist in the workspace (an unknown
    template is an error, not an empty list)."""
    scope = contact_scope(find_contact(session, team_id, contact)) if contact.strip() else {}
    return EntryFilter(
        **scope,
        segment_no=get_segment(session, team_id, segment).no if segment.strip() else "",
        template_code=get_template(session, team_id, template).code if template.strip() else "",
        group_code=get_group(session, team_id, group).code if group.strip() else "",
        canceled=canceled,
        date_from=date_from,
        date_to=date_to,
    )
