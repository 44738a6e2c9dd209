"""Tables of the interaction store. Every row belongs to one workspace (a Slack team_id), which leads
every primary key, so no query can reach another workspace's rows by number alone."""

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from store.types import Money, UtcDateTime, utcnow

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TeamId = String(32)
Code = String(20)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Workspace(Base):
    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    contacts_version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """Bumped whenever a contact is added or renamed, so caches of contact names know they are stale."""


class NumberSeries(Base):
    """The last number handed out per workspace and series (contacts, log entries, ...)."""

    __tablename__ = "number_series"

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    series: Mapped[str] = mapped_column(String(30), primary_key=True)
    last_no: Mapped[int] = mapped_column(Integer, default=0)


class Contact(Base):
    __tablename__ = "contacts"
    __table_args__ = (
        ForeignKeyConstraint(["team_id", "company_no"], ["contacts.team_id", "contacts.no"]),
        Index(None, "team_id", "search_name"),
        Index(None, "team_id", "email"),
        Index(None, "team_id", "company_no"),
        Index(None, "team_id", "search_version"),
    )

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    no: Mapped[str] = mapped_column(Code, primary_key=True)
    type: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    search_name: Mapped[str] = mapped_column(String(100))
    company_no: Mapped[str] = mapped_column(Code)
    """A company points to itself; a person to its company, or to itself when it has none."""
    email: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(100), default="")
    city: Mapped[str] = mapped_column(String(30), default="")
    post_code: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(10), default="")
    language_code: Mapped[str] = mapped_column(String(10), default="")
    salesperson: Mapped[str] = mapped_column(String(50), default="")
    correspondence_type: Mapped[str] = mapped_column(String(10), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    search_version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """The workspace's contacts_version when the name or e-mail was last written: a process's search index
    of the workspace catches up by reading only the contacts newer than its own version."""


class InteractionGroup(Base):
    __tablename__ = "interaction_groups"

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    code: Mapped[str] = mapped_column(Code, primary_key=True)
    description: Mapped[str] = mapped_column(String(100), default="")


class Attachment(Base):
    """A file kept in the database: a template's document, or one made for (and owned by) log entries."""

    __tablename__ = "attachments"

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    file_name: Mapped[str] = mapped_column(String(250))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class InteractionTemplate(Base):
    __tablename__ = "interaction_templates"
    __table_args__ = (
        ForeignKeyConstraint(
            ["team_id", "group_code"], ["interaction_groups.team_id", "interaction_groups.code"]
        ),
    )

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    code: Mapped[str] = mapped_column(Code, primary_key=True)
    group_code: Mapped[str] = mapped_column(Code)
    description: Mapped[str] = mapped_column(String(100), default="")
    unit_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    unit_duration: Mapped[int] = mapped_column(Integer, default=0)
    information_flow: Mapped[str] = mapped_column(String(10), default="")
    initiated_by: Mapped[str] = mapped_column(String(10), default="")
    correspondence_type: Mapped[str] = mapped_column(String(10), default="email")
    ignore_contact_corres_type: Mapped[bool] = mapped_column(Boolean, default=False)
    language_code: Mapped[str] = mapped_column(String(10), default="")


class InteractionTemplateLanguage(Base):
    __tablename__ = "interaction_template_languages"
    __table_args__ = (
        ForeignKeyConstraint(
            ["team_id", "template_code"],
            ["interaction_templates.team_id", "interaction_templates.code"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(["team_id", "attachment_no"], ["attachments.team_id", "attachments.no"]),
    )

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    template_code: Mapped[str] = mapped_column(Code, primary_key=True)
    language_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    description: Mapped[str] = mapped_column(String(100), default="")
    attachment_no: Mapped[int | None] = mapped_column(Integer)


class TemplateSetup(Base):
    """Interaction Template Setup: which template logs each kind of business document."""

    __tablename__ = "interaction_template_setup"
    __table_args__ = (
        ForeignKeyConstraint(
            ["team_id", "template_code"],
            ["interaction_templates.team_id", "interaction_templates.code"],
            ondelete="CASCADE",
        ),
    )

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    document_kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    template_code: Mapped[str] = mapped_column(Code)


class Segment(Base):
    """A list of contacts and the interaction defaults to log on each of them."""

    __tablename__ = "segments"

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    no: Mapped[str] = mapped_column(Code, primary_key=True)
    description: Mapped[str] = mapped_column(String(100), default="")
    template_code: Mapped[str] = mapped_column(Code, default="")
    interaction_description: Mapped[str] = mapped_column(String(100), default="")
    cost: Mapped[Decimal | None] = mapped_column(Money)
    duration: Mapped[int | None] = mapped_column(Integer)
    information_flow: Mapped[str | None] = mapped_column(String(10))
    initiated_by: Mapped[str | None] = mapped_column(String(10))
    correspondence_type: Mapped[str | None] = mapped_column(String(10))
    ignore_contact_corres_type: Mapped[bool] = mapped_column(Boolean, default=False)
    language_code: Mapped[str] = mapped_column(String(10), default="")
    salesperson: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SegmentLine(Base):
    """A contact on a segment. No foreign keys (as Business Central's table relations, the rule is the
    store's): PostgreSQL checks them one row at a time, half the time of a step over 100,000 contacts.
    Every line is written from the segment and contact rows themselves (a step's INSERT ... SELECT over
    the contacts, a contact found by name), and neither segments nor contacts are ever deleted. Only the
    primary key's index: every query takes one segment's lines, and an index by contact as well cost as
    much as the table itself when 100,000 lines are written. A contact may be on a segment twice (Add
    Contacts with duplicates=yes, Business Central's "Allow Existing Contacts")."""

    __tablename__ = "segment_lines"

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    segment_no: Mapped[str] = mapped_column(Code, primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    contact_no: Mapped[str] = mapped_column(Code)


class LoggedSegment(Base):
    __tablename__ = "logged_segments"
    __table_args__ = (UniqueConstraint("team_id", "segment_no"),)

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    entry_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    segment_no: Mapped[str] = mapped_column(Code)
    description: Mapped[str] = mapped_column(String(100))
    creation_date: Mapped[date]
    user_id: Mapped[str] = mapped_column(String(50))
    canceled: Mapped[bool] = mapped_column(Boolean, default=False)
    cancellation_no: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """The cancellation that canceled it last (store.cancellation): purges go only up to the one they
    asked about."""
    # Logging in chunks (store.segments.log_segment_in_chunks): the progress is committed with each chunk.
    status: Mapped[str] = mapped_column(String(10), default="", server_default="")
    """Empty once logged in full; "logging" while being written (stalled once progress_at is old);
    "stopped" when a chunk failed, so it waits to be continued or canceled."""
    contacts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """The segment's lines when logging began: as many entry numbers were reserved, from first_entry_no."""
    first_entry_no: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    logged: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """Entries written so far, numbered first_entry_no onwards."""
    last_line_no: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """The segment line the last chunk ended at: the next chunk starts after it."""
    template_code: Mapped[str] = mapped_column(Code, default="", server_default="")
    time_of_interaction: Mapped[time | None]
    timezone: Mapped[str] = mapped_column(String(64), default="", server_default="")
    """With creation_date, the date and time every entry gets, whichever chunk writes it."""
    progress_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """When the last chunk was committed, while logging."""
    logging_by: Mapped[str] = mapped_column(String(40), default="", server_default="")
    """Which run writes the chunks (a queued job, claimed again after its process died, is the same run)."""


class InteractionLogEntry(Base):
    __tablename__ = "interaction_log_entries"
    __table_args__ = (
        ForeignKeyConstraint(["team_id", "contact_no"], ["contacts.team_id", "contacts.no"]),
        ForeignKeyConstraint(
            ["team_id", "logged_segment_entry_no"], ["logged_segments.team_id", "logged_segments.entry_no"]
        ),
        ForeignKeyConstraint(["team_id", "attachment_no"], ["attachments.team_id", "attachments.no"]),
        Index(None, "team_id", "contact_no", "entry_no"),
        Index(None, "team_id", "contact_company_no", "entry_no"),
        Index(None, "team_id", "template_code", "entry_no"),
        # Listing a segment's entries newest first: without entry_no in the index SQLite walks the whole
        # log backwards from the newest entry to reach an older segment.
        Index(None, "team_id", "segment_no", "entry_no"),
        Index(None, "team_id", "logged_segment_entry_no"),
        Index(None, "team_id", "document_type", "document_no"),
        Index(None, "team_id", "attachment_no"),
        Index(None, "team_id", "user_id", "entry_no"),
        # Pages of a date range, newest first (store.queries.list_entries).
        Index(None, "team_id", "date", "entry_no"),
        # Partial: only canceled (or postponed) entries are in them, so counting or purging those reads
        # just them, and every other entry costs nothing to keep there.
        Index(
            "ix_interaction_log_entries_canceled",
            "team_id",
            "entry_no",
            sqlite_where=text("canceled = 1"),
            postgresql_where=text("canceled"),
        ),
        Index(
            "ix_interaction_log_entries_postponed",
            "team_id",
            "entry_no",
            sqlite_where=text("postponed = 1"),
            postgresql_where=text("postponed"),
        ),
    )

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    entry_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    contact_no: Mapped[str] = mapped_column(Code)
    contact_company_no: Mapped[str] = mapped_column(Code)
    date: Mapped[date]
    time_of_interaction: Mapped[time]
    timezone: Mapped[str] = mapped_column(String(64), default="", server_default="")
    """The IANA zone of the clock date and time were read on; "" for entries logged before it was kept."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    description: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(100), default="")
    information_flow: Mapped[str] = mapped_column(String(10), default="")
    initiated_by: Mapped[str] = mapped_column(String(10), default="")
    cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    duration: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[str] = mapped_column(String(50))
    salesperson: Mapped[str] = mapped_column(String(50), default="")
    group_code: Mapped[str] = mapped_column(Code)
    template_code: Mapped[str] = mapped_column(Code)
    segment_no: Mapped[str] = mapped_column(Code, default="")
    logged_segment_entry_no: Mapped[int | None] = mapped_column(Integer)
    campaign_no: Mapped[str] = mapped_column(Code, default="")
    opportunity_no: Mapped[str] = mapped_column(Code, default="")
    task_no: Mapped[str] = mapped_column(Code, default="")
    evaluation: Mapped[str] = mapped_column(String(15), default="")
    attempt_failed: Mapped[bool] = mapped_column(Boolean, default=False)
    canceled: Mapped[bool] = mapped_column(Boolean, default=False)
    cancellation_no: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """As the logged segment's."""
    postponed: Mapped[bool] = mapped_column(Boolean, default=False)
    delivery_status: Mapped[str] = mapped_column(String(15), default="")
    correspondence_type: Mapped[str] = mapped_column(String(10), default="")
    language_code: Mapped[str] = mapped_column(String(10), default="")
    attachment_no: Mapped[int | None] = mapped_column(Integer)
    document_type: Mapped[str] = mapped_column(String(40), default="")
    document_no: Mapped[str] = mapped_column(String(40), default="")
    version_no: Mapped[int] = mapped_column(Integer, default=0)
    doc_no_occurrence: Mapped[int] = mapped_column(Integer, default=0)
    contact_via: Mapped[str] = mapped_column(String(80), default="")
    postponed_reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CommentLine(Base):
    __tablename__ = "inter_log_entry_comment_lines"
    __table_args__ = (
        ForeignKeyConstraint(
            ["team_id", "entry_no"],
            ["interaction_log_entries.team_id", "interaction_log_entries.entry_no"],
            ondelete="CASCADE",
        ),
    )

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    entry_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    date: Mapped[date]
    comment: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[str] = mapped_column(String(50), default="")
    last_modified_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ChannelLink(Base):
    """A Slack channel (often a Slack Connect channel shared with the customer) linked to a contact: each
    message posted there is logged as an interaction with that contact."""

    __tablename__ = "channel_links"
    __table_args__ = (ForeignKeyConstraint(["team_id", "contact_no"], ["contacts.team_id", "contacts.no"]),)

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(30), primary_key=True)
    contact_no: Mapped[str] = mapped_column(Code)
    linked_by: Mapped[str] = mapped_column(String(50))
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AuditEvent(Base):
    """Who canceled, restored, purged or changed setup, and what."""

    __tablename__ = "audit_events"
    __table_args__ = (Index(None, "team_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(TeamId)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(40))
    details: Mapped[str] = mapped_column(Text, default="")


class ActionUse(Base):
    """How often and how lately a user ran each action: the frecency that Tell Me ranks by."""

    __tablename__ = "action_uses"

    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    action_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    last_used_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ProcessedEvent(Base):
    """Deliveries already handled (Slack event ids, document webhook ids), so a retry does no work twice."""

    __tablename__ = "processed_events"

    source: Mapped[str] = mapped_column(String(20), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    team_id: Mapped[str] = mapped_column(TeamId)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    result: Mapped[str] = mapped_column(Text, default="")


class Job(Base):
    """Work finished after Slack was answered, claimed by whichever serving process is free."""

    __tablename__ = "jobs"
    __table_args__ = (Index(None, "status", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(TeamId)
    user_id: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """Claims so far: a job that keeps killing its process is given up after a few."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    result: Mapped[str] = mapped_column(Text, default="")


__all__ = [
    "ActionUse",
    "Attachment",
    "AuditEvent",
    "Base",
    "ChannelLink",
    "CommentLine",
    "Contact",
    "InteractionGroup",
    "InteractionLogEntry",
    "InteractionTemplate",
    "InteractionTemplateLanguage",
    "Job",
    "LoggedSegment",
    "NumberSeries",
    "ProcessedEvent",
    "Segment",
    "SegmentLine",
    "TemplateSetup",
    "Workspace",
]
