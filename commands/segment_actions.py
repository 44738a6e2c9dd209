"""Segments, logging them, and logged segments."""

from sqlalchemy import func, select

from commands.context import Context
from commands.parsing import Args, UsageError, parse
from commands.reply import BackgroundWork, Button, Reply, Table
from commands.views import plural
from store.cancellation import set_logged_segment_canceled
from store.db import reading
from store.filters import EntryFilter, count_entries
from store.models import SegmentLine
from store.segments import (
    add_segment,
    add_segment_lines,
    get_segment,
    list_logged_segments,
    list_segments,
    log_segment,
)
from store.templates import get_template

# Segments larger than this are logged after Slack has been answered, so the answer is never late.
BACKGROUND_FROM = 2_000


def segments(ctx: Context, words: list[str]) -> Reply:
    if words and words[0].lower() == "add":
        return add(ctx, words[1:])
    if len(words) >= 2 and words[1].lower() == "add":
        return add_contacts(ctx, words[0], words[2:])
    if words:
        raise UsageError("Use `segment add <code> <description>` or `segment <code> add <contact>, ...`.")
    with reading(ctx.sessions) as session:
        found = list_segments(session, ctx.team_id)
    if not found:
        return Reply(
            "No segments yet.", paragraphs=("Create one with `/crm segment add <code> <description>`.",)
        )
    rows = tuple(
        (
            s.segment.no,
            s.segment.description,
            str(s.contacts),
            f"logged ({s.logged_segment_entry_no})" if s.logged_segment_entry_no else "not logged",
        )
        for s in found
    )
    return Reply(f"Segments ({len(found)})", table=Table(("Code", "Description", "Contacts", "Status"), rows))


def add(ctx: Context, words: list[str]) -> Reply:
    if not words:
        raise UsageError("Give the segment a code and a description.")
    with ctx.sessions.begin() as session:
        segment = add_segment(session, ctx.team_id, words[0], " ".join(words[1:]))
    return Reply(
        f"Segment {segment.no} created.",
        paragraphs=(f"Add contacts with `/crm segment {segment.no} add <contact>, <contact>`.",),
    )


def add_contacts(ctx: Context, code: str, words: list[str]) -> Reply:
    names = [name.strip() for name in " ".join(words).split(",") if name.strip()]
    if not names:
        raise UsageError("Name the contacts to add, separated by commas.")
    with ctx.sessions.begin() as session:
        added = add_segment_lines(session, ctx.team_id, code, names)
        segment = get_segment(session, ctx.team_id, code)
    listed = ", ".join(f"{c.name} ({c.no})" for c in added)
    return Reply(f"Segment {segment.no}: added {listed}.")


def log_segment_reply(ctx: Context, args: Args) -> Reply:
    if len(args.words) != 1:
        raise UsageError("Say which template to log the segment with: `/crm log <template> segment=<code>`.")
    template_code, code = args.words[0], args.option("segment")
    with reading(ctx.sessions) as session:
        segment = get_segment(session, ctx.team_id, code)
        template = get_template(session, ctx.team_id, template_code)
        lines = session.scalar(
            select(func.count()).where(
                SegmentLine.team_id == ctx.team_id, SegmentLine.segment_no == segment.no
            )
        )
    payload: dict[str, object] = {"segment": segment.no, "template": template.code}
    if (lines or 0) >= BACKGROUND_FROM:
        return Reply(
            f"Logging segment {segment.no} ({plural(lines or 0, 'contact')}) with template {template.code}… "
            "I will post the result here.",
            background=BackgroundWork("log_segment", payload),
        )
    return run_log_segment(ctx, payload)


def run_log_segment(ctx: Context, payload: dict[str, object]) -> Reply:
    with ctx.sessions.begin() as session:
        logged = log_segment(
            session,
            ctx.team_id,
            ctx.user_id,
            str(payload["segment"]),
            str(payload["template"]),
            now=ctx.now(),
        )
        count = count_entries(session, ctx.team_id, EntryFilter(logged_segment_entry_no=logged.entry_no))
    entries = plural(count, "interaction log entry", "interaction log entries")
    return Reply(
        f"Segment {logged.segment_no} logged: {entries} (logged segment {logged.entry_no}).",
        buttons=(Button("Show entries", f"entries segment={logged.segment_no}"),),
    )


def logged_segments(ctx: Context, words: list[str]) -> Reply:
    parse(words).require_no_extra()
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
            "canceled" if logged.canceled else "",
        )
        for logged, count in found
    )
    columns = ("No.", "Segment", "Description", "Created", "Interactions", "Status")
    return Reply(f"Logged Segments ({len(found)})", table=Table(columns, rows))


def set_canceled(ctx: Context, number: str, canceled: bool) -> Reply:
    if not number.isdigit():
        raise UsageError("segment= takes the number of a logged segment (see `/crm logged-segments`).")
    with ctx.sessions.begin() as session:
        changed = set_logged_segment_canceled(session, ctx.team_id, ctx.user_id, int(number), canceled)
    verb = "canceled" if canceled else "restored"
    return Reply(
        f"Logged segment {number} {verb}, with {plural(changed, 'entry', 'entries')}.",
        replace_original=ctx.clicked,
    )
