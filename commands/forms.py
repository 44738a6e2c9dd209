"""Forms the adapters render (a Slack modal, console prompts). An action declares its form (see
commands.action.FormSpec): how it is built, pre-filled, and read back into the action's arguments."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from commands.context import Context
from commands.inputs import Kind, UsageError
from store.contact_search import search_contacts
from store.contacts import list_contacts
from store.db import reading
from store.enums import ContactType
from store.segments import segment_descriptions

FieldKind = Literal["text", "long_text", "select", "external_select", "date", "time", "number", "checkbox"]
SELECT_LIMIT = 100


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: FieldKind
    value: str = ""
    options: tuple[tuple[str, str], ...] = ()
    optional: bool = False
    dispatch: bool = False
    """Re-render the form when this field changes (the template pre-fills the rest)."""


@dataclass(frozen=True)
class Form:
    kind: str
    """The action whose form this is."""
    title: str
    submit: str
    fields: tuple[Field, ...]
    note: str = ""
    """A line shown under the fields, worked out as they change (a live count)."""


class FormErrors(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def read_fields(
    ctx: Context,
    values: Mapping[str, str],
    kinds: Mapping[str, Kind],
    required: tuple[str, ...] = (),
    convert: Mapping[str, Callable[[str], Any]] | None = None,
) -> dict[str, Any]:
    """The fields read by the same kinds as the typed command; every bad or missing field is named."""
    errors: dict[str, str] = {}
    found: dict[str, Any] = {}
    for name, kind in kinds.items():
        text = values.get(name, "").strip()
        if not text:
            if name in required:
                errors[name] = f"Choose a {name}." if kind.label.startswith("a ") else f"Give {kind.label}."
            continue
        try:
            found[name] = kind.parse(text, ctx, name)
        except UsageError as failure:
            errors[name] = failure.message
    if errors:
        raise FormErrors(errors)
    return found


def contact_options(ctx: Context, query: str) -> list[tuple[str, str]]:
    """Options for a contact picker as the user types (Slack's external select)."""
    with reading(ctx.sessions) as session:
        if not query.strip():
            return [
                (c.no, f"{c.name} ({c.no})") for c in list_contacts(session, ctx.team_id, limit=SELECT_LIMIT)
            ]
        matches = search_contacts(session, ctx.team_id, query, limit=20)
    return [(m.no, f"{m.name} ({m.no})") for m in matches]


def company_options(ctx: Context, query: str) -> list[tuple[str, str]]:
    """Options for a company picker (a step's Company criterion) as the user types."""
    with reading(ctx.sessions) as session:
        found = list_contacts(session, ctx.team_id, query, limit=SELECT_LIMIT, kind=ContactType.COMPANY)
    return [(c.no, f"{c.name} ({c.no})") for c in found]


def segment_options(ctx: Context, query: str) -> list[tuple[str, str]]:
    """Options for a segment picker (a step's form) as the user types: code or description."""
    wanted = query.strip().casefold()
    with reading(ctx.sessions) as session:
        found = sorted(segment_descriptions(session, ctx.team_id))
    chosen = [(no, f"{no} · {d}") for no, d in found if wanted in no.casefold() or wanted in d.casefold()]
    return chosen[:SELECT_LIMIT]


def options(ctx: Context, field: str, query: str) -> list[tuple[str, str]]:
    """The choices of a form's external select, by the field's name."""
    pickers = {"contact": contact_options, "company": company_options, "segment": segment_options}
    return pickers[field](ctx, query) if field in pickers else []
