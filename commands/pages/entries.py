"""Interaction Log Entries: list and filter them, show one, its attachment, comment, cancel, restore and
evaluate."""

from dataclasses import replace
from datetime import date

from commands import inputs, marks
from commands.action import Action, Arg, Args, FormSpec, Policy
from commands.context import Context
from commands.pages.entry_forms import (
    COMMENT_ID,
    EVALUATE_ID,
    check_entries,
    comment_form,
    evaluate_form,
    read_comment,
    read_evaluate,
)
from commands.pages.filtering import CONTACT, ENTRY_FILTERS, read_filter
from commands.reply import Button, File, Reply
from commands.views import document_text, entry_item, entry_when, follow_up, plural
from store.attachments import entry_attachment
from store.cancellation import cancel_entries, restore_entries
from store.db import reading
from store.interactions import Comment, add_comment, comments, evaluate, get_entry
from store.queries import entry_row, list_entries

PAGE = 10
BEFORE = Arg("before", inputs.PAGE_CURSOR)
ENTRY_NOS = Arg("entry_nos", inputs.ENTRY_NOS, required=True)
ENTRY_NO = Arg("entry_no", inputs.ENTRY_NO, required=True)


def entries(ctx: Context, args: Args) -> Reply:
    return entry_page(ctx, args, LOG_ENTRIES)


def entry_page(ctx: Context, args: Args, action: Action, *, postponed: bool = False) -> Reply:
    """A page of entries, newest first, with a Next page button that runs the same command further on."""
    with reading(ctx.sessions) as session:
        given = read_filter(session, ctx.team_id, args)
        if postponed:
            given = replace(given, postponed=True)
        page = list_entries(session, ctx.team_id, given, limit=PAGE, before=args.get("before"))
    if not page.rows:
        return Reply(
            f"{action.title}: none found." if "before" not in args else f"{action.title}: no more entries."
        )
    buttons = ()
    if page.next_before is not None:
        buttons = (Button("Next page", action.command_text({**args, "before": page.next_before})),)
    return Reply(
        f"{action.title} ({len(page.rows)} shown, newest first)",
        items=tuple(entry_item(row) for row in page.rows),
        buttons=buttons,
    )


def entry_details(ctx: Context, args: Args) -> Reply:
    entry_no = args["entry_no"]
    with reading(ctx.sessions) as session:
        row = entry_row(session, ctx.team_id, entry_no)
        lines = comments(session, ctx.team_id, entry_no)
    entry = row.entry
    version = (
        f"{entry.version_no} (logged {plural(entry.doc_no_occurrence, 'time')} for this document)"
        if entry.version_no
        else ""
    )
    fields = (
        ("Contact", f"{row.contact_name} ({entry.contact_no})"),
        ("Date", entry_when(entry)),
        ("Template", f"{entry.template_code} (group {entry.group_code})"),
        ("Description", entry.description),
        ("Information flow", entry.information_flow or "-"),
        ("Initiated by", entry.initiated_by or "-"),
        ("Cost", f"{entry.cost}"),
        ("Duration", f"{entry.duration} min"),
        ("Evaluation", entry.evaluation or "-"),
        ("Successful", "no (attempt failed)" if entry.attempt_failed else "yes"),
        ("Status", "canceled" if entry.canceled else "postponed" if entry.postponed else "logged"),
        ("Logged by", marks.person(entry.user_id)),
        ("Document", document_text(entry) or "-"),
        *((("Document version", version),) if version else ()),
    )
    if entry.postponed:
        buttons = [Button("Resume", f"resume {entry_no}", "primary")]
    elif entry.canceled:
        buttons = [Button("Restore", RESTORE_ENTRY.command_text({"entry_nos": [entry_no]}))]
    else:
        buttons = [
            Button("Cancel", CANCEL_ENTRY.command_text({"entry_nos": [entry_no]})),
            follow_up(entry_no),
        ]
    if entry.attachment_no is not None:
        buttons.append(Button("Show attachment", SHOW_ATTACHMENT.command_text({"entry_no": entry_no})))
    notes = comment_paragraphs(lines)
    # Lines rather than a table: a table is a code block, where Slack shows mentions and dates as typed.
    return Reply(
        f"Interaction log entry {entry_no}",
        paragraphs=(
            *(f"*{name}:* {value}" for name, value in fields),
            *(("*Comments*", *notes) if notes else ()),
        ),
        buttons=tuple(buttons),
    )


def comment_paragraphs(lines: list[Comment]) -> list[str]:
    """A run of lines one user wrote on one day under a line saying when and who."""
    paragraphs: list[str] = []
    previous: tuple[date, str] | None = None
    for line in lines:
        if (line.date, line.user_id) != previous:
            paragraphs.append(" · ".join(p for p in (line.date.isoformat(), marks.person(line.user_id)) if p))
            previous = (line.date, line.user_id)
        paragraphs.append(line.comment)
    return paragraphs


def show_attachment(ctx: Context, args: Args) -> Reply:
    """The entry's document as a file: Slack uploads it to the user, the console saves it."""
    entry_no = args["entry_no"]
    with reading(ctx.sessions) as session:
        get_entry(session, ctx.team_id, entry_no)
        found = entry_attachment(session, ctx.team_id, entry_no)
    if found is None:
        return Reply(f"Interaction log entry {entry_no} has no attachment.")
    return Reply(
        f"Attachment of entry {entry_no}: {found.file_name}",
        file=File(found.file_name, found.content, found.content_type, found.file_name),
    )


def cancel(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        changed = cancel_entries(session, ctx.team_id, ctx.user_id, args["entry_nos"])
    numbers = [e.entry_no for e in changed]
    return Reply(
        f"Canceled {plural(len(changed), 'entry', 'entries')}: {', '.join(map(str, numbers))}.",
        buttons=(Button("Undo", RESTORE_ENTRY.command_text({"entry_nos": numbers})),),
        replace_original=ctx.clicked,
    )


def restore(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        changed = restore_entries(session, ctx.team_id, ctx.user_id, args["entry_nos"])
    listed = ", ".join(str(e.entry_no) for e in changed)
    return Reply(
        f"Restored {plural(len(changed), 'entry', 'entries')}: {listed}.", replace_original=ctx.clicked
    )


def evaluate_entries(ctx: Context, args: Args) -> Reply:
    numbers, evaluation = args["entry_nos"], args["evaluation"]
    with ctx.sessions.begin() as session:
        evaluate(session, ctx.team_id, numbers, evaluation)
    return Reply(f"Evaluated {plural(len(numbers), 'entry', 'entries')} as {evaluation.value}.")


def comment(ctx: Context, args: Args) -> Reply:
    entry_no = args["entry_no"]
    with ctx.sessions.begin() as session:
        add_comment(session, ctx.team_id, ctx.user_id, entry_no, args["text"], ctx.today())
    return Reply(f"Comment added to entry {entry_no}.")


LOG_ENTRIES = Action(
    id="log_entries",
    title="Interaction Log Entries",
    title_es="Movs. log. interacción",
    usage="/crm entries [contact=..] [segment=..] [template=..] [canceled=yes|no|all] "
    "[from=<date>] [to=<date>]",
    summary="List the interactions recorded, filtered by contact, segment, template or date.",
    summary_es="Lista las interacciones registradas, por contacto, segmento, plantilla o fecha.",
    command=("entries",),
    featured=True,
    handler=entries,
    args=(*ENTRY_FILTERS, BEFORE),
    keywords=(
        "interactions",
        "history",
        "activity",
        "timeline",
        "entries",
        "interaction log",
        "what happened",
        "who did we talk to",
        "list calls",
        "calls made",
        "list interactions",
        "show interactions",
        "logged interactions",
    ),
    keywords_es=(
        "historial",
        "actividad",
        "movimientos",
        "registro de interacciones",
        "movimientos de registro de interacción",
        "interacciones",
        "listado de movimientos",
        "con quién hablamos",
    ),
    policy=Policy(read_only=True),
)
ENTRY_DETAILS = Action(
    id="entry_details",
    title="Interaction Log Entry",
    title_es="Movimiento de registro de interacción",
    usage="/crm entry <no>",
    summary="Show one entry with its comments and attachments.",
    summary_es="Muestra un movimiento con sus comentarios y adjuntos.",
    command=("entry", "{entry_no}"),
    handler=entry_details,
    args=(ENTRY_NO,),
    keywords=(
        "entry details",
        "show entry",
        "open entry",
        "entry info",
        "entry comments",
        "happened in entry",
    ),
    keywords_es=(
        "detalle del movimiento",
        "ver movimiento",
        "detalles",
        "comentarios del movimiento",
        "pasó en el movimiento",
    ),
    policy=Policy(read_only=True),
)
SHOW_ATTACHMENT = Action(
    id="show_attachment",
    title="Show Attachment",
    title_es="Mostrar datos adjuntos",
    usage="/crm attachment <no>",
    summary="Send yourself the document of an entry (a merged letter, a quote).",
    summary_es="Te envía el documento de un movimiento (una carta combinada, una oferta).",
    command=("attachment", "{entry_no}"),
    handler=show_attachment,
    args=(ENTRY_NO,),
    keywords=("attachment", "document", "open document", "download", "merged letter", "file"),
    keywords_es=("adjunto", "documento", "descargar", "archivo"),
)
COMMENT_ENTRY = Action(
    id=COMMENT_ID,
    title="Comment on Interaction Log Entry",
    title_es="Comentar mov. log. interacción",
    usage="/crm comment <no> <text>",
    summary="Add a comment line to an entry.",
    summary_es="Añade una línea de comentario a un movimiento.",
    command=("comment", "{entry_no}", "{text}"),
    handler=comment,
    args=(
        ENTRY_NO,
        Arg("text", inputs.COMMENT, required=True, ask="Give the entry number, then the comment."),
    ),
    keywords=("comment", "add note", "annotate", "remark", "add to entry"),
    keywords_es=("comentario", "comentar", "añadir nota", "nota"),
    form=FormSpec(comment_form, read_comment, check=check_entries, subject="entry_no"),
)
CANCEL_ENTRY = Action(
    id="cancel_entry",
    title="Cancel Interaction Log Entry",
    title_es="Cancelar mov. log. interacción",
    usage="/crm cancel <no>[, <no>...]",
    summary="Mark entries as canceled: they stay listed but leave the totals.",
    summary_es="Marca movimientos como cancelados: siguen en la lista pero salen de los totales.",
    command=("cancel", "{entry_nos}"),
    featured=True,
    handler=cancel,
    args=(ENTRY_NOS,),
    keywords=("cancel", "cancel entry", "void", "mark canceled", "delete entry"),
    keywords_es=("cancelar", "anular", "cancelar movimiento", "anular interacción", "borrar movimiento"),
    policy=Policy(destructive="undo"),
)
RESTORE_ENTRY = Action(
    id="restore_entry",
    title="Restore Interaction Log Entry",
    title_es="Restaurar mov. log. interacción",
    usage="/crm restore <no>[, <no>...]",
    summary="Take the canceled mark off entries.",
    summary_es="Quita la marca de cancelado de movimientos.",
    command=("restore", "{entry_nos}"),
    handler=restore,
    args=(ENTRY_NOS,),
    keywords=("restore", "uncancel", "reactivate", "undo cancel", "bring back"),
    keywords_es=("restaurar", "recuperar", "reactivar", "deshacer cancelación"),
)
EVALUATE = Action(
    id=EVALUATE_ID,
    title="Evaluate Interaction",
    title_es="Evaluar interacción",
    usage="/crm evaluate <no>[, <no>...] very-positive|positive|neutral|negative|very-negative",
    summary="Rate how interactions went.",
    summary_es="Valora cómo fueron las interacciones.",
    command=("evaluate", "{entry_nos}", "{evaluation}"),
    handler=evaluate_entries,
    args=(ENTRY_NOS, Arg("evaluation", inputs.EVALUATION, required=True)),
    keywords=(
        "evaluate",
        "rate",
        "evaluation",
        "rating",
        "how did it go",
        "score",
        "feedback",
        "mark as positive",
        "very positive",
        "positive",
        "neutral",
        "negative",
        "very negative",
        "rate entry",
    ),
    keywords_es=(
        "evaluar",
        "valorar",
        "calificar",
        "evaluación",
        "puntuar",
        "muy positiva",
        "positiva",
        "neutra",
        "negativa",
        "muy negativa",
        "evaluar movimiento",
    ),
    form=FormSpec(evaluate_form, read_evaluate, check=check_entries, subject="entry_nos"),
)

ACTIONS = (LOG_ENTRIES, ENTRY_DETAILS, SHOW_ATTACHMENT, COMMENT_ENTRY, CANCEL_ENTRY, RESTORE_ENTRY, EVALUATE)
__all__ = ["ACTIONS", "CONTACT", "entry_page"]
