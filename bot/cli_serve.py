"""`crm serve`: the Slack bot for real. Over HTTP it runs under uvicorn (bot.asgi: worker processes, each
with its own app, database pool, job worker and threads for the WSGI app; slow clients tie up none of
them); with --socket-mode it connects out to Slack instead and needs no public URL."""

import logging
import os
import socket
from dataclasses import dataclass
from typing import Any

import typer
import uvicorn
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from uvicorn.supervisors import Multiprocess

from bot.asgi import DEFAULT_THREADS
from bot.slack.settings import Settings

log = logging.getLogger(__name__)


DEFAULT_WORKERS = 2


def run_uvicorn(factory: str, host: str, port: int, workers: int, threads: int) -> None:
    """How `crm serve` serves (bench/load.py serves its bare Bolt app the same way): `factory` names the
    function that builds the ASGI app in each worker process."""
    os.environ["CRM_THREADS"] = str(threads)  # read by the factory in each worker process
    config = uvicorn.Config(
        factory,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=10,
        limit_concurrency=1000,
        log_level="info",
        # Every request is a POST to /slack/events: a line for each told nothing, at a cost per request.
        # What is refused or fails is logged by the app itself (bot.server, the listeners).
        access_log=False,
    )
    try:
        sock = _own_socket(host, port, shared=False)  # a port already taken is reported here, once
    except OSError as failure:
        log.error("cannot listen on %s:%s: %s", host, port, failure.strerror or failure)
        raise SystemExit(3) from None
    log.info("serving on http://%s:%s with %d worker(s) of %d threads", host, port, workers, threads)
    try:
        if workers < 2:
            uvicorn.Server(config).run(sockets=[sock])
        elif not hasattr(socket, "SO_REUSEPORT"):
            Multiprocess(config, sockets=[sock]).run()
        else:
            # Workers sharing one listening socket share its connections unevenly: whichever wakes first
            # accepts every connection waiting, so a burst of keep-alive connections can leave one worker
            # with nearly all of them (one core busy, the other idle). Each worker listens on a socket of
            # its own instead, and the kernel spreads new connections over them (SO_REUSEPORT). Connections
            # waiting for a worker that stops are reset (Linux 5.14's net.ipv4.tcp_migrate_req=1 hands
            # them to another worker). This process holds the address too, without listening.
            sock.close()
            with _own_socket(host, port, shared=True):
                Multiprocess(config, sockets=[_WorkerSocket(host, port)]).run()  # type: ignore[list-item]
    except KeyboardInterrupt:
        pass


def _own_socket(host: str, port: int, *, shared: bool) -> socket.socket:
    """A TCP socket bound to the address; `shared` with the other workers (SO_REUSEPORT). Its protocol is
    named: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on the connections of such a socket, and
    with it on, an answer written as headers then body waited for the client's delayed ACK of the
    headers, 40 ms on every answer with a body."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


@dataclass(frozen=True)
class _WorkerSocket:
    """Stands for a listening socket in the list uvicorn hands each worker process: unpickled there, it
    becomes that worker's own socket on the address."""

    host: str
    port: int

    def __reduce__(self) -> tuple[Any, tuple[str, int]]:
        return _shared_socket, (self.host, self.port)


def _shared_socket(host: str, port: int) -> socket.socket:
    return _own_socket(host, port, shared=True)


def check(settings: Settings, socket_mode: bool) -> list[str]:
    missing = []
    if not settings.oauth_enabled and not settings.bot_token:
        missing.append("SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)")
    if socket_mode and not settings.app_token:
        missing.append("SLACK_APP_TOKEN")
    if not socket_mode and not settings.signing_secret:
        missing.append("SLACK_SIGNING_SECRET")
    return missing


def token_problem(settings: Settings) -> str:
    """Why Slack would not take the bot token, "" when it does. Asked once, here: Bolt asks in each worker
    as it starts, and a worker that is refused dies with a traceback and is started again, over and over."""
    if settings.oauth_enabled or not settings.bot_token:
        return ""
    try:
        WebClient(token=settings.bot_token, base_url=settings.api_url, timeout=10).auth_test()
    except SlackApiError as refused:
        return f"Slack refused SLACK_BOT_TOKEN ({refused.response.get('error') or 'no reason given'})."
    except OSError as failure:
        return f"Slack cannot be reached at {settings.api_url} to check SLACK_BOT_TOKEN ({failure})."
    return ""


def serve_socket_mode(settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.cli_admin import open_store
    from bot.slack.app import build_bot

    bot = build_bot(settings, open_store(settings.database_url or None))
    bot.warm()
    bot.start_worker()
    try:
        SocketModeHandler(bot.app, settings.app_token).start()
    finally:
        bot.close()


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        port: int = typer.Option(0, help="Port to listen on; default PORT, else 3000."),
        host: str = typer.Option("0.0.0.0", help="Address to listen on."),
        workers: int = typer.Option(
            DEFAULT_WORKERS, help="Processes; each runs its own background job worker."
        ),
        threads: int = typer.Option(DEFAULT_THREADS, help="Threads per process for Slack's requests."),
        socket_mode: bool = typer.Option(
            False, "--socket-mode", help="Connect out to Slack with SLACK_APP_TOKEN."
        ),
    ) -> None:
        """Serve the Slack bot: POST /slack/events, GET /healthz, and /hooks/documents when configured."""
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        settings = Settings.from_env()
        missing = check(settings, socket_mode)
        if missing:
            typer.echo(f"Cannot start: set {', '.join(missing)}.", err=True)
            raise typer.Exit(2)
        if problem := token_problem(settings):
            typer.echo(f"Cannot start: {problem}", err=True)
            raise typer.Exit(3)
        if socket_mode:
            serve_socket_mode(settings)
            return
        from bot.cli_admin import open_store, reported_errors

        # Bring a new SQLite file to the current schema once, here, not in every worker at the same time;
        # a database that cannot be used stops the start with one line saying why.
        with reported_errors():
            open_store(settings.database_url or None).kw["bind"].dispose()
        run_uvicorn("bot.asgi:create_app", host, port or settings.port, workers, threads)
