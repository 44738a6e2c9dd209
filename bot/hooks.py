"""`POST /hooks/documents`: business documents printed or sent elsewhere (an ERP, an invoicing tool) log
their interaction here. A WSGI app; bot/server.py mounts it, or run it alone with
`python -m bot.hooks` (DATABASE_URL, PORT, optionally CRM_WEBHOOK_SECRET).

Requests are signed as Slack signs its own: X-CRM-Request-Timestamp holds the Unix time, and
X-CRM-Signature is "v0=" + hex HMAC-SHA256 of "v0:<timestamp>:<body>" under the secret of the workspace
the body's team_id names (`/crm webhook secret`, `crm webhook rotate`; a replaced secret is accepted for
24 hours more). CRM_WEBHOOK_SECRET, when set, is accepted for a workspace that has no secret of its own:
the single-workspace setup of earlier releases. A timestamp more than five minutes off, a wrong signature,
or a workspace that is unknown or has no secret get 401, all alike.

The body is a JSON object: team_id, event_id, document_type (kebab-case, such as sales-invoice),
document_no, contact (number, e-mail or name), and optionally date (YYYY-MM-DD), description, salesperson,
version_no (quotes and orders) and preview (true logs nothing). Other fields are ignored. It comes with a
Content-Length, or chunked to a server that reads it whole first (`crm serve`) or marks its end
(wsgi.input_terminated). Answers, all JSON:

- 201 the entry logged: {"logged": true, "duplicate": false, "entry_no": ..., "document_type": ...,
  "document_no": ..., "version_no": ..., "doc_no_occurrence": ..., ...}
- 200 the same for an event id seen before, with "logged": false, "duplicate": true
- 200 {"logged": false, "reason": ...} when no template is set up for the kind, or for a preview
- 400 {"error": "<field>: ...", "field": ...} for a malformed body or field, or a body shorter than its
  Content-Length
- 401 bad or stale signature; 405 not a POST; 411 chunked to a server that cannot decode it; 413 body
  over 1 MB
- 409 {"error": ...} the template set up for the kind has language rows
- 422 {"error": ..., "field": "contact"} unknown contact, with "choices" when the name is ambiguous
"""

import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session, sessionmaker

from bot.hook_fields import claimed_team, decode_document, parse_document
from store.db import reading
from store.documents import InvalidField, RecordResult, RecordStatus, record_document
from store.errors import Ambiguous, Conflict, DomainError, NotFound
from store.models import InteractionLogEntry
from store.webhook_secrets import signing_secrets

MAX_BODY = 1024 * 1024
MAX_SKEW = 5 * 60
HOOK_USER = "document-hook"
PATHS = {"", "/hooks/documents"}
"""Mounted, the app sees its own path (/hooks/documents) or none; trailing slashes do not matter."""
NO_MATCH = "The signature does not match the body."
"""Also the answer for a workspace that is unknown or has no secret: a sender learns nothing of which."""

log = logging.getLogger(__name__)
StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
Answer = tuple[int, dict[str, Any]]
STATUS = {200: "200 OK", 201: "201 Created", 400: "400 Bad Request", 401: "401 Unauthorized"}
STATUS |= {
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    409: "409 Conflict",
    411: "411 Length Required",
}
STATUS |= {413: "413 Payload Too Large", 422: "422 Unprocessable Content", 500: "500 Internal Server Error"}


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-CRM-Signature value for a body sent at `timestamp` (Unix seconds, as text)."""
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return "v0=" + digest.hexdigest()


def documents_app(sessions: sessionmaker[Session], fallback_secret: str = "") -> WsgiApp:
    """`fallback_secret` (CRM_WEBHOOK_SECRET) signs for workspaces that have no secret of their own."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        status, body = _handle(environ, sessions, fallback_secret)
        if status in (400, 401, 411, 413):
            log.info("document webhook refused a request: %s %s", status, str(body.get("error"))[:120])
        payload = json.dumps(body).encode()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        if status == 405:
            headers.append(("Allow", "POST"))
        start_response(STATUS[status], headers)
        return [payload]

    return app


def _handle(environ: dict[str, Any], sessions: sessionmaker[Session], fallback: str) -> Answer:
    if environ.get("PATH_INFO", "").rstrip("/") not in PATHS:
        return 404, {"error": "Not found: documents are posted to /hooks/documents."}
    if environ.get("REQUEST_METHOD") != "POST":
        return 405, {"error": "Post documents to this address."}
    body = _read_body(environ)
    if isinstance(body, tuple):
        return body
    try:
        return _record(environ, body, sessions, fallback)
    except InvalidField as error:
        return 400, {"error": error.message, "field": error.field}
    except Ambiguous as error:
        choices = [{"no": no, "label": label} for no, label in error.choices]
        return 422, {"error": error.message, "field": "contact", "choices": choices}
    except NotFound as error:
        return 422, {"error": error.message, "field": "contact"}
    except Conflict as error:
        return 409, {"error": error.message}
    except DomainError as error:
        return 400, {"error": error.message}
    except DataError as error:  # a value the checks let through: sending it again will not help
        log.warning("document webhook: the database refused a value: %s", str(error.orig).splitlines()[0])
        return 400, {"error": "The database refused a value of this document; nothing was recorded."}
    except Exception:
        log.exception("document webhook failed")
        return 500, {"error": "The document could not be recorded; try again later."}


def _record(
    environ: Mapping[str, Any], body: bytes, sessions: sessionmaker[Session], fallback: str
) -> Answer:
    problem = _header_problem(environ)
    if problem:
        return 401, {"error": problem}
    try:
        data: object = decode_document(body)
        refusal = None
    except InvalidField as error:
        data, refusal = None, error
    team_id = claimed_team(data)
    if not _signed(environ, body, _secrets(sessions, team_id, fallback)):
        return 401, {"error": NO_MATCH}
    if refusal is not None:
        raise refusal
    team_id, doc = parse_document(data)
    with sessions.begin() as session:
        return _answer(record_document(session, team_id, doc, user_id=HOOK_USER))


def _read_body(environ: Mapping[str, Any]) -> bytes | Answer:
    """The whole body, or the answer refusing it. Without a Content-Length the body is read to its end
    only from a server that marks where it ends (wsgi.input_terminated: gunicorn decodes a chunked body
    so); from any other, reading on would wait for a client that may never close."""
    stream = environ["wsgi.input"]
    declared = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not declared:
        if environ.get("wsgi.input_terminated"):
            return _read_to_end(stream)
        if "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower():
            return 411, {"error": "Send the body with a Content-Length: this server cannot read it chunked."}
        return b""
    if not (declared.isascii() and declared.isdigit()):
        # int() would take "+5" or "٥"; and reading a negative length waits for the client to close
        return 400, {"error": "Content-Length must be the size of the body in bytes."}
    length = int(declared)
    if length > MAX_BODY:
        _discard(stream, length)
        return 413, {"error": f"The body can have at most {MAX_BODY} bytes."}
    body = stream.read(length) if length else b""
    if len(body) < length:
        return 400, {
            "error": f"The body has {len(body)} bytes of the {length} its Content-Length announced; "
            "nothing was recorded. Send it again whole."
        }
    return body


def _read_to_end(stream: Any) -> bytes | Answer:
    parts, size = [], 0
    while chunk := stream.read(65536):
        parts.append(chunk)
        size += len(chunk)
        if size > MAX_BODY:
            _discard(stream, 16 * MAX_BODY)
            return 413, {"error": f"The body can have at most {MAX_BODY} bytes."}
    return b"".join(parts)


def _discard(stream: Any, length: int) -> None:
    """Read a refused body (within reason) so that closing the connection does not reset it before the
    client has read the answer."""
    left = min(length, 16 * MAX_BODY)
    while left > 0 and (chunk := stream.read(min(left, 65536))):
        left -= len(chunk)


def _header_problem(environ: Mapping[str, Any]) -> str:
    timestamp = str(environ.get("HTTP_X_CRM_REQUEST_TIMESTAMP", "")).strip()
    signature = environ.get("HTTP_X_CRM_SIGNATURE", "")
    if not timestamp or not signature:
        return "Sign the request: X-CRM-Request-Timestamp and X-CRM-Signature headers are required."
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return "X-CRM-Request-Timestamp must be Unix time in seconds."
    if abs(time.time() - int(timestamp)) > MAX_SKEW:
        return "The request timestamp is more than five minutes off; sign it again with the current time."
    return ""


def _secrets(sessions: sessionmaker[Session], team_id: str, fallback: str) -> list[str]:
    """The secrets the named workspace signs with; the fallback only for one that has none of its own."""
    own: list[str] = []
    if team_id:
        with reading(sessions) as session:
            own = signing_secrets(session, team_id)
    return own or ([fallback] if fallback else [])


def _signed(environ: Mapping[str, Any], body: bytes, candidates: list[str]) -> bool:
    timestamp = str(environ.get("HTTP_X_CRM_REQUEST_TIMESTAMP", "")).strip()
    # As bytes: compare_digest refuses text with non-ASCII characters, which a header can hold.
    given = str(environ.get("HTTP_X_CRM_SIGNATURE", "")).encode("latin-1", "replace")
    matched = False
    # Without a secret, one made up now is compared anyway, so the answer takes as long.
    for secret in candidates or [secrets.token_hex(16)]:
        matched |= hmac.compare_digest(sign(secret, timestamp, body).encode(), given)
    return matched and bool(candidates)


def _answer(result: RecordResult) -> tuple[int, dict]:
    if result.logged and result.entry is not None:
        return 201, {"logged": True, "duplicate": False, **entry_json(result.entry)}
    answer = {"logged": False, "duplicate": result.status is RecordStatus.DUPLICATE}
    answer |= {"status": result.status.value, "reason": result.reason}
    return 200, answer | (entry_json(result.entry) if result.entry is not None else {})


def entry_json(entry: InteractionLogEntry) -> dict[str, Any]:
    return {
        "entry_no": entry.entry_no,
        "contact_no": entry.contact_no,
        "date": entry.date.isoformat(),
        "time": entry.time_of_interaction.strftime("%H:%M"),
        "description": entry.description,
        "template_code": entry.template_code,
        "salesperson": entry.salesperson,
        "document_type": entry.document_type,
        "document_no": entry.document_no,
        "version_no": entry.version_no,
        "doc_no_occurrence": entry.doc_no_occurrence,
    }


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug(format, *args)


def serve(app: WsgiApp, host: str = "127.0.0.1", port: int = 0) -> WSGIServer:
    """A threading server for the app (port 0 picks a free port: see server.server_port). Call
    serve_forever(), in a thread if need be."""
    return make_server(host, port, app, server_class=ThreadingServer, handler_class=QuietHandler)


def main() -> None:
    from bot.cli_admin import open_store

    secret = os.environ.get("CRM_WEBHOOK_SECRET", "")
    server = serve(documents_app(open_store(), secret), "0.0.0.0", int(os.environ.get("PORT", "8080")))
    print(f"Document webhook listening on port {server.server_port}")
    server.serve_forever()


if __name__ == "__main__":
    main()
