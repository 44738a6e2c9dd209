"""segments built step by step: the steps and the lines each changed, saved criteria; a contact may be
on a segment twice (Add Contacts with duplicates)

Revision ID: 0007
Revises: 0006

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("segment_lines") as batch:
        batch.drop_constraint("uq_segment_lines_team_id_segment_no_contact_no", type_="unique")
        batch.create_index(
            "ix_segment_lines_team_id_segment_no_contact_no", ["team_id", "segment_no", "contact_no"]
        )
    op.create_table(
        "segment_steps",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("segment_no", sa.String(length=20), nullable=False),
        sa.Column("step_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("criteria", sa.Text(), nullable=False),
        sa.Column("people", sa.Boolean(), nullable=False),
        sa.Column("duplicates", sa.Boolean(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("created_at", store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id", "segment_no"],
            ["segments.team_id", "segments.no"],
            name=op.f("fk_segment_steps_team_id_segment_no_segments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", "segment_no", "step_no", name=op.f("pk_segment_steps")),
    )
    op.create_table(
        "segment_step_lines",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("segment_no", sa.String(length=20), nullable=False),
        sa.Column("step_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("line_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("contact_no", sa.String(length=20), nullable=False),
        sa.Column("added", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id", "segment_no", "step_no"],
            ["segment_steps.team_id", "segment_steps.segment_no", "segment_steps.step_no"],
            name=op.f("fk_segment_step_lines_team_id_segment_no_step_no_segment_steps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "team_id", "segment_no", "step_no", "line_no", name=op.f("pk_segment_step_lines")
        ),
    )
    op.create_table(
        "saved_segment_criteria",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("steps", sa.Text(), nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("created_at", store.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "name", name=op.f("pk_saved_segment_criteria")),
    )


def downgrade() -> None:
    op.drop_table("saved_segment_criteria")
    op.drop_table("segment_step_lines")
    op.drop_table("segment_steps")
    # Lines a duplicates step put on a segment twice cannot stay under the unique constraint.
    op.execute(
        "DELETE FROM segment_lines WHERE EXISTS (SELECT 1 FROM segment_lines AS earlier"
        " WHERE earlier.team_id = segment_lines.team_id AND earlier.segment_no = segment_lines.segment_no"
        " AND earlier.contact_no = segment_lines.contact_no AND earlier.line_no < segment_lines.line_no)"
    )
    with op.batch_alter_table("segment_lines") as batch:
        batch.drop_index("ix_segment_lines_team_id_segment_no_contact_no")
        batch.create_unique_constraint(
            "uq_segment_lines_team_id_segment_no_contact_no", ["team_id", "segment_no", "contact_no"]
        )
