"""index interaction log entries by date, for pages of a date range far back

Revision ID: 0005
Revises: 0004

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_interaction_log_entries_team_id_date_entry_no",
        "interaction_log_entries",
        ["team_id", "date", "entry_no"],
    )


def downgrade() -> None:
    op.drop_index("ix_interaction_log_entries_team_id_date_entry_no", table_name="interaction_log_entries")
