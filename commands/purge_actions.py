"""The two purges, Delete Canceled Interaction Log Entries and Delete Canceled Logged Segments: the
command asks first, with what would go; only the Delete button of that question deletes."""

import shlex
from datetime import date

from commands.context import Context
from commands.entry_actions import entry_filter
from commands.parsing import Args, parse
from commands.permissions import require_admin
from commands.reply import BackgroundWork, Button, Reply
from commands.views import plural
from store.cancellation import count_canceled, delete_canceled_entries, delete_canceled_logged_segments
from store.db import reading
from store.filters import EntryFilter

OPTIONS = frozenset({"contact", "from", "to", "template", "group"})
CONFIRMED = "confirmed"
"""The word the question's Delete button adds to the command. A click on any other button that carries
the bare command (a Tell Me choice, say) asks the question instead of deleting."""
# Purges larger than this finish after Slack has been answered.
BACKGROUND_FROM = 20_000


def _parse(words: list[str], options: frozenset[str] = frozenset()) -> Args:
    args = parse(words, options, flags=frozenset({CONFIRMED}), options_only=True)
    args.require_no_extra()
    return args


def _confirmed(ctx: Context, args: Args) -> bool:
    return ctx.clicked and args.options.pop(CONFIRMED, "") == "yes"


def _question(text: str, paragraph: str, command: str, confirm: str) -> Reply:
    return Reply(
        text,
        paragraphs=(paragraph,),
        buttons=(
            Button("Delete", f"{command} {CONFIRMED}", "danger", confirm=confirm),
            Button("Keep", "keep"),
        ),
    )


def delete_canceled(ctx: Context, words: list[str]) -> Reply:
    args = _parse(words, OPTIONS)
    require_admin(ctx, "delete canceled interaction log entries")
    confirmed = _confirmed(ctx, args)
    with reading(ctx.sessions) as session:
        given = entry_filter(ctx, args, session)
        count = count_canceled(session, ctx.team_id, given)
    if not confirmed:
        if count == 0:
            return Reply("No canceled interaction log entries match, so there is nothing to delete.")
        what = plural(count, "canceled interaction log entry", "canceled interaction log entries")
        command = " ".join(["delete-canceled", *(f"{k}={shlex.quote(v)}" for k, v in args.options.items())])
        return _question(
            f"{what} would be deleted, with their comments and their own attachments.",
            "Entries restored before you confirm are kept.",
            command,
            f"Delete {what}? This cannot be undone.",
        )
    if count >= BACKGROUND_FROM:
        return Reply(
            f"Deleting {plural(count, 'canceled entry', 'canceled entries')}… I will post the result here.",
            background=BackgroundWork("delete_canceled", _payload(given)),
            replace_original=True,
        )
    return run_delete_canceled(ctx, _payload(given))


def _payload(given: EntryFilter) -> dict[str, object]:
    return {
        "contact_no": given.contact_no,
        "company_no": given.company_no,
        "template_code": given.template_code,
        "group_code": given.group_code,
        "date_from": given.date_from.isoformat() if given.date_from else "",
        "date_to": given.date_to.isoformat() if given.date_to else "",
    }


def run_delete_canceled(ctx: Context, payload: dict[str, object]) -> Reply:
    given = EntryFilter(
        contact_no=str(payload["contact_no"]),
        company_no=str(payload.get("company_no", "")),
        template_code=str(payload["template_code"]),
        group_code=str(payload["group_code"]),
        date_from=date.fromisoformat(str(payload["date_from"])) if payload["date_from"] else None,
        date_to=date.fromisoformat(str(payload["date_to"])) if payload["date_to"] else None,
    )
    with ctx.sessions.begin() as session:
        deleted = delete_canceled_entries(session, ctx.team_id, ctx.user_id, given)
    return Reply(
        f"Deleted {plural(deleted, 'canceled interaction log entry', 'canceled interaction log entries')}.",
        replace_original=True,
    )


def delete_canceled_segments(ctx: Context, words: list[str]) -> Reply:
    args = _parse(words)
    require_admin(ctx, "delete canceled logged segments")
    if not _confirmed(ctx, args):
        return _question(
            "Delete all canceled logged segments?",
            "Their entries stay, no longer linked to a segment.",
            "delete-canceled-segments",
            "Delete canceled logged segments?",
        )
    with ctx.sessions.begin() as session:
        deleted = delete_canceled_logged_segments(session, ctx.team_id, ctx.user_id)
    return Reply(f"Deleted {plural(deleted, 'canceled logged segment')}.", replace_original=True)


def keep(ctx: Context, words: list[str]) -> Reply:
    return Reply("Kept: nothing was deleted.", replace_original=True)
