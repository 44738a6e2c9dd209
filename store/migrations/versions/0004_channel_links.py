"""channels linked to contacts, whose messages are logged as interactions

Revision ID: 0004
Revises: 0003

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_links",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=30), nullable=False),
        sa.Column("contact_no", sa.String(length=20), nullable=False),
        sa.Column("linked_by", sa.String(length=50), nullable=False),
        sa.Column("linked_at", store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id", "contact_no"],
            ["contacts.team_id", "contacts.no"],
            name=op.f("fk_channel_links_team_id_contact_no_contacts"),
        ),
        sa.PrimaryKeyConstraint("team_id", "channel_id", name=op.f("pk_channel_links")),
    )


def downgrade() -> None:
    op.drop_table("channel_links")
