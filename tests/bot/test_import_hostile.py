"""`crm import contacts` with files no one meant to write: values longer than the csv module reads, NUL
characters, lone surrogates, old line ends, and a huge file of garbage. Each gets a message naming its
lines, never a traceback, and nothing is imported; checking stays bounded in time and memory."""

import time
import tracemalloc

import pytest
import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot import cli_admin
from store.errors import Invalid
from store.imports import ImportRejected, import_contacts
from store.models import Contact


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    cli_admin.register(app)
    return app


def refused(app, workdir, team: str, text: str) -> str:
    (workdir / "contacts.csv").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["import", "contacts", "contacts.csv", "--team", team])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert isinstance(result.exception, SystemExit)
    return result.stderr


def contacts(sessions, team: str) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(Contact).where(Contact.team_id == team))


def test_a_value_longer_than_csv_reads_is_a_message_naming_its_line(app, workdir, sessions, team):
    text = "name,city\nAcme,Madrid\nHuge," + "x" * 200_000 + "\nFabrikam,Paris\n"
    err = refused(app, workdir, team, text)
    assert "line 3: a value is longer than 131,072 characters" in err and "1 problem." in err
    assert contacts(sessions, team) == 0


def test_nul_characters_are_refused_naming_the_line_and_column(app, workdir, sessions, team):
    err = refused(app, workdir, team, "name,city\nAcme,Mad\x00rid\nFab\x00rikam,Paris\n")
    assert "line 2: city contains a NUL character" in err and "line 3: name contains a NUL character" in err
    assert contacts(sessions, team) == 0


def test_lone_surrogates_are_refused_naming_the_line_and_column(session, team):
    with pytest.raises(ImportRejected) as refusal:
        import_contacts(session, team, "name,city\nAcme,\ud800\n")
    assert refusal.value.message.endswith(
        "line 2: city is not valid Unicode text (it has a lone surrogate such as \\ud800)."
    )


def test_old_mac_line_ends_are_read_as_line_ends(session, team):
    result = import_contacts(session, team, "name,city\rAcme,Madrid\rFabrikam,Paris\r")
    assert result.companies == 2


def test_a_huge_file_of_garbage_is_checked_in_bounded_time_and_memory(session, team):
    """Half the rows are companies of one name, half people naming it: every person's problem once
    listed every such line (a quadratic message); now it names five and counts the rest."""
    rows = 20_000
    text = "name,type,company\n" + "Acme,company,\n" * (rows // 2) + "P,person,Acme\n" * (rows // 2)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ImportRejected) as refusal:
        import_contacts(session, team, text)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert refusal.value.count == rows // 2 and len(refusal.value.problems) == 10
    first = "line 10002: several companies in the file are named Acme (lines 2, 3, 4, 5, 6 and 9,995 more)."
    assert first in refusal.value.message and "... and 9,990 more." in refusal.value.message
    # Listing every line in every problem took 600 MB here (and over 8 minutes, traced); time is not
    # asserted, as it moves with the load on the machine, and the memory says the same.
    assert peak < 100 * 1024 * 1024, (elapsed, peak)


def test_an_empty_file_is_still_refused_as_empty(session, team):
    with pytest.raises(Invalid, match="no contacts"):
        import_contacts(session, team, "")


def test_reading_a_file_of_garbage_stops_after_a_thousand_problems(session, team):
    text = "name,type\n" + "Acme,robot\n" * 200_000
    started = time.perf_counter()
    with pytest.raises(ImportRejected) as refusal:
        import_contacts(session, team, text)
    assert time.perf_counter() - started < 20  # the 200,000 lines are not read
    assert refusal.value.message.startswith(
        "Nothing was imported: checking stopped at line 1,001 after 1,000 problems.\n"
        "line 2: type robot is not company or person.\n"
    )
    assert refusal.value.message.endswith("... and 990 more.")
