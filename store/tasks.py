"""Tasks: follow-ups on a contact (and so its company), owned by a Slack user, due on a date and maybe a
time in the owner's time zone. A task is numbered per workspace; adding, completing, snoozing and
canceling one leave an audit row. Its reminder is armed for the due instant (store.reminders sends it)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from store import audit
from store.contacts import find_contact
from store.enums import DocumentKind, TaskPriority, TaskStatus, TaskType
from store.errors import Conflict, Forbidden, Invalid, NotFound
from store.interactions import get_entry
from store.models import Contact, InteractionTemplate
from store.numbering import reserve
from store.task_models import Task
from store.templates import get_template, template_for_document

MORNING = time(9, 0)
"""When a task due on a date alone is due (and reminded of), in its owner's time zone."""
MAX_DESCRIPTION = 100


class TaskScope(StrEnum):
    MINE = "mine"
    ALL = "all"
    OVERDUE = "overdue"
    TODAY = "today"


@dataclass(frozen=True)
class NewTask:
    contact: str
    """As the user named it: a number, a name or an e-mail address."""
    description: str
    due_date: date
    owner_id: str
    timezone: str = "UTC"
    due_time: time | None = None
    priority: TaskPriority = TaskPriority.NORMAL
    type: TaskType = TaskType.BLANK
    entry_no: int | None = None
    template_code: str = ""


@dataclass(frozen=True)
class TaskRow:
    task: Task
    contact_name: str


@dataclass(frozen=True)
class TaskPage:
    rows: list[TaskRow]
    more: bool


def due_instant(due_date: date, due_time: time | None, timezone: str) -> datetime:
    local = datetime.combine(due_date, due_time or MORNING, tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC)


def add_task(session: Session, team_id: str, user_id: str, new: NewTask, *, now: datetime) -> Task:
    description = " ".join(new.description.split())
    if not description:
        raise Invalid("Give the task a description: what is to be done.")
    if len(description) > MAX_DESCRIPTION:
        raise Invalid(f"A task's description has at most {MAX_DESCRIPTION} characters.")
    contact = find_contact(session, team_id, new.contact)
    if new.entry_no is not None:
        get_entry(session, team_id, new.entry_no)
    template_code = get_template(session, team_id, new.template_code).code if new.template_code else ""
    due_at = _check_due(new.due_date, new.due_time, new.timezone, now)
    no = reserve(session, team_id, "task", in_use=Task.no)
    task = Task(
        team_id=team_id,
        no=no,
        contact_no=contact.no,
        contact_company_no=contact.company_no,
        owner_id=new.owner_id,
        description=description,
        type=new.type.value,
        priority=new.priority.value,
        status=TaskStatus.NOT_STARTED.value,
        due_date=new.due_date,
        due_time=new.due_time,
        timezone=new.timezone,
        due_at=due_at,
        entry_no=new.entry_no,
        template_code=template_code,
        canceled=False,
        closed=False,
        closed_by="",
        created_by=user_id,
        created_at=now,
        # Due today with no time, made after 09:00: nothing to remind of that the maker does not know.
        remind_at=due_at if due_at > now else None,
    )
    session.add(task)
    session.flush()
    audit.record(session, team_id, user_id, "add_task", task_no=no, contact_no=contact.no, owner=new.owner_id)
    return task


def _check_due(due_date: date, due_time: time | None, timezone: str, now: datetime) -> datetime:
    today = now.astimezone(ZoneInfo(timezone)).date()
    if due_date < today:
        raise Invalid(f"The due date {due_date.isoformat()} is in the past (today is {today.isoformat()}).")
    due_at = due_instant(due_date, due_time, timezone)
    if due_time is not None and due_at <= now:
        raise Invalid(f"The due time {due_date.isoformat()} {due_time.strftime('%H:%M')} has passed.")
    return due_at


def get_task(session: Session, team_id: str, no: int) -> Task:
    task = session.get(Task, (team_id, no))
    if task is None:
        raise NotFound(f"Task {no} does not exist.")
    return task


def contact_name(session: Session, task: Task) -> str:
    contact = session.get(Contact, (task.team_id, task.contact_no))
    return contact.name if contact is not None else task.contact_no


def _changeable(session: Session, team_id: str, user_id: str, no: int, *, is_admin: bool) -> Task:
    task = get_task(session, team_id, no)
    if not is_admin and user_id not in (task.owner_id, task.created_by):
        raise Forbidden(
            f"Task {no} is someone else's: only its owner, its creator or an admin may change it."
        )
    if task.canceled:
        raise Conflict(f"Task {no} was canceled.")
    if task.closed:
        raise Conflict(f"Task {no} is already completed.")
    return task


def _disarm(task: Task) -> None:
    task.remind_at = None
    task.reminder_claim = None
    task.reminder_claimed_at = None


def complete_task(
    session: Session, team_id: str, user_id: str, no: int, *, is_admin: bool, now: datetime
) -> Task:
    task = _changeable(session, team_id, user_id, no, is_admin=is_admin)
    task.status = TaskStatus.COMPLETED.value
    task.closed = True
    task.closed_by = user_id
    task.closed_at = now
    _disarm(task)
    audit.record(session, team_id, user_id, "complete_task", task_no=no)
    return task


def cancel_task(
    session: Session, team_id: str, user_id: str, no: int, *, is_admin: bool, now: datetime
) -> Task:
    task = _changeable(session, team_id, user_id, no, is_admin=is_admin)
    task.canceled = True
    task.closed_by = user_id
    task.closed_at = now
    _disarm(task)
    audit.record(session, team_id, user_id, "cancel_task", task_no=no)
    return task


def snooze_task(
    session: Session,
    team_id: str,
    user_id: str,
    no: int,
    due_date: date,
    due_time: time | None,
    *,
    is_admin: bool,
    now: datetime,
) -> Task:
    """Move the task to a new due date (and time); its reminder is sent then, once more."""
    task = _changeable(session, team_id, user_id, no, is_admin=is_admin)
    due_at = _check_due(due_date, due_time, task.timezone, now)
    task.due_date, task.due_time, task.due_at = due_date, due_time, due_at
    _disarm(task)
    task.remind_at = due_at if due_at > now else None
    audit.record(session, team_id, user_id, "snooze_task", task_no=no, due=due_at.isoformat())
    return task


def list_tasks(
    session: Session,
    team_id: str,
    *,
    owner_id: str | None,
    now: datetime,
    today: date,
    scope: TaskScope = TaskScope.MINE,
    contact: str = "",
    due_from: date | None = None,
    due_to: date | None = None,
    limit: int = 10,
    offset: int = 0,
) -> TaskPage:
    """Open tasks, soonest first. `owner_id` None: everyone's. `contact` takes a company's people's too."""
    where: list[ColumnElement[bool]] = [
        Task.team_id == team_id,
        Task.closed == false(),
        Task.canceled == false(),
    ]
    if owner_id is not None:
        where.append(Task.owner_id == owner_id)
    if contact:
        found = find_contact(session, team_id, contact)
        where.append(or_(Task.contact_no == found.no, Task.contact_company_no == found.no))
    if scope is TaskScope.OVERDUE:
        where.append(Task.due_at < now)
    elif scope is TaskScope.TODAY:
        where.append(Task.due_date == today)
    if due_from is not None:
        where.append(Task.due_date >= due_from)
    if due_to is not None:
        where.append(Task.due_date <= due_to)
    query = (
        select(Task, Contact.name)
        .join(Contact, and_(Contact.team_id == Task.team_id, Contact.no == Task.contact_no))
        .where(*where)
        .order_by(Task.due_at, Task.no)
        .offset(offset)
        .limit(limit + 1)
    )
    rows = [TaskRow(task, name) for task, name in session.execute(query)]
    return TaskPage(rows[:limit], len(rows) > limit)


def working_days_after(day: date, count: int) -> date:
    """`count` working days (Monday to Friday) after `day`."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


# The template to offer when a task of this type is done and names none: the one set up for the kind of
# document, else one whose code says it.
TEMPLATE_FOR_TYPE = {
    TaskType.PHONE_CALL.value: (DocumentKind.OUTGOING_CALL, "PHONE"),
    TaskType.MEETING.value: (DocumentKind.MEETING_INVITATION, "MEETING"),
}


def template_to_log(session: Session, task: Task) -> str:
    """The interaction template to log when `task` is done; "" when there is none to offer."""
    if task.template_code:
        return task.template_code
    found = TEMPLATE_FOR_TYPE.get(task.type)
    if found is None:
        return ""
    kind, code = found
    template = template_for_document(session, task.team_id, kind)
    if template is None:
        template = session.get(InteractionTemplate, (task.team_id, code))
    return template.code if template is not None else ""
