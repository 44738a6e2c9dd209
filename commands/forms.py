"""Forms the adapters render (a Slack modal, console prompts). An action declares its form (see
commands.action.FormSpec): how it is built, pre-filled, and read back into the action's arguments."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from commands.context import Context
from commands.inputs import DESCRIPTION, Kind, UsageError
from store.contact_search import search_contacts
from store.contacts import list_contacts
from store.db import reading
from store.enums import ContactType
from store.segments import segment_descriptions
from store.templates import list_groups, list_templates

FieldKind = Literal[
    "text", "long_text", "select", "external_select", "date", "time", "number", "integer", "checkbox"
]
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
    max_length: int | None = None
    """A text input takes no more than its kind reads (commands.inputs)."""


@dataclass(frozen=True)
class Form:
    kind: str
    """The action whose form this is."""
    title: str
    submit: str
    fields: tuple[Field, ...]
    intro: str = ""
    """What the form is about, shown above its fields (the entry being commented on)."""
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


def text_field(
    name: str, label: str, kind: Kind, value: str = "", *, optional: bool = False, long: bool = False
) -> Field:
    """A text input bounded by its kind."""
    return Field(
        name, label, "long_text" if long else "text", value, optional=optional, max_length=kind.max_length
    )


def contact_field(ctx: Context, value: str = "", label: str = "Contact") -> Field:
    """A contact picker: a plain select while the workspace's contacts fit in one, else searched as the
    user types (Slack's external select, answered by contact_options)."""
    with reading(ctx.sessions) as session:
        contacts = list_contacts(session, ctx.team_id, limit=SELECT_LIMIT + 1)
    if not contacts or len(contacts) > SELECT_LIMIT:
        return Field("contact", label, "external_select", value)
    return Field("contact", label, "select", value, tuple((c.no, f"{c.name} ({c.no})") for c in contacts))


def template_options(ctx: Context) -> tuple[tuple[str, str], ...]:
    with reading(ctx.sessions) as session:
        found = list_templates(session, ctx.team_id)
    return tuple((t.code, f"{t.code} · {t.description}") for t in found)


def group_options(ctx: Context) -> tuple[tuple[str, str], ...]:
    with reading(ctx.sessions) as session:
        found = list_groups(session, ctx.team_id)
    return tuple((g.code, f"{g.code} · {g.description}" if g.description else g.code) for g in found)


def yes_no(value: str, name: str, errors: dict[str, str]) -> bool:
    """A yes/no select's answer; anything else is named in `errors`."""
    if value not in ("", "yes", "no"):
        errors[name] = "Choose one of: yes, no."
    return value == "yes"


def contact_options(ctx: Context, query: str) -> list[tuple[str, str]]:
    """Options for a contact picker as the user types (Slack's external select)."""
    with reading(ctx.sessions) as session:
        if not query.strip():
            return [
                (c.no, f"{c.name} ({c.no})") for c in list_contacts(session, ctx.team_id, limit=SELECT_LIMIT)
            ]
        matches = search_contacts(session, ctx.team_id, query, limit=20)
    return [(m.no, f"{m.name} ({m.no})") for m in matches]


def code_form(kind: str, title: str, code: Kind, values: Mapping[str, str], *more: Field) -> Form:
    """The form of a new record with a code and a description (a segment, a group, a template)."""
    fields = (
        text_field("code", "Code", code, values.get("code", "").upper()),
        text_field("description", "Description", DESCRIPTION, values.get("description", ""), optional=True),
        *more,
    )
    return Form(kind, title, "Create", fields)


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
