"""Building a segment step by step (Business Central's Add, Reduce and Refine Contacts, Remove Contacts,
Go Back, Save and Reuse Criteria) and follow-up segments from a logged segment's entries."""

from collections.abc import Callable

from commands import criteria, inputs
from commands.action import Action, Arg, Args, FormSpec, Handler, Policy, Question
from commands.context import Context
from commands.pages.segment_step_form import read_step, step_form
from commands.reply import Button, Reply, Table
from commands.views import plural
from store.db import reading
from store.saved_criteria import reuse_criteria, save_criteria
from store.segment_criteria import Criteria
from store.segment_models import SegmentStep
from store.segment_steps import StepKind, create_follow_up, go_back, list_steps, preview_step, run_step
from store.segments import count_segment_lines

PREVIEW_ABOVE = 300
"""A step that would add or remove more lines than this shows its count first, with a button to go ahead."""
SEGMENT = Arg("segment", inputs.SEGMENT, required=True)
CRITERIA = Arg("criteria", criteria.CRITERIA, required=True)
PEOPLE = Arg("people", inputs.FLAG)
"""Also the people of the companies the criteria take (Business Central's Expand Companies)."""
DUPLICATES = Arg("duplicates", inputs.FLAG)
"""Add contacts already on the segment again (Business Central's Allow Existing Contacts)."""
VERBS = {
    StepKind.ADD: ("Add", "added to"),
    StepKind.REDUCE: ("Remove", "removed from"),
    StepKind.REFINE: ("Remove", "removed from"),
    StepKind.REMOVE: ("Remove", "removed from"),
}


def form(kind: StepKind, action_id: str, title: str) -> FormSpec:
    """The step's form, opened by `segment <code> add|reduce|refine` without criteria."""
    return FormSpec(step_form(kind, action_id, title), read_step(kind))


def _criteria(args: Args) -> Criteria:
    if "contacts" in args:
        return Criteria(contacts=tuple(args["contacts"]))
    criteria_: Criteria = args["criteria"]
    return criteria_


def preview(kind: StepKind) -> Callable[[Context, Args], Question | None]:
    """The question a step asks first when it would change more than PREVIEW_ABOVE lines."""

    def question(ctx: Context, args: Args) -> Question | None:
        with reading(ctx.sessions) as session:
            count = preview_step(
                session,
                ctx.team_id,
                args["segment"],
                kind,
                _criteria(args),
                people=bool(args.get("people")),
                duplicates=bool(args.get("duplicates")),
            )
        if count <= PREVIEW_ABOVE:
            return None
        verb, _ = VERBS[kind]
        lines = plural(count, "contact")
        return Question(
            f"{verb} {lines} {'to' if kind is StepKind.ADD else 'from'} segment {args['segment']}?",
            f"Criteria: {_criteria(args).describe()}",
            f"{verb} {lines}?",
            go=verb,
            style="primary" if kind is StepKind.ADD else "danger",
        )

    return question


def stepper(kind: StepKind) -> Handler:
    def step(ctx: Context, args: Args) -> Reply:
        with ctx.sessions.begin() as session:
            done = run_step(
                session,
                ctx.team_id,
                ctx.user_id,
                args["segment"],
                kind,
                _criteria(args),
                people=bool(args.get("people")),
                duplicates=bool(args.get("duplicates")),
            )
            assert done is not None  # run_step refuses a step that changes nothing
            total = count_segment_lines(session, ctx.team_id, done.segment_no)
        return _done(done, total, ctx.clicked)

    return step


def _done(step: SegmentStep, total: int, clicked: bool) -> Reply:
    changed = step.added or step.removed
    _, where = VERBS[StepKind(step.kind)]
    return Reply(
        f"Segment {step.segment_no}: {plural(changed, 'contact')} {where} it (step {step.step_no}); "
        f"{plural(total, 'contact')} on it now.",
        buttons=(
            Button("Go back", GO_BACK.command_text({"segment": step.segment_no})),
            Button("Steps", STEPS.command_text({"segment": step.segment_no})),
        ),
        replace_original=clicked,
    )


def back(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        undone = go_back(session, ctx.team_id, args["segment"])
        total = count_segment_lines(session, ctx.team_id, undone.segment_no)
    what = f"{undone.kind} {Criteria.from_json(undone.criteria).describe()}"
    changes = (
        f"{plural(undone.added, 'contact')} taken off"
        if undone.added
        else f"{plural(undone.removed, 'contact')} put back"
    )
    return Reply(
        f"Segment {undone.segment_no}: step {undone.step_no} ({what}) undone, {changes}; "
        f"{plural(total, 'contact')} on it now.",
        replace_original=ctx.clicked,
    )


def steps(ctx: Context, args: Args) -> Reply:
    with reading(ctx.sessions) as session:
        taken = list_steps(session, ctx.team_id, args["segment"])
        code = args["segment"]
        total = count_segment_lines(session, ctx.team_id, code)
    if not taken:
        return Reply(
            f"Segment {code} has no steps yet ({plural(total, 'contact')} on it).",
            paragraphs=(f"Build it with `{ADD.usage}`.",),
        )
    rows = tuple(
        (
            str(step.step_no),
            step.kind + (" +people" if step.people else "") + (" +duplicates" if step.duplicates else ""),
            Criteria.from_json(step.criteria).describe(),
            f"+{step.added}" if step.added else f"-{step.removed}",
        )
        for step in taken
    )
    return Reply(
        f"Segment {code}: {plural(len(taken), 'step')}, {plural(total, 'contact')} on it",
        table=Table(("Step", "Kind", "Criteria", "Lines"), rows),
    )


def save(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        saved = save_criteria(session, ctx.team_id, ctx.user_id, args["segment"], args["name"])
    return Reply(
        f"Criteria of segment {args['segment']} saved as {saved.name}.",
        paragraphs=(f"Take them on another segment with `/crm segment <code> reuse {saved.name}`.",),
    )


def reuse(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        taken = reuse_criteria(session, ctx.team_id, ctx.user_id, args["segment"], args["name"])
        total = count_segment_lines(session, ctx.team_id, args["segment"])
    return Reply(
        f"Segment {args['segment']}: {plural(len(taken), 'step')} of {args['name'].upper()} taken; "
        f"{plural(total, 'contact')} on it now.",
        buttons=(Button("Steps", STEPS.command_text({"segment": args["segment"]})),),
    )


def follow_up(ctx: Context, args: Args) -> Reply:
    entries = args.get("entries")
    with ctx.sessions.begin() as session:
        segment, step = create_follow_up(
            session,
            ctx.team_id,
            ctx.user_id,
            args["segment"],
            evaluation=entries.evaluation if entries else None,
            failed=entries.failed if entries else None,
        )
    return Reply(
        f"Segment {segment.no} created ({segment.description}) with {plural(step.added, 'contact')}.",
        buttons=(Button("Steps", STEPS.command_text({"segment": segment.no})),),
    )


ADD = Action(
    id="add_contacts_by_criteria",
    title="Add Contacts",
    title_es="Añadir contactos",
    usage="/crm segment <code> add where <criteria> [people=yes] [duplicates=yes]",
    summary="Add every contact that matches the criteria to a segment (people=yes: the companies' people "
    "too; duplicates=yes: contacts already on it again).",
    summary_es="Añade al segmento los contactos que cumplen los criterios (people=yes: también las personas "
    "de las empresas; duplicates=yes: también los que ya están).",
    command=("segment", "{segment}", "add", "where", "{criteria}"),
    handler=stepper(StepKind.ADD),
    question=preview(StepKind.ADD),
    form=form(StepKind.ADD, "add_contacts_by_criteria", "Add Contacts"),
    args=(SEGMENT, CRITERIA, PEOPLE, DUPLICATES),
    keywords=(
        "add contacts",
        "add all companies to segment",
        "add all spanish companies",
        "add contacts where",
        "fill segment",
        "segment criteria",
    ),
    keywords_es=(
        "añadir contactos",
        "añadir todas las empresas al segmento",
        "agregar empresas al segmento",
        "llenar segmento",
        "criterios de segmento",
    ),
)
REDUCE = Action(
    id="reduce_contacts",
    title="Reduce Contacts",
    title_es="Reducir contactos",
    usage="/crm segment <code> reduce where <criteria> [people=yes]",
    summary="Take off a segment the contacts that match the criteria.",
    summary_es="Quita del segmento los contactos que cumplen los criterios.",
    command=("segment", "{segment}", "reduce", "where", "{criteria}"),
    handler=stepper(StepKind.REDUCE),
    question=preview(StepKind.REDUCE),
    form=form(StepKind.REDUCE, "reduce_contacts", "Reduce Contacts"),
    args=(SEGMENT, CRITERIA, PEOPLE),
    keywords=(
        "reduce contacts",
        "remove from segment where",
        "take off segment those who had",
        "exclude contacts from segment",
    ),
    keywords_es=(
        "reducir contactos",
        "quitar del segmento los que",
        "quita de los que ya tuvieron",
        "sacar del segmento a quienes tuvieron",
        "excluir contactos del segmento",
    ),
)
REFINE = Action(
    id="refine_contacts",
    title="Refine Contacts",
    title_es="Refinar contactos",
    usage="/crm segment <code> refine where <criteria> [people=yes]",
    summary="Keep on a segment only the contacts that match the criteria.",
    summary_es="Deja en el segmento solo los contactos que cumplen los criterios.",
    command=("segment", "{segment}", "refine", "where", "{criteria}"),
    handler=stepper(StepKind.REFINE),
    question=preview(StepKind.REFINE),
    form=form(StepKind.REFINE, "refine_contacts", "Refine Contacts"),
    args=(SEGMENT, CRITERIA, PEOPLE),
    keywords=("refine contacts", "keep only contacts where", "narrow segment", "filter segment"),
    keywords_es=("refinar contactos", "dejar solo los contactos", "filtrar segmento", "acotar segmento"),
)
REMOVE = Action(
    id="remove_contacts",
    title="Remove Contacts",
    title_es="Quitar contactos",
    usage="/crm segment <code> remove <contact>[, <contact>...]",
    summary="Take named contacts off a segment.",
    summary_es="Quita del segmento los contactos indicados.",
    command=("segment", "{segment}", "remove", "{contacts}"),
    handler=stepper(StepKind.REMOVE),
    question=preview(StepKind.REMOVE),
    args=(SEGMENT, Arg("contacts", inputs.CONTACTS, required=True)),
    keywords=("remove contacts from segment", "delete segment line", "take contact off segment"),
    keywords_es=("quitar contactos del segmento", "borrar línea de segmento", "sacar del segmento"),
)
GO_BACK = Action(
    id="segment_go_back",
    title="Go Back",
    title_es="Volver atrás",
    usage="/crm segment <code> back",
    summary="Undo the last step taken on a segment.",
    summary_es="Deshace el último paso dado en un segmento.",
    command=("segment", "{segment}", "back"),
    handler=back,
    args=(SEGMENT,),
    keywords=("go back", "undo segment step", "undo last step"),
    keywords_es=("volver atrás", "deshacer paso del segmento", "deshacer último paso"),
)
STEPS = Action(
    id="segment_steps",
    title="Segment Criteria",
    title_es="Criterios de segmento",
    usage="/crm segment <code> steps",
    summary="The steps taken on a segment, with how many contacts each added or removed.",
    summary_es="Los pasos dados en un segmento, con cuántos contactos añadió o quitó cada uno.",
    command=("segment", "{segment}", "steps"),
    handler=steps,
    args=(SEGMENT,),
    keywords=("segment steps", "segment criteria", "segment history", "how was the segment built"),
    keywords_es=("pasos del segmento", "criterios del segmento", "historial del segmento"),
    policy=Policy(read_only=True),
)
SAVE_CRITERIA = Action(
    id="save_segment_criteria",
    title="Save Criteria",
    title_es="Guardar criterios",
    usage="/crm segment <code> save-criteria <name>",
    summary="Save a segment's steps under a name, to build other segments the same way.",
    summary_es="Guarda los pasos de un segmento con un nombre, para crear otros segmentos igual.",
    command=("segment", "{segment}", "save-criteria", "{name}"),
    handler=save,
    args=(SEGMENT, Arg("name", inputs.Code("saved criteria"), required=True)),
    keywords=("save criteria", "save segment criteria", "remember segment filters"),
    keywords_es=("guardar criterios", "guardar criterios del segmento"),
)
REUSE_CRITERIA = Action(
    id="reuse_segment_criteria",
    title="Reuse Criteria",
    title_es="Reutilizar criterios",
    usage="/crm segment <code> reuse <name>",
    summary="Take saved criteria's steps on a segment.",
    summary_es="Aplica a un segmento los pasos de unos criterios guardados.",
    command=("segment", "{segment}", "reuse", "{name}"),
    handler=reuse,
    args=(SEGMENT, Arg("name", inputs.Code("saved criteria"), required=True)),
    keywords=("reuse criteria", "apply saved criteria", "load segment criteria"),
    keywords_es=("reutilizar criterios", "aplicar criterios guardados", "cargar criterios"),
)
FOLLOW_UP = Action(
    id="create_follow_up_segment",
    title="Create Follow-up Segment",
    title_es="Crear segmento seguimiento",
    usage="/crm segment follow-up <logged segment no> [where evaluation=…] [failed=yes|no]",
    summary="A new segment of the contacts of a logged segment's entries (canceled ones aside), by their "
    "evaluation or failed attempts.",
    summary_es="Un segmento nuevo con los contactos de los movimientos de un segmento grabado (sin los "
    "cancelados), por su evaluación o intentos fallidos.",
    command=("segment", "follow-up", "{segment}", "{entries}"),
    handler=follow_up,
    args=(
        Arg("segment", inputs.LOGGED_SEGMENT_NO, required=True),
        Arg("entries", criteria.ENTRY_FILTER),
    ),
    keywords=(
        "follow-up segment",
        "follow up on segment",
        "segment of those who answered",
        "create follow-up",
    ),
    keywords_es=("segmento seguimiento", "crear segmento seguimiento", "seguimiento del segmento"),
)

ACTIONS = (ADD, REDUCE, REFINE, REMOVE, GO_BACK, STEPS, SAVE_CRITERIA, REUSE_CRITERIA, FOLLOW_UP)
