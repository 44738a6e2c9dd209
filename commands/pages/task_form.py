"""The Create Task form: typed into, or opened from an entry's Follow up button pre-filled from the entry
(its contact, "Follow-up on entry N: …", due three working days on)."""

from collections.abc import Mapping
from typing import Any

from commands import inputs
from commands.context import Context
from commands.forms import Field, Form, contact_field, read_fields, text_field
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
    _due_fields(ctx, values)
    fields = (
        contact_field(ctx, values.get("contact", "")),
        text_field("description", "Description", inputs.DESCRIPTION, values.get("description", "")),
        Field("due", "Due date", "date", values.get("due") or ctx.today().isoformat()),
        Field("time", "Time (leave empty for the day)", "time", values.get("time", ""), optional=True),
        Field("priority", "Priority", "select", values.get("priority") or "normal", PRIORITIES),
        Field("type", "Type", "select", values.get("type", ""), TYPES, optional=True),
        Field("entry", "Follows up entry", "integer", values.get("entry", ""), optional=True),
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


def check_task(ctx: Context, args: Mapping[str, Any]) -> None:
    """The entry a follow-up is made from exists, and there are contacts to follow up."""
    with reading(ctx.sessions) as session:
        if "entry" in args:
            get_entry(session, ctx.team_id, args["entry"])
        if not list_contacts(session, ctx.team_id, limit=1):
            raise UsageError("There are no contacts yet: add one first with `/crm contact add <name>`.")


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
