"""Database and data administration: `crm db upgrade`, `crm demo`, `crm import`, `crm export`."""

import typer

from store.db import make_engine
from store.migrate import upgrade


def register(app: typer.Typer) -> None:
    db = typer.Typer(help="Database schema.")

    @db.command("upgrade")
    def db_upgrade() -> None:
        """Apply the schema migrations to DATABASE_URL."""
        upgrade(make_engine())
        typer.echo("Database is up to date.")

    app.add_typer(db, name="db")
