"""Automatic recording and mail merge throughput, on a temporary SQLite database.

    python bench/documents.py [--documents 400] [--contacts 1000]

Prints documents logged per second through the document webhook over real HTTP (signed requests to a
threading WSGI server on a local port; one sender, then 8 concurrent senders, each document a new event),
and merged Word documents per second when logging a segment with a .docx template with merge fields in
the body, a table, the header and the footer. Setup is not timed. Checks what was written before it
reports; takes well under a minute.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run as a script, bench/ comes first on the path, and bench/store.py would hide the store package.
sys.path[:] = [str(HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from io import BytesIO  # noqa: E402

import docx  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from bot.hooks import documents_app, serve, sign  # noqa: E402
from store.attachments import attach_to_template  # noqa: E402
from store.db import make_engine, session_factory  # noqa: E402
from store.enums import DocumentKind  # noqa: E402
from store.mailmerge import DOCX  # noqa: E402
from store.migrate import upgrade  # noqa: E402
from store.models import Attachment, Contact, InteractionLogEntry, SegmentLine  # noqa: E402
from store.segments import add_segment, log_segment  # noqa: E402
from store.templates import TemplateDefaults, add_group, add_template, set_setup  # noqa: E402
from store.workspaces import ensure_workspace  # noqa: E402

TEAM = "TBENCH"
SECRET = "bench-secret"
SENDERS = 8


def letter() -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "{{contact.company}} · ref. {{entry.no}}"
    document.sections[0].footer.paragraphs[0].text = "Your salesperson: {{entry.salesperson}}"
    greeting = document.add_paragraph("Dear ")
    greeting.add_run("{{contact.").bold = True
    greeting.add_run("name}},")
    document.add_paragraph("{{contact.address}}, {{contact.post_code}} {{contact.city}}, {{contact.country}}")
    for _ in range(20):
        document.add_paragraph("Thank you for your interest in our products. " * 6)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "E-mail", "{{contact.email}}"
    table.cell(1, 0).text, table.cell(1, 1).text = "Date", "{{entry.date}}"
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def prepare(sessions: sessionmaker[Session], contacts: int) -> None:
    with sessions.begin() as s:
        ensure_workspace(s, TEAM)
        add_group(s, TEAM, "DOCS", "Documents")
        add_template(s, TEAM, "INVOICE", "DOCS", TemplateDefaults("Invoice sent"))
        add_template(s, TEAM, "LETTER", "DOCS", TemplateDefaults("Autumn letter"))
        set_setup(s, TEAM, "bench", DocumentKind.SALES_INVOICE, "INVOICE")
        attach_to_template(s, TEAM, "LETTER", "autumn.docx", letter(), DOCX)
        rows = [
            {
                "team_id": TEAM,
                "no": f"CT{n:06d}",
                "type": "company",
                "name": f"Customer {n}",
                "search_name": f"customer {n}",
                "company_no": f"CT{n:06d}",
                "email": f"buyer{n}@example.com",
                "address": f"{n} Main Street",
                "city": "Seattle",
                "post_code": "98052",
                "country": "US",
                "salesperson": "SP-ANN",
            }
            for n in range(1, contacts + 1)
        ]
        s.execute(insert(Contact), rows)
        add_segment(s, TEAM, "AUTUMN", "Autumn letter")
        lines = [
            {"team_id": TEAM, "segment_no": "AUTUMN", "line_no": n * 10000, "contact_no": f"CT{n:06d}"}
            for n in range(1, contacts + 1)
        ]
        s.execute(insert(SegmentLine), lines)


def send(url: str, event_id: str, contact_no: str) -> int:
    body = json.dumps(
        {
            "team_id": TEAM,
            "event_id": event_id,
            "document_type": "sales-invoice",
            "document_no": f"INV-{event_id}",
            "contact": contact_no,
        }
    ).encode()
    timestamp = str(int(time.time()))
    headers = {"X-CRM-Request-Timestamp": timestamp, "X-CRM-Signature": sign(SECRET, timestamp, body)}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status


def webhook_rate(url: str, prefix: str, count: int, contacts: int, senders: int) -> float:
    events = [(f"{prefix}-{n}", f"CT{n % contacts + 1:06d}") for n in range(count)]
    started = time.perf_counter()
    with ThreadPoolExecutor(senders) as pool:
        statuses = list(pool.map(lambda event: send(url, *event), events))
    elapsed = time.perf_counter() - started
    if statuses != [201] * count:
        raise SystemExit(f"unexpected answers: {sorted(set(statuses))}")
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--documents", type=int, default=400, help="documents per webhook run")
    parser.add_argument("--contacts", type=int, default=1000, help="contacts on the merged segment")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        upgrade(engine)
        sessions = session_factory(engine)
        prepare(sessions, args.contacts)

        server = serve(documents_app(sessions, SECRET))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/hooks/documents"
        send(url, "warm-up", "CT000001")
        sequential = webhook_rate(url, "seq", args.documents, args.contacts, 1)
        concurrent = webhook_rate(url, "par", args.documents, args.contacts, SENDERS)
        server.shutdown()

        started = time.perf_counter()
        with sessions.begin() as s:
            logged = log_segment(s, TEAM, "bench", "AUTUMN", "LETTER")
        merge_seconds = time.perf_counter() - started

        with sessions() as s:
            documents = s.scalar(
                select(func.count(func.distinct(InteractionLogEntry.attachment_no))).where(
                    InteractionLogEntry.team_id == TEAM,
                    InteractionLogEntry.logged_segment_entry_no == logged.entry_no,
                )
            )
            sample = s.scalar(
                select(Attachment.content)
                .where(Attachment.team_id == TEAM)
                .order_by(Attachment.no.desc())
                .limit(1)
            )
            logged_documents = s.scalar(
                select(func.count()).where(
                    InteractionLogEntry.team_id == TEAM, InteractionLogEntry.document_no != ""
                )
            )
        engine.dispose()
    if documents != args.contacts or logged_documents != 2 * args.documents + 1:
        raise SystemExit(f"wrong result: {documents} merged documents, {logged_documents} logged documents")
    merged_text = "\n".join(p.text for p in docx.Document(BytesIO(sample)).paragraphs[:2])
    if f"Customer {args.contacts}" not in merged_text:
        raise SystemExit(f"the last merged document is not for the last contact: {merged_text!r}")

    rows = [
        ("Webhook, 1 sender", f"{sequential:6.0f} documents logged/s", f"{args.documents} documents"),
        (
            f"Webhook, {SENDERS} senders",
            f"{concurrent:6.0f} documents logged/s",
            f"{args.documents} documents",
        ),
        (
            "Segment mail merge",
            f"{args.contacts / merge_seconds:6.0f} merged documents/s",
            f"{args.contacts} contacts, {merge_seconds:.2f} s with writing the log entries",
        ),
    ]
    for name, rate, detail in rows:
        print(f"{name:<20} {rate:<30} ({detail})")


if __name__ == "__main__":
    main()
