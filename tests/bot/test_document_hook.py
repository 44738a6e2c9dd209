"""The document webhook over real HTTP: a threading WSGI server on a free local port, signed here with
CRM_WEBHOOK_SECRET (the fallback of a workspace with no secret of its own; see test_webhook_secrets.py)."""

import http.client
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.hooks import documents_app, serve, sign
from store.contacts import NewContact, add_contact
from store.enums import DocumentKind
from store.models import InteractionLogEntry, InteractionTemplateLanguage
from store.templates import set_setup

SECRET = "test-secret"


@pytest.fixture
def url(sessions) -> Iterator[str]:
    server = serve(documents_app(sessions, SECRET))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hooks/documents"
    server.shutdown()
    server.server_close()


@pytest.fixture
def setup(sessions, team, workspace):
    with sessions.begin() as s:
        set_setup(s, team, "U1", DocumentKind.SALES_INVOICE, "LETTER")
        set_setup(s, team, "U1", DocumentKind.SALES_QUOTE, "LETTER")
    return workspace


def post(url, payload, *, secret=SECRET, timestamp=None, signature=None, body=None, method="POST"):
    body = json.dumps(payload).encode() if body is None else body
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    headers = {"Content-Type": "application/json", "X-CRM-Request-Timestamp": timestamp}
    headers["X-CRM-Signature"] = signature or sign(secret, timestamp, body)
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def invoice(team, contact, event_id="evt-1", **fields):
    return {
        "team_id": team,
        "event_id": event_id,
        "document_type": "sales-invoice",
        "document_no": "INV-1001",
        "contact": contact,
    } | fields


def count_entries(sessions, team):
    with sessions() as s:
        query = select(func.count()).where(InteractionLogEntry.team_id == team)
        return s.scalar(query)


def test_a_signed_document_is_logged_once_however_often_it_is_delivered(url, sessions, team, setup):
    status, body = post(url, invoice(team, setup.john, date="2026-03-31", description="Invoice March"))
    assert status == 201
    assert body | {"time": "?"} == {
        "logged": True,
        "duplicate": False,
        "entry_no": 1,
        "contact_no": setup.john,
        "date": "2026-03-31",
        "time": "?",
        "description": "Invoice March",
        "template_code": "LETTER",
        "salesperson": "",
        "document_type": "sales-invoice",
        "document_no": "INV-1001",
        "version_no": 0,
        "doc_no_occurrence": 1,
    }
    status, again = post(url, invoice(team, setup.john))
    assert status == 200 and again["duplicate"] and not again["logged"]
    assert again["entry_no"] == 1 and again["description"] == "Invoice March"
    status, second = post(url, invoice(team, setup.john, "evt-2"))
    assert (status, second["entry_no"], second["doc_no_occurrence"]) == (201, 2, 2)
    assert count_entries(sessions, team) == 2


def test_simultaneous_retries_log_once(url, sessions, team, setup):
    start, answers = threading.Barrier(8), []

    def deliver():
        start.wait()
        answers.append(post(url, invoice(team, setup.john, "burst")))

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(status for status, _ in answers) == [200] * 7 + [201]
    assert {body["entry_no"] for _, body in answers} == {1}
    assert count_entries(sessions, team) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"signature": "v0=" + "0" * 64}, "signature does not match"),
        ({"secret": "another-secret"}, "signature does not match"),
        ({"timestamp": -301}, "more than five minutes off"),
        ({"timestamp": +400}, "more than five minutes off"),
        ({"timestamp": "yesterday"}, "Unix time"),
    ],
)
def test_badly_signed_or_stale_requests_are_refused(url, sessions, team, setup, change, message):
    if isinstance(change.get("timestamp"), int):  # seconds off now, as the request is sent
        change = {"timestamp": str(int(time.time()) + change["timestamp"])}
    status, body = post(url, invoice(team, setup.john), **change)
    assert status == 401 and message in body["error"]
    assert count_entries(sessions, team) == 0


def test_a_signature_with_characters_no_signature_has_is_refused(url, sessions, team, setup):
    status, body = raw_post(url, invoice(team, setup.john), signature="v0=é".encode("latin-1"))
    assert status == 401 and "signature does not match" in body["error"]


def test_a_negative_content_length_is_refused_at_once(url):
    status, body = raw_post(url, {}, content_length="-1", body=b"")
    assert status == 400 and "Content-Length" in body["error"]


def raw_post(url, payload, *, signature=None, content_length=None, body=None):
    """A POST with headers urllib would not send: any bytes as the signature, any Content-Length."""
    body = json.dumps(payload).encode() if body is None else body
    timestamp = str(int(time.time()))
    address = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.putrequest("POST", address.path)
        connection.putheader("X-CRM-Request-Timestamp", timestamp)
        connection.putheader("X-CRM-Signature", signature or sign(SECRET, timestamp, body))
        connection.putheader("Content-Length", content_length or str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_a_body_changed_after_signing_is_refused(url, team, setup):
    timestamp = str(int(time.time()))
    signed = json.dumps(invoice(team, setup.john)).encode()
    tampered = json.dumps(invoice(team, setup.jane)).encode()
    status, _ = post(url, None, body=tampered, timestamp=timestamp, signature=sign(SECRET, timestamp, signed))
    assert status == 401


def test_unsigned_requests_are_refused(url, team, setup):
    body = json.dumps(invoice(team, setup.john)).encode()
    request = urllib.request.Request(url, data=body, method="POST")
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=30)
    assert error.value.code == 401 and "headers are required" in json.loads(error.value.read())["error"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"document_type": "sales-invoic"}, "document_type", "'sales-invoic' is not a document kind"),
        ({"document_type": None}, "document_type", "required"),
        ({"event_id": ""}, "event_id", "required"),
        ({"team_id": None}, "team_id", "required"),
        ({"contact": ""}, "contact", "required"),
        ({"document_no": ["INV"]}, "document_no", "must be a string"),
        ({"date": "31/03/2026"}, "date", "YYYY-MM-DD"),
        ({"version_no": "2", "document_type": "sales-quote"}, "version_no", "whole number"),
        ({"version_no": 2}, "version_no", "only quotes and orders"),
        ({"preview": "yes"}, "preview", "true or false"),
        ({"description": "x" * 101}, "description", "at most 100 characters"),
        ({"event_id": "e" * 65}, "event_id", "at most 64 characters"),
        ({"team_id": "TNOBODY"}, "team_id", "no workspace TNOBODY uses this CRM"),
    ],
)
def test_bad_fields_get_400_naming_the_field(url, sessions, team, setup, fields, field, message):
    status, body = post(url, invoice(team, setup.john) | fields)
    assert status == 400 and body["field"] == field
    assert body["error"].startswith(f"{field}: ") and message in body["error"]
    assert count_entries(sessions, team) == 0


@pytest.mark.parametrize(("body", "message"), [(b"{not json", "not valid JSON"), (b"[1, 2]", "JSON object")])
def test_a_body_that_is_no_json_object_gets_400(url, body, message):
    status, answer = post(url, None, body=body)
    assert status == 400 and message in answer["error"]


def test_unknown_fields_are_ignored(url, team, setup):
    status, body = post(url, invoice(team, setup.john, customer_no="C1000", amount=12.5))
    assert status == 201 and body["entry_no"] == 1


def test_unknown_or_ambiguous_contacts_get_422(url, sessions, team, setup):
    status, body = post(url, invoice(team, "Nobody Known At All"))
    assert status == 422 and body["field"] == "contact" and "No contact matches" in body["error"]
    with sessions.begin() as s:
        add_contact(s, team, NewContact("Jane Doe", email="jane2@example.com"))
    status, body = post(url, invoice(team, "Jane Doe", "evt-2"))
    assert status == 422 and len(body["choices"]) == 2
    assert {choice["no"] for choice in body["choices"]} >= {setup.jane}
    assert count_entries(sessions, team) == 0


def test_without_a_template_set_up_nothing_is_logged(url, sessions, team, setup):
    status, body = post(url, invoice(team, setup.john, document_type="sales-reminder"))
    assert status == 200 and body["logged"] is False and body["status"] == "not-set-up"
    assert "No interaction template is set up for sales-reminder documents" in body["reason"]
    status, body = post(url, invoice(team, setup.john, "evt-9", preview=True))
    assert status == 200 and body["status"] == "preview"
    assert count_entries(sessions, team) == 0


def test_a_template_with_language_rows_gets_409(url, sessions, team, setup):
    with sessions.begin() as s:
        s.add(InteractionTemplateLanguage(team_id=team, template_code="LETTER", language_code="ES"))
    status, body = post(url, invoice(team, setup.john))
    assert status == 409 and "has language rows (ES)" in body["error"]


def test_only_posts_to_the_hook_are_answered(url, team, setup):
    assert post(url, invoice(team, setup.john), method="PUT")[0] == 405
    assert post(url.replace("/hooks/documents", "/elsewhere"), invoice(team, setup.john))[0] == 404
    assert post(url + "/", invoice(team, setup.john))[0] == 201
    status, body = post(url, None, body=b"x" * (1024 * 1024 + 1))
    assert status == 413 and "at most" in body["error"]
