"""Segment criteria: which contacts a step of building a segment takes, by their fields and by their
interaction history. The criteria of one step are combined with AND; each becomes part of one SQL
condition over the contacts table, so a step is one set-based statement however many contacts match."""

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.util import AliasedClass

from store.contact_search import contacts_version
from store.contacts import find_contact
from store.enums import ContactType
from store.errors import Invalid, NotFound
from store.models import Contact, InteractionGroup, InteractionLogEntry, InteractionTemplate

CONTAINS = ("name", "email", "phone")
"""Fields matched by a part of their text, case aside; the others match the whole value, case aside."""
EQUALS = {
    "type": "type",
    "city": "city",
    "post_code": "post_code",
    "country": "country",
    "language": "language_code",
    "salesperson": "salesperson",
    "correspondence_type": "correspondence_type",
}
CONTACT_FIELDS = (*CONTAINS, "company", *EQUALS)
"""The contact fields a criterion may name (`country=ES`), each once per step."""


@dataclass(frozen=True)
class History:
    """Had (or had not) an entry of a template or group code, canceled entries aside, with optional
    conditions on those entries; or, for a follow-up segment, an entry of a logged segment."""

    code: str = ""
    logged_segment: int | None = None
    had: bool = True
    date_from: date | None = None
    date_to: date | None = None
    evaluation: str | None = None
    failed: bool | None = None


@dataclass(frozen=True)
class Criteria:
    fields: tuple[tuple[str, str], ...] = ()
    """(field, value) pairs over CONTACT_FIELDS; a choice's value is its stored value ("company")."""
    history: tuple[History, ...] = ()
    contacts: tuple[str, ...] = ()
    """Contacts named one by one (numbers or names): the Remove step and contacts added by name."""

    def __bool__(self) -> bool:
        return bool(self.fields or self.history or self.contacts)

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=_iso, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Criteria":
        data: dict[str, Any] = json.loads(text)
        history = tuple(
            History(
                **{
                    **item,
                    "date_from": _date(item.get("date_from")),
                    "date_to": _date(item.get("date_to")),
                }
            )
            for item in data.get("history", ())
        )
        fields = tuple((name, value) for name, value in data.get("fields", ()))
        return cls(fields=fields, history=history, contacts=tuple(data.get("contacts", ())))

    def describe(self) -> str:
        """The criteria as they are typed after `where` (`country=ES had=VISIT from=2026-01-01`)."""
        words = [f"{name}={value}" for name, value in self.fields]
        for item in self.history:
            if item.code:
                words.append(f"{'had' if item.had else 'not-had'}={item.code}")
            if item.logged_segment is not None:
                words.append(f"logged-segment={item.logged_segment}")
            if item.date_from:
                words.append(f"from={item.date_from.isoformat()}")
            if item.date_to:
                words.append(f"to={item.date_to.isoformat()}")
            if item.evaluation:
                words.append(f"evaluation={item.evaluation}")
            if item.failed is not None:
                words.append(f"failed={'yes' if item.failed else 'no'}")
        if self.contacts:
            words.append(", ".join(self.contacts))
        return " ".join(words)


def _iso(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@dataclass
class Resolved:
    """The criteria checked against the workspace: company and contacts found, codes known."""

    criteria: Criteria
    company_no: str = ""
    contact_nos: tuple[str, ...] = ()
    codes: dict[str, str] = field(default_factory=dict)
    """History code -> "template" or "group"."""


def resolve(session: Session, team_id: str, criteria: Criteria) -> Resolved:
    """Check every name and code in the criteria against this workspace; NotFound/Invalid name the first
    one that is not there."""
    resolved = Resolved(criteria)
    names = [name for name, _ in criteria.fields]
    for name in names:
        if name not in CONTACT_FIELDS:
            raise Invalid(
                f"Unknown criterion {name}=. Criteria: {', '.join(f'{f}=' for f in CONTACT_FIELDS)}."
            )
        if names.count(name) > 1:
            raise Invalid(f"{name}= is given twice; a step's criteria all have to hold (AND).")
    for name, value in criteria.fields:
        if name == "company":
            company = find_contact(session, team_id, value)
            if company.type != ContactType.COMPANY:
                raise Invalid(f"{company.name} ({company.no}) is a person, not a company.")
            resolved.company_no = company.no
        elif name == "type" and value not in {t.value for t in ContactType}:
            raise Invalid(f"type={value}: use company or person.")
    for item in criteria.history:
        if item.code and item.code not in resolved.codes:
            resolved.codes[item.code] = _code_kind(session, team_id, item.code)
        if item.date_from and item.date_to and item.date_from > item.date_to:
            raise Invalid(f"from={item.date_from.isoformat()} is after to={item.date_to.isoformat()}.")
    resolved.contact_nos = tuple(
        dict.fromkeys(find_contact(session, team_id, text).no for text in criteria.contacts)
    )
    return resolved


def _code_kind(session: Session, team_id: str, code: str) -> str:
    if session.get(InteractionTemplate, (team_id, code)) is not None:
        return "template"
    if session.get(InteractionGroup, (team_id, code)) is not None:
        return "group"
    raise NotFound(f"{code} is neither an interaction template nor an interaction group here.")


ContactAlias = type[Contact] | AliasedClass[Contact]


def condition(resolved: Resolved, team_id: str, contact: ContactAlias = Contact) -> ColumnElement[bool]:
    """The criteria as one condition on `contact` (AND of all of them)."""
    parts: list[ColumnElement[bool]] = []
    for name, value in resolved.criteria.fields:
        if name in CONTAINS:
            parts.append(getattr(contact, name).icontains(value, autoescape=True))
        elif name == "company":
            parts.append(contact.company_no == resolved.company_no)
        else:
            parts.append(func.lower(getattr(contact, EQUALS[name])) == value.lower())
    for item in resolved.criteria.history:
        # Not a correlated EXISTS: SQLite would then walk the template's entries once per contact. The set
        # of contacts with such entries is read once (a hash on PostgreSQL, a temporary index on SQLite).
        found = contact.no.in_(_entries(resolved, team_id, item))
        parts.append(found if item.had else ~found)
    if resolved.contact_nos:
        parts.append(contact.no.in_(resolved.contact_nos))
    return and_(true(), *parts)


def _entries(resolved: Resolved, team_id: str, item: History) -> Any:
    query = select(InteractionLogEntry.contact_no).where(
        InteractionLogEntry.team_id == team_id, InteractionLogEntry.canceled.is_(False)
    )
    if item.logged_segment is not None:
        query = query.where(InteractionLogEntry.logged_segment_entry_no == item.logged_segment)
    if item.code:
        column = (
            InteractionLogEntry.template_code
            if resolved.codes[item.code] == "template"
            else InteractionLogEntry.group_code
        )
        query = query.where(column == item.code)
    if item.date_from:
        query = query.where(InteractionLogEntry.date >= item.date_from)
    if item.date_to:
        query = query.where(InteractionLogEntry.date <= item.date_to)
    if item.evaluation is not None:
        query = query.where(InteractionLogEntry.evaluation == item.evaluation)
    if item.failed is not None:
        query = query.where(InteractionLogEntry.attempt_failed.is_(item.failed))
    return query


def matching_contacts(resolved: Resolved, team_id: str, *, people: bool = False) -> Any:
    """SELECT of the numbers of the contacts the criteria take; with `people`, the people of the companies
    they take as well (Business Central's Expand Companies)."""
    match = condition(resolved, team_id)
    if people:
        company = aliased(Contact)
        companies = select(company.no).where(
            company.team_id == team_id,
            company.type == ContactType.COMPANY.value,
            condition(resolved, team_id, company),
        )
        match = or_(match, and_(Contact.type == ContactType.PERSON.value, Contact.company_no.in_(companies)))
    return select(Contact.no).where(Contact.team_id == team_id, match)


def count_matching(session: Session, team_id: str, criteria: Criteria, *, people: bool = False) -> int:
    """How many contacts the criteria take (a step's form shows it as the criteria change)."""
    chosen = matching_contacts(resolve(session, team_id, criteria), team_id, people=people)
    return session.scalar(select(func.count()).select_from(chosen.subquery())) or 0


VALUE_FIELDS = ("city", "country", "language", "salesperson")
"""Contact fields whose values a form offers to choose from (those the workspace's contacts have)."""
_values: dict[tuple[str, str, str], tuple[int, dict[str, str]]] = {}


def _values_of(session: Session, team_id: str, name: str) -> dict[str, str]:
    """Every value a contact field has here, by its lowercase. Read once per version of the workspace's
    contacts (as the contact search index is): it takes a scan of them all, 25 ms at 100,000."""
    version = contacts_version(session, team_id)
    key = (str(session.get_bind().url), team_id, name)
    cached = _values.get(key)
    if cached is not None and version is not None and cached[0] == version:
        return cached[1]
    column = getattr(Contact, EQUALS[name])
    query = select(column).where(Contact.team_id == team_id, column != "").group_by(column)
    found = {value.lower(): value for value in session.scalars(query)}
    if version is not None:
        _values[key] = (version, found)
    return found


def field_values(session: Session, team_id: str, name: str, limit: int = 101) -> list[str]:
    """The different values of a contact field in this workspace (case aside), at most `limit`, in order."""
    return sorted(_values_of(session, team_id, name).values())[:limit]


def known_values(session: Session, team_id: str, name: str, candidates: list[str]) -> dict[str, str]:
    """Which of the candidates (lowercase) are values of a contact field here, each with the value as
    stored: what free text ("the people in Madrid") is read against."""
    values = _values_of(session, team_id, name)
    return {text: values[text] for text in candidates if text in values}
