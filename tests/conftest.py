"""Shared fixtures. Every test works in a workspace of its own (a fresh team_id), so tests never see each
other's rows, on SQLite or on the PostgreSQL named by TEST_DATABASE_URL."""

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy  # noqa: F401  (see below)
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from store.cancellation import cancel_entries
from store.contacts import NewContact, add_contact
from store.db import make_engine, postgres_schema, session_factory
from store.enums import ContactType, CorrespondenceType, Evaluation, InformationFlow, InitiatedBy
from store.interactions import InteractionInput, create_interaction
from store.migrate import upgrade
from store.segments import add_segment, add_segment_lines
from store.templates import TemplateDefaults, add_group, add_template

# numpy is imported whole here, before any served app warms matplotlib up in a thread of its own:
# hypothesis looks numpy up in sys.modules while drawing examples and would find it half-imported.


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database for the run: a SQLite file, or on PostgreSQL a schema of its own (dropped at the
    end), so the run starts from the migrations alone whatever an earlier run left in the database."""
    given = os.environ.get("TEST_DATABASE_URL")
    if not given:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    with postgres_schema(given) as url:
        yield url


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


@dataclass
class Crowd:
    """Contacts by name -> number, and the entries' numbers by what they are."""

    team: str
    no: dict[str, str]
    segment: str = "TARGET"

    def names(self, numbers: object) -> set[str]:
        by_no = {no: name for name, no in self.no.items()}
        return {by_no[no] for no in numbers}  # type: ignore[attr-defined]


CROWD = (
    # name, company, country, city, post code, language, salesperson, e-mail, correspondence type
    ("Iberia Foods", "", "ES", "Madrid", "28001", "ESP", "ANA", "", ""),
    ("Maria Lopez", "Iberia Foods", "ES", "Madrid", "28001", "", "", "maria@iberia.example", ""),
    ("Jose Ruiz", "Iberia Foods", "ES", "Madrid", "28002", "", "", "", ""),
    ("Lisboa Lda", "", "PT", "Lisboa", "1100", "POR", "", "", ""),
    ("Joao Silva", "Lisboa Lda", "PT", "Lisboa", "1100", "", "", "", ""),
    ("Sevilla Tech", "", "ES", "Sevilla", "41001", "", "", "", ""),
    ("Lucia Gomez", "Sevilla Tech", "ES", "Sevilla", "41001", "", "", "", ""),
    ("Berlin GmbH", "", "DE", "Berlin", "10115", "DEU", "", "info@berlin.example", "email"),
    ("Klaus Meyer", "Berlin GmbH", "DE", "Berlin", "10115", "", "", "", ""),
)


IN_SPAIN = frozenset({"Iberia Foods", "Maria Lopez", "Jose Ruiz", "Sevilla Tech", "Lucia Gomez"})
"""The crowd's contacts whose country is ES."""


@pytest.fixture
def crowd(sessions: sessionmaker[Session], team: str) -> Crowd:
    """Four companies (two in Spain) with five people, some history and an empty segment TARGET:
    Maria visited 2026-01-10 (positive), Sevilla Tech visited 2025-12-01, Joao phoned 2026-02-01 (failed),
    Jose visited 2026-01-15 (canceled), Berlin GmbH sent a letter 2026-01-20 (negative)."""
    numbers: dict[str, str] = {}
    with sessions.begin() as s:
        add_group(s, team, "MEETINGS", "Meetings")
        add_group(s, team, "CALLS", "Phone calls")
        add_group(s, team, "LETTERS", "Letters")
        add_template(s, team, "VISIT", "MEETINGS", TemplateDefaults("Visit"))
        add_template(s, team, "PHONE", "CALLS", TemplateDefaults("Phone call"))
        add_template(s, team, "LETTER", "LETTERS", TemplateDefaults("Letter"))
        for name, company, country, city, post_code, language, salesperson, email, kind in CROWD:
            contact = add_contact(
                s,
                team,
                NewContact(
                    name,
                    company=numbers[company] if company else "",
                    country=country,
                    city=city,
                    post_code=post_code,
                    language_code=language,
                    salesperson=salesperson,
                    email=email,
                    correspondence_type=CorrespondenceType(kind),
                ),
            )
            numbers[name] = contact.no
        history = (
            ("Maria Lopez", "VISIT", date(2026, 1, 10), True, Evaluation.POSITIVE),
            ("Sevilla Tech", "VISIT", date(2025, 12, 1), True, Evaluation.BLANK),
            ("Joao Silva", "PHONE", date(2026, 2, 1), False, Evaluation.BLANK),
            ("Jose Ruiz", "VISIT", date(2026, 1, 15), True, Evaluation.BLANK),
            ("Berlin GmbH", "LETTER", date(2026, 1, 20), True, Evaluation.NEGATIVE),
        )
        entries = [
            create_interaction(
                s,
                team,
                "U1",
                InteractionInput(numbers[name], template, date=day, successful=ok, evaluation=evaluation),
            )
            for name, template, day, ok, evaluation in history
        ]
        cancel_entries(s, team, "U1", [entries[3].entry_no])
        add_segment(s, team, "TARGET", "Built from criteria")
    return Crowd(team, numbers)


@pytest.fixture
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> Path:
    """A folder to run the `crm` command in, with DATABASE_URL pointing at the test database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    return tmp_path
