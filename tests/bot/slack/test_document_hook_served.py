"""The document webhook as `crm serve` serves it (uvicorn, the body read whole before the app sees it),
over real HTTP: a signed body sent chunked is accepted; one cut short of its Content-Length records
nothing."""

import http.client
import json
import socket
import time
import urllib.parse

from sqlalchemy import func, select

from bot.hooks import sign
from store.enums import DocumentKind
from store.models import InteractionLogEntry
from store.templates import set_setup
from store.webhook_secrets import webhook_secret
from tests.conftest import Workspace
from tests.slack_requests import Slack


def signed(sessions, workspace: Workspace) -> tuple[bytes, dict[str, str]]:
    with sessions.begin() as s:
        set_setup(s, workspace.team, "U1", DocumentKind.SALES_INVOICE, "LETTER")
        secret = webhook_secret(s, workspace.team, "U1").secret
    document = {"team_id": workspace.team, "event_id": "e1", "document_type": "sales-invoice"}
    body = json.dumps(document | {"document_no": "INV-1", "contact": workspace.john}).encode()
    timestamp = str(int(time.time()))
    return body, {"X-CRM-Request-Timestamp": timestamp, "X-CRM-Signature": sign(secret, timestamp, body)}


def logged(sessions, team: str) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).where(InteractionLogEntry.team_id == team))


def test_a_signed_chunked_body_is_accepted(slack: Slack, sessions, workspace: Workspace) -> None:
    body, headers = signed(sessions, workspace)
    address = urllib.parse.urlsplit(slack.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    pieces = iter([body[:10], body[10:50], body[50:]])
    connection.request("POST", "/hooks/documents", body=pieces, headers=headers, encode_chunked=True)
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    assert response.status == 201, answer
    assert answer["entry_no"] == 1 and answer["contact_no"] == workspace.john


def test_a_body_cut_short_of_its_content_length_records_nothing(slack: Slack, sessions, workspace) -> None:
    body, headers = signed(sessions, workspace)
    address = urllib.parse.urlsplit(slack.url)
    head = "POST /hooks/documents HTTP/1.1\r\nHost: x\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in headers.items()
    )
    with socket.create_connection((address.hostname, address.port), timeout=10) as raw:
        raw.sendall(f"{head}Content-Length: {len(body) + 5}\r\n\r\n".encode() + body)
        raw.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := raw.recv(65536):
            received += chunk
    # The server drops a request whose client stopped sending; served otherwise, the webhook says 400.
    assert received == b"" or received.startswith(b"HTTP/1.1 400"), received
    assert logged(sessions, workspace.team) == 0
