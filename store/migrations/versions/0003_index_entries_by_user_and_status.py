"""index interaction log entries by user, and the canceled and postponed ones on their own

Revision ID: 0003
Revises: 0002

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "interaction_log_entries"


def upgrade() -> None:
    op.create_index(f"ix_{TABLE}_team_id_user_id_entry_no", TABLE, ["team_id", "user_id", "entry_no"])
    for flag in ("canceled", "postponed"):
        op.create_index(
            f"ix_{TABLE}_{flag}",
            TABLE,
            ["team_id", "entry_no"],
            sqlite_where=sa.text(f"{flag} = 1"),
            postgresql_where=sa.text(flag),
        )


def downgrade() -> None:
    for name in ("postponed", "canceled", "team_id_user_id_entry_no"):
        op.drop_index(f"ix_{TABLE}_{name}", table_name=TABLE)
