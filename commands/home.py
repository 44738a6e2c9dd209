"""App Home: the user's recent interactions and what needs attention."""

from commands.context import Context
from commands.pages.tasks import task_item
from commands.reply import Button, Item, Reply
from commands.views import entry_item, plural
from store.db import reading
from store.filters import CanceledFilter, EntryFilter, count_entries
from store.queries import list_entries
from store.tasks import TaskScope, list_tasks

SHOWN_TASKS = 10


def home(ctx: Context) -> Reply:
    with reading(ctx.sessions) as session:
        recent = list_entries(session, ctx.team_id, EntryFilter(user_id=ctx.user_id), limit=10).rows
        canceled = count_entries(session, ctx.team_id, EntryFilter(canceled=CanceledFilter.YES))
        postponed = count_entries(session, ctx.team_id, EntryFilter(postponed=True))
        mine = {"owner_id": ctx.user_id, "now": ctx.now(), "today": ctx.today(), "limit": SHOWN_TASKS}
        overdue = list_tasks(session, ctx.team_id, scope=TaskScope.OVERDUE, **mine).rows
        today = [
            row
            for row in list_tasks(session, ctx.team_id, scope=TaskScope.TODAY, **mine).rows
            if row.task.due_at >= ctx.now()
        ]
    tasks: list[Item] = []
    for heading, rows in (("*Overdue*", overdue), ("*Due today*", today)):
        if rows:
            tasks += [Item(heading), *(task_item(row.task, row.contact_name) for row in rows)]
    return Reply(
        "Interactions",
        paragraphs=(
            f"{plural(canceled, 'canceled entry', 'canceled entries')} · "
            f"{plural(postponed, 'postponed interaction')}",
        ),
        items=(
            *tasks,
            Item("*Your recent interactions*" if recent else "You have not recorded any interactions yet."),
            *(entry_item(row) for row in recent),
        ),
        buttons=(
            Button("Create Interaction", "log", "primary"),
            Button("Interaction Log Entries", "entries"),
            Button("Postponed Interactions", "postponed"),
            Button("Tasks", "tasks"),
            Button("Tell Me", "tellme"),
        ),
    )
