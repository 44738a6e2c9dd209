"""Which interaction log entries a list, a statistic or a purge is about."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, select
from sqlalchemy.orm import Session

from store.contacts import CONTACT_NO, find_contact
from store.enums import ContactType
from store.errors import Invalid
from store.models import Contact, InteractionGroup, InteractionTemplate, Segment
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
_ENTRY = Entry.__table__.c
"""The entries' table columns, not the mapped attributes: a statement built only of Core columns skips the
ORM's compiling and loading when a session runs it (a page's query cost twice as much through the ORM)."""
_TESTS: dict[str, Callable[[Any], ColumnElement[bool]]] = {
    "team_id": lambda value: _ENTRY.team_id == value,
    "postponed": lambda value: _ENTRY.postponed == value,
    "canceled": lambda value: _ENTRY.canceled == value,
    "canceled_through": lambda value: _ENTRY.cancellation_no <= value,
    "entry_nos": lambda value: _ENTRY.entry_no.in_(value),
    "contact_no": lambda value: _ENTRY.contact_no == value,
    "company_no": lambda value: _ENTRY.contact_company_no == value,
    "segment_no": lambda value: _ENTRY.segment_no == value,
    "template_code": lambda value: _ENTRY.template_code == value,
    "group_code": lambda value: _ENTRY.group_code == value,
    "salesperson": lambda value: _ENTRY.salesperson == value,
    "user_id": lambda value: _ENTRY.user_id == value,
    "document_type": lambda value: _ENTRY.document_type == value,
    "document_no": lambda value: _ENTRY.document_no == value,
    "logged_segment_entry_no": lambda value: _ENTRY.logged_segment_entry_no == value,
    "date_from": lambda value: _ENTRY.date >= value,
    "date_to": lambda value: _ENTRY.date <= value,
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
    return select(func.count()).select_from(Entry.__table__).where(condition(names))


class _Typed(Protocol):
    no: str
    type: str


def contact_scope(contact: Contact | _Typed) -> dict[str, str]:
    """The EntryFilter fields that select a contact's entries: a company's include its people's (Business
    Central's Contact Company No.), a person's are their own."""
    return {"company_no": contact.no} if contact.type == ContactType.COMPANY else {"contact_no": contact.no}


_CONTACTS = Contact.__table__.c
_CONTACT_TYPE = select(_CONTACTS.no, _CONTACTS.type).where(
    _CONTACTS.team_id == bindparam("team_id"), _CONTACTS.no == bindparam("key")
)


def _scope_of(session: Session, team_id: str, contact: str) -> dict[str, str]:
    """A contact given by number (as buttons and pages give it) is one Core query; a name, an e-mail, or a
    number that is not there goes to find_contact, which explains."""
    if CONTACT_NO.match(contact.strip()):
        found = session.execute(_CONTACT_TYPE, {"team_id": team_id, "key": contact.strip().upper()}).first()
        if found is not None:
            return contact_scope(found)
    return contact_scope(find_contact(session, team_id, contact))


Coded = Segment | InteractionTemplate | InteractionGroup
_LOOKUP: dict[type[Coded], tuple[str, Callable[[Session, str, str], Any], str]] = {
    Segment: ("no", get_segment, "segment_no"),
    InteractionTemplate: ("code", get_template, "template_code"),
    InteractionGroup: ("code", get_group, "group_code"),
}
"""For each kind of record: its code's column, its getter, and the entries' column that holds the code."""


@cache
def _having(model: type[Coded]) -> Select[tuple[str]]:
    columns, (key, _, _) = model.__table__.c, _LOOKUP[model]
    found = columns[key]
    return select(found).where(columns.team_id == bindparam("team_id"), found == bindparam("key"))


@cache
def _logged_with(model: type[Coded]) -> Select[tuple[str]]:
    held = _ENTRY[_LOOKUP[model][2]]
    return select(held).where(_ENTRY.team_id == bindparam("team_id"), held == bindparam("key")).limit(1)


def _known(session: Session, team_id: str, model: type[Coded], code: str) -> str:
    """The code if a record has it, or entries still do (a template deleted since); one Core query, no
    object loaded (a template loaded as one cost twice the page's own query). Otherwise the model's getter
    raises its NotFound, naming the codes there are."""
    values = {"team_id": team_id, "key": code.strip().upper()}
    found = session.scalar(_having(model), values) or session.scalar(_logged_with(model), values)
    if found is not None:
        return str(found)
    key, get, _ = _LOOKUP[model]
    return str(getattr(get(session, team_id, code), key))


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
    return EntryFilter(
        **(_scope_of(session, team_id, contact) if contact.strip() else {}),
        segment_no=_known(session, team_id, Segment, segment) if segment.strip() else "",
        template_code=_known(session, team_id, InteractionTemplate, template) if template.strip() else "",
        group_code=_known(session, team_id, InteractionGroup, group) if group.strip() else "",
        canceled=canceled,
        date_from=date_from,
        date_to=date_to,
    )
