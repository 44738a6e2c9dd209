"""Which interaction log entries a list, a statistic or a purge is about."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, select
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
        return and_(*(_TESTS[name](value) for name, value in self.values(team_id).items()))

    def values(self, team_id: str) -> dict[str, Any]:
        """The values the filter compares, by the names of their bind parameters in `condition`."""
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise Invalid(f"The date range ends ({self.date_to}) before it starts ({self.date_from}).")
        values: dict[str, Any] = {"team_id": team_id, "postponed": self.postponed}
        if self.canceled is not CanceledFilter.ALL:
            values["canceled"] = self.canceled is CanceledFilter.YES
        for name in _OPTIONAL:
            value = getattr(self, name)
            if value is not None and value != "" and value != ():
                values[name] = value
        return values


_OPTIONAL = (
    "canceled_through",
    "entry_nos",
    "contact_no",
    "company_no",
    "segment_no",
    "template_code",
    "group_code",
    "salesperson",
    "user_id",
    "document_type",
    "document_no",
    "logged_segment_entry_no",
    "date_from",
    "date_to",
)
_TESTS: dict[str, Callable[[Any], ColumnElement[bool]]] = {
    "team_id": lambda value: Entry.team_id == value,
    "postponed": lambda value: Entry.postponed == value,
    "canceled": lambda value: Entry.canceled == value,
    "canceled_through": lambda value: Entry.cancellation_no <= value,
    "entry_nos": lambda value: Entry.entry_no.in_(value),
    "contact_no": lambda value: Entry.contact_no == value,
    "company_no": lambda value: Entry.contact_company_no == value,
    "segment_no": lambda value: Entry.segment_no == value,
    "template_code": lambda value: Entry.template_code == value,
    "group_code": lambda value: Entry.group_code == value,
    "salesperson": lambda value: Entry.salesperson == value,
    "user_id": lambda value: Entry.user_id == value,
    "document_type": lambda value: Entry.document_type == value,
    "document_no": lambda value: Entry.document_no == value,
    "logged_segment_entry_no": lambda value: Entry.logged_segment_entry_no == value,
    "date_from": lambda value: Entry.date >= value,
    "date_to": lambda value: Entry.date <= value,
}


@cache
def condition(names: tuple[str, ...]) -> ColumnElement[bool]:
    """The entries whose fields `names` hold the values bound to the parameters of those names. Built
    once for each shape of filter (which of its fields are set): building a statement took longer than
    running it, and a statement built once is compiled once."""
    return and_(*(_TESTS[name](bindparam(name, expanding=name == "entry_nos")) for name in names))


def count_entries(session: Session, team_id: str, given: EntryFilter) -> int:
    values = given.values(team_id)
    return session.scalar(_counting(tuple(values)), values) or 0


@cache
def _counting(names: tuple[str, ...]) -> Select[tuple[int]]:
    return select(func.count()).select_from(Entry).where(condition(names))


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
