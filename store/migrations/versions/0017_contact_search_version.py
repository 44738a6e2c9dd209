"""contacts remember the contacts_version that last wrote their name or e-mail, so a search index
catches up with the contacts added or renamed since it was built instead of being rebuilt

Revision ID: 0017
Revises: 0015

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_contacts_team_id_search_version"


# The column is added and dropped in place: SQLite's batch mode would copy contacts and drop the old
# table, and a person's company_no points at its own row, so dropping a table full of contacts breaks
# that foreign key.


def upgrade() -> None:
    op.add_column(
        "contacts", sa.Column("search_version", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    op.create_index(INDEX, "contacts", ["team_id", "search_version"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="contacts")
    op.execute("ALTER TABLE contacts DROP COLUMN search_version")  # SQLite 3.35 and later
