"""one name per action: audit rows and queued work name the action that did or does the work

Audit rows take the action's id (cancel -> cancel_entry, delete-canceled-entries ->
delete_canceled_entries...). Queued background work becomes the action's id with the `/crm` command that
runs it, which the worker reads again when it runs.

Revision ID: 0006
Revises: 0005

"""

import json
import shlex
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUDIT = {
    "cancel": "cancel_entry",
    "restore": "restore_entry",
    "cancel-logged-segment": "cancel_logged_segment",
    "restore-logged-segment": "restore_logged_segment",
    "delete-canceled-entries": "delete_canceled_entries",
    "delete-canceled-logged-segments": "delete_canceled_segments",
    "setup": "template_setup_change",
}
audit = sa.table("audit_events", sa.column("action", sa.String))
jobs = sa.table(
    "jobs",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("payload", sa.Text),
    sa.column("status", sa.String),
)


def _command(kind: str, work: dict[str, str]) -> tuple[str, str]:
    if kind == "log_segment":
        return kind, f"log {shlex.quote(work['template'])} segment={shlex.quote(work['segment'])}"
    options = {
        "contact": work.get("company_no") or work.get("contact_no") or "",
        "template": work.get("template_code", ""),
        "group": work.get("group_code", ""),
        "from": work.get("date_from", ""),
        "to": work.get("date_to", ""),
    }
    words = [f"{name}={shlex.quote(value)}" for name, value in options.items() if value]
    return "delete_canceled_entries", " ".join(["delete-canceled", *words, "confirmed"])


def upgrade() -> None:
    for old, new in AUDIT.items():
        op.execute(audit.update().where(audit.c.action == old).values(action=new))
    connection = op.get_bind()
    unfinished = connection.execute(
        sa.select(jobs.c.id, jobs.c.kind, jobs.c.payload).where(
            jobs.c.kind.in_(["log_segment", "delete_canceled"]), jobs.c.status.in_(["queued", "running"])
        )
    ).all()
    for job_id, kind, text in unfinished:
        payload = json.loads(text)
        if "command" in payload.get("work", {}):
            continue
        new_kind, command = _command(kind, payload["work"])
        payload["work"] = {"command": command}
        connection.execute(
            jobs.update().where(jobs.c.id == job_id).values(kind=new_kind, payload=json.dumps(payload))
        )


def downgrade() -> None:
    for old, new in AUDIT.items():
        op.execute(audit.update().where(audit.c.action == new).values(action=old))
