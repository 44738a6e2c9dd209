"""Interaction Statistics (with a chart) and Export Interaction Log Entries."""

import logging
import time
from datetime import date
from decimal import Decimal
from enum import StrEnum

from commands import inputs
from commands.action import Action, Arg, Args, Policy
from commands.charts import bar_chart
from commands.context import Context
from commands.pages.filtering import CONTACT, ENTRY_FILTERS, GROUP, TEMPLATE, read_filter
from commands.reply import File, Reply, Table
from store.contacts import find_contact
from store.db import reading
from store.exports import ExportFormat, export_entries
from store.filters import EntryFilter, contact_scope
from store.queries import MonthStatistic, Statistic, contact_statistics, monthly_statistics, statistics
from store.templates import get_group, get_template

log = logging.getLogger(__name__)
MONTHS = 12
BARS = 12
"""A chart by template or group shows this many, the most used."""


class By(StrEnum):
    TEMPLATE = "template"
    GROUP = "group"


def stats(ctx: Context, args: Args) -> Reply:
    """The table, and a chart of the same figures: per month over the last twelve for the whole workspace,
    a contact, a template or a group; per template (or group) when asked `by=`."""
    today = ctx.today()
    first = _months_before(today, MONTHS - 1)
    with reading(ctx.sessions) as session:
        if "contact" in args:
            contact = find_contact(session, ctx.team_id, args["contact"])
            rows = [contact_statistics(session, ctx.team_id, contact.no)]
            title, about = f"Interaction Statistics for {contact.name}", contact.name
            scope = EntryFilter(**contact_scope(contact))
        else:
            by = (
                By.TEMPLATE
                if "template" in args
                else By.GROUP
                if "group" in args
                else args.get("by", By.TEMPLATE)
            )
            rows = statistics(session, ctx.team_id, by.value)
            scope = EntryFilter()
            if "template" in args:
                wanted = get_template(session, ctx.team_id, args["template"]).code
                scope = EntryFilter(template_code=wanted)
            elif "group" in args:
                wanted = get_group(session, ctx.team_id, args["group"]).code
                scope = EntryFilter(group_code=wanted)
            else:
                wanted = ""
            if wanted:
                rows = [row for row in rows if row.key == wanted] or [Statistic(wanted, 0, 0, 0)]  # type: ignore[arg-type]
            title = f"Interaction Statistics by {by.value}"
            about = f"{by.value} {wanted}" if wanted else "all interactions"
        months = [] if "by" in args else monthly_statistics(session, ctx.team_id, scope, first, today)
    if not rows:
        return Reply(f"{title}: no interactions yet.")
    table = Table(
        ("", "Interactions", "Cost", "Duration (min)"),
        tuple((row.key, f"{row.interactions:,}", f"{row.cost:.2f}", f"{row.duration:,}") for row in rows),
    )
    if "by" in args:
        chart = _chart(f"Interactions and cost by {args['by'].value}", rows[:BARS], today)
    else:
        chart = _monthly_chart(f"Interactions and cost per month: {about}", months, today)
    return Reply(
        title,
        paragraphs=("Canceled and postponed interactions are not counted.",),
        table=table,
        file=chart,
    )


def _months_before(day: date, count: int) -> date:
    index = day.year * 12 + day.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _monthly_chart(title: str, months: list[MonthStatistic], today: date) -> File | None:
    if not any(month.interactions for month in months):
        return None
    labels = [month.month.strftime("%b %y") for month in months]
    counts = [month.interactions for month in months]
    return _draw(title, labels, counts, [month.cost for month in months], today)


def _chart(title: str, rows: list[Statistic], today: date) -> File | None:
    if not any(row.interactions for row in rows):
        return None
    labels = [row.key or "-" for row in rows]
    return _draw(title, labels, [row.interactions for row in rows], [row.cost for row in rows], today)


def _draw(title: str, labels: list[str], counts: list[int], costs: list[Decimal], today: date) -> File | None:
    """The chart as a PNG file; none (the table alone) when it cannot be drawn."""
    started = time.perf_counter()
    try:
        content = bar_chart(title, labels, counts, costs)
    except Exception:  # a chart is a bonus: the figures are in the table
        log.exception("the statistics chart could not be drawn")
        return None
    log.info(
        "statistics chart drawn in %.0f ms (%d bytes)", 1000 * (time.perf_counter() - started), len(content)
    )
    name = f"interaction-statistics-{today.isoformat()}.png"
    return File(name, content, "image/png", title)


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
