"""Forms the adapters render (a Slack modal, console prompts). An action declares its form (see
commands.action.FormSpec): how it is built, pre-filled, and read back into the action's arguments."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, Protocol

from commands import inputs
from commands.context import Context
from commands.inputs import DESCRIPTION, Kind, UsageError
from commands.when import DateKind, IsoDate, TimeKind
from store.contact_search import search_contacts
from store.contacts import list_contacts
from store.db import reading
from store.enums import ContactType
from store.models import InteractionTemplate
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


def contact_field(ctx: Context, value: str = "", label: str = "Contact", name: str = "contact") -> Field:
    """A contact picker: a plain select while the workspace's contacts fit in one, else searched as the
    user types (Slack's external select, answered by contact_options). A field named `company` picks
    among the companies."""
    kind = ContactType.COMPANY if name == "company" else None
    with reading(ctx.sessions) as session:
        contacts = list_contacts(session, ctx.team_id, limit=SELECT_LIMIT + 1, kind=kind)
    if not contacts or len(contacts) > SELECT_LIMIT:
        return Field(name, label, "external_select", value)
    return Field(name, label, "select", value, tuple((c.no, f"{c.name} ({c.no})") for c in contacts))


def template_options(ctx: Context) -> tuple[tuple[str, str], ...]:
    with reading(ctx.sessions) as session:
        return template_choices(list_templates(session, ctx.team_id))


def template_choices(templates: Sequence[InteractionTemplate]) -> tuple[tuple[str, str], ...]:
    """A select's choices of these templates: each code, labelled with its description."""
    return tuple((t.code, f"{t.code} · {t.description}") for t in templates)


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


class Declared(Protocol):
    """An action's argument as the generated form reads it (commands.action.Arg)."""

    name: str
    kind: Kind
    required: bool
    pinned: bool


LABELS = {
    "entry_no": "Entry number",
    "entry_nos": "Entry numbers (12, 13…)",
    "task_no": "Task number",
    "segment": "Segment",
    "email": "E-mail",
    "post_code": "Post code",
    "document_kind": "Document kind",
    "contacts": "Contacts (separated by commas)",
    "until": "Until (a date, or words such as next monday)",
}
LONG_TEXT = 250
"""Free text that may be longer than this is a multi-line input."""


def declared_form(
    kind: str, title: str, intro: str, args: Sequence[Declared]
) -> tuple[Callable[[Context, dict[str, str]], Form], Callable[[Context, dict[str, str]], dict[str, Any]]]:
    """The form of an action that declares none, made from its typed arguments: a field per argument a
    person types (not the page positions of a list, nor values a question pins), each by its kind (a
    contact picker, a select of templates or of an enumeration's values, a date, a number, a checkbox
    for a flag), and read back by the same kinds. How it is built and how it is read."""
    shown = [arg for arg in args if _fits_a_field(arg)]
    submit = title.split()[0]

    def build(ctx: Context, values: dict[str, str]) -> Form:
        fields = tuple(_field(ctx, arg, values.get(arg.name, "")) for arg in shown)
        return Form(kind, title, submit, fields, intro=intro)

    def read(ctx: Context, values: dict[str, str]) -> dict[str, Any]:
        required = tuple(arg.name for arg in shown if arg.required)
        return read_fields(ctx, values, {arg.name: arg.kind for arg in shown}, required=required)

    return build, read


def _fits_a_field(arg: Declared) -> bool:
    kind = arg.kind
    if arg.pinned or kind.options or kind.raw:
        return False
    if isinstance(kind, inputs.PageCursor | inputs.ContactNo):
        return False
    return arg.required or not isinstance(kind, inputs.UserRef)


def _field(ctx: Context, arg: Declared, value: str) -> Field:
    kind, name, optional = arg.kind, arg.name, not arg.required
    label = LABELS.get(name) or name.replace("_", " ").capitalize()
    if isinstance(kind, inputs.ContactRef):
        return replace(contact_field(ctx, value, label, name), optional=optional)
    if isinstance(kind, inputs.Choice):
        chosen = tuple((v, v.replace("-", " ").capitalize()) for v in kind.values())
        return Field(name, label, "select", value, ((("", "-"),) if optional else ()) + chosen, optional)
    if kind.flag:
        return Field(name, label, "checkbox", value, optional=True)
    if isinstance(kind, inputs.Number | inputs.Minutes):
        return Field(name, label, "integer", value, optional=optional)
    if isinstance(kind, inputs.Money):
        return Field(name, label, "number", value, optional=optional)
    if isinstance(kind, DateKind | IsoDate | TimeKind):
        return Field(
            name,
            label,
            "time" if isinstance(kind, TimeKind) else "date",
            _iso(ctx, kind, value),
            optional=optional,
        )
    if isinstance(kind, inputs.Code) and kind.what in ("template", "group"):
        found = template_options(ctx) if kind.what == "template" else group_options(ctx)
        if found:
            return Field(
                name, label, "select", value.upper(), ((("", "-"),) if optional else ()) + found, optional
            )
    if isinstance(kind, inputs.Code) and kind.what == "segment" and name == "segment":
        return Field(name, label, "external_select", value.upper(), optional=optional)
    long = isinstance(kind, inputs.Text) and not isinstance(kind, inputs.Word) and kind.limit > LONG_TEXT
    return text_field(name, label, kind, value, optional=optional, long=long)


def _iso(ctx: Context, kind: Kind, value: str) -> str:
    """A date or time typed in words as its picker takes it; what does not read is left for the user."""
    try:
        return kind.render(kind.parse(value, ctx, "")) if value.strip() else ""
    except UsageError:
        return ""
