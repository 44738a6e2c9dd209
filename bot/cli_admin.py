"""Database and data administration: `crm db upgrade`, `crm demo`, `crm import contacts`, `crm export
entries`, and the helpers every `crm` command shares (`open_store`, `reported_errors`, the workspace
and user options)."""

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from commands import inputs
from store.db import make_engine, session_factory, transaction
from store.demo import build_demo
from store.errors import Ambiguous, DomainError, Invalid
from store.exports import ExportFormat, export_entries
from store.filters import CanceledFilter, count_entries, entry_filter
from store.imports import import_contacts
from store.migrate import is_current, upgrade

DEFAULT_TEAM = "T0DEMO"
DEFAULT_USER = "U0CONSOLE"

TeamOption = Annotated[
    str,
    typer.Option("--team", envvar="CRM_TEAM", help="Workspace (Slack team id) to work in."),
]
UserOption = Annotated[str, typer.Option("--user", help="Slack user id to act as.")]


def open_store(url: str | None = None) -> sessionmaker[Session]:
    """Sessions on DATABASE_URL (or `url`). An SQLite database is brought to the current schema when it
    is not, so the first start on a new file just works; other databases are upgraded deliberately, with
    `crm db upgrade`."""
    engine = make_engine(url)
    if not is_current(engine):
        if engine.dialect.name == "sqlite":
            upgrade(engine)
        else:
            typer.echo("Warning: the database schema is not current; run `crm db upgrade`.", err=True)
    return session_factory(engine)


@contextmanager
def reported_errors() -> Iterator[None]:
    """A domain error, or a database that cannot be reached, ends the command with a message on stderr and
    exit code 1, not a traceback."""
    try:
        yield
    except Ambiguous as error:
        choices = [f"  {no}  {label}" for no, label in error.choices]
        typer.echo("\n".join([error.message, *choices]), err=True)
        raise typer.Exit(1) from None
    except DomainError as error:
        typer.echo(error.message, err=True)
        raise typer.Exit(1) from None
    except (ArgumentError, OperationalError) as error:  # a mistyped DATABASE_URL, a server that is down
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        typer.echo(f"The database (DATABASE_URL) cannot be used: {reason}", err=True)
        raise typer.Exit(1) from None


@contextmanager
def opened_store() -> Iterator[sessionmaker[Session]]:
    """open_store for one command: its connections are closed when the command ends."""
    sessions = open_store()
    try:
        yield sessions
    finally:
        sessions.kw["bind"].dispose()


def register(app: typer.Typer) -> None:
    db = typer.Typer(help="Database schema.", no_args_is_help=True)
    db.command("upgrade")(db_upgrade)
    app.add_typer(db, name="db")

    app.command("demo")(demo)

    imports = typer.Typer(help="Import data from files.", no_args_is_help=True)
    imports.command("contacts")(import_contacts_command)
    app.add_typer(imports, name="import")

    exports = typer.Typer(help="Export data to files.", no_args_is_help=True)
    exports.command("entries")(export_entries_command)
    app.add_typer(exports, name="export")


def db_upgrade() -> None:
    """Apply the schema migrations to DATABASE_URL."""
    with reported_errors():
        engine = make_engine()
        try:
            upgrade(engine)
        finally:
            engine.dispose()
    typer.echo("Database is up to date.")


def demo(team: TeamOption = DEFAULT_TEAM, user: UserOption = DEFAULT_USER) -> None:
    """Fill an empty workspace with demo contacts, templates, segments and five weeks of interactions."""
    with reported_errors(), opened_store() as sessions, transaction(sessions) as session:
        made = build_demo(session, team, user, datetime.now(UTC).date())
    typer.echo(
        f"Demo workspace {team} is ready: {made.companies} companies and {made.people} people, "
        f"{made.templates} templates in {made.groups} groups, {made.entries} interactions "
        f"({made.canceled} canceled) and {made.postponed} postponed, segments {', '.join(made.segments)} "
        f"({len(made.logged_segments)} logged).\n"
        f"Try: crm export entries --team {team}"
    )


def import_contacts_command(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            show_default=False,
            help="CSV in UTF-8 with a header: name (required), type, company, email, phone, address, "
            "city, post_code, country, language_code, salesperson, correspondence_type.",
        ),
    ],
    team: TeamOption = DEFAULT_TEAM,
) -> None:
    """Import contacts from a CSV file: all rows or none. A person's company is the name of a company in
    the file or the name or number of one already in the workspace."""
    with reported_errors():
        try:
            text = file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid(f"{file} is not UTF-8 text: save it as “CSV UTF-8” and try again.") from None
        with opened_store() as sessions, transaction(sessions) as session:
            result = import_contacts(session, team, text)
    companies = _plural(result.companies, "company", "companies")
    people = _plural(result.people, "person", "people")
    span = f"{min(result.numbers)} to {max(result.numbers)}"
    typer.echo(f"Imported {companies} and {people} into workspace {team} ({span}).")


def export_entries_command(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="csv or json.")] = ExportFormat.CSV,
    team: TeamOption = DEFAULT_TEAM,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", dir_okay=False, help="File to write; standard output if left out."),
    ] = None,
    contact: Annotated[
        str, typer.Option(help="Contact number, name or e-mail; a company includes its people.")
    ] = "",
    template: Annotated[str, typer.Option(help="Interaction template code.")] = "",
    canceled: Annotated[
        str, typer.Option(help="Canceled entries only (yes), none (no) or both (all).")
    ] = "all",
    date_from: Annotated[
        str, typer.Option("--from", metavar="DATE", help="First date: 2026-11-01, or words like last monday.")
    ] = "",
    date_to: Annotated[str, typer.Option("--to", metavar="DATE", help="Last date.")] = "",
) -> None:
    """Export interaction log entries, oldest first, as CSV or JSON (amounts as exact decimals).
    Postponed interactions are not part of the log, so they are left out."""
    with reported_errors(), opened_store() as sessions, sessions() as session:
        given = entry_filter(
            session,
            team,
            contact=contact,
            template=template,
            canceled=option(inputs.CANCELED, canceled, "canceled") or CanceledFilter.ALL,
            date_from=option(inputs.DATE, date_from, "from"),
            date_to=option(inputs.DATE, date_to, "to"),
        )
        count = count_entries(session, team, given)
        chunks = export_entries(session, team, given, fmt)
        if output is None:
            _write_stdout(chunks)
        else:
            _write_file(chunks, output)
            typer.echo(f"Exported {_plural(count, 'entry', 'entries')} to {output}.", err=True)


def _write_file(chunks: Iterable[bytes], path: Path) -> None:
    try:
        out = path.open("wb")
    except OSError as error:  # no such folder, no permission: and a file we could not open stays as it was
        raise Invalid(f"Cannot write {path}: {error.strerror or error}.") from None
    try:
        with out:
            out.writelines(chunks)
    except BaseException as error:
        path.unlink(missing_ok=True)  # half an export looks complete to whoever opens it next
        if isinstance(error, OSError):
            raise Invalid(f"Cannot write {path}: {error.strerror or error}.") from None
        raise


def _write_stdout(chunks: Iterable[bytes]) -> None:
    out: BinaryIO = typer.get_binary_stream("stdout")
    try:
        for chunk in chunks:
            out.write(chunk)
        out.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`): quietly, and without a second error when Python exits.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None


def option(kind: inputs.Kind, text: str, name: str) -> Any:
    """A command-line option read by the same kind as the `/crm` option of that name."""
    if not text.strip():
        return None
    try:
        return kind.parse(text, None, name)
    except inputs.UsageError as error:
        raise typer.BadParameter(error.message, param_hint=f"--{name}") from None


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
