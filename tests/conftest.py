"""Shared fixtures. Every test works in a workspace of its own (a fresh team_id), so tests never see each
other's rows, on SQLite or on the PostgreSQL named by TEST_DATABASE_URL."""

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from store.contacts import NewContact, add_contact
from store.db import make_engine, session_factory
from store.enums import ContactType, InformationFlow, InitiatedBy
from store.migrate import upgrade
from store.segments import add_segment, add_segment_lines
from store.templates import TemplateDefaults, add_group, add_template


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database for the run: a SQLite file, or on PostgreSQL a schema of its own (dropped at the
    end), so the run starts from the migrations alone whatever an earlier run left in the database."""
    given = os.environ.get("TEST_DATABASE_URL")
    if not given:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    schema = f"crm_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(given)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in given else "?"
    yield f"{given}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def team() -> str:
    return "T" + uuid.uuid4().hex[:12].upper()


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed when the test ends well."""
    with sessions.begin() as session:
        yield session


@dataclass
class Workspace:
    team: str
    adatum: str
    john: str
    jane: str
    fabrikam: str
    segment: str = "NEWSLETTER"


@pytest.fixture
def workspace(sessions: sessionmaker[Session], team: str) -> Workspace:
    """A small workspace: two companies, two people at Adatum, three templates and a segment."""
    with sessions.begin() as s:
        add_group(s, team, "CALLS", "Phone calls")
        add_group(s, team, "LETTERS", "Letters and e-mails")
        add_template(
            s,
            team,
            "PHONE",
            "CALLS",
            TemplateDefaults("Phone call", Decimal("2.50"), 10, InformationFlow.OUTBOUND, InitiatedBy.US),
        )
        add_template(s, team, "LETTER", "LETTERS", TemplateDefaults("Letter", Decimal("1.20"), 5))
        add_template(s, team, "MEETING", "CALLS", TemplateDefaults("Meeting", Decimal("0"), 60))
        adatum = add_contact(s, team, NewContact("Adatum Corporation", email="info@adatum.example")).no
        john = add_contact(s, team, NewContact("John Smith", company=adatum, email="john@adatum.example")).no
        jane = add_contact(s, team, NewContact("Jane Doe", company=adatum)).no
        fabrikam = add_contact(s, team, NewContact("Fabrikam Inc.", type=ContactType.COMPANY)).no
        add_segment(s, team, "NEWSLETTER", "Autumn newsletter")
        add_segment_lines(s, team, "NEWSLETTER", [john, jane, fabrikam])
    return Workspace(team, adatum, john, jane, fabrikam)


@pytest.fixture
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> Path:
    """A folder to run the `crm` command in, with DATABASE_URL pointing at the test database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    return tmp_path
