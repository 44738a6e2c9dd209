"""The `crm` console script."""

import typer

from bot import cli_admin, cli_console, cli_documents, cli_serve, cli_tellme, cli_webhook

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="crm-interactions: record and manage interactions with contacts.",
)
cli_admin.register(app)
cli_console.register(app)
cli_tellme.register(app)
cli_documents.register(app)
cli_serve.register(app)
cli_webhook.register(app)


def main() -> None:
    app()
