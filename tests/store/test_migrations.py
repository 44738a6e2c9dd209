"""Upgrading a database that an older release used: what it had queued and audited still means the same."""

import json
from pathlib import Path

from sqlalchemy import insert, select

from commands.context import Context
from commands.reply import BackgroundWork
from commands.router import ROUTER
from store.db import make_engine, session_factory
from store.migrate import upgrade
from store.models import AuditEvent, Job
from tests.conftest import Workspace


def test_work_queued_and_audited_by_the_previous_release_is_renamed_and_still_runs(
    tmp_path: Path, sessions, workspace: Workspace
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0005")
    old_work = {
        "log_segment": {"segment": "NEWSLETTER", "template": "LETTER"},
        "delete_canceled": {
            "contact_no": "",
            "company_no": "CT000001",
            "template_code": "PHONE",
            "group_code": "",
            "date_from": "2026-11-01",
            "date_to": "",
        },
    }
    with engine.begin() as connection:
        for kind, work in old_work.items():
            payload = {"work": work, "origin": {"team_id": "T1", "user_id": "U1"}, "context": {}}
            connection.execute(
                insert(Job).values(
                    team_id="T1",
                    user_id="U1",
                    kind=kind,
                    payload=json.dumps(payload),
                    status="queued",
                    result="",
                    attempts=0,
                )
            )
        connection.execute(insert(AuditEvent).values(team_id="T1", user_id="U1", action="cancel", details=""))
    upgrade(engine)
    with session_factory(engine)() as session:
        jobs = {job.kind: json.loads(job.payload)["work"] for job in session.scalars(select(Job))}
        assert session.scalar(select(AuditEvent.action)) == "cancel_entry"
    engine.dispose()
    assert jobs == {
        "log_segment": {"command": "log LETTER segment=NEWSLETTER"},
        "delete_canceled_entries": {
            "command": "delete-canceled contact=CT000001 template=PHONE from=2026-11-01 confirmed"
        },
    }
    ctx = Context(sessions, workspace.team, "U1", is_admin=True, clicked=True)
    reply = ROUTER.background(ctx, BackgroundWork("log_segment", jobs["log_segment"]))
    assert reply.text.startswith("Segment NEWSLETTER logged: 3 interaction log entries"), reply.text
