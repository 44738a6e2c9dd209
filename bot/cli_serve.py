"""`crm serve`: the Slack bot for real. Over HTTP it runs under gunicorn (threaded workers, each process
with its own app, database pool and job worker); with --socket-mode it connects out to Slack instead and
needs no public URL."""

import logging
from typing import Any

import typer
from gunicorn.app.base import BaseApplication

from bot.slack.settings import Settings

log = logging.getLogger(__name__)


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """Builds the app in each worker process after the fork, so no connection or thread is shared."""

    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        self.server: Any = None
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        self.cfg.set("worker_exit", self._worker_exit)

    def load(self) -> Any:
        from bot.cli_admin import open_store
        from bot.server import create_server

        self.server = create_server(self.settings, open_store(self.settings.database_url or None))
        self.server.bot.start_worker()
        return self.server.wsgi

    def _worker_exit(self, _arbiter: Any, _worker: Any) -> None:
        if self.server is not None:
            self.server.bot.close()


def gunicorn_options(bind: str, workers: int, threads: int) -> dict[str, Any]:
    """How `crm serve` runs gunicorn (bench/load.py serves its bare Bolt app the same way)."""
    return {
        "bind": bind,
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 30,
        "graceful_timeout": 10,
        "accesslog": "-",
        "errorlog": "-",
    }


def check(settings: Settings, socket_mode: bool) -> list[str]:
    missing = []
    if not settings.oauth_enabled and not settings.bot_token:
        missing.append("SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)")
    if socket_mode and not settings.app_token:
        missing.append("SLACK_APP_TOKEN")
    if not socket_mode and not settings.signing_secret:
        missing.append("SLACK_SIGNING_SECRET")
    return missing


def serve_socket_mode(settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.cli_admin import open_store
    from bot.slack.app import build_bot

    bot = build_bot(settings, open_store(settings.database_url or None))
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
        workers: int = typer.Option(2, help="Processes; each runs its own background job worker."),
        threads: int = typer.Option(8, help="Threads per process."),
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
        if socket_mode:
            serve_socket_mode(settings)
            return
        from bot.cli_admin import open_store

        # Bring a new SQLite file to the current schema once, here, not in every worker at the same time.
        open_store(settings.database_url or None).kw["bind"].dispose()
        GunicornServer(settings, gunicorn_options(f"{host}:{port or settings.port}", workers, threads)).run()
