import csv
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot import cli_admin, cli_serve, cli_tellme
from store.cancellation import cancel_entries
from store.contacts import NewContact, add_contact, find_contact
from store.db import make_engine
from store.enums import ContactType, DocumentKind
from store.exports import EXPORT_COLUMNS, ExportFormat, export_entries
from store.filters import CanceledFilter, EntryFilter
from store.interactions import InteractionInput, comments, create_interaction
from store.migrate import is_current
from store.models import Contact, InteractionLogEntry, LoggedSegment, Workspace
from store.templates import TemplateDefaults, add_group, add_template, get_setup
from tests.fake_slack import FakeSlack
from tests.helpers import free_port

runner = CliRunner()


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    cli_admin.register(app)
    return app


def run(app, *args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(result) -> str:
    """The command ended with a message and exit code 1, not with a traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    return result.stderr


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def count(session, model, team) -> int:
    return session.scalar(select(func.count()).select_from(model).where(model.team_id == team))


# --- open_store -------------------------------------------------------------------------------------


def test_open_store_upgrades_a_new_sqlite_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    sessions = cli_admin.open_store(url)
    try:
        assert is_current(sessions.kw["bind"])
        with sessions() as session:
            assert count(session, Contact, "T1") == 0
    finally:
        sessions.kw["bind"].dispose()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgresql+psycopg://postgres@127.0.0.1:1/test", "connection"),
        ("nonsense", "Could not parse SQLAlchemy URL"),
    ],
)
def test_a_database_that_cannot_be_used_is_a_message(app, workdir, monkeypatch, url, reason):
    monkeypatch.setenv("DATABASE_URL", url)
    for args in (("db", "upgrade"), ("export", "entries")):
        err = refused(run(app, *args))
        assert err.startswith("The database (DATABASE_URL) cannot be used:") and reason in err


def test_db_upgrade_reports_an_up_to_date_database(app, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'crm.db'}")
    assert "up to date" in ok(run(app, "db", "upgrade"))
    engine = make_engine(f"sqlite:///{tmp_path / 'crm.db'}")
    assert is_current(engine)
    engine.dispose()


# --- demo -------------------------------------------------------------------------------------------


def test_demo_fills_an_empty_workspace_through_the_store_rules(app, workdir, team, sessions):
    out = ok(run(app, "demo", "--team", team))
    assert f"Demo workspace {team} is ready" in out
    with sessions() as session:
        assert find_contact(session, team, "CT000001").name == "John Smith"
        assert find_contact(session, team, "CT000003").name == "Contoso Ltd."
        assert find_contact(session, team, "maria garcia").language_code == "ES"
        peter = find_contact(session, team, "Peter Jones")
        assert peter.company_no == find_contact(session, team, "Contoso").no
        setup = get_setup(session, team)
        assert setup[DocumentKind.SALES_INVOICE] == "INVOICE"
        assert setup[DocumentKind.SALES_QUOTE] == "QUOTE"

        entries = list(
            session.scalars(
                select(InteractionLogEntry)
                .where(InteractionLogEntry.team_id == team)
                .order_by(InteractionLogEntry.entry_no)
            )
        )
        logged = session.scalar(select(LoggedSegment).where(LoggedSegment.team_id == team))
        assert logged.segment_no == "SM00001"
        assert [e.entry_no for e in entries] == list(range(1, len(entries) + 1))
        assert sum(e.logged_segment_entry_no == logged.entry_no for e in entries) == 6
        assert sum(e.postponed for e in entries) == 1
        assert sum(e.canceled for e in entries) == 3
        assert any(e.attempt_failed for e in entries)
        assert {e.template_code for e in entries} >= {"PHONE", "MEETING", "LETTER", "EMAIL", "QUOTE"}
        assert any(e.document_type == "sales-invoice" for e in entries)
        assert any(comments(session, team, e.entry_no) for e in entries)
        dates = [e.date for e in entries if not e.postponed]
        today = date.today()
        assert today - timedelta(days=40) < min(dates) and max(dates) < today + timedelta(days=1)
        # The evaluation chosen when logging is kept, and so is the one given afterwards.
        assert {e.evaluation for e in entries} >= {"positive", "very-negative", ""}


def test_demo_refuses_a_workspace_that_has_data(app, workdir, team, sessions):
    with sessions.begin() as session:
        add_contact(session, team, NewContact("Existing Customer Ltd."))
    err = refused(run(app, "demo", "--team", team))
    assert "already has data (1 contacts)" in err
    with sessions() as session:
        assert count(session, Contact, team) == 1
        assert count(session, InteractionLogEntry, team) == 0


def test_the_workspace_comes_from_crm_team(app, workdir, team, sessions):
    ok(run(app, "demo", env={"CRM_TEAM": team}))
    with sessions() as session:
        assert count(session, Contact, team) == 13


def test_tellme_reads_the_workspace_it_is_given_as_every_command_does(workdir, team, sessions):
    app = typer.Typer()
    cli_admin.register(app)
    cli_tellme.register(app)
    ok(run(app, "demo", env={"CRM_TEAM": team}))
    out = ok(run(app, "tellme", "show me the calls to Contoso last month", env={"CRM_TEAM": team}))
    assert "contact=CT000003" in out


@pytest.mark.parametrize("reachable", [True, False], ids=["refused", "unreachable"])
def test_serve_with_a_token_slack_refuses_stops_with_one_line(workdir, reachable):
    app = typer.Typer()
    cli_admin.register(app)  # more than one command: `serve` is then named, as in `crm serve`
    cli_serve.register(app)
    with FakeSlack().running() as fake:
        fake.fail("/auth.test", 200, {"ok": False, "error": "invalid_auth"})
        url = fake.base_url if reachable else f"http://127.0.0.1:{free_port()}/"
        env = {"SLACK_BOT_TOKEN": "xoxb-wrong", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": url}
        result = runner.invoke(app, ["serve", "--port", str(free_port())], env=env)
    assert result.exit_code == 3 and "Traceback" not in result.output
    expected = "Slack refused SLACK_BOT_TOKEN (invalid_auth)." if reachable else "Slack cannot be reached at"
    assert result.output.startswith(f"Cannot start: {expected}")


# --- import contacts --------------------------------------------------------------------------------


def test_import_creates_companies_before_their_people(app, workdir, team, sessions):
    with sessions.begin() as session:
        known = add_contact(session, team, NewContact("Northwind Traders")).no
        version = session.get(Workspace, team).contacts_version
    path = write(
        workdir / "contacts.csv",
        "Name,Type,Company,E-mail,Phone,City,Country,Language Code,Salesperson\n"
        "Pepa Pérez,,Acme Ibérica,pepa@acme.example,+34 600 1,Madrid,ES,es,U0REP\n"
        "Acme Ibérica,company,,info@acme.example,,Madrid,ES,ES,\n"
        "\n"
        "Tom Wu,,northwind traders,,,,,,\n"
        f"Ann Lee,,{known},,,,,,\n"
        "Olga Solo,person,,,,,,,\n",
    )
    out = ok(run(app, "import", "contacts", str(path), "--team", team))
    assert f"Imported 1 company and 4 people into workspace {team} (CT000002 to CT000006)." in out
    with sessions() as session:
        acme = find_contact(session, team, "Acme Iberica")
        pepa = find_contact(session, team, "pepa perez")
        assert (acme.no, acme.type, acme.company_no) == ("CT000002", "company", "CT000002")
        assert (pepa.type, pepa.company_no, pepa.language_code) == ("person", acme.no, "ES")
        assert (pepa.email, pepa.salesperson, pepa.search_name) == (
            "pepa@acme.example",
            "U0REP",
            "pepa perez",
        )
        assert find_contact(session, team, "Tom Wu").company_no == known
        assert find_contact(session, team, "Ann Lee").company_no == known
        olga = find_contact(session, team, "Olga Solo")
        assert (olga.type, olga.company_no) == ("person", olga.no)
        assert session.get(Workspace, team).contacts_version > version


def test_import_rejects_the_whole_file_and_says_which_lines_are_wrong(app, workdir, team, sessions):
    with sessions.begin() as session:
        person = add_contact(session, team, NewContact("Jane Doe", type=ContactType.PERSON))
    path = write(
        workdir / "bad.csv",
        "name,company,email,type\n"
        "Good Company,,,\n"
        ",Good Company,,\n"
        "Bob,Nowhere Inc.,,\n"
        "Carl,Jane Doe,,\n"
        f"Dora,{person.no},,\n"
        "Eve,,not-an-address,\n"
        "Fred,,,robot\n"
        "Gina,Good Company,,company\n"
        "Hugo,CT999999,,\n",
    )
    err = refused(run(app, "import", "contacts", str(path), "--team", team))
    assert "Nothing was imported: the file has 8 problems." in err
    for expected in (
        "line 3: the name is missing.",
        "line 4: there is no company named Nowhere Inc. in the file or in the workspace.",
        "line 5: Jane Doe is a person, not a company.",
        f"line 6: Jane Doe ({person.no}) is a person, not a company.",
        "line 7: not-an-address is not an e-mail address.",
        "line 8: type robot is not company or person.",
        "line 9: a company cannot belong to another company",
        "line 10: contact CT999999 does not exist.",
    ):
        assert expected in err
    with sessions() as session:
        assert count(session, Contact, team) == 1


def test_import_reports_the_first_ten_problems_only(app, workdir, team):
    path = write(workdir / "bad.csv", "name,email\n" + "".join(f"P{i},bad{i}\n" for i in range(15)))
    err = refused(run(app, "import", "contacts", str(path), "--team", team))
    assert "15 problems" in err and "line 11:" in err and "line 12:" not in err
    assert "... and 5 more." in err


def test_import_checks_the_header(app, workdir, team):
    path = write(workdir / "bad.csv", "nombre,e-mail,city\nAcme,a@b.example,Madrid\n")
    err = refused(run(app, "import", "contacts", str(path), "--team", team))
    assert "line 1: the header has no name column." in err
    assert "unknown column nombre" in err


def test_import_reads_excel_files_with_a_bom_and_semicolons(app, workdir, team, sessions):
    path = write(workdir / "excel.csv", '\ufeffname;city\r\n"Ñandú; S.A.";Sevilla\r\n')
    assert "Imported 1 company and 0 people" in ok(run(app, "import", "contacts", str(path), "--team", team))
    with sessions() as session:
        assert find_contact(session, team, "Ñandú; S.A.").city == "Sevilla"


def test_import_of_a_file_that_is_not_utf8_says_how_to_save_it(app, workdir, team):
    path = write(workdir / "latin1.csv", "name\nEspaña Ibérica\n", encoding="latin-1")
    assert "CSV UTF-8" in refused(run(app, "import", "contacts", str(path), "--team", team))


def test_import_of_an_empty_file_is_refused(app, workdir, team):
    path = write(workdir / "empty.csv", "name,city\n")
    assert "no contacts to import" in refused(run(app, "import", "contacts", str(path), "--team", team))


def test_import_numbers_step_over_numbers_taken_by_other_means(app, workdir, team, sessions):
    with sessions.begin() as session:
        add_contact(session, team, NewContact("First Ltd."))
        session.add(
            Contact(team_id=team, no="CT000003", type="company", name="Loaded", search_name="loaded",
                    company_no="CT000003")
        )  # fmt: skip
    path = write(workdir / "c.csv", "name\nA Ltd.\nB Ltd.\nC Ltd.\n")
    assert "(CT000002 to CT000005)" in ok(run(app, "import", "contacts", str(path), "--team", team))
    with sessions() as session:
        numbers = session.scalars(select(Contact.no).where(Contact.team_id == team).order_by(Contact.no))
        assert list(numbers) == ["CT000001", "CT000002", "CT000003", "CT000004", "CT000005"]


def test_import_of_ten_thousand_contacts_takes_seconds(app, workdir, team, sessions):
    lines = ["name,company,email"]
    lines += [f"Company {i},,info@c{i}.example" for i in range(1000)]
    lines += [f"Person {i},Company {i % 1000},p{i}@c.example" for i in range(9000)]
    path = write(workdir / "big.csv", "\n".join(lines) + "\n")
    out = ok(run(app, "import", "contacts", str(path), "--team", team))
    assert "Imported 1000 companies and 9000 people" in out
    with sessions() as session:
        assert (
            find_contact(session, team, "Person 8999").company_no
            == find_contact(session, team, "Company 999").no
        )


# --- export entries ---------------------------------------------------------------------------------


@pytest.fixture
def logged(sessions, workspace):
    """Four entries: John (Adatum) on Jan 1 and Feb 1, Fabrikam on Mar 1 (canceled), and a postponed one."""
    team = workspace.team
    with sessions.begin() as s:
        create_interaction(
            s,
            team,
            "U1",
            InteractionInput(workspace.john, "PHONE", date=date(2026, 1, 1), cost=Decimal("0.1")),
        )
        create_interaction(
            s,
            team,
            "U1",
            InteractionInput(workspace.jane, "LETTER", '=HYPERLINK("x")', date=date(2026, 2, 1)),
        )
        create_interaction(
            s, team, "U1", InteractionInput(workspace.fabrikam, "PHONE", date=date(2026, 3, 1))
        )
        create_interaction(s, team, "U1", InteractionInput(workspace.john, "PHONE"), postpone=True)
        cancel_entries(s, team, "U1", [3])
    return workspace


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_export_csv_has_the_useful_columns_and_exact_money(app, workdir, logged):
    exported = rows(ok(run(app, "export", "entries", "--team", logged.team)))
    assert [r["entry_no"] for r in exported] == ["1", "2", "3"]  # oldest first, postponed left out
    first = exported[0]
    assert list(first) == list(EXPORT_COLUMNS)
    assert first["contact_no"] == logged.john and first["contact_name"] == "John Smith"
    assert (first["company_no"], first["company_name"]) == (logged.adatum, "Adatum Corporation")
    assert (first["template_code"], first["group_code"], first["cost"], first["duration"]) == (
        "PHONE", "CALLS", "0.10", "10"
    )  # fmt: skip
    assert (first["information_flow"], first["initiated_by"], first["date"]) == (
        "outbound",
        "us",
        "2026-01-01",
    )
    assert (first["canceled"], first["attempt_failed"], first["user_id"]) == ("no", "no", "U1")
    assert exported[2]["canceled"] == "yes"
    # A formula typed as a description must not run when the file is opened in a spreadsheet.
    assert exported[1]["description"] == '\'=HYPERLINK("x")'


def test_every_text_cell_of_a_csv_export_is_kept_from_running_as_a_formula(app, workdir, workspace, sessions):
    with sessions.begin() as s:
        add_group(s, workspace.team, "@GRP", "Group typed by a member")
        add_template(s, workspace.team, "=CMD", "@GRP", TemplateDefaults("+SUM(A1)"))
        create_interaction(
            s,
            workspace.team,
            "U1",
            InteractionInput(workspace.john, "=CMD", "-2+3", document_no="=1+1", cost=Decimal("-0")),
        )
    (row,) = rows(ok(run(app, "export", "entries", "--team", workspace.team)))
    assert (row["template_code"], row["group_code"], row["description"], row["document_no"]) == (
        "'=CMD", "'@GRP", "'-2+3", "'=1+1"
    )  # fmt: skip
    assert row["cost"] == "0.00" and row["contact_name"] == "John Smith"


def test_export_filters(app, workdir, logged):
    def numbers(*args: str) -> list[str]:
        return [r["entry_no"] for r in rows(ok(run(app, "export", "entries", "--team", logged.team, *args)))]

    assert numbers("--contact", "Adatum Corporation") == ["1", "2"]  # a company includes its people
    assert numbers("--contact", "john smith") == ["1"]
    assert numbers("--template", "phone") == ["1", "3"]
    assert numbers("--canceled", "yes") == ["3"]
    assert numbers("--canceled", "no") == ["1", "2"]
    assert numbers("--from", "2026-01-15", "--to", "2026-02-28") == ["2"]
    assert numbers("--from", "2027-01-01") == []


def test_export_json_writes_money_as_strings(app, workdir, logged):
    exported = json.loads(ok(run(app, "export", "entries", "--format", "json", "--team", logged.team)))
    assert [e["entry_no"] for e in exported] == [1, 2, 3]
    assert exported[0]["cost"] == "0.10" and exported[0]["duration"] == 10
    assert exported[2]["canceled"] is True and exported[0]["attempt_failed"] is False
    assert exported[0]["time"].count(":") == 2 and exported[0]["date"] == "2026-01-01"


def test_export_to_a_file(app, workdir, logged):
    result = run(app, "export", "entries", "--team", logged.team, "--output", "out.json", "--format", "json")
    assert ok(result) == ""
    assert "Exported 3 entries to out.json." in result.stderr
    assert len(json.loads((workdir / "out.json").read_text())) == 3


def test_export_to_a_file_that_cannot_be_written_is_a_message(app, workdir, logged):
    err = refused(run(app, "export", "entries", "--team", logged.team, "--output", "missing/out.csv"))
    assert "Cannot write missing/out.csv: No such file or directory." in err


def test_export_streams_in_pages(sessions, logged):
    with sessions() as session:
        for fmt in ExportFormat:
            chunks = list(export_entries(session, logged.team, EntryFilter(), fmt, page_size=2))
            # A header (CSV) or an opening bracket (JSON), two pages, and JSON's closing bracket.
            assert len(chunks) == (3 if fmt is ExportFormat.CSV else 4)
            text = b"".join(chunks).decode()
            parsed = json.loads(text) if fmt is ExportFormat.JSON else rows(text)
            assert [int(e["entry_no"]) for e in parsed] == [1, 2, 3]
        empty = EntryFilter(canceled=CanceledFilter.YES, contact_no=logged.john)
        assert b"".join(export_entries(session, logged.team, empty, "json")) == b"[]\n"


def test_export_errors_are_messages(app, workdir, logged):
    err = refused(
        run(app, "export", "entries", "--team", logged.team, "--from", "2026-03-01", "--to", "2026-01-01")
    )
    assert "ends (2026-01-01) before it starts (2026-03-01)" in err
    err = refused(run(app, "export", "entries", "--team", logged.team, "--template", "FAX"))
    assert "Template FAX does not exist. Known templates: LETTER, MEETING, PHONE." in err
    err = refused(run(app, "export", "entries", "--team", logged.team, "--contact", "Nobody At All"))
    assert "No contact matches" in err
    result = run(app, "export", "entries", "--team", logged.team, "--from", "the day after never")
    assert result.exit_code == 2 and "is not a date I understand" in result.output  # as /crm says it


def test_export_dates_take_the_words_a_slash_command_takes(app, workdir, logged):
    words = run(app, "export", "entries", "--team", logged.team, "--from", "last year", "--format", "json")
    iso = run(app, "export", "entries", "--team", logged.team, "--from", "2000-01-01", "--format", "json")
    assert words.exit_code == 0 and words.stdout == iso.stdout


def test_export_of_an_ambiguous_contact_lists_the_choices(app, workdir, team, sessions):
    with sessions.begin() as session:
        first = add_contact(session, team, NewContact("Twin Ltd.")).no
        second = add_contact(session, team, NewContact("Twin Ltd.")).no
    err = refused(run(app, "export", "entries", "--team", team, "--contact", "Twin Ltd."))
    assert f"{first}  Twin Ltd. ({first})" in err and second in err


# --- the real console script ------------------------------------------------------------------------


def crm_script() -> str:
    script = Path(sys.executable).with_name("crm")
    found = str(script) if script.exists() else shutil.which("crm")
    if not found:
        pytest.skip("the crm console script is not installed")
    return found


def test_crm_demo_then_export_in_a_new_sqlite_file(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'crm.db'}", "CRM_TEAM": "T0SUBPROCESS"}

    def crm(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [crm_script(), *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )

    demo = crm("demo")
    assert demo.returncode == 0, demo.stderr
    assert "Demo workspace T0SUBPROCESS is ready" in demo.stdout

    exported = crm("export", "entries", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    entries = json.loads(exported.stdout)
    assert {"John Smith", "Contoso Ltd.", "María García"} <= {e["contact_name"] for e in entries}
    assert any(e["canceled"] for e in entries) and any(e["attempt_failed"] for e in entries)
    assert all(isinstance(e["cost"], str) for e in entries)

    again = crm("demo")
    assert again.returncode == 1
    assert "already has data" in again.stderr and "Traceback" not in again.stderr
