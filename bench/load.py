"""`crm serve` under load, beside a bare Bolt app served the same way, in one run.

    python bench/load.py            # 100,000 contacts, 1,000,000 entries, 30 s per phase (~10 minutes)
    python bench/load.py --quick    # 10,000 contacts, 100,000 entries, 8 s per phase
    python bench/load.py --segment-only   # only the segment logged under 10 clients (no bare app)

`crm serve` (uvicorn, its default 2 workers of 2 threads) runs on SQLite and, when TEST_DATABASE_URL names
a PostgreSQL server, on a schema of its own there too; the bare app is a Bolt app whose handlers only
acknowledge, served the same way (bot.cli_serve.run_uvicorn). Both talk to a fake Slack
Web API on loopback (tests/fake_slack.py), which also receives the answers posted to response_url. A
closed-loop client in a process of its own (bench/load_client.py) drives each server at 10 and then 50
clients, the servers taking turns; it prints req/s, p50/p95/p99, errors, deferred answers lost (a click
or a "Working on it…" whose answer never reached the response_url) and ours/bare. Then, on each database,
a segment of every contact is logged while 10 clients go on, and the single `/crm log` commands sent
while it is being written are timed on their own.

The exit status is 1 when a target of issue 11 is missed: at 10 clients at least half of bare Bolt's
req/s; p99 under 300 ms at 50 clients; no errors, nothing lost; no single log over 1 s while the
segment is logged.
"""

import sys
from pathlib import Path

# Run as `python bench/load.py`, this folder leads sys.path and bench/store.py would shadow the `store`
# package; the folder's modules are loaded by path instead, and the repository root gives `tests`.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE] + [str(_HERE.parent)]

import argparse  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
import uuid  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from contextlib import ExitStack, closing, contextmanager  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from importlib.util import module_from_spec, spec_from_file_location  # noqa: E402
from types import ModuleType  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlencode  # noqa: E402


def _load(name: str) -> ModuleType:
    """A module of this folder, by its path (the folder is off sys.path, see above)."""
    spec = spec_from_file_location(name, _HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules[name] = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


client = _load("load_client")
workload = _load("workload")

TEN, FIFTY = 10, 50
SHARE_TARGET = 0.5
P99_TARGET = 0.300
SINGLE_LOG_TARGET = 1.0
WARM_UP = 3.0


@dataclass(frozen=True)
class Server:
    name: str
    port: int
    database: str = ""
    """"" for the bare app."""


@dataclass
class Phase:
    server: Server
    clients: int
    outcome: Any
    segment: tuple[float, float] | None = None
    """When the segment's command was sent and when its answer arrived."""

    def latencies(self, kind: str | None = None) -> list[float]:
        return sorted(s.seconds for s in self.outcome.samples if kind is None or s.kind == kind)

    @property
    def rate(self) -> float:
        return len(self.outcome.samples) / self.outcome.wall_seconds

    @property
    def errors(self) -> int:
        return sum(not s.ok for s in self.outcome.samples)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(share * len(values)))]


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(port: int, path: str, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server on port {port} did not come up")


def server_env(api_url: str, database_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CRM_", "DATABASE_URL"))}
    env |= {
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": client.SECRET,
        "SLACK_API_URL": api_url,
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@contextmanager
def serving(command: list[str], env: dict[str, str], log: Path) -> Any:
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def crm_serve(port: int) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from bot.cli import main; main()",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]


def serve_bare(port: int) -> None:
    """The bare Bolt app: the same App, request handler and serving stack (bot.cli_serve.run_uvicorn),
    handlers that only ack. It is imported as `bench.bare_app`: uvicorn's worker processes re-run this
    script, which takes this folder off sys.path (see the top)."""
    from bot.cli_serve import DEFAULT_THREADS, DEFAULT_WORKERS, run_uvicorn

    run_uvicorn("bench.bare_app:create_app", "127.0.0.1", port, DEFAULT_WORKERS, DEFAULT_THREADS)


def build_database(name: str, scale: Any, folder: Path, stack: ExitStack) -> str:
    """A filled workspace; its URL. PostgreSQL gets a schema of its own, dropped at the end."""
    from store.db import make_engine, postgres_schema, refresh_statistics, session_factory

    started = time.monotonic()
    if name == "SQLite":
        path = folder / "load.db"
        workload.build_workspace(path, scale)
        workload.build_history(path, scale)
        url = workload.url(path)
        engine = make_engine(url)
        with session_factory(engine).begin() as session:
            refresh_statistics(session)
        engine.dispose()
    else:
        url = stack.enter_context(postgres_schema(os.environ["TEST_DATABASE_URL"], "crm_load"))
        engine = make_engine(url)
        workload.build_postgres(engine, scale)
        engine.dispose()
    print(
        f"  {name}: {scale.contacts:,} contacts, {scale.entries:,} entries in "
        f"{time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )
    return url


def log_segment_now(port: int, fake: Any, team: str) -> tuple[str, float]:
    """Send `/crm log T01 segment=EVERYONE`; its response_url id, and when it was sent."""
    reply_id = f"segment-{uuid.uuid4().hex[:8]}"
    fields = {
        "team_id": team,
        "channel_id": "C0BENCH",
        "user_id": "U00",
        "command": "/crm",
        "text": f"log {workload.MAIL_TEMPLATE} segment={workload.SEGMENT}",
        "response_url": f"{fake.base_url}response/{reply_id}",
        "trigger_id": "1.segment",
    }
    body = urlencode(fields).encode()
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": client.sign(body, stamp),
    }
    sent = time.monotonic()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", body, headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()
    return reply_id, sent


def run_phase(
    pool: ProcessPoolExecutor,
    server: Server,
    plan: Any,
    clients: int,
    seconds: float,
    fake: Any,
    segment: bool,
) -> Phase:
    print(f"  {server.name}, {clients} clients, {seconds:.0f} s", file=sys.stderr)
    future = pool.submit(client.drive, "127.0.0.1", server.port, plan, clients, seconds, clients)
    window = None
    if segment:
        time.sleep(seconds / 4)
        reply_id, sent = log_segment_now(server.port, fake, plan.team)
        fake.wait_for(f"/response/{reply_id}", timeout=900)  # the job's answer, once it is written
        window = (sent, time.monotonic())
        answer = fake.calls_to(f"/response/{reply_id}")[0].body
        print(f"    segment: {str(answer.get('text', ''))[:90]}", file=sys.stderr)
    return Phase(server, clients, future.result(), window)


def lost_answers(phases: list[Phase], fake: Any, grace: float = 20.0) -> dict[int, int]:
    """Per phase (by index), deferred answers that never reached their response_url."""
    # The bare app answers nothing later: only ours owe deferred answers.
    due = {id(p): {s.deferred for s in p.outcome.samples if s.deferred and p.server.database} for p in phases}
    deadline = time.monotonic() + grace
    while True:
        posted = {c.path.removeprefix("/response/") for c in fake.calls_to("/response/")}
        missing = {key: len(ids - posted) for key, ids in due.items()}
        if not any(missing.values()) or time.monotonic() > deadline:
            return missing
        time.sleep(0.5)


def segment_logs(phase: Phase) -> tuple[int, float, float]:
    """The single logs sent while the segment was being written: how many, their p99 and slowest."""
    assert phase.segment is not None
    began, ended = phase.segment
    logs = (s for s in phase.outcome.samples if s.kind == "log" and began <= s.started <= ended)
    during = sorted(s.seconds for s in logs)
    return len(during), percentile(during, 0.99), max(during, default=float("nan"))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def report(phases: list[Phase], segments: list[Phase], lost: dict[int, int], scale: Any) -> bool:
    """Print the table and the checks; whether every target was met."""
    print(
        f"\n{scale.contacts:,} contacts, {scale.entries:,} entries; {os.cpu_count()} CPUs; "
        "latencies in ms (the HTTP answer: the acknowledgement)"
    )
    header = (
        "server",
        "clients",
        "req/s",
        "p50",
        "p95",
        "p99",
        "p99 date pages",
        "errors",
        "lost",
        "ours/bare",
        "client CPU",
    )
    rows = [header]
    bare = {p.clients: p.rate for p in phases if not p.server.database}
    met = True
    for phase in phases:
        all_ = phase.latencies()
        share = phase.rate / bare[phase.clients] if phase.server.database else None
        cpu = phase.outcome.cpu_seconds / phase.outcome.wall_seconds
        rows.append(
            (
                phase.server.name,
                str(phase.clients),
                f"{phase.rate:,.0f}",
                ms(percentile(all_, 0.5)),
                ms(percentile(all_, 0.95)),
                ms(percentile(all_, 0.99)),
                ms(percentile(phase.latencies("date page"), 0.99)),
                str(phase.errors),
                str(lost[id(phase)]),
                f"{share:.2f}" if share is not None else "",
                f"{cpu:.0%}",
            )
        )
        if phase.server.database:
            met &= phase.errors == 0 and lost[id(phase)] == 0
            if phase.clients == TEN:
                met &= share is not None and share >= SHARE_TARGET
            if phase.clients == FIFTY:
                met &= percentile(all_, 0.99) < P99_TARGET
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows if phases else ():  # --segment-only: no table
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
    for phase in segments:
        met &= phase.errors == 0 and lost[id(phase)] == 0
        count, p99, slowest = segment_logs(phase)
        seconds = phase.segment[1] - phase.segment[0]
        print(
            f"{phase.server.name}: a segment of {scale.contacts:,} contacts logged in {seconds:.1f} s "
            f"during the {phase.clients}-client phase; {count} single /crm log meanwhile, p99 {ms(p99)} ms, "
            f"slowest {ms(slowest)} ms"
        )
        met &= count > 0 and slowest < SINGLE_LOG_TARGET
    print(
        f"targets: ours/bare >= {SHARE_TARGET} at {TEN} clients, p99 < {ms(P99_TARGET)} ms at {FIFTY}, "
        f"no errors or lost answers, single logs < {SINGLE_LOG_TARGET:.0f} s during the segment: "
        f"{'met' if met else 'MISSED'}"
    )
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10x smaller workspace, 8 s phases")
    parser.add_argument("--seconds", type=float, help="seconds per phase (default 30, quick 8)")
    parser.add_argument(
        "--segment-only",
        action="store_true",
        help="only the segment logged while 10 clients go on: no bare app, no 10- and 50-client phases",
    )
    parser.add_argument("--dir", type=Path, help="where to put the SQLite database and the server logs")
    parser.add_argument("--bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare:
        serve_bare(args.bare)
        return 0
    scale = workload.QUICK if args.quick else workload.FULL
    seconds = args.seconds or (8.0 if args.quick else 30.0)
    from tests.fake_slack import FakeSlack

    databases = ["SQLite"] + (["PostgreSQL"] if os.environ.get("TEST_DATABASE_URL") else [])
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="crm-load-", dir=args.dir)))
        fake = stack.enter_context(FakeSlack().running())
        print(f"setup in {folder}", file=sys.stderr)
        urls = {name: build_database(name, scale, folder, stack) for name in databases}
        servers = []
        if not args.segment_only:
            bare = Server("bare Bolt", free_port())
            stack.enter_context(
                serving(
                    [sys.executable, __file__, "--bare", str(bare.port)],
                    server_env(fake.base_url),
                    folder / "bare.log",
                )
            )
            servers.append(bare)
        for name, url in urls.items():
            server = Server(f"crm serve, {name}", free_port(), url)
            stack.enter_context(
                serving(crm_serve(server.port), server_env(fake.base_url, url), folder / f"serve-{name}.log")
            )
            servers.append(server)
        for server in servers:
            wait_until_up(server.port, "/healthz")
        plan = client.Plan(
            workload.TEAM,
            scale.contacts,
            scale.companies,
            scale.entries,
            workload.entry_date(scale.entries, scale),
            fake.base_url,
        )
        pool = stack.enter_context(ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")))
        for server in servers:  # users' profiles cached, Tell Me's contact index built, pools opened
            pool.submit(client.drive, "127.0.0.1", server.port, plan, TEN, WARM_UP).result()
        phases = [
            run_phase(pool, server, plan, clients, seconds, fake, segment=False)
            for clients in (TEN, FIFTY)
            for server in servers
            if not args.segment_only
        ]
        # Last, as it changes the workspace: a segment logged while 10 clients go on (not in the table).
        ours = [server for server in servers if server.database]
        segments = [run_phase(pool, s, plan, TEN, seconds, fake, segment=True) for s in ours]
        lost = lost_answers(phases + segments, fake)
        return 0 if report(phases, segments, lost, scale) else 1


if __name__ == "__main__":
    raise SystemExit(main())
