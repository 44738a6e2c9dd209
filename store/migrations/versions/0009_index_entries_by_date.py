"""index interaction log entries by date, for pages of a date range

Revision ID: 0009
Revises: 0006

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "interaction_log_entries"
INDEX = f"ix_{TABLE}_team_id_date_entry_no"


def upgrade() -> None:
    op.create_index(INDEX, TABLE, ["team_id", "date", "entry_no"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name=TABLE)
