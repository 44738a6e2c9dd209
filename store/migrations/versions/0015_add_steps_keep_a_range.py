"""an add step keeps the range of line numbers it gave its lines instead of a record of each line, so
adding 100,000 contacts is one INSERT ... SELECT; segment lines and the record of lines a step took off
have no foreign keys (PostgreSQL checked them one row at a time: half of a 100,000-line step), and the
lines no index by contact (as costly to keep up as the table itself)

Revision ID: 0015
Revises: 0009

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWN = (
    "h.team_id = segment_steps.team_id AND h.segment_no = segment_steps.segment_no"
    " AND h.step_no = segment_steps.step_no AND h.added = {true}"
)
RANGE = (
    f"UPDATE segment_steps SET first_line = (SELECT min(h.line_no) FROM segment_step_lines AS h WHERE {OWN}),"
    f" last_line = (SELECT max(h.line_no) FROM segment_step_lines AS h WHERE {OWN}) WHERE kind = 'add'"
)
RECORDS = """
INSERT INTO segment_step_lines (team_id, segment_no, step_no, line_no, contact_no, added)
SELECT s.team_id, s.segment_no, s.step_no, l.line_no, l.contact_no, {true}
FROM segment_steps AS s JOIN (
    SELECT team_id, segment_no, line_no, contact_no FROM segment_lines
    UNION ALL
    SELECT team_id, segment_no, line_no, contact_no FROM segment_step_lines
) AS l ON l.team_id = s.team_id AND l.segment_no = s.segment_no
    AND l.line_no BETWEEN s.first_line AND s.last_line
WHERE s.kind = 'add'
"""


BY_CONTACT = "ix_segment_lines_team_id_segment_no_contact_no"
FOREIGN_KEYS = {
    "segment_lines": (
        (
            "fk_segment_lines_team_id_contact_no_contacts",
            ["team_id", "contact_no"],
            "contacts",
            ["team_id", "no"],
            None,
        ),
        (
            "fk_segment_lines_team_id_segment_no_segments",
            ["team_id", "segment_no"],
            "segments",
            ["team_id", "no"],
            "CASCADE",
        ),
    ),
    "segment_step_lines": (
        (
            "fk_segment_step_lines_team_id_segment_no_step_no_segment_steps",
            ["team_id", "segment_no", "step_no"],
            "segment_steps",
            ["team_id", "segment_no", "step_no"],
            "CASCADE",
        ),
    ),
}


def _true() -> str:
    return "1" if op.get_bind().dialect.name == "sqlite" else "true"


def upgrade() -> None:
    # Columns added and dropped in place: SQLite's batch mode would copy segment_steps and drop the old
    # table, and its ON DELETE CASCADE would take every recorded step line along.
    op.add_column("segment_steps", sa.Column("first_line", sa.Integer(), nullable=True))
    op.add_column("segment_steps", sa.Column("last_line", sa.Integer(), nullable=True))
    # An add step's lines were numbered after every line the segment had: its records span its range.
    op.execute(RANGE.format(true=_true()))
    op.execute(f"DELETE FROM segment_step_lines WHERE added = {_true()}")
    for table, keys in FOREIGN_KEYS.items():
        with op.batch_alter_table(table) as batch:
            for name, _, _, _, _ in keys:
                batch.drop_constraint(name, type_="foreignkey")
    op.drop_index(BY_CONTACT, table_name="segment_lines")


def downgrade() -> None:
    op.create_index(BY_CONTACT, "segment_lines", ["team_id", "segment_no", "contact_no"])
    for table, keys in FOREIGN_KEYS.items():
        with op.batch_alter_table(table) as batch:
            for name, columns, parent, parent_columns, ondelete in keys:
                batch.create_foreign_key(name, parent, columns, parent_columns, ondelete=ondelete)
    # The records of an add step's lines: the lines numbered in its range, on the segment or taken off
    # by a later step.
    op.execute(RECORDS.format(true=_true()))
    op.execute("ALTER TABLE segment_steps DROP COLUMN last_line")  # SQLite 3.35 and later
    op.execute("ALTER TABLE segment_steps DROP COLUMN first_line")
