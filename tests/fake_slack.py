"""A fake Slack Web API on loopback: records every call (path, headers, parsed body) and answers with
canned replies. `/response/<id>` stands in for response_url, `/upload/<id>` for the file upload URL, and
`/files-pri/<team>-<id>/download/<name>` for a shared file's url_private_download (see `share_file`).
Listeners run after the HTTP answer, so tests wait for calls with `wait_for` instead of asserting at once.
Faults are injected per path: `fail_once`, or `fail` for a number of calls or a period, optionally answering
only after a delay longer than the app's timeout (a hung Slack); `delivered` counts the calls that got
through."""

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

BOT_USER = "UBOT"
WAIT = 30.0
"""How long a test waits for a call the app makes after answering Slack. Waiting ends as soon as the call
arrives, so this only bounds a failing test; a loaded machine (a full suite beside other work) can need
far more than the usual few milliseconds."""
SIGN_IN_PAGE = "<!DOCTYPE html><html><body>Sign in to Slack</body></html>"
"""What Slack serves for a private file asked for without a valid token: a page, with status 200."""


@dataclass
class Call:
    path: str
    method: str
    headers: dict[str, str]
    body: dict[str, Any]
    raw: bytes
    status: int = 0
    """What the fake answered; 0 until it has."""
    delay: float = 0.0
    """How long the fake held the answer back."""
    refused: bool = False
    """Answered `"ok": false`."""
    at: float = field(default_factory=time.monotonic)

    @property
    def got_through(self) -> bool:
        """Answered 200 with no error, in time (a held-back answer counts as a hung Slack's: not taken)."""
        return self.status == 200 and not self.delay and not self.refused

    @property
    def token(self) -> str:
        return self.headers.get("authorization", "").removeprefix("Bearer ")

    def json_field(self, name: str) -> Any:
        """A field WebClient sent form-encoded as a JSON string (blocks, view, files)."""
        value = self.body.get(name)
        return json.loads(value) if isinstance(value, str) else value


@dataclass
class Canned:
    status: int
    body: dict[str, Any] | str | bytes
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Fault:
    """Answers `canned` to calls to a path (or under it) for `times` calls, or until `until`."""

    path: str
    canned: Canned
    times: int | None = None
    until: float | None = None

    def applies(self, path: str) -> bool:
        if not (path == self.path or (self.path.endswith("/") and path.startswith(self.path))):
            return False
        if self.times is not None:
            return self.times > 0
        return self.until is None or time.monotonic() < self.until


@dataclass(frozen=True)
class HostedFile:
    info: dict[str, Any]
    """The file object as Slack puts it in a `file_share` message event."""
    content: bytes


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.files: dict[str, HostedFile] = {}
        self._once: dict[str, list[Canned]] = {}
        self._faults: list[Fault] = []
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/"

    @contextmanager
    def running(self) -> Iterator["FakeSlack"]:
        thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()

    def response_url(self) -> str:
        return f"{self.base_url}response/{uuid.uuid4().hex[:12]}"

    def posts_to(self, response_url: str, count: int = 1) -> list[dict[str, Any]]:
        """What the app posted to a response_url, once there are `count` posts."""
        return [call.body for call in self.wait_for(urlsplit(response_url).path, count)]

    def user(self, user_id: str, *, tz: str = "Europe/Madrid", is_admin: bool = False, **more: Any) -> None:
        self.users[user_id] = {"tz": tz, "is_admin": is_admin, **more}

    def share_file(
        self, name: str, content: bytes, mimetype: str = "", *, size: int | None = None
    ) -> dict[str, Any]:
        """A file a user shared, served at its url_private_download to requests with the bot token; returns
        its file object. `size` overrides the size Slack reports."""
        file_id = f"F{uuid.uuid4().hex[:10].upper()}"
        url = f"{self.base_url}files-pri/T0-{file_id}/"
        info = {
            "id": file_id,
            "name": name,
            "title": name,
            "mimetype": mimetype,
            "filetype": name.rsplit(".", 1)[-1],
            "size": len(content) if size is None else size,
            "mode": "hosted",
            "url_private": url + quote(name),
            "url_private_download": url + "download/" + quote(name),
        }
        self.files[file_id] = HostedFile(info, content)
        return info

    def downloads(self) -> list[Call]:
        return self.calls_to("/files-pri/")

    def fail_once(self, path: str, status: int, body: dict[str, Any] | str, **headers: str) -> None:
        self._once.setdefault(path, []).append(Canned(status, body, headers))

    def fail(
        self,
        path: str,
        status: int,
        body: dict[str, Any] | str = "",
        *,
        times: int | None = None,
        seconds: float | None = None,
        delay: float = 0.0,
        **headers: str,
    ) -> None:
        """Answer calls to `path` (or under it, for a path ending with a slash) with `status`, for
        `times` calls or for `seconds`, each after `delay` seconds (a hung Slack the app gives up on)."""
        until = None if seconds is None else time.monotonic() + seconds
        with self._changed:
            self._faults.append(Fault(path, Canned(status, body, headers, delay), times, until))

    def recover(self) -> None:
        """Slack is back: no more injected faults."""
        with self._changed:
            self._faults.clear()
            self._once.clear()

    def delivered(self, path: str) -> list[Call]:
        """Calls to a path (or under it) that got through: answered 200 without being held back, and
        for the Web API with `ok`."""
        return [call for call in self.calls_to(path) if call.got_through]

    def wait_delivered(self, path: str, count: int = 1, timeout: float = WAIT) -> list[Call]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.delivered(path)) >= count, timeout)
        found = self.delivered(path)
        assert len(found) >= count, f"expected {count} delivered to {path}, got {len(found)}: {self.paths()}"
        return found

    def calls_to(self, path: str) -> list[Call]:
        """Calls to a path, or under it when it ends with a slash ("/response/")."""
        with self._changed:
            return [
                c for c in self.calls if c.path == path or (path.endswith("/") and c.path.startswith(path))
            ]

    def wait_for(self, path: str, count: int = 1, timeout: float = WAIT) -> list[Call]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.calls_to(path)) >= count, timeout)
        found = self.calls_to(path)
        assert len(found) >= count, f"expected {count} call(s) to {path}, got {len(found)}: {self.paths()}"
        return found

    def paths(self) -> list[str]:
        with self._changed:
            return [c.path for c in self.calls]

    def record(self, call: Call) -> Canned:
        with self._changed:
            self.calls.append(call)
            once = self._once.get(call.path)
            fault = next((f for f in self._faults if f.applies(call.path)), None)
            if once:
                canned = once.pop(0)
            elif fault is not None:
                canned = fault.canned
                if fault.times is not None:
                    fault.times -= 1
            else:
                canned = self.canned(call)
            call.delay = canned.delay
            call.refused = isinstance(canned.body, dict) and canned.body.get("ok") is False
            if not canned.delay:
                call.status = canned.status
                self._changed.notify_all()
        return canned

    def answered(self, call: Call, status: int) -> None:
        """A held-back answer is given (the app may have stopped waiting for it)."""
        with self._changed:
            call.status = status
            self._changed.notify_all()

    def canned(self, call: Call) -> Canned:
        ok = {"ok": True}
        path = call.path
        if path.startswith("/response/"):
            return Canned(200, "ok")
        if path.startswith("/upload/"):
            return Canned(200, "OK")
        if path.startswith("/files-pri/"):
            return self._private_file(call)
        if path == "/files.info":
            shared = self.files.get(call.body.get("file", ""))
            if shared is None:
                return Canned(200, {"ok": False, "error": "file_not_found"})
            return Canned(200, ok | {"file": shared.info})
        if path == "/auth.test":
            return Canned(200, ok | {"team_id": "T0", "user_id": BOT_USER, "bot_id": "BBOT", "team": "Test"})
        if path == "/users.info":
            user_id = call.body.get("user", "")
            user = {"id": user_id, "tz": "UTC", "is_admin": False, "is_owner": False, "locale": "en-US"}
            return Canned(200, ok | {"user": user | self.users.get(user_id, {})})
        if path == "/chat.postMessage":
            return Canned(200, ok | {"channel": call.body.get("channel"), "ts": f"{len(self.calls)}.000100"})
        if path == "/chat.getPermalink":
            channel, ts = call.body.get("channel", ""), str(call.body.get("message_ts", ""))
            link = f"https://sales.slack.com/archives/{channel}/p{ts.replace('.', '')}"
            return Canned(200, ok | {"channel": channel, "permalink": link})
        if path == "/chat.postEphemeral":
            return Canned(200, ok | {"message_ts": f"{len(self.calls)}.000200"})
        if path in ("/views.open", "/views.update", "/views.publish"):
            return Canned(
                200, ok | {"view": {"id": "V0VIEW", "hash": "h2"} | (call.json_field("view") or {})}
            )
        if path == "/conversations.open":
            return Canned(200, ok | {"channel": {"id": "D0DM"}})
        if path == "/files.getUploadURLExternal":
            file_id = f"F{len(self.calls):05d}"
            return Canned(200, ok | {"upload_url": f"{self.base_url}upload/{file_id}", "file_id": file_id})
        if path == "/files.completeUploadExternal":
            files = call.json_field("files") or []
            return Canned(200, ok | {"files": [{"id": f.get("id"), "title": f.get("title")} for f in files]})
        return Canned(200, ok)

    def _private_file(self, call: Call) -> Canned:
        file_id = call.path.split("/")[2].partition("-")[2]
        shared = self.files.get(file_id)
        if shared is None:
            return Canned(404, "Not found")
        if not call.token.startswith("xoxb-"):
            return Canned(200, SIGN_IN_PAGE, {"Content-Type": "text/html; charset=utf-8"})
        kind = shared.info["mimetype"] or "application/octet-stream"
        return Canned(200, shared.content, {"Content-Type": kind})


def _parse(method: str, query: str, content_type: str, raw: bytes) -> dict[str, Any]:
    fields = {k: v[0] for k, v in parse_qs(query).items()}
    if method == "POST" and raw:
        if "json" in content_type:
            fields |= json.loads(raw)
        elif "x-www-form-urlencoded" in content_type:
            # An uploaded file's bytes may come with this content type too: they are not fields.
            with suppress(UnicodeDecodeError):
                fields |= {k: v[0] for k, v in parse_qs(raw.decode()).items()}
    return fields


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def _serve(self) -> None:
            url = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            body = _parse(self.command, url.query, headers.get("content-type", ""), raw)
            path = "/" + url.path.removeprefix("/api").lstrip("/")
            call = Call(path, self.command, headers, body, raw)
            canned = fake.record(call)
            if canned.delay:
                time.sleep(canned.delay)
                fake.answered(call, canned.status)
            body, headers = canned.body, {k.replace("_", "-"): v for k, v in canned.headers.items()}
            if isinstance(body, bytes):
                data = body
            elif isinstance(body, str):
                data = body.encode()
                headers.setdefault("Content-Type", "text/plain; charset=utf-8")
            else:
                data = json.dumps(body).encode()
                headers.setdefault("Content-Type", "application/json; charset=utf-8")
            self.send_response(canned.status)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


# Reading what the app sent: a message (or view) as Slack received it.
def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every button of a rendered message or view, with its block id."""
    found: list[dict[str, Any]] = []
    for block in message.get("blocks", []):
        elements = block.get("elements", []) if block["type"] == "actions" else [block.get("accessory") or {}]
        found.extend(
            e | {"block_id": block.get("block_id", "b")} for e in elements if e.get("type") == "button"
        )
    return found


def button(message: dict[str, Any], label: str) -> dict[str, Any]:
    for found in buttons(message):
        if found["text"]["text"] == label:
            return found
    raise AssertionError(f"no button {label!r} in {[b['text']['text'] for b in buttons(message)]}")


def text_of(message: dict[str, Any]) -> str:
    """All the text a user reads in a message: its fallback and every section."""
    parts = [message.get("text") or ""]
    for block in message.get("blocks", []):
        parts.append((block.get("text") or {}).get("text", ""))
        parts.extend(e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str))
    return "\n".join(parts)


def within_limits(message: dict[str, Any], max_blocks: int = 50) -> dict[str, Any]:
    """Check Slack's Block Kit limits on a rendered message or view; returns it for chaining."""
    blocks = message.get("blocks", [])
    assert message.get("text") or message.get("type") in ("home", "modal"), "no plain-text fallback"
    assert len(blocks) <= max_blocks, f"{len(blocks)} blocks"
    action_ids: set[str] = set()
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "actions":
            assert 1 <= len(block["elements"]) <= 25
        if block["type"] == "context":
            assert len(block["elements"]) <= 10
    for found in buttons(message):
        assert len(found["text"]["text"]) <= 75
        assert len(found.get("value", "")) <= 2000
        assert found["action_id"] not in action_ids, f"duplicate action_id {found['action_id']}"
        action_ids.add(found["action_id"])
    return message
