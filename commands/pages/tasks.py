"""Tasks (Business Central's to-dos): follow-ups on a contact or an entry, with a due date, an owner and a
reminder in Slack. Add one typed, from its form or from an entry's Follow up button; list, show,
complete, snooze and cancel them."""

from typing import Any

from commands import inputs, marks
from commands.action import Action, Arg, Args, FormSpec, Policy
from commands.context import Context
from commands.pages.interactions import CREATE_INTERACTION
from commands.pages.task_form import ADD_TASK_ID, check_task, read_task_form, task_form
from commands.reply import Button, Item, Reply
from commands.when import Due
from store.db import reading
from store.enums import TaskPriority, TaskType
from store.task_models import Task
from store.tasks import (
    NewTask,
    TaskScope,
    add_task,
    cancel_task,
    complete_task,
    contact_name,
    get_task,
    list_tasks,
    snooze_task,
    template_to_log,
)

PAGE = 10
TASK_NO = Arg("task_no", inputs.TASK_NO, required=True)
PRIORITY_MARK = {TaskPriority.HIGH.value: "❗ ", TaskPriority.LOW.value: ""}
TYPE_LABEL = {TaskType.PHONE_CALL.value: "phone call", TaskType.MEETING.value: "meeting"}


def due_text(task: Task) -> str:
    """A due time is a moment each viewer reads in their own time zone; a due date alone is a day."""
    return marks.moment(task.due_at) if task.due_time else task.due_date.isoformat()


def task_line(task: Task, name: str) -> str:
    kind = f" · {TYPE_LABEL[task.type]}" if task.type in TYPE_LABEL else ""
    mark = PRIORITY_MARK.get(task.priority, "")
    owner = marks.person(task.owner_id)
    return f"{mark}*Task {task.no}*  due {due_text(task)} · {name} · {task.description}{kind} · {owner}"


def task_buttons(task: Task) -> tuple[Button, ...]:
    return (
        Button("Done", COMPLETE_TASK.command_text({"task_no": task.no}), "primary"),
        Button("Snooze", SNOOZE_TASK.command_text({"task_no": task.no, "until": "tomorrow"})),
    )


def task_item(task: Task, name: str) -> Item:
    return Item(task_line(task, name), task_buttons(task))


def log_button(task: Task, template: str) -> Button:
    """Log the interaction the task stood for: at once with its template, else through the form."""
    values: dict[str, Any] = {"contact": task.contact_no, "description": task.description}
    if template:
        return Button(
            f"Log {template.lower()} interaction",
            CREATE_INTERACTION.command_text(values | {"template": template}),
        )
    return Button("Log interaction", CREATE_INTERACTION.command_text(values))


def add(ctx: Context, args: Args) -> Reply:
    due: Due = args["due"]
    new = NewTask(
        contact=args["contact"],
        description=args["description"],
        due_date=due.day,
        due_time=due.at,
        timezone=ctx.timezone,
        owner_id=args.get("owner") or ctx.user_id,
        priority=args.get("priority", TaskPriority.NORMAL),
        type=args.get("type", TaskType.BLANK),
        entry_no=args.get("entry"),
        template_code=args.get("template", ""),
    )
    with ctx.sessions.begin() as session:
        task = add_task(session, ctx.team_id, ctx.user_id, new, now=ctx.now())
        line = task_line(task, contact_name(session, task))
    when = "" if task.remind_at is None else " I will remind its owner when it is due."
    return Reply(f"Task {task.no} added.{when}", paragraphs=(line,), buttons=task_buttons(task))


def tasks(ctx: Context, args: Args) -> Reply:
    scope: TaskScope = args.get("scope", TaskScope.MINE)
    page = args.get("page", 1)
    everyone = scope is TaskScope.ALL or ("contact" in args and "scope" not in args)
    with reading(ctx.sessions) as session:
        found = list_tasks(
            session,
            ctx.team_id,
            owner_id=None if everyone else ctx.user_id,
            now=ctx.now(),
            today=ctx.today(),
            scope=scope,
            contact=args.get("contact", ""),
            due_from=args.get("from"),
            due_to=args.get("to"),
            limit=PAGE,
            offset=(page - 1) * PAGE,
        )
    whose = "Open tasks" if everyone else "Your open tasks"
    if not found.rows:
        return Reply(f"{whose}: none found." if page == 1 else f"{whose}: no more tasks.")
    buttons = (
        (Button("Next page", LIST_TASKS.command_text({**args, "page": page + 1})),) if found.more else ()
    )
    return Reply(
        f"{whose} ({len(found.rows)} shown, soonest first)",
        items=tuple(task_item(row.task, row.contact_name) for row in found.rows),
        buttons=buttons,
    )


def details(ctx: Context, args: Args) -> Reply:
    with reading(ctx.sessions) as session:
        task = get_task(session, ctx.team_id, args["task_no"])
        name = contact_name(session, task)
        template = template_to_log(session, task)
    state = "canceled" if task.canceled else task.status.replace("-", " ")
    fields = (
        ("Contact", f"{name} ({task.contact_no})"),
        ("Description", task.description),
        ("Due", due_text(task) if task.due_time else f"{due_text(task)} ({task.timezone})"),
        ("Priority", task.priority),
        ("Status", state),
        ("Type", TYPE_LABEL.get(task.type, "-")),
        ("Owner", marks.person(task.owner_id)),
        ("Follows up entry", str(task.entry_no) if task.entry_no else "-"),
        ("Template to log", template or "-"),
        ("Created by", marks.person(task.created_by)),
        (
            "Closed",
            f"{marks.moment(task.closed_at)} by {marks.person(task.closed_by)}" if task.closed_at else "-",
        ),
    )
    open_task = not (task.closed or task.canceled)
    buttons = (
        (*task_buttons(task), Button("Cancel task", CANCEL_TASK.command_text({"task_no": task.no})))
        if open_task
        else ()
    )
    # Lines rather than a table: a table is a code block, where Slack shows mentions and dates as typed.
    return Reply(
        f"Task {task.no}", paragraphs=tuple(f"*{name}:* {value}" for name, value in fields), buttons=buttons
    )


def complete(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        task = complete_task(
            session, ctx.team_id, ctx.user_id, args["task_no"], is_admin=ctx.is_admin, now=ctx.now()
        )
        template = template_to_log(session, task)
    return Reply(
        f"Task {task.no} completed: {task.description}.",
        paragraphs=("Log the interaction it stood for?",),
        buttons=(log_button(task, template),),
        replace_original=ctx.clicked,
    )


def snooze(ctx: Context, args: Args) -> Reply:
    due: Due = args["until"]
    with ctx.sessions.begin() as session:
        task = snooze_task(
            session,
            ctx.team_id,
            ctx.user_id,
            args["task_no"],
            due.day,
            due.at,
            is_admin=ctx.is_admin,
            now=ctx.now(),
        )
    return Reply(f"Task {task.no} snoozed: now due {due_text(task)}.", replace_original=ctx.clicked)


def cancel(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        task = cancel_task(
            session, ctx.team_id, ctx.user_id, args["task_no"], is_admin=ctx.is_admin, now=ctx.now()
        )
    return Reply(f"Task {task.no} canceled: {task.description}.", replace_original=ctx.clicked)


ADD_TASK = Action(
    id=ADD_TASK_ID,
    title="Create Task",
    title_es="Crear tarea",
    usage="/crm task add <contact> <description> due=<when> [priority=high] [owner=@user] "
    "[type=call|meeting]",
    summary="Add a follow-up on a contact, with a reminder in Slack when it is due.",
    summary_es="Añade un seguimiento de un contacto, con un recordatorio en Slack cuando venza.",
    command=("task", "add|new", "{contact}", "{description}"),
    handler=add,
    args=(
        Arg("contact", inputs.TASK_CONTACT, required=True),
        Arg("description", inputs.DESCRIPTION, required=True),
        Arg("due", inputs.WHEN, required=True),
        Arg("priority", inputs.PRIORITY),
        Arg("owner", inputs.USER),
        Arg("type", inputs.TASK_TYPE),
        Arg("entry", inputs.ENTRY_NO),
        Arg("template", inputs.TEMPLATE),
    ),
    keywords=(
        "remind me",
        "reminder",
        "follow up",
        "follow-up",
        "task",
        "to-do",
        "todo",
        "create task",
        "new task",
        "add task",
        "schedule a call",
        "remind me to call",
        "remind me to send",
        "remind me to",
        "remind me to email",
    ),
    keywords_es=(
        "recuérdame",
        "recordar",
        "recordatorio",
        "seguimiento",
        "tarea",
        "nueva tarea",
        "crear tarea",
        "añadir tarea",
        "pendiente de",
        "recuérdame llamar",
        "recuérdame enviar",
        "hacer seguimiento",
    ),
    form=FormSpec(task_form, read_task_form, check=check_task),
)
LIST_TASKS = Action(
    id="tasks",
    title="Tasks",
    title_es="Tareas",
    usage="/crm tasks [mine|all|overdue|today] [contact=..] [from=<date>] [to=<date>]",
    summary="List open tasks, soonest first: yours by default.",
    summary_es="Lista las tareas abiertas, las más próximas primero: las tuyas por defecto.",
    command=("tasks", "{scope}"),
    handler=tasks,
    args=(
        Arg("scope", inputs.TASK_SCOPE),
        Arg("contact", inputs.CONTACT),
        Arg("from", inputs.DATE),
        Arg("to", inputs.DATE),
        Arg("page", inputs.Number("page number")),
    ),
    keywords=(
        "my tasks",
        "tasks",
        "to-dos",
        "have due",
        "due this week",
        "due today",
        "overdue",
        "follow-ups",
        "agenda",
        "due",
    ),
    keywords_es=(
        "mis tareas",
        "tareas",
        "pendientes",
        "qué tengo",
        "vencidas",
        "agenda",
        "seguimientos",
        "esta semana",
    ),
    policy=Policy(read_only=True),
)
TASK_DETAILS = Action(
    id="task_details",
    title="Task",
    title_es="Tarea",
    usage="/crm task <no>",
    summary="Show one task.",
    summary_es="Muestra una tarea.",
    command=("task", "{task_no}"),
    handler=details,
    args=(TASK_NO,),
    keywords=("show task", "task details", "open task"),
    keywords_es=("ver tarea", "detalle de la tarea"),
    policy=Policy(read_only=True),
)
COMPLETE_TASK = Action(
    id="complete_task",
    title="Complete Task",
    title_es="Completar tarea",
    usage="/crm task done <no>",
    summary="Mark a task done, and log the interaction it stood for.",
    summary_es="Marca una tarea como hecha y registra la interacción que representaba.",
    command=("task", "done|complete|close", "{task_no}"),
    handler=complete,
    args=(TASK_NO,),
    keywords=("task done", "complete task", "finish task", "mark done", "close task"),
    keywords_es=("tarea hecha", "completar tarea", "terminar tarea", "cerrar tarea"),
)
SNOOZE_TASK = Action(
    id="snooze_task",
    title="Snooze Task",
    title_es="Posponer tarea",
    usage="/crm task snooze <no> <when>",
    summary="Move a task's due date (and its reminder) later: 1h, tomorrow, next week, a date.",
    summary_es="Aplaza una tarea (y su recordatorio): 1h, mañana, la semana que viene, una fecha.",
    command=("task", "snooze|postpone|move", "{task_no}", "{until}"),
    handler=snooze,
    args=(TASK_NO, Arg("until", inputs.WHEN, required=True)),
    keywords=("snooze", "snooze task", "postpone task", "remind me later", "move task"),
    keywords_es=("posponer tarea", "aplazar tarea", "recuérdamelo más tarde"),
)
CANCEL_TASK = Action(
    id="cancel_task",
    title="Cancel Task",
    title_es="Cancelar tarea",
    usage="/crm task cancel <no>",
    summary="Cancel a task: it is kept, closed, and not reminded of.",
    summary_es="Cancela una tarea: se conserva, cerrada, sin recordatorio.",
    command=("task", "cancel|drop", "{task_no}"),
    handler=cancel,
    args=(TASK_NO,),
    keywords=("cancel task", "drop task", "delete task"),
    keywords_es=("cancelar tarea", "anular tarea", "borrar tarea"),
)

ACTIONS = (ADD_TASK, LIST_TASKS, TASK_DETAILS, COMPLETE_TASK, SNOOZE_TASK, CANCEL_TASK)
__all__ = ["ACTIONS", "task_item"]
