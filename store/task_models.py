"""The table of tasks (Business Central's to-dos): follow-ups on a contact, owned by a Slack user, with
the reminder that is due for them. Kept apart from store.models, whose tables are the interaction log's."""

from datetime import date, datetime, time

from sqlalchemy import Boolean, ForeignKeyConstraint, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base, Code, TeamId
from store.types import UtcDateTime, utcnow


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        ForeignKeyConstraint(["team_id", "contact_no"], ["contacts.team_id", "contacts.no"]),
        ForeignKeyConstraint(
            ["team_id", "entry_no"], ["interaction_log_entries.team_id", "interaction_log_entries.entry_no"]
        ),
        Index(None, "team_id", "owner_id", "due_at"),
        Index(None, "team_id", "contact_no"),
        # Every serving process looks for reminders due in any workspace every few seconds: only the
        # tasks with a reminder still to send are in this index.
        Index(
            "ix_tasks_remind_at",
            "remind_at",
            sqlite_where=text("remind_at IS NOT NULL"),
            postgresql_where=text("remind_at IS NOT NULL"),
        ),
    )

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    contact_no: Mapped[str] = mapped_column(Code)
    contact_company_no: Mapped[str] = mapped_column(Code)
    owner_id: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(15), default="")
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    status: Mapped[str] = mapped_column(String(15), default="not-started")
    due_date: Mapped[date]
    due_time: Mapped[time | None]
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    """The owner's time zone when the task was made: the due date and time are read in it."""
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    """The due instant in UTC (a due date alone: 09:00 in `timezone`)."""
    entry_no: Mapped[int | None] = mapped_column(Integer)
    """The interaction log entry this task follows up."""
    template_code: Mapped[str] = mapped_column(Code, default="")
    """The interaction template to log when the task is done."""
    canceled: Mapped[bool] = mapped_column(Boolean, default=False)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_by: Mapped[str] = mapped_column(String(50), default="")
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    remind_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """When the owner is to be reminded; None once reminded, or when the task is closed or canceled."""
    reminder_claim: Mapped[str | None] = mapped_column(String(32))
    """The claim of the serving process sending the reminder now; another may take it over once
    `reminder_claimed_at` is older than the lease (that process died)."""
    reminder_claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
