"""Interaction Statistics and Export Interaction Log Entries."""

from enum import StrEnum

from commands import inputs
from commands.action import Action, Arg, Args, Policy
from commands.context import Context
from commands.pages.filtering import CONTACT, ENTRY_FILTERS, GROUP, TEMPLATE, read_filter
from commands.reply import File, Reply, Table
from store.contacts import find_contact
from store.db import reading
from store.exports import ExportFormat, export_entries
from store.queries import Statistic, contact_statistics, statistics
from store.templates import get_group, get_template


class By(StrEnum):
    TEMPLATE = "template"
    GROUP = "group"


def stats(ctx: Context, args: Args) -> Reply:
    with reading(ctx.sessions) as session:
        if "contact" in args:
            contact = find_contact(session, ctx.team_id, args["contact"])
            rows = [contact_statistics(session, ctx.team_id, contact.no)]
            title = f"Interaction Statistics for {contact.name}"
        else:
            by = (
                By.TEMPLATE
                if "template" in args
                else By.GROUP
                if "group" in args
                else args.get("by", By.TEMPLATE)
            )
            rows = statistics(session, ctx.team_id, by.value)
            if "template" in args:
                wanted = get_template(session, ctx.team_id, args["template"]).code
            elif "group" in args:
                wanted = get_group(session, ctx.team_id, args["group"]).code
            else:
                wanted = ""
            if wanted:
                rows = [row for row in rows if row.key == wanted] or [Statistic(wanted, 0, 0, 0)]  # type: ignore[arg-type]
            title = f"Interaction Statistics by {by.value}"
    if not rows:
        return Reply(f"{title}: no interactions yet.")
    table = Table(
        ("", "Interactions", "Cost", "Duration (min)"),
        tuple((row.key, f"{row.interactions:,}", f"{row.cost:.2f}", f"{row.duration:,}") for row in rows),
    )
    return Reply(title, paragraphs=("Canceled and postponed interactions are not counted.",), table=table)


def export(ctx: Context, args: Args) -> Reply:
    fmt: ExportFormat = args.get("format", ExportFormat.CSV)
    with reading(ctx.sessions) as session:
        given = read_filter(session, ctx.team_id, args)
        data = export_entries(session, ctx.team_id, given, fmt)
        content = data if isinstance(data, bytes) else b"".join(data)
    name = f"interaction-log-entries-{ctx.today().isoformat()}.{fmt.value}"
    content_type = "text/csv" if fmt is ExportFormat.CSV else "application/json"
    return Reply(f"Exported interaction log entries to {name}.", file=File(name, content, content_type, name))


STATISTICS = Action(
    id="statistics",
    title="Interaction Statistics",
    title_es="Estadísticas de interacciones",
    usage="/crm stats [contact=..|template=..|group=..]",
    summary="Count, cost and duration of interactions per contact, template or group.",
    summary_es="Número, coste y duración de las interacciones por contacto, plantilla o grupo.",
    command=("stats",),
    handler=stats,
    args=(CONTACT, TEMPLATE, GROUP, Arg("by", inputs.Choice(By))),
    keywords=(
        "statistics",
        "stats",
        "totals",
        "report",
        "how many",
        "cost",
        "duration",
        "kpi",
        "summary",
        "dashboard",
    ),
    keywords_es=("estadísticas", "totales", "informe", "cuántas", "coste", "duración", "resumen"),
    policy=Policy(read_only=True),
)
EXPORT_ENTRIES = Action(
    id="export_entries",
    title="Export Interaction Log Entries",
    title_es="Exportar movs. log. interacción",
    usage="/crm export entries [filters] [format=csv|json]",
    summary="Download the entries as a CSV file.",
    summary_es="Descarga los movimientos en un archivo CSV.",
    command=("export", "entries"),
    handler=export,
    args=(*ENTRY_FILTERS, Arg("format", inputs.FORMAT)),
    keywords=("export", "download", "csv", "excel", "spreadsheet", "backup"),
    keywords_es=("exportar", "descargar", "hoja de cálculo", "copia"),
)

ACTIONS = (STATISTICS, EXPORT_ENTRIES)
