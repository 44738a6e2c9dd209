"""Interaction log entries to CSV or JSON, read a page at a time, so an export's size is not limited by
memory."""

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, select
from sqlalchemy.orm import Session, aliased

from store.enums import ContactType
from store.errors import Invalid
from store.filters import EntryFilter
from store.models import Contact, InteractionLogEntry


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


EXPORT_PAGE = 1000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""In CSV, a text cell starting so gets a leading quote, so a spreadsheet never runs it as a formula: any
text column (codes and document numbers are typed by users or an ERP too), never a number or a date."""


def _export_page(condition: ColumnElement[bool], after: int, limit: int) -> Select[Any]:
    entry = InteractionLogEntry
    contact, company = aliased(Contact), aliased(Contact)
    return (
        select(
            entry.entry_no,
            entry.date,
            entry.time_of_interaction.label("time"),
            entry.contact_no,
            contact.name.label("contact_name"),
            company.no.label("company_no"),
            company.name.label("company_name"),
            entry.template_code,
            entry.group_code,
            entry.description,
            entry.information_flow,
            entry.initiated_by,
            entry.cost,
            entry.duration,
            entry.evaluation,
            entry.attempt_failed,
            entry.canceled,
            entry.user_id,
            entry.salesperson,
            entry.document_type,
            entry.document_no,
        )
        .outerjoin(contact, (contact.team_id == entry.team_id) & (contact.no == entry.contact_no))
        # A person without a company has itself as Contact Company No.; the export leaves it blank.
        .outerjoin(
            company,
            (company.team_id == entry.team_id)
            & (company.no == entry.contact_company_no)
            & (company.type == ContactType.COMPANY.value),
        )
        .where(condition, entry.entry_no > after)
        .order_by(entry.entry_no)
        .limit(limit)
    )


EXPORT_COLUMNS: tuple[str, ...] = tuple(
    column.name for column in _export_page(InteractionLogEntry.canceled, 0, 1).selected_columns
)


def export_entries(
    session: Session,
    team_id: str,
    given: EntryFilter,
    fmt: ExportFormat | str,
    *,
    page_size: int = EXPORT_PAGE,
) -> Iterator[bytes]:
    """The entries the filter selects, oldest first, as UTF-8 chunks of a CSV file (with a header row)
    or of a JSON array. Money stays exact: "12.50" in both formats. Each chunk after the first is one
    page of entries read when it is asked for, so the session must stay open until the iterator is used
    up. A bad filter raises here, before any chunk."""
    if fmt not in tuple(ExportFormat):
        raise Invalid(f"Entries export as {' or '.join(ExportFormat)}, not {fmt}.")
    condition = given.where(team_id)
    if ExportFormat(fmt) is ExportFormat.CSV:
        return _csv_chunks(_pages(session, condition, page_size))
    return _json_chunks(_pages(session, condition, page_size))


def _pages(
    session: Session, condition: ColumnElement[bool], page_size: int
) -> Iterator[Sequence[RowMapping]]:
    """Keyset pages on the entry number: each page costs the same, however far into the log it is."""
    after = 0
    while True:
        rows = session.execute(_export_page(condition, after, page_size)).mappings().all()
        if rows:
            yield rows
            after = rows[-1]["entry_no"]
        if len(rows) < page_size:
            return


def _csv_chunks(pages: Iterator[Sequence[RowMapping]]) -> Iterator[bytes]:
    yield _csv_text([EXPORT_COLUMNS])
    for rows in pages:
        yield _csv_text([_csv_value(name, row[name]) for name in EXPORT_COLUMNS] for row in rows)


def _csv_text(rows: Iterable[Iterable[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def _csv_value(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def _json_chunks(pages: Iterator[Sequence[RowMapping]]) -> Iterator[bytes]:
    yield b"["
    separator = "\n"
    for rows in pages:
        objects = [
            json.dumps({n: _json_value(row[n]) for n in EXPORT_COLUMNS}, ensure_ascii=False) for row in rows
        ]
        yield (separator + ",\n".join(objects)).encode()
        separator = ",\n"
    yield b"\n]\n" if separator != "\n" else b"]\n"


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | time):
        return value.isoformat()
    return value
