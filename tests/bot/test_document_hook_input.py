"""What the document webhook makes of hostile or broken input, over real HTTP: bodies cut short or sent
chunked, odd signature headers, values no column can hold, and (property-based) any body at all. Every
refusal is a 4xx naming what is wrong, never a 5xx or a traceback, and changes nothing; the same on SQLite
and PostgreSQL."""

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.hooks import NO_MATCH, documents_app, serve, sign
from store.enums import DocumentKind
from store.models import InteractionLogEntry, ProcessedEvent
from store.templates import set_setup
from store.webhook_secrets import webhook_secret
from tests.conftest import Workspace

PATH = "/hooks/documents"
DIGITS = "<a number of 10,000 digits>"
"""Stands for one in a JSON body (Python itself would not write it: over 4,300 digits)."""


@pytest.fixture
def port(sessions) -> Iterator[int]:
    server = serve(documents_app(sessions))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port
    server.shutdown()
    server.server_close()


@pytest.fixture
def secret(sessions, workspace: Workspace) -> str:
    with sessions.begin() as s:
        set_setup(s, workspace.team, "U1", DocumentKind.SALES_INVOICE, "LETTER")
        set_setup(s, workspace.team, "U1", DocumentKind.SALES_QUOTE, "LETTER")
        return webhook_secret(s, workspace.team, "U1").secret


def exchange(port: int, head: bytes, body: bytes = b"", *, close: bool = False) -> tuple[int, dict]:
    """Send raw bytes on a loopback socket (`close`: then say no more is coming); the status and JSON."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(head + body)
        if close:
            connection.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    status_line, _, rest = received.partition(b"\r\n")
    return int(status_line.split()[1]), json.loads(rest.partition(b"\r\n\r\n")[2])


def signed_head(secret: str, body: bytes, *headers: str, timestamp: str | None = None) -> bytes:
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    lines = [
        f"POST {PATH} HTTP/1.1",
        "Host: 127.0.0.1",
        f"X-CRM-Request-Timestamp: {timestamp}",
        f"X-CRM-Signature: {sign(secret, timestamp, body)}",
        *headers,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()  # non-ASCII goes as UTF-8 bytes


def post(port: int, secret: str, body: bytes) -> tuple[int, dict]:
    return exchange(port, signed_head(secret, body, f"Content-Length: {len(body)}"), body)


def invoice(workspace: Workspace, **fields: object) -> dict[str, object]:
    return {
        "team_id": workspace.team,
        "event_id": "evt-1",
        "document_type": "sales-invoice",
        "document_no": "INV-1",
        "contact": workspace.john,
    } | fields


def state(sessions, team: str) -> tuple[int, int]:
    """Entries and recorded event ids of the workspace: what a refused request must leave alone."""
    with sessions() as s:
        entries = s.scalar(select(func.count()).where(InteractionLogEntry.team_id == team))
        events = s.scalar(select(func.count()).where(ProcessedEvent.team_id == team))
    return entries, events


def test_a_body_shorter_than_its_content_length_is_refused(port, sessions, workspace, secret):
    body = json.dumps(invoice(workspace)).encode()
    head = signed_head(secret, body, f"Content-Length: {len(body) + 10}")
    status, answer = exchange(port, head, body, close=True)
    assert status == 400 and f"has {len(body)} bytes of the {len(body) + 10}" in answer["error"]
    assert state(sessions, workspace.team) == (0, 0)


def test_a_chunked_body_to_a_server_that_cannot_decode_it_asks_for_a_length(port, workspace, secret):
    body = json.dumps(invoice(workspace)).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    status, answer = exchange(port, signed_head(secret, body, "Transfer-Encoding: chunked"), chunked)
    assert status == 411 and "Content-Length" in answer["error"]


@pytest.mark.parametrize("length", ["+5", "٥", "1_0", "0x10", "-1"])
def test_a_content_length_that_is_no_plain_number_is_refused(port, workspace, secret, length):
    status, answer = exchange(port, signed_head(secret, b"", f"Content-Length: {length}"))
    assert status == 400 and "Content-Length" in answer["error"]


@pytest.mark.parametrize("timestamp", ["abc", "1e9", "", "9" * 400, "١٧٠٠٠٠٠٠٠٠", " 12 3"])
def test_odd_timestamps_are_refused_with_401(port, sessions, workspace, secret, timestamp):
    body = json.dumps(invoice(workspace)).encode()
    head = signed_head(secret, body, f"Content-Length: {len(body)}", timestamp=timestamp)
    status, answer = exchange(port, head, body)
    assert status == 401 and "X-CRM-Request-Timestamp" in answer["error"]
    assert state(sessions, workspace.team) == (0, 0)


@pytest.mark.parametrize(
    "body", [b"{", b"payload=%7Bnot", b"\xff\xfe\x00garbage", b"[" * 100_000, b'{"team_id": "\\ud800"}']
)
def test_unsigned_garbage_is_refused_with_401(port, body):
    head = f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n"
    head += "X-CRM-Request-Timestamp: 1\r\nX-CRM-Signature: v0=00\r\n\r\n"
    status, _ = exchange(port, head.encode(), body)
    assert status == 401


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"contact": "John\x00Smith"}, "contact", "NUL"),
        ({"description": "Invoice\x00"}, "description", "NUL"),
        ({"document_no": "INV\x001"}, "document_no", "NUL"),
        ({"event_id": "\x00"}, "event_id", "NUL"),
        ({"salesperson": "\ud800"}, "salesperson", "lone surrogate"),
        ({"contact": "\udfff John"}, "contact", "lone surrogate"),
        ({"version_no": 2147483648, "document_type": "sales-quote"}, "version_no", "out of range"),
        ({"version_no": -(2**40), "document_type": "sales-quote"}, "version_no", "out of range"),
        ({"version_no": DIGITS, "document_type": "sales-quote"}, "version_no", "out of range"),
        ({"version_no": 1.5, "document_type": "sales-quote"}, "version_no", "whole number"),
        ({"document_no": DIGITS}, "document_no", "at most 40 characters"),
        ({"description": 10**30}, "description", "must be a string"),
        ({"contact": "x" * 251}, "contact", "at most 250 characters"),
        ({"team_id": "T\x00"}, "body", ""),  # refused as unsigned: no workspace is named so
    ],
)
def test_values_no_column_holds_get_400_naming_the_field(
    port, sessions, workspace, secret, fields, field, message
):
    body = json.dumps(invoice(workspace, **fields)).replace(f'"{DIGITS}"', "9" * 10_000).encode()
    status, answer = post(port, secret, body)
    if field == "body":
        assert (status, answer) == (401, {"error": NO_MATCH})
    else:
        assert status == 400 and answer["field"] == field, answer
        assert answer["error"].startswith(f"{field}: ") and message in answer["error"]
    assert state(sessions, workspace.team) == (0, 0)


def test_json_nested_too_deeply_to_read_is_refused(port, sessions, workspace, secret):
    nested = b"[" * 100_000 + b"]" * 100_000
    body = json.dumps(invoice(workspace)).encode()[:-1] + b', "x": ' + nested + b"}"
    assert post(port, secret, body) == (401, {"error": NO_MATCH})  # its team_id cannot be read either
    assert state(sessions, workspace.team) == (0, 0)


# --- any body at all ----------------------------------------------------------------------------------

HOSTILE_TEXT = st.sampled_from(["\x00", "\ud800", "a\udfffb", "", " ", "x" * 5000, "=cmd|' /C calc'!A0", "é"])
TEXT = st.one_of(HOSTILE_TEXT, st.text(st.characters(exclude_categories=()), max_size=60))
NUMBER = st.one_of(st.integers(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True))
SCALAR = st.one_of(st.none(), st.booleans(), NUMBER, TEXT)
VALUE = st.recursive(
    SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3)
)
KINDS = st.sampled_from(["sales-invoice", "sales-quote", "sales-reminder", "nonsense", ""])
FIELDS = ("event_id", "document_no", "contact", "date", "description", "salesperson", "version_no", "preview")
BOUNDED = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def documents(draw: st.DrawFn, team: str, contact: str) -> dict[str, object]:
    """Mostly well-formed documents of the workspace, each field now and then replaced by anything."""
    document: dict[str, object] = {
        "team_id": team,
        "event_id": draw(st.uuids()).hex,
        "document_type": draw(KINDS),
        "document_no": "INV-1",
        "contact": contact,
    }
    for field in FIELDS:
        if draw(st.booleans()):
            document[field] = draw(VALUE)
    if draw(st.integers(0, 9)) == 0:
        document["team_id"] = draw(VALUE)
    return document


@pytest.fixture
def quiet(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]):
    """After the test: nothing was logged with a traceback, and nothing printed one."""
    caplog.set_level(logging.INFO)
    yield
    assert not [record for record in caplog.records if record.exc_info], caplog.text
    assert "Traceback" not in caplog.text and "Traceback" not in capsys.readouterr().err


@BOUNDED
@given(data=st.data())
def test_any_signed_body_gets_an_answer_below_500_and_a_refusal_changes_nothing(
    port,
    sessions,
    workspace: Workspace,
    secret,
    quiet,
    data,
):
    document = data.draw(documents(workspace.team, workspace.john))
    body = json.dumps(document).encode()
    before = state(sessions, workspace.team)
    status, answer = post(port, secret, body)
    assert status < 500, answer
    assert "Traceback" not in json.dumps(answer)
    if status >= 400:
        assert state(sessions, workspace.team) == before, answer
    if status == 400 and "field" in answer:
        assert answer["error"].startswith(f"{answer['field']}: ")


@BOUNDED
@given(body=st.binary(max_size=2000), signature=st.binary(max_size=80), timestamp=st.binary(max_size=20))
def test_any_unsigned_bytes_are_refused_with_401(
    port,
    sessions,
    workspace: Workspace,
    quiet,
    body,
    signature,
    timestamp,
):
    safe = lambda raw: raw.replace(b"\r", b"").replace(b"\n", b"")  # noqa: E731  (one header line each)
    head = b"POST /hooks/documents HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n" % len(body)
    head += b"X-CRM-Request-Timestamp: " + safe(timestamp) + b"\r\nX-CRM-Signature: " + safe(signature)
    before = state(sessions, workspace.team)
    status, _ = exchange(port, head + b"\r\n\r\n", body)
    assert status == 401
    assert state(sessions, workspace.team) == before
