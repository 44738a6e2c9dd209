"""`crm record-document`: log the interaction for a printed or sent document, one from the options or many
from a JSON-lines file (back-filling from an ERP export); `crm template attach`: give a template its
document for a language."""

import mimetypes
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bot.cli_admin import DEFAULT_TEAM, TeamOption, opened_store, reported_errors
from bot.hook_fields import decode_document, parse_document
from store.attachments import attach_to_template, check_size, human_size
from store.db import transaction
from store.documents import InvalidField, RecordResult, RecordStatus, record_document
from store.enums import DocumentKind
from store.errors import Ambiguous, DomainError, NotFound
from store.mailmerge import DOCX, fields_in

CLI_USER = "document-import"
CHUNK = 200
"""Batch lines recorded per transaction; a bad line rolls back only itself."""


def register(app: typer.Typer) -> None:
    app.command("record-document")(record_document_command)
    template = typer.Typer(help="Interaction templates.", no_args_is_help=True)
    template.command("attach")(attach_command)
    app.add_typer(template, name="template")


def record_document_command(
    kind: Annotated[
        str,
        typer.Option(
            "--kind", metavar="KIND", help="Document kind: sales-invoice, sales-quote, purchase-order, ..."
        ),
    ] = "",
    no: Annotated[str, typer.Option("--no", help="Document number, such as INV-1001.")] = "",
    contact: Annotated[str, typer.Option("--contact", help="Contact number, e-mail or name.")] = "",
    date: Annotated[
        datetime | None, typer.Option("--date", formats=["%Y-%m-%d"], help="Date (default today).")
    ] = None,
    description: Annotated[str, typer.Option("--description", help="Default: the template's.")] = "",
    salesperson: Annotated[str, typer.Option("--salesperson")] = "",
    version: Annotated[int | None, typer.Option("--version", help="Version (quotes, orders).")] = None,
    event_id: Annotated[
        str, typer.Option("--event-id", help="The sender's id: a repeated event logs once.")
    ] = "",
    batch: Annotated[
        str,
        typer.Option(
            "--batch",
            metavar="FILE|-",
            help="JSON lines with the webhook's fields (team_id optional), from a file or stdin.",
        ),
    ] = "",
    team: TeamOption = DEFAULT_TEAM,
) -> None:
    """Log the interaction for a printed or sent document, with the template set up for its kind (none set
    up: nothing is logged)."""
    if batch:
        if kind or no or contact or event_id:
            typer.echo("Give either --batch or the options of one document, not both.", err=True)
            raise typer.Exit(2)
        _record_batch(batch, team)
        return
    if not (kind and no and contact):
        typer.echo("Give --kind, --no and --contact, or --batch FILE.", err=True)
        raise typer.Exit(2)
    if kind not in set(DocumentKind):
        typer.echo(f"{kind} is not a document kind. Kinds: {', '.join(DocumentKind)}.", err=True)
        raise typer.Exit(2)
    fields = {
        "event_id": event_id,
        "document_type": kind,
        "document_no": no,
        "contact": contact,
        "date": date.date().isoformat() if date else None,
        "description": description,
        "salesperson": salesperson,
        "version_no": version,
    }
    with reported_errors():  # bounded and cleaned as the webhook's fields are (a lone surrogate, say)
        _, doc = parse_document(fields, default_team=team, require_event_id=False)
    with reported_errors(), opened_store() as sessions, transaction(sessions) as session:
        result = record_document(session, team, doc, user_id=CLI_USER)
        typer.echo(_describe(result))


def _describe(result: RecordResult) -> str:
    entry = result.entry
    if entry is None:
        return result.reason
    what = f"{entry.document_type} {entry.document_no} for {entry.contact_no}"
    if result.status is RecordStatus.DUPLICATE:
        return f"Recorded already as entry {entry.entry_no} ({what}); nothing new was logged."
    version = f", version {entry.version_no}" if entry.version_no else ""
    return (
        f"Logged entry {entry.entry_no}: {what}, occurrence {entry.doc_no_occurrence}{version}, "
        f"template {entry.template_code}."
    )


MAX_LISTED = 20
"""Bad lines named in a batch's summary; the others are counted."""


@dataclass
class BatchSummary:
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[int, str]] = field(default_factory=list)
    """The first MAX_LISTED bad lines; `bad` counts them all."""
    bad: int = 0
    stopped: str = ""

    def refuse(self, number: int, message: str) -> None:
        self.bad += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append((number, message))

    def text(self, source: str) -> str:
        lines = [
            f"{source}: {self.counts['logged']} logged, {self.counts['duplicate']} duplicates, "
            f"{self.counts['skipped']} skipped (no template set up, or previews), "
            f"{self.bad} {'error' if self.bad == 1 else 'errors'}."
        ]
        lines += [f"  line {number}: {message}" for number, message in self.errors]
        if self.bad > len(self.errors):
            lines.append(f"  ... and {self.bad - len(self.errors)} more bad lines.")
        if self.stopped:
            lines.append(f"  {self.stopped}")
        return "\n".join(lines)


def _record_batch(source: str, team: str) -> None:
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as error:
        typer.echo(f"Cannot read {source}: {error}", err=True)
        raise typer.Exit(2) from None
    # Each line is decoded on its own: one line of other bytes is refused, the others are recorded.
    lines = [
        (number, _decoded(line))
        for number, line in enumerate(raw.removeprefix(b"\xef\xbb\xbf").splitlines(), 1)
        if line.strip()
    ]
    summary = BatchSummary()
    console = Console(stderr=True)
    columns = (TextColumn("Recording documents"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with (
        reported_errors(),
        opened_store() as sessions,
        Progress(*columns, console=console, disable=not console.is_terminal) as bar,
    ):
        task = bar.add_task("record", total=len(lines))
        for start in range(0, len(lines), CHUNK):
            chunk = BatchSummary()
            try:
                with transaction(sessions) as session:
                    for number, line in lines[start : start + CHUNK]:
                        _record_line(session, team, number, line, chunk)
                        bar.advance(task)
            except OperationalError as error:  # the database went away: keep what was committed
                reason = str(error.orig or error).strip().splitlines()[0]
                summary.stopped = f"Stopped at line {lines[start][0]}: the database failed ({reason}); "
                summary.stopped += "nothing from that line on was recorded."
                break
            summary.counts += chunk.counts
            for number, message in chunk.errors:
                summary.refuse(number, message)
            summary.bad += chunk.bad - len(chunk.errors)
    typer.echo(summary.text("stdin" if source == "-" else source))
    if summary.bad or summary.stopped:
        raise typer.Exit(1)


def _decoded(line: bytes) -> str | None:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _record_line(session: Session, team: str, number: int, line: str | None, summary: BatchSummary) -> None:
    """Record one line in a savepoint of its own: a bad line costs only itself."""
    if line is None:
        summary.refuse(number, "the line is not UTF-8 text.")
        return
    try:
        team_id, doc = parse_document(decode_document(line), default_team=team, require_event_id=False)
        with session.begin_nested():
            result = record_document(session, team_id, doc, user_id=CLI_USER)
    except InvalidField as error:
        summary.refuse(number, error.message.replace("body: ", "", 1))
        return
    except Ambiguous as error:
        choices = "; ".join(label for _, label in error.choices)
        summary.refuse(number, f"contact: {error.message} {choices}")
        return
    except NotFound as error:
        summary.refuse(number, f"contact: {error.message}")
        return
    except DomainError as error:
        summary.refuse(number, error.message)
        return
    except (DataError, IntegrityError) as error:  # a value the checks let through, refused by the database
        reason = str(error.orig).strip().splitlines()[0]
        summary.refuse(number, f"the database refused this document: {reason}")
        return
    logged = {RecordStatus.LOGGED: "logged", RecordStatus.DUPLICATE: "duplicate"}
    summary.counts[logged.get(result.status, "skipped")] += 1


def attach_command(
    code: Annotated[str, typer.Argument(help="Template code.", show_default=False)],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, show_default=False)],
    lang: Annotated[str, typer.Option("--lang", help="Language code (default: the template's).")] = "",
    team: TeamOption = DEFAULT_TEAM,
) -> None:
    """Attach a file (.docx, .pdf, .txt, .html, images, ...; at most 10 MB) to a template for a language,
    replacing the one it had. A .docx can hold merge fields such as {{contact.name}}."""
    with reported_errors():
        check_size(file.name, file.stat().st_size)
        content = file.read_bytes()
        content_type = mimetypes.guess_type(file.name)[0] or ""
        with opened_store() as sessions, transaction(sessions) as session:
            attachment = attach_to_template(session, team, code, file.name, content, content_type, lang)
            language = f"language {lang.upper()}" if lang else "the template's default language"
    typer.echo(
        f"Attached {attachment.file_name} ({human_size(attachment.size)}) to template {code.upper()} "
        f"for {language}, as attachment {attachment.no}."
    )
    if attachment.content_type == DOCX:
        fields = fields_in(content)
        typer.echo(f"Merge fields: {', '.join(fields)}." if fields else "It has no merge fields.")
