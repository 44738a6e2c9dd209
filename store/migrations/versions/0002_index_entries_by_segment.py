"""index interaction log entries by segment code, newest first

Revision ID: 0002
Revises: 0001

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("interaction_log_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interaction_log_entries_team_id_segment_no_entry_no"),
            ["team_id", "segment_no", "entry_no"],
            unique=False,
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("interaction_log_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_log_entries_team_id_segment_no_entry_no"))
