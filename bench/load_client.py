"""The closed-loop client of bench/load.py, run in a process of its own so that it is not the server's
bottleneck: asyncio with one keep-alive HTTP/1.1 connection per simulated user, each sending its next
request as soon as the previous one is answered. Requests are signed as Slack signs them (v0 HMAC-SHA256
of "v0:<timestamp>:<body>" with the signing secret) and mix, by weight: pages and single entries (70 %),
`/crm log` (15 %), button clicks (10 %) and free text for Tell Me (5 %)."""

import asyncio
import hashlib
import hmac
import json
import random
import resource
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

SECRET = "bench-signing-secret"
WORKING = "Working on it"
TIMEOUT = 30.0
USERS = 20


@dataclass(frozen=True)
class Plan:
    """What the client knows of the workspace: enough to build valid commands."""

    team: str
    contacts: int
    companies: int
    entries: int
    newest: date
    response_base: str
    """The fake Slack's base URL; each request gets its own response_url under /response/."""


@dataclass
class Sample:
    kind: str
    started: float
    """time.monotonic() when it was sent (one clock for every process on the machine)."""
    seconds: float
    ok: bool
    deferred: str = ""
    """The response_url id an answer is still due at (a click, or a command acknowledged 'Working on it')."""


@dataclass
class Outcome:
    samples: list[Sample] = field(default_factory=list)
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0


def sign(body: bytes, timestamp: str) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()


class Mix:
    def __init__(self, plan: Plan, seed: int) -> None:
        self.plan = plan
        self.random = random.Random(seed)
        self.counter = 0

    def person(self) -> str:
        return f"CT{self.random.randint(self.plan.companies + 1, self.plan.contacts):06d}"

    def month_back(self) -> tuple[date, date]:
        start = self.plan.newest - timedelta(days=self.random.randint(60, 900))
        return start, start + timedelta(days=30)

    def entries_text(self) -> str:
        choice = self.random.random()
        if choice < 0.25:
            return "entries"
        if choice < 0.45:
            return f"entries contact=CT{self.random.randint(1, max(self.plan.entries // 1000, 1)):06d}"
        if choice < 0.6:
            return f"entries template=T{self.random.randint(2, 10):02d} canceled=no"
        start, end = self.month_back()
        if choice < 0.85:
            return f"entries from={start.isoformat()} to={end.isoformat()}"
        return f"entries template=T05 from={start.isoformat()} to={end.isoformat()}"

    def next(self) -> tuple[str, str, str]:
        """(kind, text or button value, "command" or "click"); kind "date page" is a page of a month."""
        pick = self.random.random()
        if pick < 0.35:
            text = self.entries_text()
            return ("date page" if "from=" in text else "entries"), text, "command"
        if pick < 0.70:
            return "entry", f"entry {self.random.randint(1, self.plan.entries)}", "command"
        if pick < 0.85:
            return "log", f"log T02 {self.person()} Load test call", "command"
        if pick < 0.95:
            if self.random.random() < 0.5:
                start, end = self.month_back()
                before = f"{end.isoformat()}/{self.plan.entries}"
                value = f"entries from={start.isoformat()} to={end.isoformat()} before={before}"
            else:
                value = f"entry {self.random.randint(1, self.plan.entries)}"
            return "click", value, "click"
        sentence = self.random.choice(
            ("show interactions", "list calls", "historial de interacciones", "what happened lately")
        )
        return "free text", sentence, "command"

    def body(self, text: str, how: str, user: str) -> tuple[bytes, str]:
        self.counter += 1
        reply_id = f"{self.random.getrandbits(48):012x}"
        response_url = f"{self.plan.response_base}response/{reply_id}"
        team = self.plan.team
        if how == "command":
            fields = {
                "team_id": team,
                "team_domain": "bench",
                "channel_id": "C0BENCH",
                "user_id": user,
                "command": "/crm",
                "text": text,
                "api_app_id": "A0CRM",
                "response_url": response_url,
                "trigger_id": f"{self.counter}.{reply_id}",
            }
            return urlencode(fields).encode(), reply_id
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "team_id": team},
            "api_app_id": "A0CRM",
            "team": {"id": team},
            "trigger_id": f"{self.counter}.{reply_id}",
            "actions": [{"type": "button", "action_id": "crm:run:0", "block_id": "b", "value": text}],
            # A message of its own per click, so the double-click guard never drops one.
            "container": {"type": "message", "message_ts": f"{time.time():.6f}{reply_id}"},
            "channel": {"id": "C0BENCH"},
            "response_url": response_url,
        }
        return urlencode({"payload": json.dumps(payload)}).encode(), reply_id


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split()[1])
    length, chunked, close = 0, False, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            close = True
    if not chunked:
        return status, await reader.readexactly(length), close
    body = b""
    while True:
        size = int((await reader.readline()).split(b";")[0], 16)
        if size == 0:
            await reader.readline()
            return status, body, close
        body += await reader.readexactly(size)
        await reader.readline()


async def _user(host: str, port: int, mix: Mix, user: str, until: float, outcome: Outcome) -> None:
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while time.monotonic() < until:
        kind, text, how = mix.next()
        body, reply_id = mix.body(text, how, user)
        timestamp = str(int(time.time()))
        head = (
            f"POST /slack/events HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nX-Slack-Request-Timestamp: {timestamp}\r\n"
            f"X-Slack-Signature: {sign(body, timestamp)}\r\n\r\n"
        ).encode()
        started = time.monotonic()
        ok, answer = False, b""
        try:
            if connection is None:
                connection = await asyncio.open_connection(host, port)
            reader, writer = connection
            writer.write(head + body)
            status, answer, close = await asyncio.wait_for(_read_response(reader), TIMEOUT)
            ok = status == 200 and b"Something went wrong" not in answer
            if close:
                writer.close()
                connection = None
        except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError):
            if connection is not None:
                connection[1].close()
            connection = None
        seconds = time.monotonic() - started
        deferred = reply_id if how == "click" or WORKING.encode() in answer else ""
        outcome.samples.append(Sample(kind, started, seconds, ok, deferred))
    if connection is not None:
        connection[1].close()


async def _drive(host: str, port: int, plan: Plan, clients: int, seconds: float, seed: int) -> Outcome:
    outcome = Outcome()
    until = time.monotonic() + seconds
    await asyncio.gather(
        *(_user(host, port, Mix(plan, seed + n), f"U{n % USERS:02d}", until, outcome) for n in range(clients))
    )
    return outcome


def drive(host: str, port: int, plan: Plan, clients: int, seconds: float, seed: int = 1) -> Outcome:
    """`clients` users for `seconds`; every request's outcome, and the CPU the client itself used."""
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    began = time.monotonic()
    outcome = asyncio.run(_drive(host, port, plan, clients, seconds, seed))
    after = resource.getrusage(resource.RUSAGE_SELF)
    outcome.cpu_seconds = (after.ru_utime + after.ru_stime) - (cpu.ru_utime + cpu.ru_stime)
    outcome.wall_seconds = time.monotonic() - began
    return outcome
