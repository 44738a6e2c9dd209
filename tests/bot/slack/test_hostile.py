"""What anyone on the network can send without Slack's signature: slow or stalled clients, garbage, odd
signature headers. The bot keeps answering everyone else, refuses with 401, and logs one short line."""

import logging
import socket
import time
from typing import Any

import pytest
from a2wsgi import WSGIMiddleware
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.asgi import BufferedRequests
from tests.bot.slack.conftest import served
from tests.slack_requests import FORM, Slack, get, post, sign, slash_command


def raw_request(url: str, data: bytes, timeout: float = 5.0) -> bytes:
    """Send bytes as they are (headers a client library would refuse) and read the whole answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(data)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def crm_post(body: bytes, timestamp: bytes, signature: bytes) -> bytes:
    return (
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"X-Slack-Request-Timestamp: " + timestamp + b"\r\nX-Slack-Signature: " + signature + b"\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )


def test_slow_and_stalled_clients_do_not_hold_up_anyone_else(slack: Slack) -> None:
    host, port = slack.url.removeprefix("http://").split(":")
    stalled = []
    for n in range(24):
        connection = socket.create_connection((host, int(port)))
        if n % 2:  # headers that never end
            connection.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        else:  # a body that never comes
            connection.sendall(b"POST /hooks/documents HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{")
        stalled.append(connection)
    try:
        health = get(slack.url + "/healthz")
        assert health.status == 200 and health.elapsed < 1.0
        answer = slack.command("help")
        assert answer.status == 200 and answer.elapsed < 3.0 and "/crm entries" in answer.json()["text"]
    finally:
        for connection in stalled:
            connection.close()


def test_a_body_that_does_not_arrive_in_time_is_refused(slack: Slack) -> None:
    quick = BufferedRequests(WSGIMiddleware(slack.server.wsgi, workers=2), body_seconds=0.5)
    with served(quick) as url:
        started = time.monotonic()
        answer = raw_request(url, b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab")
        assert status_of(answer) == 408 and time.monotonic() - started < 3
        too_big = BufferedRequests(WSGIMiddleware(slack.server.wsgi, workers=2), max_body=10)
        with served(too_big) as small:
            assert status_of(raw_request(small, crm_post(b"x" * 100, b"1", b"v0=0"))) == 413


GARBAGE = [b"{", b"payload=%7Bnot", b"\xff\xfe\x00garbage", b"[" * 5000 + b"]" * 5000, b""]
HEADERS = [b"abc", b"1e9", b"", b"9" * 400, "ñ".encode(), b"-1"]


@pytest.mark.parametrize("body", GARBAGE)
@pytest.mark.parametrize("timestamp", HEADERS)
def test_unsigned_garbage_and_odd_signature_headers_get_401_and_one_short_line(
    slack: Slack, body: bytes, timestamp: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        answer = raw_request(slack.url, crm_post(body, timestamp, b"v0=" + "é".encode() * 3))
    assert status_of(answer) == 401
    assert not [r for r in caplog.records if r.exc_info], "no traceback"
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refused and all(len(line) < 200 for line in refused), "one short line, not the body"


def test_a_signature_for_other_bytes_is_refused(slack: Slack) -> None:
    body = slash_command(slack.team, "U1", "help", "http://127.0.0.1:1/r")
    headers = sign(body)
    answer = raw_request(
        slack.url,
        crm_post(
            (body + "&text=entries").encode(),
            headers["X-Slack-Request-Timestamp"].encode(),
            headers["X-Slack-Signature"].encode(),
        ),
    )
    assert status_of(answer) == 401


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.binary(max_size=300),
    timestamp=st.binary(max_size=20).filter(lambda b: b"\r" not in b and b"\n" not in b),
    signature=st.binary(max_size=80).filter(lambda b: b"\r" not in b and b"\n" not in b),
)
def test_no_unsigned_request_gets_anything_but_401(
    slack: Slack, body: bytes, timestamp: bytes, signature: bytes
) -> None:
    answer = raw_request(slack.url, crm_post(body, timestamp, signature))
    assert status_of(answer) in (400, 401)


def test_a_signed_request_still_gets_through(slack: Slack, **_: Any) -> None:
    body = slash_command(slack.team, "U1", "help", slack.fake.response_url())
    assert post(slack.url + "/slack/events", body, FORM).status == 200
