"""The fields of a document event as the webhook's JSON body and each line of a batch file give them:
decoded, typed and bounded here, so every refusal is a message naming the field (never a database
error). The same rules on SQLite and PostgreSQL: no NUL characters or lone surrogates in text, and whole
numbers within the column."""

import datetime as dt
import json
from collections.abc import Mapping

from commands import inputs
from store.documents import DocumentEvent, InvalidField
from store.enums import DocumentKind
from store.types import unstorable

MAX_TEAM_ID = 32
MAX_CONTACT = 250
MAX_INT = inputs.MAX_INT
NUMBERS_AS_TEXT = frozenset({"document_no", "event_id"})
"""ERP exports often give these numbers as numbers."""


class LongNumber(str):
    """A whole number in the JSON too long to be one of ours (over 20 digits), kept as its digits: Python
    would refuse to read one of over 4,300 digits at all, and no column holds one of over 19."""


def decode_document(raw: bytes | str) -> object:
    """The decoded JSON of a body or a line; InvalidField("body", ...) when it is none."""
    try:
        return json.loads(raw, parse_int=_integer)
    except RecursionError:
        raise InvalidField("body", "nested too deeply; send a flat JSON object.") from None
    except ValueError:  # UnicodeDecodeError too: the bytes are not UTF-8
        raise InvalidField("body", "not valid JSON.") from None


def _integer(digits: str) -> int | LongNumber:
    return int(digits) if len(digits.lstrip("-")) <= 20 else LongNumber(digits)


def claimed_team(data: object) -> str:
    """The team_id a decoded body names, when it is one that could exist ("" otherwise): which
    workspace's secrets its signature is checked against."""
    team_id = data.get("team_id") if isinstance(data, dict) else None
    if not isinstance(team_id, str) or isinstance(team_id, LongNumber):
        return ""
    team_id = team_id.strip()
    return team_id if 0 < len(team_id) <= MAX_TEAM_ID and not unstorable(team_id) else ""


def parse_document(
    data: object, *, default_team: str = "", require_event_id: bool = True
) -> tuple[str, DocumentEvent]:
    """A document event from a decoded JSON object (the webhook body, a line of a batch file).
    InvalidField names the first wrong field."""
    if not isinstance(data, dict):
        raise InvalidField("body", "send a JSON object.")
    team_id = _text(data, "team_id", required=not default_team) or default_team
    if len(team_id) > MAX_TEAM_ID:
        raise InvalidField("team_id", f"at most {MAX_TEAM_ID} characters.")
    kind = _text(data, "document_type", required=True)
    try:
        document_type = inputs.DOCUMENT_KIND.parse(kind, None, "document_type")
    except inputs.UsageError:
        known = ", ".join(k.value for k in DocumentKind)
        raise InvalidField(
            "document_type", f"{kind[:50]!r} is not a document kind; use one of: {known}."
        ) from None
    contact = _text(data, "contact", required=True)
    if len(contact) > MAX_CONTACT:
        raise InvalidField("contact", f"at most {MAX_CONTACT} characters.")
    return team_id, DocumentEvent(
        event_id=_text(data, "event_id", required=require_event_id),
        document_type=document_type,
        document_no=_text(data, "document_no", required=True),
        contact=contact,
        date=_date(data.get("date")),
        description=_text(data, "description"),
        salesperson=_text(data, "salesperson"),
        version_no=_whole_number(data.get("version_no")),
        preview=_flag(data.get("preview")),
    )


def _text(data: Mapping[str, object], field: str, *, required: bool = False) -> str:
    value = data.get(field)
    if value is None or value == "":
        if required:
            raise InvalidField(field, "this field is required.")
        return ""
    if isinstance(value, LongNumber) or (isinstance(value, int) and not isinstance(value, bool)):
        if field not in NUMBERS_AS_TEXT:
            raise InvalidField(field, "must be a string.")
        value = str(value)
    if not isinstance(value, str):
        raise InvalidField(field, "must be a string.")
    problem = unstorable(value)
    if problem:
        raise InvalidField(field, problem)
    return value.strip()


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and not isinstance(value, LongNumber):
        try:
            return inputs.ISO_DATE.parse(value, None, "date")
        except inputs.UsageError:
            pass
    raise InvalidField("date", "use the form YYYY-MM-DD, such as 2026-03-31.")


def _whole_number(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, LongNumber) or (isinstance(value, int) and abs(value) > MAX_INT):
        raise InvalidField("version_no", f"out of range: a version number is 0 to {MAX_INT:,}.")
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidField("version_no", "must be a whole number.")
    return value


def _flag(value: object) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidField("preview", "must be true or false.")
    return value
