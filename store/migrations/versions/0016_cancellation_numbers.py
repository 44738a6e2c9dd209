"""number each cancellation, so a purge deletes only what its question counted

Revision ID: 0016
Revises: 0009

Entries and logged segments canceled before this revision get 0: earlier than any cancellation a
question can have counted, so a purge asked after the upgrade still takes them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("interaction_log_entries", "logged_segments")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table, sa.Column("cancellation_no", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("cancellation_no")
