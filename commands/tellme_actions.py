"""`/crm tellme <text>`, and any text that is not a command: find the action and run or offer it."""

from dataclasses import replace

from sqlalchemy.orm import Session

from commands.context import Context
from commands.reply import Button, Modal, Reply
from commands.tellme import Match, decide, search
from store.db import reading
from store.frecency import record_use

# These actions answer with their own question (how many entries would go) before doing anything.
ASKS_ITSELF = frozenset({"delete_canceled_entries", "delete_canceled_segments"})


def tellme(ctx: Context, words: list[str]) -> Reply:
    query = " ".join(words[1:] if words and words[0].lower() == "tellme" else words).strip()
    if not query:
        return Reply("Tell me what you want to do, e.g. `/crm tellme delete canceled entries`.", modal=None)
    with reading(ctx.sessions) as session:
        matches = _search(ctx, session, query)
    decision = decide(matches)
    best = decision.best
    if decision.kind == "run" and best is not None:
        return _run(ctx, best)
    if decision.kind == "confirm" and best is not None and best.action.id in ASKS_ITSELF:
        return _run(ctx, best)
    if decision.kind == "confirm" and best is not None:
        return Reply(
            f"Did you mean *{_title(ctx, best)}*?",
            paragraphs=(f"`/crm {best.command_text()}`",),
            buttons=(_offer(ctx, best), Button("No", "keep")),
        )
    if decision.kind == "choose":
        return Reply(
            f"Which one did you mean by “{query}”?",
            buttons=tuple(_offer(ctx, m) for m in decision.matches),
        )
    closest = ", ".join(_title(ctx, m) for m in decision.matches) or "none"
    return Reply(
        f"I could not find an action for “{query}”.",
        paragraphs=(f"Closest: {closest}.", "See every command with `/crm help`."),
        buttons=(Button("Help", "help"),),
    )


def understood_interaction(ctx: Context, sentence: str) -> Match | None:
    """Create Interaction with its template and contact, when Tell Me clearly reads both in `sentence`."""
    with reading(ctx.sessions) as session:
        matches = _search(ctx, session, sentence)
    decision = decide(matches)
    best = decision.best
    found_both = best is not None and {"template", "contact"} <= set(best.args)
    if decision.kind == "run" and best is not None and best.action.id == "create_interaction" and found_both:
        return best
    return None


def understood(ctx: Context, match: Match, reply: Reply) -> Reply:
    """The reply of the action Tell Me ran, saying which action it understood."""
    return replace(reply, text=f"Understood: {_title(ctx, match)}. {reply.text}", replace_original=False)


def _search(ctx: Context, session: Session, query: str) -> list[Match]:
    """Actions the user may not run are not offered (as Business Central's search is permission-aware)."""
    found = search(
        query, session=session, team_id=ctx.team_id, user_id=ctx.user_id, today=ctx.today(), limit=6
    )
    return [m for m in found if ctx.is_admin or not m.action.admin_only][:3]


def _title(ctx: Context, match: Match) -> str:
    return match.action.title_for(ctx.lang)


def _offer(ctx: Context, match: Match) -> Button:
    """The button that runs a match. A destructive action asks before it acts: Slack's confirm dialog,
    or, for the purges, their own question with the count (a click on this button only asks it)."""
    title = _title(ctx, match)[:75]
    if match.action.destructive and match.action.id not in ASKS_ITSELF:
        return Button(title, match.command_text(), "danger", confirm=f"{title}?")
    return Button(title, match.command_text())


def _run(ctx: Context, match: Match) -> Reply:
    """Run the action through the router (which checks it, and records the use, as for a typed command)
    and say what was understood."""
    from commands.router import run  # the router sends free text here: the cycle is the design

    if match.action.id == "create_interaction" and not {"template", "contact"} <= set(match.args):
        with ctx.sessions.begin() as session:
            record_use(session, ctx.team_id, ctx.user_id, match.action.id)
        values = {
            key: str(value)
            for key, value in match.args.items()
            if key in {"template", "contact", "description"}
        }
        form = Reply("Opening Create Interaction…", modal=Modal("create_interaction", values))
        return understood(ctx, match, form)
    return understood(ctx, match, run(ctx, match.command_text()))
