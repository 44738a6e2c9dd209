"""interaction log entries keep the time zone their date and time are read in

Revision ID: 0012
Revises: 0009

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "interaction_log_entries"


def upgrade() -> None:
    # Entries logged before this release keep "": their clock's zone was never recorded.
    op.add_column(TABLE, sa.Column("timezone", sa.String(length=64), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_column("timezone")
