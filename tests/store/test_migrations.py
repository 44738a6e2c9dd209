"""Upgrading a database that an older release used: what it had queued and audited still means the same."""

import json
from pathlib import Path

from alembic import command
from sqlalchemy import insert, select

from commands.context import Context
from commands.reply import BackgroundWork
from commands.router import ROUTER
from store.contacts import NewContact, add_contact
from store.db import make_engine, session_factory
from store.enums import ContactType
from store.migrate import alembic_config, upgrade
from store.models import AuditEvent, Job
from store.segment_criteria import Criteria
from store.segment_steps import StepKind, go_back, run_step
from store.segments import add_segment, log_state, logged_segment_of, refuse_while_logging, segment_contacts
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


def test_add_steps_keep_their_lines_across_migration_0015(tmp_path: Path) -> None:
    """Before 0015 an add step recorded each line it added; since, it keeps their range of numbers. Both
    ways the steps still go back to the same lines."""
    engine = make_engine(f"sqlite:///{tmp_path / 'steps.db'}")
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as s:
        for name, country in (("Ana", "ES"), ("Bea", "ES"), ("Carla", "ES"), ("Duarte", "PT"), ("Eva", "PT")):
            add_contact(s, "T1", NewContact(name, type=ContactType.PERSON, country=country))
        add_segment(s, "T1", "S", "Steps")
        run_step(s, "T1", "U1", "S", StepKind.ADD, Criteria(fields=(("country", "ES"),)))
        run_step(s, "T1", "U1", "S", StepKind.REDUCE, Criteria(fields=(("name", "Bea"),)))
        run_step(s, "T1", "U1", "S", StepKind.ADD, Criteria(fields=(("country", "PT"),)))
    ranges = "SELECT step_no, first_line, last_line FROM segment_steps ORDER BY step_no"
    with engine.connect() as connection:
        before = connection.exec_driver_sql(ranges).fetchall()
    assert before == [(1, 10000, 30000), (2, None, None), (3, 40000, 50000)]

    config = alembic_config(engine)
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
        connection.commit()
    with engine.connect() as connection:
        records = connection.exec_driver_sql(
            "SELECT step_no, line_no, added FROM segment_step_lines ORDER BY step_no, line_no"
        ).fetchall()
    assert records == [
        (1, 10000, 1),
        (1, 20000, 1),
        (1, 30000, 1),
        (2, 20000, 0),
        (3, 40000, 1),
        (3, 50000, 1),
    ]

    upgrade(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql(ranges).fetchall() == before
        assert connection.exec_driver_sql("SELECT count(*) FROM segment_step_lines WHERE added").scalar() == 0
    left = []
    for _ in range(3):
        with sessions.begin() as s:
            go_back(s, "T1", "S")
            left.append(sorted(c.name for c in segment_contacts(s, "T1", "S")))
    assert left == [["Ana", "Carla"], ["Ana", "Bea", "Carla"], []]
    engine.dispose()


def test_segments_logged_before_migration_0018_read_as_logged_in_full(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'logged.db'}")
    upgrade(engine, "0017")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO logged_segments (team_id, entry_no, segment_no, description, creation_date, user_id,"
            " canceled) VALUES ('T1', 1, 'AUTUMN', 'Autumn letter', '2026-10-01', 'U1', 0)"
        )
    upgrade(engine)
    with session_factory(engine)() as session:
        logged = logged_segment_of(session, "T1", "AUTUMN")
        assert logged is not None and (logged.status, logged.logged, logged.contacts) == ("", 0, 0)
        assert log_state(logged) == ""
        refuse_while_logging(logged, "cancel it")  # nothing to wait for: it may be canceled
    engine.dispose()
