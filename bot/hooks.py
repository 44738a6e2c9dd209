"""`POST /hooks/documents`: business documents printed or sent elsewhere (an ERP, an invoicing tool) log
their interaction here. A WSGI app; bot/server.py mounts it, or run it alone with
`python -m bot.hooks` (DATABASE_URL, CRM_WEBHOOK_SECRET, PORT).

Requests are signed as Slack signs its own: X-CRM-Request-Timestamp holds the Unix time, and
X-CRM-Signature is "v0=" + hex HMAC-SHA256 of "v0:<timestamp>:<body>" under CRM_WEBHOOK_SECRET.
A timestamp more than five minutes off, or a wrong signature, gets 401.

The body is a JSON object: team_id, event_id, document_type (kebab-case, such as sales-invoice),
document_no, contact (number, e-mail or name), and optionally date (YYYY-MM-DD), description, salesperson,
version_no (quotes and orders) and preview (true logs nothing). Other fields are ignored. Answers, all JSON:

- 201 the entry logged: {"logged": true, "duplicate": false, "entry_no": ..., "document_type": ...,
  "document_no": ..., "version_no": ..., "doc_no_occurrence": ..., ...}
- 200 the same for an event id seen before, with "logged": false, "duplicate": true
- 200 {"logged": false, "reason": ...} when no template is set up for the kind, or for a preview
- 400 {"error": "<field>: ...", "field": ...} for a malformed body or field
- 401 bad or stale signature; 405 not a POST; 413 body over 1 MB
- 409 {"error": ...} the template set up for the kind has language rows
- 422 {"error": ..., "field": "contact"} unknown contact, with "choices" when the name is ambiguous
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from sqlalchemy.orm import Session, sessionmaker

from commands import inputs
from store.documents import DocumentEvent, InvalidField, RecordResult, RecordStatus, record_document
from store.enums import DocumentKind
from store.errors import Ambiguous, Conflict, DomainError, NotFound
from store.models import InteractionLogEntry

MAX_BODY = 1024 * 1024
MAX_SKEW = 5 * 60
HOOK_USER = "document-hook"
PATHS = {"", "/hooks/documents"}
"""Mounted, the app sees its own path (/hooks/documents) or none; trailing slashes do not matter."""

log = logging.getLogger(__name__)
StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
STATUS = {200: "200 OK", 201: "201 Created", 400: "400 Bad Request", 401: "401 Unauthorized"}
STATUS |= {404: "404 Not Found", 405: "405 Method Not Allowed", 409: "409 Conflict"}
STATUS |= {413: "413 Payload Too Large", 422: "422 Unprocessable Content", 500: "500 Internal Server Error"}


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-CRM-Signature value for a body sent at `timestamp` (Unix seconds, as text)."""
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return "v0=" + digest.hexdigest()


def documents_app(sessions: sessionmaker[Session], secret: str) -> WsgiApp:
    if not secret:
        raise ValueError("The document webhook needs a secret (CRM_WEBHOOK_SECRET) to check signatures.")

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        status, body = _handle(environ, sessions, secret)
        payload = json.dumps(body).encode()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        if status == 405:
            headers.append(("Allow", "POST"))
        start_response(STATUS[status], headers)
        return [payload]

    return app


def _handle(environ: dict[str, Any], sessions: sessionmaker[Session], secret: str) -> tuple[int, dict]:
    if environ.get("PATH_INFO", "").rstrip("/") not in PATHS:
        return 404, {"error": "Not found: documents are posted to /hooks/documents."}
    if environ.get("REQUEST_METHOD") != "POST":
        return 405, {"error": "Post documents to this address."}
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if length < 0:  # reading a negative length would wait for the client to close the connection
        return 400, {"error": "Content-Length must be the size of the body in bytes."}
    if length > MAX_BODY:
        _discard(environ["wsgi.input"], length)
        return 413, {"error": f"The body can have at most {MAX_BODY} bytes."}
    body = environ["wsgi.input"].read(length) if length else b""
    problem = _signature_problem(environ, body, secret)
    if problem:
        return 401, {"error": problem}
    try:
        data = json.loads(body)
    except ValueError:
        return 400, {"error": "body: not valid JSON.", "field": "body"}
    try:
        team_id, doc = parse_document(data)
        with sessions.begin() as session:
            result = record_document(session, team_id, doc, user_id=HOOK_USER)
            return _answer(result)
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
    except Exception:
        log.exception("document webhook failed")
        return 500, {"error": "The document could not be recorded; try again later."}


def _discard(stream: Any, length: int) -> None:
    """Read a refused body (within reason) so that closing the connection does not reset it before the
    client has read the answer."""
    left = min(length, 16 * MAX_BODY)
    while left > 0 and (chunk := stream.read(min(left, 65536))):
        left -= len(chunk)


def _signature_problem(environ: Mapping[str, Any], body: bytes, secret: str) -> str:
    timestamp = environ.get("HTTP_X_CRM_REQUEST_TIMESTAMP", "")
    signature = environ.get("HTTP_X_CRM_SIGNATURE", "")
    if not timestamp or not signature:
        return "Sign the request: X-CRM-Request-Timestamp and X-CRM-Signature headers are required."
    try:
        stale = abs(time.time() - int(timestamp)) > MAX_SKEW
    except ValueError:
        return "X-CRM-Request-Timestamp must be Unix time in seconds."
    if stale:
        return "The request timestamp is more than five minutes off; sign it again with the current time."
    expected = sign(secret, timestamp, body).encode()
    # As bytes: compare_digest refuses text with non-ASCII characters, which a header can hold.
    if not hmac.compare_digest(expected, signature.encode("latin-1", "replace")):
        return "The signature does not match the body."
    return ""


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


def parse_document(
    data: object, *, default_team: str = "", require_event_id: bool = True
) -> tuple[str, DocumentEvent]:
    """A document event from a decoded JSON object (the webhook body, a line of a batch file).
    InvalidField names the first wrong field."""
    if not isinstance(data, dict):
        raise InvalidField("body", "send a JSON object.")
    team_id = _text(data, "team_id", required=not default_team) or default_team
    if len(team_id) > 32:
        raise InvalidField("team_id", "at most 32 characters.")
    kind = _text(data, "document_type", required=True)
    try:
        document_type = inputs.DOCUMENT_KIND.parse(kind, None, "document_type")
    except inputs.UsageError:
        known = ", ".join(k.value for k in DocumentKind)
        raise InvalidField(
            "document_type", f"{kind!r} is not a document kind; use one of: {known}."
        ) from None
    return team_id, DocumentEvent(
        event_id=_text(data, "event_id", required=require_event_id),
        document_type=document_type,
        document_no=_text(data, "document_no", required=True),
        contact=_text(data, "contact", required=True),
        date=_date(data.get("date")),
        description=_text(data, "description"),
        salesperson=_text(data, "salesperson"),
        version_no=_whole_number(data.get("version_no")),
        preview=_flag(data.get("preview")),
    )


def _text(data: Mapping[str, object], field: str, *, required: bool = False) -> str:
    value = data.get(field)
    if value is None or value == "":
        if required:
            raise InvalidField(field, "this field is required.")
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and field in {"document_no", "event_id"}:
        return str(value)  # ERP exports often give numbers as numbers
    if not isinstance(value, str):
        raise InvalidField(field, "must be a string.")
    return value.strip()


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return inputs.ISO_DATE.parse(value, None, "date")
        except inputs.UsageError:
            pass
    raise InvalidField("date", "use the form YYYY-MM-DD, such as 2026-03-31.")


def _whole_number(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidField("version_no", "must be a whole number.")
    return value


def _flag(value: object) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidField("preview", "must be true or false.")
    return value


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
    if not secret:
        raise SystemExit("Set CRM_WEBHOOK_SECRET: the document webhook only accepts signed requests.")
    server = serve(documents_app(open_store(), secret), "0.0.0.0", int(os.environ.get("PORT", "8080")))
    print(f"Document webhook listening on port {server.server_port}")
    server.serve_forever()


if __name__ == "__main__":
    main()
