"""Postponed Interactions: the interactions saved to finish later, and finishing one (typed, or in the
Resume form, pre-filled with what was saved)."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from commands import inputs
from commands.action import Action, Arg, Args, FormSpec, Policy
from commands.context import Context
from commands.forms import SELECT_LIMIT, Field, Form
from commands.inputs import UsageError
from commands.pages.entries import BEFORE, ENTRY_NO, entry_page
from commands.pages.filtering import CONTACT
from commands.pages.interactions import interaction_fields, read_interaction
from commands.reply import Reply
from store.db import reading
from store.enums import Evaluation, InformationFlow, InitiatedBy
from store.errors import Conflict, NotFound
from store.filters import EntryFilter
from store.interactions import get_entry, resume
from store.queries import Entry, EntryRow, list_entries

# What `resume` may change, by argument: the entry's field it sets.
CHANGES = {
    "description": "description",
    "template": "template",
    "date": "date",
    "time": "time",
    "cost": "cost",
    "duration": "duration",
    "evaluation": "evaluation",
    "flow": "information_flow",
    "initiated": "initiated_by",
}


def postponed(ctx: Context, args: Args) -> Reply:
    return entry_page(ctx, args, POSTPONED, postponed=True)


def resume_entry(ctx: Context, args: Args) -> Reply:
    changes: dict[str, object] = {field: args[name] for name, field in CHANGES.items() if name in args}
    if "failed" in args:
        changes["successful"] = not args["failed"]
    with ctx.sessions.begin() as session:
        entry = resume(session, ctx.team_id, ctx.user_id, args["entry_no"], changes, now=ctx.now())
    return Reply(
        f"Resumed: interaction log entry {entry.entry_no} is now recorded.", replace_original=ctx.clicked
    )


RESUME_ID = "resume_interaction"
BLANKS = {"flow": InformationFlow.BLANK, "initiated": InitiatedBy.BLANK, "evaluation": Evaluation.BLANK}
"""A choice left empty in the form clears what the entry had (typed, an option not given keeps it)."""


def resume_form(ctx: Context, values: dict[str, str]) -> Form:
    """The postponed interactions to choose from, and the chosen one's values to finish it with. Choosing
    another one fills the form with its values; choosing another template, with the template's."""
    values = dict(values)
    with reading(ctx.sessions) as session:
        rows = list_entries(session, ctx.team_id, EntryFilter(postponed=True), limit=SELECT_LIMIT).rows
        chosen = _chosen(session, ctx, values.get("entry_no", ""), rows)
        options = [_option(row.entry, row.contact_name) for row in rows]
        if chosen is not None and all(row.entry.entry_no != chosen.entry_no for row in rows):
            options.append(_option(chosen, chosen.contact_no))
    if chosen is not None and values.get("previous_entry_no") != str(chosen.entry_no):
        values |= _saved(chosen)
    entry = str(chosen.entry_no) if chosen is not None else ""
    fields = (
        Field("entry_no", "Postponed interaction", "select", entry, tuple(options), dispatch=True),
        *interaction_fields(ctx, values),
    )
    return Form(RESUME_ID, "Resume Interaction", "Resume", fields)


def _chosen(session: Session, ctx: Context, text: str, rows: list[EntryRow]) -> Entry | None:
    """The postponed entry `text` names (it may be older than those listed), or None."""
    try:
        number = inputs.ENTRY_NO.parse(text, ctx, "entry_no") if text.strip() else None
    except UsageError:
        return None
    found: Entry | None = next((row.entry for row in rows if row.entry.entry_no == number), None)
    if found is None and number is not None:
        try:
            entry = get_entry(session, ctx.team_id, number)
        except NotFound:
            return None
        found = entry if entry.postponed else None
    return found


def _option(entry: Entry, contact: str) -> tuple[str, str]:
    return str(entry.entry_no), f"{entry.entry_no} · {contact} · {entry.template_code} · {entry.description}"


def _saved(entry: Entry) -> dict[str, str]:
    """What the postponed interaction holds, as the form's fields take it."""
    return {
        "template": entry.template_code,
        "previous_template": entry.template_code,
        "description": entry.description,
        "cost": f"{entry.cost}",
        "duration": str(entry.duration),
        "flow": entry.information_flow,
        "initiated": entry.initiated_by,
        "evaluation": entry.evaluation,
        "failed": "yes" if entry.attempt_failed else "no",
    }


def read_resume(ctx: Context, values: dict[str, str]) -> dict[str, Any]:
    kinds = {arg.name: arg.kind for arg in RESUME_ARGS if not arg.kind.flag}
    args = read_interaction(ctx, values, kinds, ("entry_no", "template"))
    return {name: blank for name, blank in BLANKS.items() if name in values} | args


def check_postponed(ctx: Context, args: Mapping[str, Any]) -> None:
    """The entry to resume is postponed; without one given, there is one to choose."""
    with reading(ctx.sessions) as session:
        if "entry_no" in args:
            entry = get_entry(session, ctx.team_id, args["entry_no"])
            if not entry.postponed:
                raise Conflict(
                    f"Interaction log entry {entry.entry_no} is not postponed, so there is nothing to resume."
                )
        elif not list_entries(session, ctx.team_id, EntryFilter(postponed=True), limit=1).rows:
            raise UsageError("There are no postponed interactions to resume.")


RESUME_ARGS = (
    ENTRY_NO,
    Arg("description", inputs.DESCRIPTION),
    Arg("template", inputs.TEMPLATE),
    Arg("date", inputs.DATE),
    Arg("time", inputs.TIME),
    Arg("cost", inputs.MONEY),
    Arg("duration", inputs.MINUTES),
    Arg("evaluation", inputs.EVALUATION),
    Arg("flow", inputs.FLOW),
    Arg("initiated", inputs.INITIATED),
    Arg("failed", inputs.FLAG),
)

POSTPONED = Action(
    id="postponed",
    title="Postponed Interactions",
    title_es="Interacciones aplazadas",
    usage="/crm postponed [contact=..]",
    summary="List the interactions saved to finish later.",
    summary_es="Lista las interacciones guardadas para terminar más tarde.",
    command=("postponed",),
    handler=postponed,
    args=(CONTACT, BEFORE),
    keywords=("postponed", "drafts", "unfinished interactions", "pending", "saved for later", "on hold"),
    keywords_es=("aplazadas", "pendientes", "borradores", "pospuestas", "sin terminar"),
    policy=Policy(read_only=True),
)
RESUME_INTERACTION = Action(
    id=RESUME_ID,
    title="Resume Interaction",
    title_es="Reanudar interacción",
    usage="/crm resume <no> [<description>] [template=..] [date=..] [cost=..] [duration=..] [failed]",
    summary="Finish a postponed interaction.",
    summary_es="Termina una interacción aplazada.",
    command=("resume", "{entry_no}", "{description}"),
    handler=resume_entry,
    args=RESUME_ARGS,
    keywords=("resume", "continue", "finish interaction", "complete draft", "finish later"),
    keywords_es=("reanudar", "continuar", "terminar interacción", "completar"),
    form=FormSpec(resume_form, read_resume, check=check_postponed, alone=True, subject="entry_no"),
)

ACTIONS = (POSTPONED, RESUME_INTERACTION)
