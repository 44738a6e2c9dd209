"""tasks: follow-ups on contacts and entries, with the reminder due for each

Revision ID: 0008
Revises: 0006 (to be re-pointed to 0007 when that lands)

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    utc = store.types.UtcDateTime(timezone=True)
    op.create_table(
        "tasks",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("contact_no", sa.String(length=20), nullable=False),
        sa.Column("contact_company_no", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.String(length=50), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=15), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=15), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("due_time", sa.Time(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("due_at", utc, nullable=False),
        sa.Column("entry_no", sa.Integer(), nullable=True),
        sa.Column("template_code", sa.String(length=20), nullable=False),
        sa.Column("canceled", sa.Boolean(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("closed_by", sa.String(length=50), nullable=False),
        sa.Column("closed_at", utc, nullable=True),
        sa.Column("created_by", sa.String(length=50), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("remind_at", utc, nullable=True),
        sa.Column("reminder_claim", sa.String(length=32), nullable=True),
        sa.Column("reminder_claimed_at", utc, nullable=True),
        sa.Column("reminded_at", utc, nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id", "contact_no"],
            ["contacts.team_id", "contacts.no"],
            name=op.f("fk_tasks_team_id_contact_no_contacts"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id", "entry_no"],
            ["interaction_log_entries.team_id", "interaction_log_entries.entry_no"],
            name=op.f("fk_tasks_team_id_entry_no_interaction_log_entries"),
        ),
        sa.PrimaryKeyConstraint("team_id", "no", name=op.f("pk_tasks")),
    )
    op.create_index(op.f("ix_tasks_team_id_owner_id_due_at"), "tasks", ["team_id", "owner_id", "due_at"])
    op.create_index(op.f("ix_tasks_team_id_contact_no"), "tasks", ["team_id", "contact_no"])
    op.create_index(
        "ix_tasks_remind_at",
        "tasks",
        ["remind_at"],
        sqlite_where=sa.text("remind_at IS NOT NULL"),
        postgresql_where=sa.text("remind_at IS NOT NULL"),
    )
    # A postponed interaction gets one gentle reminder when it is a day old: when it was sent.
    with op.batch_alter_table("interaction_log_entries") as batch:
        batch.add_column(sa.Column("postponed_reminded_at", utc, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interaction_log_entries") as batch:
        batch.drop_column("postponed_reminded_at")
    op.drop_index("ix_tasks_remind_at", table_name="tasks")
    op.drop_index(op.f("ix_tasks_team_id_contact_no"), table_name="tasks")
    op.drop_index(op.f("ix_tasks_team_id_owner_id_due_at"), table_name="tasks")
    op.drop_table("tasks")
