"""Segments and logged segments: create a segment, put contacts on it, log it (one entry per contact),
cancel or restore what was logged, and delete canceled logged segments."""

import uuid
from collections.abc import Mapping
from typing import Any

from commands import inputs
from commands.action import Action, Arg, Args, Background, FormSpec, Policy, Question
from commands.context import Context
from commands.forms import Field, Form, code_form, read_fields, template_options
from commands.pages.entries import LOG_ENTRIES
from commands.pages.filtering import ASK_AGAIN, THROUGH
from commands.reply import Button, Reply, Table, error
from commands.views import plural
from store.cancellation import (
    count_canceled_logged_segments,
    delete_canceled_logged_segments,
    last_cancellation,
    set_logged_segment_canceled,
)
from store.db import reading
from store.models import LoggedSegment
from store.segments import (
    LOGGING,
    STOPPED,
    LogStopped,
    SegmentLog,
    SegmentSummary,
    add_segment,
    add_segment_lines,
    get_segment,
    lines_to_log,
    list_logged_segments,
    list_segments,
    log_segment_in_chunks,
    log_state,
)
from store.templates import get_template

LOGGED_SEGMENT = Arg("segment", inputs.LOGGED_SEGMENT_NO, required=True)


def segments(ctx: Context, args: Args) -> Reply:
    with reading(ctx.sessions) as session:
        found = list_segments(session, ctx.team_id)
    if not found:
        return Reply("No segments yet.", paragraphs=(f"Create one with `{ADD_SEGMENT.usage}`.",))
    rows = tuple((s.segment.no, s.segment.description, str(s.contacts), _segment_status(s)) for s in found)
    return Reply(f"Segments ({len(found)})", table=Table(("Code", "Description", "Contacts", "Status"), rows))


def _segment_status(summary: SegmentSummary) -> str:
    logged = summary.logged_segment
    if logged is None:
        return "not logged"
    progress = log_progress(logged)
    return f"logged ({logged.entry_no})" if not progress else f"{progress} ({logged.entry_no})"


def log_progress(logged: LoggedSegment) -> str:
    """How far a log being written (or stopped part-way) got; "" once logged in full."""
    state = log_state(logged)
    if state == LOGGING:
        return f"logging… {logged.logged:,} of {logged.contacts:,}"
    if state == STOPPED:
        return f"stopped at {logged.logged:,} of {logged.contacts:,}"
    return ""


def add(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        segment = add_segment(session, ctx.team_id, args["code"], args.get("description", ""))
    return Reply(
        f"Segment {segment.no} created.",
        paragraphs=(f"Add contacts with `/crm segment {segment.no} add <contact>, <contact>`.",),
    )


def segment_form(ctx: Context, values: dict[str, str]) -> Form:
    return code_form(ADD_SEGMENT.id, ADD_SEGMENT.title, inputs.SEGMENT, values)


def read_segment_form(ctx: Context, values: dict[str, str]) -> dict[str, Any]:
    kinds = {"code": inputs.SEGMENT, "description": inputs.DESCRIPTION}
    return read_fields(ctx, values, kinds, required=("code",))


def log_form(ctx: Context, values: dict[str, str]) -> Form:
    """The segments still to log (with their contacts counted; a log that stopped part-way, to finish)
    and the template to log them with."""
    with reading(ctx.sessions) as session:
        waiting = [s for s in list_segments(session, ctx.team_id) if _to_log(s)]
    segments = tuple(
        (s.segment.no, f"{s.segment.no} · {s.segment.description} ({_to_do(s)})") for s in waiting
    )
    templates = template_options(ctx)
    fields = (
        Field("segment", "Segment", "select", values.get("segment", "").upper(), segments),
        Field("template", "Interaction template", "select", values.get("template", "").upper(), templates),
    )
    return Form(LOG_SEGMENT.id, LOG_SEGMENT.title, "Log", fields)


def _to_log(summary: SegmentSummary) -> bool:
    logged = summary.logged_segment
    return logged is None or (log_state(logged) == STOPPED and not logged.canceled)


def _to_do(summary: SegmentSummary) -> str:
    logged = summary.logged_segment
    if logged is None:
        return plural(summary.contacts, "contact")
    return f"stopped at {logged.logged:,} of {logged.contacts:,}"


def read_log_form(ctx: Context, values: dict[str, str]) -> dict[str, Any]:
    kinds = {"segment": inputs.SEGMENT, "template": inputs.TEMPLATE}
    return read_fields(ctx, values, kinds, required=("segment", "template"))


def check_log(ctx: Context, args: Mapping[str, Any]) -> None:
    """There is a segment to log and a template to log it with, or the form would offer nothing."""
    with reading(ctx.sessions) as session:
        if "segment" in args:
            lines_to_log(session, ctx.team_id, args["segment"])  # refuses a segment logged or being logged
        elif not any(_to_log(s) for s in list_segments(session, ctx.team_id)):
            raise inputs.UsageError(f"There is no segment to log: create one with `{ADD_SEGMENT.usage}`.")
    if not template_options(ctx):
        raise inputs.UsageError(
            "There are no interaction templates yet: create one first with `/crm template add`."
        )


def add_contacts(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        added = add_segment_lines(session, ctx.team_id, args["segment"], args["contacts"])
        segment = get_segment(session, ctx.team_id, args["segment"])
    listed = ", ".join(f"{c.name} ({c.no})" for c in added)
    return Reply(f"Segment {segment.no}: added {listed}.")


def segment_size(ctx: Context, args: Args) -> int:
    """The contacts left to log, once the segment and the template are known to exist; a segment logged
    already, or being logged, is refused before anything is queued."""
    with reading(ctx.sessions) as session:
        get_template(session, ctx.team_id, args["template"])
        return lines_to_log(session, ctx.team_id, args["segment"])


def logging_segment(args: Args, size: int) -> str:
    return (
        f"Logging segment {args['segment']} ({plural(size, 'contact')}) with template {args['template']}… "
        "I will post the result here."
    )


def log(ctx: Context, args: Args) -> Reply:
    """In chunks (store.segments.log_segment_in_chunks); one answer at the end. Run as a queued job, the
    job is the run that writes it, so a job claimed again after its process died finishes the log."""
    run = f"job {ctx.job}" if ctx.job is not None else f"request {uuid.uuid4().hex[:12]}"
    try:
        done = log_segment_in_chunks(
            ctx.sessions, ctx.team_id, ctx.user_id, args["segment"], args["template"], now=ctx.now(), run=run
        )
    except LogStopped as stopped:
        return error(stopped.message, paragraphs=(_continue_or_cancel(stopped.log),))
    entries = plural(done.logged, "interaction log entry", "interaction log entries")
    return Reply(
        f"Segment {done.segment_no} logged: {entries} (logged segment {done.entry_no}).",
        buttons=(Button("Show entries", LOG_ENTRIES.command_text({"segment": done.segment_no})),),
    )


def _continue_or_cancel(log: SegmentLog) -> str:
    go_on = LOG_SEGMENT.command_text({"template": log.template_code, "segment": log.segment_no})
    drop = CANCEL_LOGGED_SEGMENT.command_text({"segment": log.entry_no})
    return (
        f"The entries written so far are kept. Log the rest with `/crm {go_on}`, or cancel what was "
        f"logged with `/crm {drop}`."
    )


def logged_segments(ctx: Context, args: Args) -> Reply:
    with reading(ctx.sessions) as session:
        found = list_logged_segments(session, ctx.team_id)
    if not found:
        return Reply("No logged segments yet.")
    rows = tuple(
        (
            str(logged.entry_no),
            logged.segment_no,
            logged.description,
            logged.creation_date.isoformat(),
            str(count),
            ", ".join(filter(None, (log_progress(logged), "canceled" if logged.canceled else ""))),
        )
        for logged, count in found
    )
    columns = ("No.", "Segment", "Description", "Created", "Interactions", "Status")
    return Reply(f"Logged Segments ({len(found)})", table=Table(columns, rows))


def _set_canceled(ctx: Context, number: int, canceled: bool) -> Reply:
    with ctx.sessions.begin() as session:
        changed = set_logged_segment_canceled(session, ctx.team_id, ctx.user_id, number, canceled)
    verb = "canceled" if canceled else "restored"
    return Reply(
        f"Logged segment {number} {verb}, with {plural(changed, 'entry', 'entries')}.",
        buttons=(Button("Undo", RESTORE_LOGGED_SEGMENT.command_text({"segment": number})),)
        if canceled
        else (),
        replace_original=ctx.clicked,
    )


def cancel_logged(ctx: Context, args: Args) -> Reply:
    return _set_canceled(ctx, args["segment"], True)


def restore_logged(ctx: Context, args: Args) -> Reply:
    return _set_canceled(ctx, args["segment"], False)


def delete_canceled_question(ctx: Context, args: Args) -> Question | Reply:
    with reading(ctx.sessions) as session:
        through = last_cancellation(session, ctx.team_id)
        count = count_canceled_logged_segments(session, ctx.team_id, through)
    if count == 0:
        return Reply("No logged segment is canceled, so there is nothing to delete.")
    what = plural(count, "canceled logged segment")
    return Question(
        f"{what} would be deleted; their entries stay, no longer linked to a segment.",
        "Segments restored before you confirm are kept, and so are segments canceled after this question.",
        f"Delete {what}?",
        pinned={THROUGH.name: through},
    )


def delete_canceled(ctx: Context, args: Args) -> Reply:
    if args.get("through") is None:  # queued by a release whose questions pinned nothing
        return error(ASK_AGAIN.format(command="delete-canceled-segments"))
    with ctx.sessions.begin() as session:
        deleted = delete_canceled_logged_segments(session, ctx.team_id, ctx.user_id, args["through"])
    return Reply(f"Deleted {plural(deleted, 'canceled logged segment')}.", replace_original=True)


SEGMENTS = Action(
    id="segments",
    title="Segments",
    title_es="Segmentos",
    usage="/crm segments",
    summary="List the segments: groups of contacts to log an interaction with at once.",
    summary_es="Lista los segmentos: grupos de contactos con los que registrar una interacción a la vez.",
    command=("segments|segment",),
    handler=segments,
    keywords=("segments", "mailing lists", "target groups"),
    keywords_es=("segmentos", "listas de correo"),
    policy=Policy(read_only=True),
)
ADD_SEGMENT = Action(
    id="add_segment",
    title="Add Segment",
    title_es="Crear segmento",
    usage="/crm segment add <code> <description>",
    summary="Create a segment.",
    summary_es="Crea un segmento.",
    command=("segment", "add", "{code}", "{description}"),
    handler=add,
    args=(Arg("code", inputs.SEGMENT, required=True), Arg("description", inputs.DESCRIPTION)),
    keywords=("new segment", "create segment", "new mailing list"),
    keywords_es=("nuevo segmento", "crear segmento"),
    form=FormSpec(segment_form, read_segment_form, subject="code"),
)
ADD_CONTACTS_TO_SEGMENT = Action(
    id="add_contacts_to_segment",
    title="Add Contacts to Segment",
    title_es="Añadir contactos al segmento",
    usage="/crm segment <code> add <contact>[, <contact>...]",
    summary="Put contacts on a segment.",
    summary_es="Pone contactos en un segmento.",
    command=("segment", "{segment}", "add", "{contacts}"),
    handler=add_contacts,
    args=(Arg("segment", inputs.SEGMENT, required=True), Arg("contacts", inputs.CONTACTS, required=True)),
    keywords=("add to segment", "add contacts to list", "segment lines"),
    keywords_es=("añadir al segmento", "agregar contactos al segmento", "líneas de segmento"),
)
LOG_SEGMENT = Action(
    id="log_segment",
    title="Log Segment",
    title_es="Grabar segmento",
    usage="/crm log <template> segment=<code>",
    summary="Record one interaction for every contact of a segment.",
    summary_es="Registra una interacción con cada contacto de un segmento.",
    command=("log", "{template}"),
    handler=log,
    args=(Arg("template", inputs.TEMPLATE, required=True), Arg("segment", inputs.SEGMENT, required=True)),
    keywords=(
        "log segment",
        "send to segment",
        "mass log",
        "log for all contacts",
        "mailing",
        "for everyone",
    ),
    keywords_es=("grabar segmento", "registrar segmento", "registrar", "envío masivo", "para todos"),
    background=Background(segment_size, threshold=2_000, working=logging_segment),
    form=FormSpec(log_form, read_log_form, check=check_log, subject="segment"),
)
LOGGED_SEGMENTS = Action(
    id="logged_segments",
    title="Logged Segments",
    title_es="Segmentos grabados",
    usage="/crm logged-segments",
    summary="List the segments already logged.",
    summary_es="Lista los segmentos ya grabados.",
    command=("logged-segments",),
    handler=logged_segments,
    keywords=("logged segments", "segment history", "sent segments"),
    keywords_es=("segmentos grabados", "segmentos registrados", "historial de segmentos"),
    policy=Policy(read_only=True),
)
CANCEL_LOGGED_SEGMENT = Action(
    id="cancel_logged_segment",
    title="Cancel Logged Segment",
    title_es="Cancelar segmento grabado",
    usage="/crm cancel segment=<no>",
    summary="Cancel a logged segment and all its interaction log entries.",
    summary_es="Cancela un segmento grabado y todos sus movimientos.",
    command=("cancel",),
    handler=cancel_logged,
    args=(LOGGED_SEGMENT,),
    keywords=("cancel segment", "void segment"),
    keywords_es=("cancelar segmento", "anular segmento"),
    policy=Policy(destructive="undo"),
)
RESTORE_LOGGED_SEGMENT = Action(
    id="restore_logged_segment",
    title="Restore Logged Segment",
    title_es="Restaurar segmento grabado",
    usage="/crm restore segment=<no>",
    summary="Restore a canceled logged segment, with all its entries.",
    summary_es="Restaura un segmento grabado cancelado, con todos sus movimientos.",
    command=("restore",),
    handler=restore_logged,
    args=(LOGGED_SEGMENT,),
    keywords=("restore segment", "uncancel segment", "reactivate segment"),
    keywords_es=("restaurar segmento", "recuperar segmento", "reactivar segmento"),
)
DELETE_CANCELED_SEGMENTS = Action(
    id="delete_canceled_segments",
    title="Delete Canceled Logged Segments",
    title_es="Eliminar segmentos grabados cancelados",
    usage="/crm delete-canceled-segments",
    summary="Delete canceled logged segments; their entries are kept.",
    summary_es="Elimina los segmentos grabados cancelados; sus movimientos se conservan.",
    command=("delete-canceled-segments",),
    handler=delete_canceled,
    args=(THROUGH,),
    keywords=("delete logged segments", "purge segments", "remove canceled segments"),
    keywords_es=("borrar segmentos cancelados", "eliminar segmentos", "purgar segmentos"),
    policy=Policy(admin_only=True, destructive="ask"),
    question=delete_canceled_question,
)

ACTIONS = (
    SEGMENTS,
    ADD_SEGMENT,
    ADD_CONTACTS_TO_SEGMENT,
    LOG_SEGMENT,
    LOGGED_SEGMENTS,
    CANCEL_LOGGED_SEGMENT,
    RESTORE_LOGGED_SEGMENT,
    DELETE_CANCELED_SEGMENTS,
)
