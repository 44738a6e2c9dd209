"""The document webhook as `crm serve` (gunicorn) serves it, over real HTTP: a signed body sent chunked
is decoded by the server and accepted; one cut short of its Content-Length is refused."""

import http.client
import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from bot.hooks import sign
from store.enums import DocumentKind
from store.templates import set_setup
from store.webhook_secrets import webhook_secret
from tests.bot.slack.test_server import CRM, ROOT, _free_port
from tests.conftest import Workspace
from tests.fake_slack import FakeSlack
from tests.slack_requests import SECRET, get


@pytest.fixture
def served(fake_slack: FakeSlack, database_url: str) -> Iterator[int]:
    """`crm serve` on the test database; its port."""
    port = _free_port()
    env = os.environ | {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake_slack.base_url.rstrip("/"),
        "DATABASE_URL": database_url,
    }
    env.pop("CRM_WEBHOOK_SECRET", None)
    command = [*CRM, "serve", "--port", str(port), "--host", "127.0.0.1", "--workers", "1", "--threads", "2"]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if get(f"http://127.0.0.1:{port}/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode()
    assert "Traceback" not in output, output


def test_a_signed_chunked_body_is_accepted_and_a_short_one_refused(served, sessions, workspace: Workspace):
    with sessions.begin() as s:
        set_setup(s, workspace.team, "U1", DocumentKind.SALES_INVOICE, "LETTER")
        secret = webhook_secret(s, workspace.team, "U1").secret
    document = {"team_id": workspace.team, "event_id": "e1", "document_type": "sales-invoice"}
    body = json.dumps(document | {"document_no": "INV-1", "contact": workspace.john}).encode()
    timestamp = str(int(time.time()))
    headers = {"X-CRM-Request-Timestamp": timestamp, "X-CRM-Signature": sign(secret, timestamp, body)}

    connection = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    pieces = iter([body[:10], body[10:50], body[50:]])
    connection.request("POST", "/hooks/documents", body=pieces, headers=headers, encode_chunked=True)
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    assert response.status == 201, answer
    assert answer["entry_no"] == 1 and answer["contact_no"] == workspace.john

    head = "POST /hooks/documents HTTP/1.1\r\nHost: x\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in headers.items()
    )
    with socket.create_connection(("127.0.0.1", served), timeout=10) as raw:
        raw.sendall(f"{head}Content-Length: {len(body) + 5}\r\n\r\n".encode() + body)
        raw.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := raw.recv(65536):
            received += chunk
    assert received.startswith(b"HTTP/1.1 400"), received
    assert b"Content-Length announced" in received
