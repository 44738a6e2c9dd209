"""logged segments keep their progress, so a segment is logged in chunks of short transactions and a
log that stopped part-way is continued from its last committed chunk

Revision ID: 0018
Revises: 0017

Logged segments from before this revision get status "" (logged in full).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from store.types import UtcDateTime

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("status", sa.String(10), ""),
    ("contacts", sa.Integer(), sa.text("0")),
    ("first_entry_no", sa.Integer(), sa.text("0")),
    ("logged", sa.Integer(), sa.text("0")),
    ("last_line_no", sa.Integer(), sa.text("0")),
    ("template_code", sa.String(20), ""),
    ("timezone", sa.String(64), ""),
    ("logging_by", sa.String(40), ""),
)

# Added and dropped in place: SQLite's batch mode would copy logged_segments and drop the old table,
# which the log entries' foreign key points at.


def upgrade() -> None:
    for name, kind, default in COLUMNS:
        op.add_column("logged_segments", sa.Column(name, kind, server_default=default, nullable=False))
    op.add_column("logged_segments", sa.Column("time_of_interaction", sa.Time(), nullable=True))
    op.add_column("logged_segments", sa.Column("progress_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    names = [name for name, _, _ in COLUMNS] + ["time_of_interaction", "progress_at"]
    for name in names:
        op.execute(f"ALTER TABLE logged_segments DROP COLUMN {name}")  # SQLite 3.35 and later
