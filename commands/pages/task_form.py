"""The Create Task form: typed into, or opened from an entry's Follow up button pre-filled from the entry
(its contact, "Follow-up on entry N: …", due three working days on)."""

from typing import Any

from commands import inputs
from commands.context import Context
from commands.forms import SELECT_LIMIT, Field, Form, read_fields
from commands.inputs import UsageError
from commands.when import Due
from store.contacts import list_contacts
from store.db import reading
from store.enums import TaskPriority, TaskType
from store.interactions import get_entry
from store.tasks import working_days_after

ADD_TASK_ID = "add_task"

PRIORITIES = tuple((p.value, p.value.capitalize()) for p in TaskPriority)
TYPES = (("", "-"), (TaskType.PHONE_CALL.value, "Phone call"), (TaskType.MEETING.value, "Meeting"))
FOLLOW_UP_DAYS = 3
"""A follow-up made from an entry is due this many working days later."""


def task_form(ctx: Context, values: dict[str, str]) -> Form:
    """Pre-filled from the entry it follows up, when made from an entry's Follow up button."""
    values = dict(values)
    with reading(ctx.sessions) as session:
        if values.get("entry", "").strip() and not values.get("contact"):
            entry_no = inputs.ENTRY_NO.parse(values["entry"], ctx, "entry")
            entry = get_entry(session, ctx.team_id, entry_no)
            values["contact"] = entry.contact_no
            values.setdefault("description", f"Follow-up on entry {entry_no}: {entry.description}"[:100])
            values.setdefault("due", working_days_after(ctx.today(), FOLLOW_UP_DAYS).isoformat())
        contacts = list_contacts(session, ctx.team_id, limit=SELECT_LIMIT + 1)
    _due_fields(ctx, values)
    contact_field = (
        Field("contact", "Contact", "external_select", values.get("contact", ""))
        if len(contacts) > SELECT_LIMIT
        else Field(
            "contact",
            "Contact",
            "select",
            values.get("contact", ""),
            tuple((c.no, f"{c.name} ({c.no})") for c in contacts),
        )
    )
    fields = (
        contact_field,
        Field("description", "Description", "text", values.get("description", "")),
        Field("due", "Due date", "date", values.get("due") or ctx.today().isoformat()),
        Field("time", "Time (leave empty for the day)", "time", values.get("time", ""), optional=True),
        Field("priority", "Priority", "select", values.get("priority") or "normal", PRIORITIES),
        Field("type", "Type", "select", values.get("type", ""), TYPES, optional=True),
        Field("entry", "Follows up entry", "number", values.get("entry", ""), optional=True),
    )
    return Form(ADD_TASK_ID, "Create Task", "Create", fields)


def _due_fields(ctx: Context, values: dict[str, str]) -> None:
    """A due date in words (typed, or read by Tell Me) as the form's date and time fields take it."""
    try:
        due = inputs.WHEN.parse(values["due"], ctx, "due") if values.get("due", "").strip() else None
    except UsageError:
        due = None
    values["due"] = due.day.isoformat() if due else ""
    if due and due.at and not values.get("time"):
        values["time"] = due.at.strftime("%H:%M")


def read_task_form(ctx: Context, values: dict[str, str]) -> dict[str, Any]:
    kinds = {
        "contact": inputs.CONTACT,
        "description": inputs.DESCRIPTION,
        "due": inputs.DATE,
        "time": inputs.TIME,
        "priority": inputs.PRIORITY,
        "type": inputs.TASK_TYPE,
        "entry": inputs.ENTRY_NO,
    }
    args = read_fields(ctx, values, kinds, required=("contact", "description", "due"))
    args["due"] = Due(args["due"], args.pop("time", None))
    if args.get("type") is TaskType.BLANK:
        del args["type"]
    return args
