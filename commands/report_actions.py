"""Interaction Statistics and Export Interaction Log Entries."""

from commands.context import Context
from commands.entry_actions import FILTER_OPTIONS, entry_filter
from commands.parsing import UsageError, parse
from commands.reply import File, Reply, Table
from store.contacts import find_contact
from store.db import reading
from store.queries import Statistic, contact_statistics, statistics
from store.transfer import export_entries

STATS_OPTIONS = frozenset({"contact", "template", "group", "by"})


def stats(ctx: Context, words: list[str]) -> Reply:
    args = parse(words, STATS_OPTIONS, options_only=True)
    args.require_no_extra()
    option = args.option
    with reading(ctx.sessions) as session:
        if option("contact"):
            contact = find_contact(session, ctx.team_id, option("contact"))
            rows = [contact_statistics(session, ctx.team_id, contact.no)]
            title = f"Interaction Statistics for {contact.name}"
        else:
            by = (
                "template"
                if option("template")
                else "group"
                if option("group")
                else option("by") or "template"
            )
            rows = statistics(session, ctx.team_id, by)
            wanted = (option("template") or option("group")).upper()
            if wanted:
                rows = [row for row in rows if row.key == wanted] or [Statistic(wanted, 0, 0, 0)]  # type: ignore[arg-type]
            title = f"Interaction Statistics by {by}"
    if not rows:
        return Reply(f"{title}: no interactions yet.")
    table = Table(
        ("", "Interactions", "Cost", "Duration (min)"),
        tuple((row.key, f"{row.interactions:,}", f"{row.cost:.2f}", f"{row.duration:,}") for row in rows),
    )
    return Reply(title, paragraphs=("Canceled and postponed interactions are not counted.",), table=table)


def export(ctx: Context, words: list[str]) -> Reply:
    if not words or words[0].lower() != "entries":
        raise UsageError("Use `export entries [filters]`.")
    args = parse(words[1:], FILTER_OPTIONS | {"format"}, options_only=True)
    args.require_no_extra()
    fmt = args.option("format", "csv").lower()
    if fmt not in {"csv", "json"}:
        raise UsageError("format= takes csv or json.")
    with reading(ctx.sessions) as session:
        given = entry_filter(ctx, args, session)
        data = export_entries(session, ctx.team_id, given, fmt)
        content = data if isinstance(data, bytes) else b"".join(data)
    name = f"interaction-log-entries-{ctx.today().isoformat()}.{fmt}"
    content_type = "text/csv" if fmt == "csv" else "application/json"
    return Reply(f"Exported interaction log entries to {name}.", file=File(name, content, content_type, name))
