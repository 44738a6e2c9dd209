"""Delete Canceled Interaction Log Entries: ask first, with the count; delete only on the button."""

import shlex

from commands.context import Context
from commands.entry_actions import entry_filter
from commands.parsing import Args, parse
from commands.permissions import require_admin
from commands.reply import BackgroundWork, Button, Reply
from commands.views import plural
from store.cancellation import count_canceled, delete_canceled_entries
from store.db import reading
from store.filters import EntryFilter

OPTIONS = frozenset({"contact", "from", "to", "template", "group"})
# Purges larger than this finish after Slack has been answered.
BACKGROUND_FROM = 20_000


def delete_canceled(ctx: Context, words: list[str]) -> Reply:
    args = parse(words, OPTIONS)
    args.require_no_extra()
    require_admin(ctx, "delete canceled interaction log entries")
    with reading(ctx.sessions) as session:
        given = entry_filter(ctx, args, session)
        count = count_canceled(session, ctx.team_id, given)
    if not ctx.clicked:
        return _question(args, count)
    if count >= BACKGROUND_FROM:
        return Reply(
            f"Deleting {plural(count, 'canceled entry', 'canceled entries')}… I will post the result here.",
            background=BackgroundWork("delete_canceled", _payload(given)),
            replace_original=True,
        )
    return run_delete_canceled(ctx, _payload(given))


def _question(args: Args, count: int) -> Reply:
    if count == 0:
        return Reply("No canceled interaction log entries match, so there is nothing to delete.")
    command = " ".join(["delete-canceled", *(f"{k}={shlex.quote(v)}" for k, v in args.options.items())])
    what = plural(count, "canceled interaction log entry", "canceled interaction log entries")
    return Reply(
        f"{what} would be deleted, with their comments and their own attachments.",
        paragraphs=("Entries restored before you confirm are kept.",),
        buttons=(
            Button("Delete", command, "danger", confirm=f"Delete {what}? This cannot be undone."),
            Button("Keep", "keep"),
        ),
    )


def _payload(given: EntryFilter) -> dict[str, object]:
    return {
        "contact_no": given.contact_no,
        "template_code": given.template_code,
        "group_code": given.group_code,
        "date_from": given.date_from.isoformat() if given.date_from else "",
        "date_to": given.date_to.isoformat() if given.date_to else "",
    }


def run_delete_canceled(ctx: Context, payload: dict[str, object]) -> Reply:
    from datetime import date

    given = EntryFilter(
        contact_no=str(payload["contact_no"]),
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


def keep(ctx: Context, words: list[str]) -> Reply:
    return Reply("Kept: nothing was deleted.", replace_original=True)
