import json
import threading
import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from store.contacts import NewContact, add_contact, change_contact
from store.documents import DocumentEvent, InvalidField, RecordStatus, record_document
from store.enums import DocumentKind
from store.errors import Ambiguous, Conflict, NotFound
from store.models import InteractionLogEntry, InteractionTemplateLanguage, ProcessedEvent
from store.templates import TemplateDefaults, add_group, add_template, set_setup

NOW = datetime(2026, 3, 2, 9, 30, 15, tzinfo=UTC)
INVOICE = DocumentKind.SALES_INVOICE
QUOTE = DocumentKind.SALES_QUOTE


@pytest.fixture
def setup(sessions, team, workspace):
    """Invoices and quotes are logged with the LETTER template; nothing is set up for reminders."""
    with sessions.begin() as s:
        set_setup(s, team, "U1", INVOICE, "LETTER")
        set_setup(s, team, "U1", QUOTE, "LETTER")
    return workspace


def invoice(contact, event_id="evt-1", **fields):
    return DocumentEvent(
        event_id, fields.pop("kind", INVOICE), fields.pop("no", "INV-1001"), contact, **fields
    )


def entries(session, team):
    query = select(InteractionLogEntry).where(InteractionLogEntry.team_id == team)
    return list(session.scalars(query.order_by(InteractionLogEntry.entry_no)))


def test_a_sent_invoice_is_logged_with_the_template_set_up_for_invoices(session, team, setup):
    result = record_document(session, team, invoice(setup.john), user_id="erp", now=NOW)
    assert result.status is RecordStatus.LOGGED and result.logged
    entry = result.entry
    assert (entry.document_type, entry.document_no, entry.version_no, entry.doc_no_occurrence) == (
        "sales-invoice",
        "INV-1001",
        0,
        1,
    )
    assert (entry.template_code, entry.group_code, entry.description, entry.subject) == (
        "LETTER",
        "LETTERS",
        "Letter",
        "Letter",
    )
    assert (entry.cost, entry.duration, entry.date, entry.time_of_interaction) == (
        Decimal("1.20"),
        5,
        NOW.date(),
        time(9, 31),
    )
    assert (entry.postponed, entry.canceled, entry.delivery_status, entry.user_id) == (
        False,
        False,
        "",
        "erp",
    )
    assert entry.salesperson == "" and entry.contact_company_no == setup.adatum


def test_without_a_template_set_up_nothing_is_logged_and_that_is_no_error(session, team, setup):
    result = record_document(session, team, invoice(setup.john, kind=DocumentKind.SALES_REMINDER))
    assert result.status is RecordStatus.NOT_SET_UP and result.entry is None
    assert "No interaction template is set up for sales-reminder documents" in result.reason
    assert entries(session, team) == [] and session.get(ProcessedEvent, ("document", f"{team}:evt-1")) is None


def test_given_date_description_and_salesperson_win_over_the_defaults(session, team, setup):
    change_contact(session, team, setup.john, salesperson="SP-ANN")
    assert record_document(session, team, invoice(setup.john)).entry.salesperson == "SP-ANN"
    given = invoice(
        setup.john, "evt-2", date=date(2025, 12, 31), description="Invoice December", salesperson="BOB"
    )
    entry = record_document(session, team, given).entry
    assert (entry.date, entry.description, entry.salesperson) == (
        date(2025, 12, 31),
        "Invoice December",
        "BOB",
    )


def test_a_repeated_event_logs_once_and_answers_with_the_first_entry(session, team, setup):
    first = record_document(session, team, invoice(setup.john)).entry
    again = record_document(session, team, invoice(setup.john))
    assert again.status is RecordStatus.DUPLICATE and again.entry.entry_no == first.entry_no
    assert len(entries(session, team)) == 1


def test_event_ids_are_the_senders_so_each_workspace_has_its_own(sessions, session, team, setup):
    other = "T" + uuid.uuid4().hex[:12].upper()
    with sessions.begin() as s:
        add_group(s, other, "DOCS", "Documents")
        add_template(s, other, "INVOICE", "DOCS", TemplateDefaults("Invoice"))
        set_setup(s, other, "U1", INVOICE, "INVOICE")
        customer = add_contact(s, other, NewContact("Northwind")).no
    assert record_document(session, team, invoice(setup.john)).logged
    assert record_document(session, other, invoice(customer)).logged


def test_each_new_event_for_a_document_counts_its_occurrence(session, team, setup):
    quotes = [
        record_document(session, team, invoice(setup.john, f"q{n}", kind=QUOTE, no="Q-7", version_no=n)).entry
        for n in (1, 2, 3)
    ]
    assert [(e.version_no, e.doc_no_occurrence) for e in quotes] == [(1, 1), (2, 2), (3, 3)]
    other = record_document(session, team, invoice(setup.john, "i1", no="Q-7")).entry
    assert other.doc_no_occurrence == 1  # an invoice numbered like the quote is another document


def test_only_quotes_and_orders_have_versions(session, team, setup):
    with pytest.raises(InvalidField, match="version_no: only quotes and orders have versions") as error:
        record_document(session, team, invoice(setup.john, version_no=2))
    assert error.value.field == "version_no"
    assert record_document(session, team, invoice(setup.john, version_no=0)).logged


def test_a_template_with_language_rows_cannot_log_documents(session, team, setup):
    session.add(InteractionTemplateLanguage(team_id=team, template_code="LETTER", language_code="ES"))
    session.flush()
    with pytest.raises(
        Conflict, match=r"Template LETTER logs sales-invoice documents but has language rows \(ES\)"
    ):
        record_document(session, team, invoice(setup.john))


def test_the_contact_is_found_by_number_email_or_name(session, team, setup):
    assert record_document(session, team, invoice("john@adatum.example", "a")).entry.contact_no == setup.john
    assert record_document(session, team, invoice("jane doe", "b")).entry.contact_no == setup.jane
    add_contact(session, team, NewContact("Jane Doe", email="other.jane@example.com"))
    with pytest.raises(Ambiguous):
        record_document(session, team, invoice("Jane Doe", "c"))
    with pytest.raises(NotFound, match="No contact matches"):
        record_document(session, team, invoice("Nobody Known At All", "d"))


def test_a_failed_event_can_be_delivered_again_once_fixed(sessions, team, setup):
    with pytest.raises(NotFound), sessions.begin() as s:
        record_document(s, team, invoice("Contoso Pharmaceuticals"))
    with sessions.begin() as s:
        add_contact(s, team, NewContact("Contoso Pharmaceuticals"))
    with sessions.begin() as s:
        assert record_document(s, team, invoice("Contoso Pharmaceuticals")).logged


def test_a_preview_logs_nothing(session, team, setup):
    result = record_document(session, team, invoice(setup.john, preview=True))
    assert result.status is RecordStatus.PREVIEW and entries(session, team) == []
    assert record_document(session, team, invoice(setup.john)).logged


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"no": ""}, "document_no"),
        ({"no": "N" * 41}, "document_no"),
        ({"description": "d" * 101}, "description"),
        ({"salesperson": "s" * 51}, "salesperson"),
        ({"version_no": -1, "kind": QUOTE}, "version_no"),
    ],
)
def test_bad_fields_are_named(session, team, setup, fields, field):
    with pytest.raises(InvalidField) as error:
        record_document(session, team, invoice(setup.john, **fields))
    assert error.value.field == field and error.value.message.startswith(f"{field}: ")


def test_concurrent_copies_of_one_event_log_once(sessions, team, setup):
    start, results, failures = threading.Barrier(6), [], []

    def deliver():
        start.wait()
        try:
            with sessions.begin() as s:
                result = record_document(s, team, invoice(setup.john, "same-event"))
                results.append((result.status, result.entry.entry_no))
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(status for status, _ in results) == ["duplicate"] * 5 + ["logged"]
    assert len({entry_no for _, entry_no in results}) == 1
    with sessions() as s:
        assert len(entries(s, team)) == 1


def run(*args, stdin=None):
    return CliRunner().invoke(app, ["record-document", *args], input=stdin)


def test_crm_record_document(workdir, team, setup):
    args = ["--kind", "sales-invoice", "--no", "INV-1001", "--contact", setup.john, "--team", team]
    result = run(*args, "--event-id", "e1", "--description", "Invoice March", "--date", "2026-03-31")
    assert result.exit_code == 0, result.output
    assert (
        f"Logged entry 1: sales-invoice INV-1001 for {setup.john}, occurrence 1, template LETTER."
        in result.output
    )
    assert "Recorded already as entry 1" in run(*args, "--event-id", "e1").output
    quote = [
        "--kind",
        "sales-quote",
        "--no",
        "Q-1",
        "--contact",
        "jane doe",
        "--version",
        "3",
        "--team",
        team,
    ]
    assert "Logged entry 2: sales-quote Q-1 for" in run(*quote).output and "version 3" in run(*quote).output
    reminder = run("--kind", "sales-reminder", "--no", "R-1", "--contact", setup.john, "--team", team)
    assert reminder.exit_code == 0 and "nothing was logged" in reminder.output
    unknown = run("--kind", "sales-invoice", "--no", "X", "--contact", "Nobody Known At All", "--team", team)
    assert unknown.exit_code == 1 and "No contact matches" in unknown.output
    assert run("--no", "X", "--team", team).exit_code == 2
    wrong_kind = run("--kind", "invoice", "--no", "X", "--contact", setup.john, "--team", team)
    assert wrong_kind.exit_code == 2 and "invoice is not a document kind. Kinds: emails," in wrong_kind.output


def test_crm_record_document_batch(workdir, sessions, team, setup):
    lines = [
        {"event_id": "b1", "document_type": "sales-invoice", "document_no": 1001, "contact": setup.john},
        {
            "event_id": "b2",
            "document_type": "sales-quote",
            "document_no": "Q-9",
            "contact": "Jane Doe",
            "x": 1,
        },
        {"event_id": "b1", "document_type": "sales-invoice", "document_no": 1001, "contact": setup.john},
        {"event_id": "b3", "document_type": "sales-reminder", "document_no": "R-1", "contact": setup.john},
        "not json",
        {"event_id": "b4", "document_type": "sales-invoic", "document_no": "I-2", "contact": setup.john},
        {
            "event_id": "b5",
            "document_type": "sales-invoice",
            "document_no": "I-3",
            "contact": "Nobody At All",
        },
        {"document_type": "sales-invoice", "document_no": "I-4", "contact": setup.jane, "date": "2026-01-05"},
    ]
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n\n"
    (workdir / "export.jsonl").write_text(text)
    result = run("--batch", "export.jsonl", "--team", team)
    assert result.exit_code == 1
    assert "export.jsonl: 3 logged, 1 duplicates, 1 skipped (no template set up, or previews), 3 errors." in (
        result.output
    )
    assert "line 5: not valid JSON." in result.output
    assert "line 6: document_type: 'sales-invoic' is not a document kind" in result.output
    assert "line 7: contact: No contact matches" in result.output
    with sessions() as s:
        written = entries(s, team)
    assert [(e.document_no, e.date == date(2026, 1, 5)) for e in written] == [
        ("1001", False),
        ("Q-9", False),
        ("I-4", True),
    ]

    again = run("--batch", "-", "--team", team, stdin=json.dumps(lines[0]) + "\n")
    assert again.exit_code == 0 and "stdin: 0 logged, 1 duplicates" in again.output
