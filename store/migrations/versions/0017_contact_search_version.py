"""contacts remember the contacts_version that last wrote their name or e-mail, so a search index
catches up with the contacts added or renamed since it was built instead of being rebuilt

Revision ID: 0017
Revises: 0009

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
# 0012-0016 are being added on other branches: point this at the last of them when merging.
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_contacts_team_id_search_version"


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch_op:
        batch_op.add_column(
            sa.Column("search_version", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
    op.create_index(INDEX, "contacts", ["team_id", "search_version"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="contacts")
    with op.batch_alter_table("contacts") as batch_op:
        batch_op.drop_column("search_version")
