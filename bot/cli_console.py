"""`crm console`: try the bot in a terminal, no Slack workspace needed."""

import os

import typer
from rich.console import Console

from bot.cli_admin import open_store
from bot.console import ConsoleChat
from commands.context import Context
from commands.router import ROUTER


def register(app: typer.Typer) -> None:
    @app.command()
    def console(
        team: str = typer.Option(os.environ.get("CRM_TEAM", "T0DEMO"), help="Workspace (Slack team id)."),
        user: str = typer.Option("U0CONSOLE", help="Who you are (a Slack user id)."),
        admin: bool = typer.Option(True, help="Whether you may delete canceled entries and change setup."),
        timezone: str = typer.Option("UTC", help="Your time zone, for dates such as 'today'."),
    ) -> None:
        """Chat with the bot in the terminal: type what you would type after /crm, or free text."""
        ctx = Context(open_store(), team, user, is_admin=admin, timezone=timezone)
        ROUTER.warm(ctx.sessions)
        ConsoleChat(ctx, Console(highlight=False, soft_wrap=True)).loop()
