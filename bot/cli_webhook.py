"""`crm webhook rotate`: a new document webhook secret for a workspace, printed once."""

from typing import Annotated

import typer

from bot.cli_admin import DEFAULT_TEAM, TeamOption, opened_store, reported_errors
from store.db import transaction
from store.webhook_secrets import GRACE, rotate_webhook_secret

CLI_USER = "crm-cli"


def register(app: typer.Typer) -> None:
    webhook = typer.Typer(help="The document webhook (POST /hooks/documents).", no_args_is_help=True)
    webhook.command("rotate")(rotate_command)
    app.add_typer(webhook, name="webhook")


def rotate_command(
    team: TeamOption = DEFAULT_TEAM,
    at_once: Annotated[
        bool,
        typer.Option("--at-once", help="End the replaced secret now (it leaked) instead of in 24 hours."),
    ] = False,
) -> None:
    """Give the workspace a new webhook secret and print it, once: senders sign with it from now on. The
    one it replaces is still accepted for 24 hours (not at all with --at-once)."""
    with reported_errors(), opened_store() as sessions, transaction(sessions) as session:
        issued = rotate_webhook_secret(session, team, CLI_USER, at_once=at_once)
    typer.echo(issued.secret)
    if issued.previous_valid_until is not None:
        until = issued.previous_valid_until.strftime("%Y-%m-%d %H:%M UTC")
        typer.echo(
            f"The new document webhook secret of {team}, shown only now. The previous one is accepted "
            f"until {until} ({GRACE.total_seconds() / 3600:.0f} hours).",
            err=True,
        )
    else:
        typer.echo(f"The document webhook secret of {team}, shown only now; no other is accepted.", err=True)
