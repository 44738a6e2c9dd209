"""App Home: the user's recent interactions and what needs attention."""

from commands.context import Context
from commands.reply import Button, Reply
from commands.views import entry_item, plural
from store.db import reading
from store.filters import CanceledFilter, EntryFilter, count_entries
from store.queries import list_entries


def home(ctx: Context) -> Reply:
    with reading(ctx.sessions) as session:
        recent = list_entries(session, ctx.team_id, EntryFilter(user_id=ctx.user_id), limit=10).rows
        canceled = count_entries(session, ctx.team_id, EntryFilter(canceled=CanceledFilter.YES))
        postponed = count_entries(session, ctx.team_id, EntryFilter(postponed=True))
    return Reply(
        "Interactions",
        paragraphs=(
            f"{plural(canceled, 'canceled entry', 'canceled entries')} · "
            f"{plural(postponed, 'postponed interaction')}",
            "*Your recent interactions*" if recent else "You have not recorded any interactions yet.",
        ),
        items=tuple(entry_item(row) for row in recent),
        buttons=(
            Button("Create Interaction", "log", "primary"),
            Button("Interaction Log Entries", "entries"),
            Button("Postponed Interactions", "postponed"),
            Button("Tell Me", "tellme"),
        ),
    )
