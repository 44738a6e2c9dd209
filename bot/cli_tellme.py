"""`crm tellme QUERY`: what Tell Me understands from a sentence, ranked, as text or JSON."""

import json
from typing import Annotated

import typer

from bot.cli_admin import DEFAULT_TEAM, TeamOption, opened_store
from commands.router import ROUTER
from commands.tellme import OFFER_SCORE, Match, decide, search


def register(app: typer.Typer) -> None:
    @app.command("tellme")
    def tellme(
        query: Annotated[list[str], typer.Argument(help="What you want, in your own words.")],
        lang: Annotated[str, typer.Option(help="Language of the titles shown: en or es.")] = "en",
        as_json: Annotated[bool, typer.Option("--json", help="A JSON list, best first.")] = False,
        team: TeamOption = DEFAULT_TEAM,
    ) -> None:
        """Find the action a sentence asks for, in English or Spanish, typos and all."""
        if lang not in ("en", "es"):
            raise typer.BadParameter("en or es", param_hint="--lang")
        text = " ".join(query)
        matches = _search(text, lang, team)
        decision = decide(matches)
        offered = [] if decision.kind == "nothing" else [m for m in matches if m.score >= OFFER_SCORE]
        if as_json:
            typer.echo(json.dumps([_as_json(m, lang) for m in offered], ensure_ascii=False))
            return
        if not offered:
            typer.echo("Nothing matches well enough. Closest:")
        for match in offered or matches:
            command = match.command_text()
            typer.echo(f"{match.score:5.1f}  {match.action.title_for(lang):<42} /crm {command}")
        typer.echo(f"-> {decision.kind}")


def _search(text: str, lang: str, team: str) -> list[Match]:
    """Against the workspace's contacts, templates and segments, as the bot reads it."""
    with opened_store() as sessions, sessions() as session:
        return search(text, ROUTER.ranker, session=session, team_id=team, lang=lang, limit=5)


def _as_json(match: Match, lang: str) -> dict[str, object]:
    return {
        "id": match.action.id,
        "title": match.action.title_for(lang),
        "score": match.score,
        "args": match.args,
    }
