"""Create Interaction: record a call, meeting, e-mail or letter with one contact, typed or through its form
(pre-filled from the chosen template, or from a chat message to log)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commands import inputs
from commands.action import Action, Arg, Args, FormSpec
from commands.context import Context
from commands.forms import (
    Field,
    Form,
    FormErrors,
    contact_field,
    read_fields,
    template_choices,
    text_field,
    yes_no,
)
from commands.inputs import UsageError
from commands.reply import Modal, Reply
from commands.views import entry_line, follow_up
from store.channels import linked_contact
from store.contacts import contact_with_email, find_contact, list_contacts
from store.db import reading
from store.enums import Evaluation, InformationFlow, InitiatedBy
from store.interactions import (
    InteractionInput,
    add_comment,
    create_interaction,
    fit_description,
)
from store.models import InteractionTemplate
from store.templates import list_templates

FLOWS = (("", "-"), (InformationFlow.OUTBOUND.value, "Outbound"), (InformationFlow.INBOUND.value, "Inbound"))
INITIATED = (("", "-"), (InitiatedBy.US.value, "Us"), (InitiatedBy.THEM.value, "Them"))
EVALUATIONS = tuple((e.value, e.value.replace("-", " ").capitalize() if e.value else "-") for e in Evaluation)
YES_NO = (("yes", "Yes"), ("no", "No"))

ARGS = (
    Arg("template", inputs.TEMPLATE, required=True),
    Arg("contact", inputs.CONTACT, required=True),
    Arg("description", inputs.DESCRIPTION),
    Arg("comment", inputs.COMMENT),
    Arg("date", inputs.DATE),
    Arg("time", inputs.TIME),
    Arg("cost", inputs.MONEY),
    Arg("duration", inputs.MINUTES),
    Arg("flow", inputs.FLOW),
    Arg("initiated", inputs.INITIATED),
    Arg("evaluation", inputs.EVALUATION),
    Arg("failed", inputs.FLAG),
    Arg("postpone", inputs.FLAG),
)


def interaction_input(ctx: Context, args: Args) -> InteractionInput:
    return InteractionInput(
        contact=args["contact"],
        template=args["template"],
        description=args.get("description", ""),
        date=args.get("date") or ctx.today(),
        time=args.get("time"),
        cost=args.get("cost"),
        duration=args.get("duration"),
        information_flow=args.get("flow"),
        initiated_by=args.get("initiated"),
        successful=not args.get("failed", False),
        evaluation=args.get("evaluation", Evaluation.BLANK),
    )


def create(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        # Found once (a name may take a fuzzy search), and held, so that create_interaction finds it by
        # its number in the session and the entry's line has its name.
        contact = find_contact(session, ctx.team_id, args["contact"])
        entry = create_interaction(
            session,
            ctx.team_id,
            ctx.user_id,
            interaction_input(ctx, {**args, "contact": contact.no}),
            postpone=bool(args.get("postpone")),
            now=ctx.now(),
        )
        if args.get("comment"):
            add_comment(session, ctx.team_id, ctx.user_id, entry.entry_no, args["comment"], ctx.today())
        line = entry_line(entry, contact.name)
    verb = "Saved for later" if entry.postponed else "Recorded"
    buttons = () if entry.postponed else (follow_up(entry.entry_no),)
    return Reply(f"{verb}: interaction log entry {entry.entry_no}.", paragraphs=(line,), buttons=buttons)


def interaction_form(ctx: Context, values: dict[str, str]) -> Form:
    """Pre-filled from the chosen template. The description follows the template while it is blank or
    still the previous template's; a description the user typed is kept."""
    values = dict(values)
    interaction = interaction_fields(ctx, values)
    at = next(i for i, field in enumerate(interaction) if field.name == "description") + 1
    comment = text_field(
        "comment", "Comment", inputs.COMMENT, values.get("comment", ""), optional=True, long=True
    )
    fields = (
        contact_field(ctx, values.get("contact", "")),
        *interaction[:at],
        comment,
        *interaction[at:],
        Field(
            "postpone",
            "Finish later (save as postponed)",
            "checkbox",
            values.get("postpone", ""),
            optional=True,
        ),
    )
    return Form(CREATE_INTERACTION.id, "Create Interaction", "Create", fields)


def interaction_fields(ctx: Context, values: dict[str, str]) -> tuple[Field, ...]:
    """What an interaction is, from its template on (Create Interaction's and Resume's forms). Choosing
    another template than `previous_template` pre-fills its defaults into `values`."""
    with reading(ctx.sessions) as session:
        templates = list_templates(session, ctx.team_id)
    by_code = {t.code: t for t in templates}
    chosen = by_code.get(values.get("template", "").upper())
    previous = by_code.get(values.get("previous_template", "").upper())
    if chosen is not None and chosen is not previous:
        _prefill(values, chosen, previous)
    return (
        Field(
            "template",
            "Interaction template",
            "select",
            values.get("template", "").upper(),
            template_choices(templates),
            dispatch=True,
        ),
        text_field("description", "Description", inputs.DESCRIPTION, values.get("description", "")),
        Field("date", "Date", "date", values.get("date") or ctx.today().isoformat()),
        Field("time", "Time", "time", values.get("time") or ctx.now().strftime("%H:%M")),
        Field("cost", "Cost", "number", values.get("cost", ""), optional=True),
        Field("duration", "Duration (minutes)", "integer", values.get("duration", ""), optional=True),
        Field("flow", "Information flow", "select", values.get("flow", ""), FLOWS, optional=True),
        Field("initiated", "Initiated by", "select", values.get("initiated", ""), INITIATED, optional=True),
        Field("failed", "Attempt failed?", "select", values.get("failed") or "no", YES_NO),
        Field("evaluation", "Evaluation", "select", values.get("evaluation", ""), EVALUATIONS, optional=True),
    )


def check_setup(ctx: Context, args: Mapping[str, Any]) -> None:
    """An interaction has a template and a contact: with none to choose, the form could not be sent."""
    with reading(ctx.sessions) as session:
        if not list_templates(session, ctx.team_id):
            raise UsageError(
                "There are no interaction templates yet: create one first with `/crm template add`."
            )
        if not list_contacts(session, ctx.team_id, limit=1):
            raise UsageError("There are no contacts yet: add one first with `/crm contact add <name>`.")


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


def read_form(ctx: Context, values: dict[str, str]) -> dict[str, Any]:
    kinds = {arg.name: arg.kind for arg in ARGS if not arg.kind.flag}
    return read_interaction(ctx, values, kinds, ("contact", "template")) | {
        "postpone": values.get("postpone") == "yes"
    }


def read_interaction(
    ctx: Context, values: dict[str, str], kinds: Mapping[str, inputs.Kind], required: tuple[str, ...]
) -> dict[str, Any]:
    """The fields of interaction_fields (and `kinds`' others); every bad one is named."""
    errors: dict[str, str] = {}
    try:
        args = read_fields(ctx, values, kinds, required=required)
    except FormErrors as failure:
        errors, args = failure.errors, {}
    failed = yes_no(values.get("failed", "no"), "failed", errors)
    if errors:
        raise FormErrors(errors)
    return args | {"failed": failed}


@dataclass(frozen=True)
class ChatMessage:
    """A message someone chose to log (Slack's "Log this message as an interaction"), as the adapter read
    it: its text decoded, where it was posted, its author's e-mail address when known, and a link back."""

    text: str
    channel_id: str = ""
    author_email: str = ""
    link: str = ""


def message_form(ctx: Context, message: ChatMessage) -> Reply:
    """The Create Interaction form pre-filled from a message: its words as the description (cut to fit),
    the contact of its channel (`/crm link`) or the one with its author's e-mail address, and the link
    to it as the entry's comment."""
    text = fit_description(message.text)
    with reading(ctx.sessions) as session:
        contact = linked_contact(session, ctx.team_id, message.channel_id) if message.channel_id else None
        if contact is None and message.author_email:
            found = contact_with_email(session, ctx.team_id, message.author_email)
            contact = found.no if found is not None else None
    values = {"description": text, "contact": contact or ""}
    if message.link:
        values["comment"] = f"Slack message: {message.link}"
    return Reply("Log this message as an interaction", modal=Modal(CREATE_INTERACTION.id, values))


CREATE_INTERACTION = Action(
    id="create_interaction",
    title="Create Interaction",
    title_es="Crear interacción",
    usage="/crm log <template> <contact> [<description>] [date=..] [cost=..] [duration=..] [failed] "
    "[evaluation=..] [comment=..]",
    summary="Record a call, meeting, e-mail or letter with a contact.",
    summary_es="Registra una llamada, reunión, correo o carta con un contacto.",
    command=("log|log-form", "{template}", "{contact}", "{description}"),
    featured=True,
    handler=create,
    args=ARGS,
    keywords=(
        "log interaction",
        "record interaction",
        "new interaction",
        "add interaction",
        "add activity",
        "talked to",
        "log a call",
        "call",
        "phone call",
        "meeting",
        "email",
        "visit",
        "letter",
        "note a call",
        "send email",
        "sent an email",
        "register",
    ),
    keywords_es=(
        "registrar interacción",
        "nueva interacción",
        "añadir interacción",
        "añadir actividad",
        "hablé con",
        "llamada",
        "registrar llamada",
        "reunión",
        "correo",
        "visita",
        "carta",
        "anotar",
        "enviar correo",
    ),
    form=FormSpec(interaction_form, read_form, check=check_setup),
)

ACTIONS = (CREATE_INTERACTION,)
