"""Contacts: companies and the people who work for them."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from store.contact_search import normalize_name, search_contacts
from store.enums import ContactType, CorrespondenceType
from store.errors import Ambiguous, Conflict, Invalid, NotFound
from store.models import Contact, InteractionLogEntry
from store.numbering import reserve
from store.workspaces import bump_contacts_version, ensure_workspace

CONTACT_NO = re.compile(r"^CT\d{6,}$", re.IGNORECASE)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CLEAR_WINNER = 90.0
CLEAR_LEAD = 5.0
WORTH_OFFERING = 60.0
TEXT_FIELDS = (
    "name",
    "email",
    "phone",
    "address",
    "city",
    "post_code",
    "country",
    "language_code",
    "salesperson",
)
"""A contact's free-text fields, stored trimmed (the language code upper-cased)."""
EDITABLE_FIELDS = (*TEXT_FIELDS, "type", "correspondence_type")


@dataclass(frozen=True)
class NewContact:
    name: str
    type: ContactType | None = None
    company: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    city: str = ""
    post_code: str = ""
    country: str = ""
    language_code: str = ""
    salesperson: str = ""
    correspondence_type: CorrespondenceType = CorrespondenceType.BLANK


def add_contact(session: Session, team_id: str, new: NewContact) -> Contact:
    """A contact given a company is a person of that company; otherwise a company (Business Central's
    default), unless the type says otherwise."""
    text = {field: _clean(field, getattr(new, field)) for field in TEXT_FIELDS}
    if not text["name"]:
        raise Invalid("A contact needs a name.")
    _check_text(text)
    contact_type = new.type or (ContactType.PERSON if new.company else ContactType.COMPANY)
    company = None
    if new.company:
        if contact_type is ContactType.COMPANY:
            raise Invalid(
                "A company cannot belong to another company; leave out company= or use type=person."
            )
        company = find_contact(session, team_id, new.company)
        if company.type != ContactType.COMPANY:
            raise Invalid(f"{company.name} ({company.no}) is a person, not a company.")

    ensure_workspace(session, team_id)
    (no,) = new_contact_nos(session, team_id)
    contact = Contact(
        team_id=team_id,
        no=no,
        type=contact_type.value,
        search_name=normalize_name(text["name"]),
        company_no=company.no if company else no,
        correspondence_type=new.correspondence_type.value,
        search_version=bump_contacts_version(session, team_id),
        **text,
    )
    session.add(contact)
    session.flush()
    return contact


def _clean(field: str, value: str) -> str:
    value = value.strip()
    return value.upper() if field == "language_code" else value


def text_problems(text: Mapping[str, str]) -> list[str]:
    """What is wrong with these (trimmed) text fields: longer than the column holds, or an e-mail address
    that is not one. Adding, changing and importing contacts all check with this."""
    problems = []
    for field, value in text.items():
        limit = Contact.__table__.c[field].type.length
        if limit and len(value) > limit:
            problems.append(f"{field} is longer than {limit} characters.")
    email = text.get("email", "")
    if email and not EMAIL.match(email):
        problems.append(f"{email} is not an e-mail address.")
    return problems


def _check_text(text: Mapping[str, str]) -> None:
    problems = text_problems(text)
    if problems:
        raise Invalid(" ".join(problems))


def new_contact_nos(session: Session, team_id: str, count: int = 1) -> list[str]:
    """`count` unused numbers (CT000001, ...) from the workspace's series, stepping over numbers that rows
    added by other means already hold. An import's (count > 1) are reserved apart (store.numbering)."""
    numbers: list[str] = []
    while len(numbers) < count:
        wanted = count - len(numbers)
        first = reserve(session, team_id, "contact", wanted, apart=count > 1)
        candidates = [f"CT{n:06d}" for n in range(first, first + wanted)]
        in_range = Contact.no.between(candidates[0], candidates[-1])
        taken = set(session.scalars(select(Contact.no).where(Contact.team_id == team_id, in_range)))
        numbers += [no for no in candidates if no not in taken]
    return numbers


def get_contact(session: Session, team_id: str, no: str) -> Contact:
    contact = session.get(Contact, (team_id, no.upper()))
    if contact is None:
        raise NotFound(f"Contact {no} does not exist.")
    return contact


def find_contact(session: Session, team_id: str, text: str) -> Contact:
    """A contact by number, e-mail address or name; a name may be misspelt. When several contacts fit
    about equally well, Ambiguous lists them to choose from."""
    text = text.strip()
    if not text:
        raise Invalid("Say which contact: a number such as CT000001, a name or an e-mail address.")
    if CONTACT_NO.match(text):
        return get_contact(session, team_id, text)
    if "@" in text:
        by_email = _by_email(session, team_id, text)
        if len(by_email) == 1:
            return by_email[0]
        if by_email:  # a company and its person often share one address
            raise _ambiguous(text, [(c.no, _label(c)) for c in by_email])
    exact = session.scalars(
        select(Contact)
        .where(Contact.team_id == team_id, Contact.search_name == normalize_name(text))
        .order_by(Contact.no)
        .limit(6)
    ).all()
    if len(exact) == 1:
        return exact[0]
    if exact:
        raise _ambiguous(text, [(c.no, _label(c)) for c in exact])
    partial = _by_name_part(session, team_id, normalize_name(text))
    if len(partial) == 1:
        return partial[0]
    matches = search_contacts(session, team_id, text, limit=5)
    if (
        matches
        and matches[0].score >= CLEAR_WINNER
        and (len(matches) == 1 or matches[0].score - matches[1].score >= CLEAR_LEAD)
    ):
        return get_contact(session, team_id, matches[0].no)
    offered = [m for m in matches if m.score >= WORTH_OFFERING]
    if offered:
        contacts = {c.no: c for c in _contacts(session, team_id, [m.no for m in offered])}
        raise _ambiguous(text, [(m.no, _label(contacts[m.no])) for m in offered if m.no in contacts])
    raise NotFound(f"No contact matches “{text}”. Check the spelling, or add the contact first.")


def _by_email(session: Session, team_id: str, email: str) -> Sequence[Contact]:
    query = select(Contact).where(Contact.team_id == team_id, func.lower(Contact.email) == email.lower())
    return session.scalars(query.order_by(Contact.no)).all()


def contact_with_email(session: Session, team_id: str, email: str) -> Contact | None:
    """The one contact with this e-mail address; when a company and its person share it, the person
    (someone wrote the message). None when no contact has it, or several people do."""
    email = email.strip()
    if not EMAIL.match(email):
        return None
    found = _by_email(session, team_id, email)
    people = [c for c in found if c.type == ContactType.PERSON.value]
    if len(found) == 1:
        return found[0]
    return people[0] if len(people) == 1 else None


def _by_name_part(session: Session, team_id: str, name: str) -> Sequence[Contact]:
    """Contacts with a word of their name starting with the text: "adatum" is Adatum Corporation."""
    if len(name) < 3:
        return []
    word_starts = Contact.search_name.startswith(name, autoescape=True) | Contact.search_name.contains(
        " " + name, autoescape=True
    )
    query = select(Contact).where(Contact.team_id == team_id, word_starts)
    return session.scalars(query.limit(2)).all()


def _ambiguous(text: str, choices: list[tuple[str, str]]) -> Ambiguous:
    return Ambiguous(f"More than one contact could be “{text}”. Did you mean one of these?", choices, text)


def _label(contact: Contact) -> str:
    return f"{contact.name} ({contact.no})"


def _contacts(session: Session, team_id: str, numbers: Sequence[str]) -> Sequence[Contact]:
    return session.scalars(select(Contact).where(Contact.team_id == team_id, Contact.no.in_(numbers))).all()


def list_contacts(
    session: Session, team_id: str, text: str = "", limit: int = 50, kind: ContactType | None = None
) -> list[Contact]:
    """Contacts whose name contains the text (or that fuzzy-match it), else all, by number; `kind`: only
    companies, or only people."""
    query = select(Contact).where(Contact.team_id == team_id).order_by(Contact.no).limit(limit)
    if kind is not None:
        query = query.where(Contact.type == kind.value)
    if not text.strip():
        return list(session.scalars(query))
    found = list(
        session.scalars(query.where(Contact.search_name.contains(normalize_name(text), autoescape=True)))
    )
    return found or _closest(session, team_id, text, limit, kind)


def _closest(
    session: Session, team_id: str, text: str, limit: int, kind: ContactType | None = None
) -> list[Contact]:
    """The contacts whose name is closest to the text (a misspelt one), best first."""
    numbers = [
        m.no for m in search_contacts(session, team_id, text, limit=limit) if m.score >= WORTH_OFFERING
    ]
    by_no = {c.no: c for c in _contacts(session, team_id, numbers) if kind is None or c.type == kind}
    return [by_no[no] for no in numbers if no in by_no]


@dataclass(frozen=True)
class ContactPage:
    contacts: list[Contact]
    next_after: str | None
    """Pass as `after` for the next page; None on the last."""
    previous_before: str | None
    """Pass as `before` for the page before; None on the first."""
    closest: bool = False
    """No name contains the text: these are the closest names, best first, on one page."""


def contact_page(
    session: Session,
    team_id: str,
    text: str = "",
    *,
    limit: int = 20,
    after: str | None = None,
    before: str | None = None,
) -> ContactPage:
    """A page of the contacts whose name contains the text (all when there is none), by number. Pages go
    on from a contact number (keyset), so a page stays where it was when contacts are added meanwhile:
    they are numbered after every other."""
    query = select(Contact).where(Contact.team_id == team_id)
    if text.strip():
        query = query.where(Contact.search_name.contains(normalize_name(text), autoescape=True))
    if before is not None:
        rows = list(
            session.scalars(query.where(Contact.no < before).order_by(Contact.no.desc()).limit(limit + 1))
        )
        shown = rows[:limit][::-1]
        earlier = len(rows) > limit
        later = bool(shown) and _any(session, query.where(Contact.no >= before))
    else:
        start = query.where(Contact.no > after) if after is not None else query
        rows = list(session.scalars(start.order_by(Contact.no).limit(limit + 1)))
        shown = rows[:limit]
        later = len(rows) > limit
        earlier = bool(shown) and after is not None and _any(session, query.where(Contact.no <= after))
    if not shown and text.strip() and after is None and before is None:
        return ContactPage(_closest(session, team_id, text, limit), None, None, closest=True)
    return ContactPage(shown, shown[-1].no if later else None, shown[0].no if earlier else None)


def _any(session: Session, query: Select[tuple[Contact]]) -> bool:
    return bool(session.scalar(select(query.limit(1).exists())))


def longest_known_name(session: Session, team_id: str, words: list[str]) -> int:
    """How many leading words name a contact: the longest run that is a whole name ("John Smith Called
    back" -> 2); else the first word alone when it is a word of some contact's name ("Kim quick check-in"
    -> 1, for find_contact to find Kim Akers or ask which Kim); 0 when neither."""
    names = {normalize_name(" ".join(words[:size])): size for size in range(1, min(len(words), 12) + 1)}
    known = session.scalars(
        select(Contact.search_name).where(Contact.team_id == team_id, Contact.search_name.in_(names))
    ).all()
    whole = max((names[name] for name in known), default=0)
    if whole or not words:
        return whole
    return 1 if _is_name_word(session, team_id, normalize_name(words[0])) else 0


def _is_name_word(session: Session, team_id: str, word: str) -> bool:
    """Whether some contact's name has this whole word ("kim" of Kim Akers; "jon" is not Jones)."""
    if len(word) < 3 or " " in word:
        return False
    name = Contact.search_name
    has = (
        name.startswith(word + " ", autoescape=True)
        | name.endswith(" " + word, autoescape=True)
        | name.contains(" " + word + " ", autoescape=True)
    )
    return session.scalar(select(Contact.no).where(Contact.team_id == team_id, has).limit(1)) is not None


def company_names(session: Session, team_id: str, contacts: Sequence[Contact]) -> dict[str, str]:
    """The name of each person's company, by the person's number. A person on their own is their own
    company (as in Business Central): they have none to show."""
    wanted = {c.company_no for c in contacts if c.type == ContactType.PERSON and c.company_no != c.no}
    query = select(Contact.no, Contact.name).where(Contact.team_id == team_id, Contact.no.in_(wanted))
    names: dict[str, str] = {no: name for no, name in session.execute(query)}
    return {c.no: names[c.company_no] for c in contacts if c.company_no in names and c.no != c.company_no}


def count_people(session: Session, team_id: str, company: Contact) -> int:
    """How many people belong to a company."""
    query = select(func.count()).where(
        Contact.team_id == team_id, Contact.company_no == company.no, Contact.no != company.no
    )
    return session.scalar(query) or 0


CACHED = {"name", "email", "city", "country", "language_code", "salesperson"}
"""Fields read into caches kept per version of the workspace's contacts (the search index, the values a
segment step's form offers and Tell Me reads)."""


def change_contact(session: Session, team_id: str, no: str, **changes: str) -> Contact:
    """Change fields of a contact, checked as when it was added. The type cannot change once log entries
    refer to the contact, nor while people belong to a company."""
    contact = get_contact(session, team_id, no)
    unknown = [field for field in changes if field not in EDITABLE_FIELDS]
    if unknown:
        raise Invalid(f"A contact has no field {', '.join(unknown)}.")
    values = {field: _clean(field, value) for field, value in changes.items() if field in TEXT_FIELDS}
    if "name" in values and not values["name"]:
        raise Invalid("A contact needs a name.")
    _check_text(values)
    if "correspondence_type" in changes:
        values["correspondence_type"] = _choice(CorrespondenceType, changes["correspondence_type"]).value
    if "type" in changes:
        new_type = _choice(ContactType, changes["type"])
        if new_type != contact.type:
            _check_type_change(session, contact)
            values["type"] = new_type.value
            values["company_no"] = contact.no  # a company points to itself; so does a person without one
    for field, value in values.items():
        setattr(contact, field, value)
    if "name" in values:
        contact.search_name = normalize_name(contact.name)
    if values.keys() & CACHED:  # the search index and the step form's values are kept per version
        contact.search_version = bump_contacts_version(session, team_id)
    session.flush()
    return contact


def _check_type_change(session: Session, contact: Contact) -> None:
    entries = exists().where(
        InteractionLogEntry.team_id == contact.team_id, InteractionLogEntry.contact_no == contact.no
    )
    if session.scalar(select(entries)):
        raise Conflict(f"The type of {contact.name} cannot change: interaction log entries refer to it.")
    people = exists().where(
        Contact.team_id == contact.team_id, Contact.company_no == contact.no, Contact.no != contact.no
    )
    if session.scalar(select(people)):
        raise Conflict(f"The type of {contact.name} cannot change: people belong to it.")


Choice = TypeVar("Choice", ContactType, CorrespondenceType)


def _choice(kind: type[Choice], value: str) -> Choice:
    try:
        return kind(value.strip().lower())
    except ValueError:
        allowed = " or ".join(member.value for member in kind if member.value)
        raise Invalid(f"{value} is not {allowed}.") from None
