"""Contacts from a CSV file, in bulk and all or nothing: every row is checked before anything is
written, and the rows are then inserted with a few bulk statements, still numbered, named and versioned as
`add_contact` does it.

Checking takes time and memory in proportion to the file, however broken it is: the first MAX_REPORTED
problems are kept and the others counted, reading stops after STOP_AFTER problems (a file of garbage is
answered at once), and what the csv module refuses (a value over its 131,072 characters) is a problem of
its line like any other."""

import bisect
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from store.contact_search import normalize_name
from store.contacts import CONTACT_NO, TEXT_FIELDS, new_contact_nos, text_problems
from store.db import analyze, chunks
from store.enums import ContactType, CorrespondenceType
from store.errors import Invalid
from store.models import Contact
from store.types import unstorable, utcnow
from store.workspaces import bump_contacts_version, ensure_workspace

IMPORT_COLUMNS = (
    "name",
    "type",
    "company",
    "email",
    "phone",
    "address",
    "city",
    "post_code",
    "country",
    "language_code",
    "salesperson",
    "correspondence_type",
)
COLUMN_ALIASES = {
    "e_mail": "email",
    "language": "language_code",
    "postcode": "post_code",
    "zip": "post_code",
    "zip_code": "post_code",
}
MAX_REPORTED = 10
TEXT = frozenset(TEXT_FIELDS)
FIRST_LINE = re.compile(r"[\r\n]*([^\r\n]*)")
STOP_AFTER = 1000
"""Problems found while reading after which the rest of the file is not read."""
MAX_LINES_NAMED = 5
"""Lines of the file named in one problem (the companies a person's company could be)."""
MAX_ECHOED = 40
"""Characters of a value quoted back in a problem."""
CHUNK = 5000
"""Contacts written per statement batch."""
FIRST_CHUNK = 500

TYPE_WORDS = {
    "company": ContactType.COMPANY,
    "person": ContactType.PERSON,
    "empresa": ContactType.COMPANY,
    "persona": ContactType.PERSON,
}
CORRESPONDENCE_WORDS = {
    "": CorrespondenceType.BLANK,
    "email": CorrespondenceType.EMAIL,
    "e-mail": CorrespondenceType.EMAIL,
    "hard-copy": CorrespondenceType.HARD_COPY,
    "hard copy": CorrespondenceType.HARD_COPY,
}


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


class Problems:
    """What is wrong with the file: the first MAX_REPORTED by line, and how many there are in all."""

    def __init__(self) -> None:
        self.first: list[RowProblem] = []
        self.count = 0
        self.stopped_at = 0
        """The line after which the file was not read (0: it was read to its end)."""

    def add(self, line: int, reason: str) -> None:
        self.count += 1
        if len(self.first) < MAX_REPORTED or line < self.first[-1].line:
            bisect.insort(self.first, RowProblem(line, reason), key=lambda problem: problem.line)
            del self.first[MAX_REPORTED:]

    def __bool__(self) -> bool:
        return self.count > 0


class ImportRejected(Invalid):
    """Nothing was imported; `problems` lists the first bad rows, `count` how many problems there are."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems.first
        self.count = problems.count
        shown = [f"line {p.line}: {p.reason}" for p in self.problems]
        more = self.count - len(shown)
        if more:
            shown.append(f"... and {more:,} more.")
        noun = "problem" if self.count == 1 else "problems"
        if problems.stopped_at:
            found = f"checking stopped at line {problems.stopped_at:,} after {self.count:,} {noun}"
        else:
            found = f"the file has {self.count:,} {noun}"
        super().__init__(f"Nothing was imported: {found}.\n" + "\n".join(shown))


@dataclass(frozen=True)
class ImportResult:
    companies: int
    people: int
    numbers: list[str] = field(repr=False)
    """The new contact numbers, companies first, each group in the order of the file."""


@dataclass(slots=True)
class _Row:
    line: int
    values: dict[str, str]
    type: ContactType
    company: str
    company_row: "_Row | None" = None
    company_no: str = ""
    no: str = ""


def import_contacts(session: Session, team_id: str, source: TextIO | str) -> ImportResult:
    """Import contacts from CSV text with a header row (`name` is required; see IMPORT_COLUMNS). A person's
    `company` is the name or number of a company in the file or already in the workspace. Raises
    ImportRejected, having written nothing, when any row is wrong."""
    text = source if isinstance(source, str) else source.read()
    problems = Problems()
    rows = _parse(text.removeprefix("\ufeff"), problems)
    if not problems.stopped_at:  # with the file half read, its companies are not all known
        _link_companies(session, team_id, rows, problems)
    if problems:
        raise ImportRejected(problems)
    if not rows:
        raise Invalid("The file has no contacts to import.")

    companies = [row for row in rows if row.type is ContactType.COMPANY]
    people = [row for row in rows if row.type is ContactType.PERSON]
    ensure_workspace(session, team_id)
    numbers = new_contact_nos(session, team_id, len(rows))
    for row, no in zip(companies + people, numbers, strict=True):
        row.no = no
    now = utcnow()
    version = bump_contacts_version(session, team_id)
    ordered = companies + people
    # The planner's figures for a fresh table say it is empty, and PostgreSQL then checks each person's
    # company (a foreign key to this same table) by a scan that grows with every row written: quadratic,
    # 100,000 contacts took over 10 minutes. Counting a first small batch makes it an index lookup again.
    first = ordered[:FIRST_CHUNK] if len(ordered) > FIRST_CHUNK else []
    if first:
        session.execute(insert(Contact), [_contact_values(team_id, row, now, version) for row in first])
        analyze(session, Contact)
    for part in chunks(ordered[len(first) :], CHUNK):
        session.execute(insert(Contact), [_contact_values(team_id, row, now, version) for row in part])
    return ImportResult(len(companies), len(people), numbers)


def _parse(text: str, problems: Problems) -> list[_Row]:
    """The rows that make sense on their own; what is wrong with the others goes to `problems`."""
    first_line = FIRST_LINE.match(text).group(1)  # type: ignore[union-attr]  (it matches any text)
    # newline="": the csv module itself reads line ends (\r\n, \n, a lone \r) and those inside quotes.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    records = iter(reader)
    header: list[str] = []
    rows: list[_Row] = []
    end_of_last = 0
    while True:
        if problems.count >= STOP_AFTER:
            problems.stopped_at = end_of_last
            break
        try:
            record = next(records)
        except StopIteration:
            break
        except csv.Error as error:
            line, end_of_last = end_of_last + 1, reader.line_num
            problems.add(line, _unreadable(error))
            continue
        line, end_of_last = end_of_last + 1, reader.line_num
        if not any(value.strip() for value in record):
            continue
        if not header:
            header = [_column_name(name) for name in record]
            if _check_header(header, line, problems):
                return []
            continue
        if len(record) > len(header):
            problems.add(line, f"{len(record)} values for {len(header)} columns (a stray delimiter?).")
            continue
        values = {name: value.strip() for name, value in zip(header, record, strict=False)}
        row, reasons = _check_row(line, values)
        for reason in reasons:
            problems.add(line, reason)
        if row is not None:
            rows.append(row)
    return rows


def _unreadable(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a value is longer than {csv.field_size_limit():,} characters; no column holds that much."
    return f"the line cannot be read as CSV ({error})."


def _echo(value: str) -> str:
    """A value quoted back in a problem, cut short: a problem of a broken file stays one line."""
    return value if len(value) <= MAX_ECHOED else value[: MAX_ECHOED - 1] + "…"


def _delimiter(header: str) -> str:
    """A comma unless the header has more semicolons or tabs: spreadsheets in many locales write those."""
    return max((",", ";", "\t"), key=header.count)


def _column_name(name: str) -> str:
    key = "_".join(name.strip().lower().replace("-", " ").split())
    return COLUMN_ALIASES.get(key, key)


def _check_header(header: list[str], line: int, problems: Problems) -> bool:
    """Whether the header is wrong (each of its problems added)."""
    before = problems.count
    if "name" not in header:
        problems.add(line, "the header has no name column.")
    unknown = [_echo(name) for name in header if name and name not in IMPORT_COLUMNS]
    if unknown:
        problems.add(
            line, f"unknown column {', '.join(unknown[:10])}; the columns are {', '.join(IMPORT_COLUMNS)}."
        )
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        problems.add(line, f"column {', '.join(repeated)} appears more than once.")
    return problems.count > before


def _check_row(line: int, values: dict[str, str]) -> tuple[_Row | None, list[str]]:
    reasons = [f"{column} {problem}" for column, value in values.items() if (problem := unstorable(value))]
    if reasons:  # PostgreSQL would refuse the row, and SQLite must too
        return None, reasons
    if not values.get("name"):
        reasons.append("the name is missing.")
    reasons += text_problems({column: value for column, value in values.items() if value and column in TEXT})
    corres = values.get("correspondence_type", "").lower()
    if corres not in CORRESPONDENCE_WORDS:
        reasons.append(f"correspondence_type {_echo(corres)} is not email or hard-copy.")
    company = values.get("company", "")
    type_word = values.get("type", "").lower()
    if type_word and type_word not in TYPE_WORDS:
        reasons.append(f"type {_echo(values['type'])} is not company or person.")
        return None, reasons
    contact_type = TYPE_WORDS.get(type_word) or (ContactType.PERSON if company else ContactType.COMPANY)
    if company and contact_type is ContactType.COMPANY:
        reasons.append("a company cannot belong to another company; leave company empty or set type person.")
    return _Row(line, values, contact_type, company), reasons


@dataclass(frozen=True)
class _Known:
    no: str
    name: str
    type: str
    search_name: str


def _link_companies(session: Session, team_id: str, rows: list[_Row], problems: Problems) -> None:
    """Point each person at its company: a company row of the file, found by name, else a company of the
    workspace, found by number or name."""
    in_file: dict[str, list[_Row]] = {}
    people_in_file: set[str] = set()
    for row in rows:
        if row.type is ContactType.COMPANY:
            in_file.setdefault(normalize_name(row.values["name"]), []).append(row)
        else:
            people_in_file.add(normalize_name(row.values["name"]))
    wanted = [row for row in rows if row.company]
    numbers = {row.company.upper() for row in wanted if CONTACT_NO.match(row.company)}
    names = {normalize_name(row.company) for row in wanted if not CONTACT_NO.match(row.company)}
    by_no = {known.no: known for known in _workspace_contacts(session, team_id, Contact.no, numbers)}
    by_name: dict[str, list[_Known]] = {}
    for known in _workspace_contacts(session, team_id, Contact.search_name, names - in_file.keys()):
        by_name.setdefault(known.search_name, []).append(known)

    several: dict[str, str] = {}
    """The lines of the file's companies of one name, written once per name (not once per person)."""

    def lines_of(key: str, companies: list[_Row]) -> str:
        if key not in several:
            named = ", ".join(str(r.line) for r in companies[:MAX_LINES_NAMED])
            more = len(companies) - MAX_LINES_NAMED
            several[key] = named + (f" and {more:,} more" if more > 0 else "")
        return several[key]

    def link(row: _Row) -> str:
        """Set the row's company, or say why it cannot be found."""
        if CONTACT_NO.match(row.company):
            known = by_no.get(row.company.upper())
            if known is None:
                return f"contact {_echo(row.company.upper())} does not exist."
            if known.type != ContactType.COMPANY:
                return f"{known.name} ({known.no}) is a person, not a company."
            row.company_no = known.no
            return ""
        key = normalize_name(row.company)
        file_companies = in_file.get(key, [])
        if len(file_companies) == 1:
            row.company_row = file_companies[0]
            return ""
        if file_companies:
            lines = lines_of(key, file_companies)
            return f"several companies in the file are named {_echo(row.company)} (lines {lines})."
        companies = [k for k in by_name.get(key, []) if k.type == ContactType.COMPANY]
        if len(companies) == 1:
            row.company_no = companies[0].no
            return ""
        if companies:
            numbers = ", ".join(k.no for k in companies)
            return f"several companies are named {_echo(row.company)} ({numbers}); give the number instead."
        if key in people_in_file or by_name.get(key):
            return f"{_echo(row.company)} is a person, not a company."
        return f"there is no company named {_echo(row.company)} in the file or in the workspace."

    for row in wanted:
        if reason := link(row):
            problems.add(row.line, reason)


def _workspace_contacts(
    session: Session, team_id: str, column: Any, values: Iterable[str]
) -> Iterator[_Known]:
    for chunk in chunks(sorted(values)):
        query = select(Contact.no, Contact.name, Contact.type, Contact.search_name).where(
            Contact.team_id == team_id, column.in_(chunk)
        )
        for no, name, kind, search_name in session.execute(query):
            yield _Known(no, name, kind, search_name)


def _contact_values(team_id: str, row: _Row, now: datetime, version: int) -> dict[str, Any]:
    values = row.values
    # A person without a company points to itself, as add_contact does.
    company_no = row.company_row.no if row.company_row is not None else row.company_no or row.no
    return {
        "team_id": team_id,
        "no": row.no,
        "type": row.type.value,
        "search_name": normalize_name(values["name"]),
        "company_no": company_no,
        **{column: values.get(column, "") for column in TEXT_FIELDS},
        "language_code": values.get("language_code", "").upper(),
        "correspondence_type": CORRESPONDENCE_WORDS[values.get("correspondence_type", "").lower()].value,
        "created_at": now,
        "search_version": version,
    }
