"""App Home: quick actions on top, then the viewing user's own work (follow-ups due, postponed
interactions, recent entries) and, for admins, the workspace's figures."""

from datetime import date

from sqlalchemy.orm import Session

from commands.context import Context
from commands.pages.entries import LOG_ENTRIES
from commands.pages.interactions import CREATE_INTERACTION
from commands.pages.postponed import POSTPONED
from commands.pages.reports import STATISTICS
from commands.pages.tasks import ADD_TASK, LIST_TASKS, task_item
from commands.reply import Button, Item, Reply
from commands.views import entry_item, plural
from store.db import reading
from store.filters import CanceledFilter, EntryFilter, count_entries
from store.queries import list_entries, statistics
from store.tasks import TaskRow, TaskScope, list_tasks

SHOWN_TASKS = 10
SHOWN_POSTPONED = 5
SHOWN_RECENT = 5
FIGURES_SHOWN_TASKS = 99
"""Overdue tasks counted for the figures; more read as "99+"."""


def home(ctx: Context) -> Reply:
    with reading(ctx.sessions) as session:
        mine = {"owner_id": ctx.user_id, "now": ctx.now(), "today": ctx.today(), "limit": SHOWN_TASKS}
        overdue = list_tasks(session, ctx.team_id, scope=TaskScope.OVERDUE, **mine).rows
        today = [
            row
            for row in list_tasks(session, ctx.team_id, scope=TaskScope.TODAY, **mine).rows
            if row.task.due_at >= ctx.now()
        ]
        waiting = EntryFilter(user_id=ctx.user_id, postponed=True)
        postponed = list_entries(session, ctx.team_id, waiting, limit=SHOWN_POSTPONED)
        recent = list_entries(session, ctx.team_id, EntryFilter(user_id=ctx.user_id), limit=SHOWN_RECENT)
        workspace = figures(session, ctx) if ctx.is_admin else []
    items = [quick_actions(), *_tasks(overdue, today)]
    if postponed.rows:
        items += [
            Item("Your postponed interactions", heading=True),
            *(entry_item(row) for row in postponed.rows),
        ]
        if postponed.next_before is not None:
            items.append(Item("", (Button("All your postponed interactions", "postponed"),)))
    items.append(Item("Your recent entries", heading=True))
    if recent.rows:
        items += [entry_item(row) for row in recent.rows]
    else:
        items.append(Item("You have not recorded any interactions yet."))
    return Reply("Interactions", header=True, items=(*items, *workspace))


def quick_actions() -> Item:
    return Item(
        "",
        (
            Button("Log an interaction", CREATE_INTERACTION.command_text(), "primary"),
            Button("New follow-up", ADD_TASK.command_text()),
            Button("Entries", LOG_ENTRIES.command_text()),
            Button("Postponed", POSTPONED.command_text()),
            Button("Tasks", LIST_TASKS.command_text()),
            Button("Tell Me", "tellme"),
            Button("Help", "help"),
        ),
    )


def _tasks(overdue: list[TaskRow], today: list[TaskRow]) -> list[Item]:
    items = [Item("Your follow-ups", heading=True)]
    for label, rows in (("*Overdue*", overdue), ("*Due today*", today)):
        if rows:
            items += [Item(label), *(task_item(row.task, row.contact_name) for row in rows)]
    if len(items) == 1:
        items.append(Item("Nothing overdue or due today."))
    return items


def figures(session: Session, ctx: Context) -> list[Item]:
    """The whole workspace's figures (an admin's view): what was logged, this month, and what waits."""
    first = ctx.today().replace(day=1)
    totals = statistics(session, ctx.team_id, "group")
    month = count_entries(session, ctx.team_id, EntryFilter(canceled=CanceledFilter.NO, date_from=first))
    canceled = count_entries(session, ctx.team_id, EntryFilter(canceled=CanceledFilter.YES))
    postponed = count_entries(session, ctx.team_id, EntryFilter(postponed=True))
    late = list_tasks(
        session,
        ctx.team_id,
        owner_id=None,
        now=ctx.now(),
        today=ctx.today(),
        scope=TaskScope.OVERDUE,
        limit=FIGURES_SHOWN_TASKS,
    )
    count = sum(row.interactions for row in totals)
    cost = sum((row.cost for row in totals), start=0)
    minutes = sum(row.duration for row in totals)
    overdue = f"{len(late.rows)}{'+' if late.more else ''}"
    return [
        Item("Workspace (admins)", heading=True),
        Item(
            f"*{plural(count, 'interaction')}* logged, cost {cost:,.2f}, {_hours(minutes)} · "
            f"{plural(month, 'interaction')} since {_day(first)}\n"
            f"{plural(canceled, 'canceled entry', 'canceled entries')} · "
            f"{plural(postponed, 'postponed interaction')} · {overdue} overdue tasks, everyone's",
            (
                Button("Statistics", STATISTICS.command_text()),
                Button("Canceled entries", LOG_ENTRIES.command_text({"canceled": CanceledFilter.YES})),
            ),
        ),
    ]


def _hours(minutes: int) -> str:
    return f"{minutes // 60:,} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def _day(day: date) -> str:
    return f"{day:%B} {day.day}"
