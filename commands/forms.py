"""Forms the adapters render (a Slack modal, console prompts): Create Interaction and Tell Me.

A form is a list of fields; submitting it returns a Reply or raises FormErrors naming each bad field."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from commands.context import Context
from commands.parsing import UsageError, minutes, money, parse_date, parse_time
from commands.reply import Reply
from commands.router import run
from commands.views import entry_line
from store.contact_search import search_contacts
from store.contacts import find_contact, list_contacts
from store.db import reading
from store.enums import Evaluation, InformationFlow, InitiatedBy
from store.errors import Ambiguous, DomainError
from store.interactions import InteractionInput, create_interaction
from store.models import InteractionTemplate
from store.templates import list_templates

FieldKind = Literal["text", "long_text", "select", "external_select", "date", "time", "number", "checkbox"]


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
    title: str
    submit: str
    fields: tuple[Field, ...]


class FormErrors(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


FLOWS = (("", "-"), (InformationFlow.OUTBOUND.value, "Outbound"), (InformationFlow.INBOUND.value, "Inbound"))
INITIATED = (("", "-"), (InitiatedBy.US.value, "Us"), (InitiatedBy.THEM.value, "Them"))
EVALUATIONS = tuple((e.value, e.value.replace("-", " ").capitalize() if e.value else "-") for e in Evaluation)
YES_NO = (("yes", "Yes"), ("no", "No"))
SELECT_LIMIT = 100


def interaction_form(ctx: Context, values: dict[str, str]) -> Form:
    """Create Interaction, pre-filled from the chosen template. The description follows the template while
    it is blank or still the previous template's; a description the user typed is kept."""
    values = dict(values)
    with reading(ctx.sessions) as session:
        templates = list_templates(session, ctx.team_id)
        contacts = list_contacts(session, ctx.team_id, limit=SELECT_LIMIT + 1)
    by_code = {t.code: t for t in templates}
    chosen = by_code.get(values.get("template", "").upper())
    previous = by_code.get(values.get("previous_template", "").upper())
    if chosen is not None and chosen is not previous:
        _prefill(values, chosen, previous)
    contact_field = (
        Field("contact", "Contact", "external_select", values.get("contact", ""))
        if len(contacts) > SELECT_LIMIT
        else Field(
            "contact",
            "Contact",
            "select",
            values.get("contact", ""),
            tuple((c.no, f"{c.name} ({c.no})") for c in contacts),
        )
    )
    today = ctx.today().isoformat()
    fields = (
        contact_field,
        Field(
            "template",
            "Interaction template",
            "select",
            values.get("template", ""),
            tuple((t.code, f"{t.code} · {t.description}") for t in templates),
            dispatch=True,
        ),
        Field("description", "Description", "text", values.get("description", "")),
        Field("date", "Date", "date", values.get("date") or today),
        Field("time", "Time", "time", values.get("time") or ctx.now().strftime("%H:%M")),
        Field("cost", "Cost", "number", values.get("cost", ""), optional=True),
        Field("duration", "Duration (minutes)", "number", values.get("duration", ""), optional=True),
        Field("flow", "Information flow", "select", values.get("flow", ""), FLOWS, optional=True),
        Field("initiated", "Initiated by", "select", values.get("initiated", ""), INITIATED, optional=True),
        Field("successful", "Successful?", "select", values.get("successful") or "yes", YES_NO),
        Field("evaluation", "Evaluation", "select", values.get("evaluation", ""), EVALUATIONS, optional=True),
        Field(
            "later", "Finish later (save as postponed)", "checkbox", values.get("later", ""), optional=True
        ),
    )
    return Form("create_interaction", "Create Interaction", "Create", fields)


def _prefill(
    values: dict[str, str], chosen: InteractionTemplate, previous: InteractionTemplate | None
) -> None:
    description = values.get("description", "")
    if not description or (previous is not None and description == previous.description):
        values["description"] = chosen.description
    values["cost"] = f"{chosen.unit_cost}"
    values["duration"] = str(chosen.unit_duration)
    values["flow"] = chosen.information_flow
    values["initiated"] = chosen.initiated_by


def submit_interaction(ctx: Context, values: dict[str, str]) -> Reply:
    errors: dict[str, str] = {}
    parsed: dict[str, object] = {}

    def check(name: str, convert: Callable[[str], object]) -> None:
        text = values.get(name, "").strip()
        if not text:
            return
        try:
            parsed[name] = convert(text)
        except UsageError as failure:
            errors[name] = failure.message

    check("date", lambda text: parse_date(text, ctx.now()))
    check("time", parse_time)
    check("cost", lambda text: money(text))
    check("duration", lambda text: minutes(text))
    for name in ("contact", "template"):
        if not values.get(name, "").strip():
            errors[name] = f"Choose a {name}."
    for name, options in (
        ("flow", FLOWS),
        ("initiated", INITIATED),
        ("evaluation", EVALUATIONS),
        ("successful", YES_NO),
    ):
        allowed = [value for value, _ in options]
        if values.get(name, "") not in allowed and not (name == "successful" and not values.get(name)):
            errors[name] = f"Choose one of: {', '.join(value or '-' for value in allowed)}."
    if errors:
        raise FormErrors(errors)
    given = InteractionInput(
        contact=values["contact"],
        template=values["template"],
        description=values.get("description", "").strip(),
        date=parsed.get("date"),  # type: ignore[arg-type]
        time=parsed.get("time"),  # type: ignore[arg-type]
        cost=parsed.get("cost"),  # type: ignore[arg-type]
        duration=parsed.get("duration"),  # type: ignore[arg-type]
        information_flow=InformationFlow(values.get("flow", "")) if values.get("flow") else None,
        initiated_by=InitiatedBy(values.get("initiated", "")) if values.get("initiated") else None,
        successful=values.get("successful", "yes") != "no",
        evaluation=Evaluation(values.get("evaluation", "")),
    )
    try:
        with ctx.sessions.begin() as session:
            entry = create_interaction(
                session, ctx.team_id, ctx.user_id, given, postpone=values.get("later") == "yes", now=ctx.now()
            )
            line = entry_line(entry, find_contact(session, ctx.team_id, entry.contact_no).name)
    except Ambiguous as failure:
        raise FormErrors({"contact": failure.message}) from failure
    except DomainError as failure:
        raise FormErrors({_field_of(failure.message): failure.message}) from failure
    verb = "Saved for later" if entry.postponed else "Recorded"
    return Reply(f"{verb}: interaction log entry {entry.entry_no}.", paragraphs=(line,))


def _field_of(message: str) -> str:
    lowered = message.lower()
    for name in ("template", "contact", "description", "cost", "duration", "date"):
        if name in lowered:
            return name
    return "description"


def contact_options(ctx: Context, query: str) -> list[tuple[str, str]]:
    """Options for a contact picker as the user types (Slack's external select)."""
    with reading(ctx.sessions) as session:
        if not query.strip():
            return [
                (c.no, f"{c.name} ({c.no})") for c in list_contacts(session, ctx.team_id, limit=SELECT_LIMIT)
            ]
        matches = search_contacts(session, ctx.team_id, query, limit=20)
    return [(m.no, f"{m.name} ({m.no})") for m in matches]


def tellme_form(ctx: Context, values: dict[str, str]) -> Form:
    return Form(
        "tellme",
        "Tell Me",
        "Search",
        (Field("text", "What do you want to do?", "text", values.get("text", "")),),
    )


def submit_tellme(ctx: Context, values: dict[str, str]) -> Reply:
    text = values.get("text", "").strip()
    if not text:
        raise FormErrors({"text": "Type what you want to do."})
    return run(ctx, f"tellme {text}")


FORMS: dict[
    str, tuple[Callable[[Context, dict[str, str]], Form], Callable[[Context, dict[str, str]], Reply]]
] = {
    "create_interaction": (interaction_form, submit_interaction),
    "tellme": (tellme_form, submit_tellme),
}


def form(kind: str, ctx: Context, values: dict[str, str] | None = None) -> Form:
    return FORMS[kind][0](ctx, values or {})


def submit(kind: str, ctx: Context, values: dict[str, str]) -> Reply:
    return FORMS[kind][1](ctx, values)


__all__ = ["Field", "Form", "FormErrors", "contact_options", "field", "form", "submit"]
