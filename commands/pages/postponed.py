"""Postponed Interactions: the interactions saved to finish later, and finishing one."""

from commands import inputs
from commands.action import Action, Arg, Args, Policy
from commands.context import Context
from commands.pages.entries import BEFORE, ENTRY_NO, entry_page
from commands.pages.filtering import CONTACT
from commands.reply import Reply
from store.interactions import resume

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
    if args.get("failed"):
        changes["successful"] = False
    with ctx.sessions.begin() as session:
        entry = resume(session, ctx.team_id, ctx.user_id, args["entry_no"], changes, now=ctx.now())
    return Reply(
        f"Resumed: interaction log entry {entry.entry_no} is now recorded.", replace_original=ctx.clicked
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
    id="resume_interaction",
    title="Resume Interaction",
    title_es="Reanudar interacción",
    usage="/crm resume <no> [<description>] [template=..] [date=..] [cost=..] [duration=..] [failed]",
    summary="Finish a postponed interaction.",
    summary_es="Termina una interacción aplazada.",
    command=("resume", "{entry_no}", "{description}"),
    handler=resume_entry,
    args=(
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
    ),
    keywords=("resume", "continue", "finish interaction", "complete draft", "finish later"),
    keywords_es=("reanudar", "continuar", "terminar interacción", "completar"),
)

ACTIONS = (POSTPONED, RESUME_INTERACTION)
