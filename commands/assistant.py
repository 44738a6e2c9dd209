"""The actions about the other actions: Help, Tell Me, and Keep (the answer to a question that asks before
deleting). They are handed the router that holds the catalog; they never import it."""

from dataclasses import replace
from typing import Any, Protocol

from commands import grammar, inputs
from commands import help as help_pages
from commands.action import Action, Arg, Args, FormSpec, Policy, Section
from commands.context import Context
from commands.forms import Field, Form, read_fields
from commands.inputs import split
from commands.reply import Button, Modal, Reply
from commands.tellme import Match, Ranker, decide, search
from store.db import reading
from store.frecency import count_use


class Router(Protocol):
    actions: tuple[Action, ...]
    sections: tuple[Section, ...]

    def run(self, ctx: Context, text: str) -> Reply: ...

    def run_as(self, ctx: Context, action: Action, text: str) -> Reply: ...

    @property
    def ranker(self) -> Ranker: ...


def actions(router: Router) -> tuple[Action, ...]:
    """Help, Tell Me and Keep, bound to `router`."""

    def help_reply(ctx: Context, args: Args) -> Reply:
        """Every command the user may run, from the declarations, under the catalog's headings."""
        if args.get("topic"):
            return help_pages.topic(ctx, args["topic"], router.actions, router.sections)
        return help_pages.overview(ctx, router.actions, router.sections)

    def tellme_reply(ctx: Context, args: Args) -> Reply:
        return tell_me(ctx, args["text"], router)

    def tellme_form(ctx: Context, values: dict[str, str]) -> Form:
        return Form(
            "tellme",
            "Tell Me",
            "Search",
            (Field("text", "What do you want to do?", "text", values.get("text", "")),),
        )

    def read_tellme(ctx: Context, values: dict[str, str]) -> dict[str, Any]:
        return read_fields(ctx, values, {"text": TEXT.kind}, required=("text",))

    TEXT = Arg("text", inputs.Sentence("what you want to do"), required=True)
    return (
        Action(
            id="help",
            title="Help",
            title_es="Ayuda",
            usage="/crm help [<topic>]",
            summary="List the commands by topic, with examples to click; a topic's in full.",
            summary_es="Lista los comandos por tema, con ejemplos; los de un tema, completos.",
            command=("help", "{topic}"),
            args=(Arg("topic", inputs.Text("a help topic", 100)),),
            featured=True,
            handler=help_reply,
            keywords=("help", "commands", "what can you do", "what can i do", "how to", "usage", "manual"),
            keywords_es=("ayuda", "comandos", "qué puedes hacer", "qué puedo hacer", "cómo"),
            policy=Policy(read_only=True, tracked=False),
        ),
        Action(
            id="tellme",
            title="Tell Me",
            title_es="Dígame",
            usage="/crm tellme <text>",
            summary="Describe what you want in your own words, in English or Spanish.",
            summary_es="Describe lo que quieres con tus palabras, en español o en inglés.",
            command=("tellme|tellme-form", "{text}"),
            handler=tellme_reply,
            args=(TEXT,),
            policy=Policy(ranked=False, tracked=False),
            form=FormSpec(tellme_form, read_tellme),
        ),
        Action(
            id="keep",
            title="Keep",
            title_es="Conservar",
            usage="/crm keep",
            summary="Answer No to a question: nothing is done.",
            summary_es="Responde No a una pregunta: no se hace nada.",
            command=("keep",),
            handler=lambda ctx, args: Reply("Kept: nothing was deleted.", replace_original=True),
            policy=Policy(listed=False, tracked=False, answers_no=True),
        ),
    )


def tell_me(ctx: Context, query: str, router: Router) -> Reply:
    """Find the action `query` asks for and run it, ask to confirm it, or offer the closest ones."""
    decision = decide(_search(ctx, query, router))
    best = decision.best
    if decision.kind in ("run", "confirm") and best is not None:
        return carry_out(ctx, best, router)
    if decision.leader is not None:
        return suggest(ctx, decision.leader, decision.matches[1:])
    if decision.kind == "choose":
        return Reply(
            f"Which one did you mean by “{query}”?", buttons=tuple(_offer(ctx, m) for m in decision.matches)
        )
    closest = ", ".join(_title(ctx, m) for m in decision.matches) or "none"
    return Reply(
        f"I could not find an action for “{query}”.",
        paragraphs=(f"Closest: {closest}.", "See every command with `/crm help`."),
        buttons=(Button("Help", "help"),),
    )


def carry_out(ctx: Context, match: Match, router: Router) -> Reply:
    """Do what Tell Me read at once: run it, or ask first when it can be undone (a cancel). When it read
    too little for the command to say (`segment <code> add where …` without the code), the action's form
    opens with what it did read."""
    action = match.action
    missing = any(arg.required and arg.name not in match.args for arg in action.args)
    if action.policy.destructive == "undo" and not missing:
        return suggest(ctx, match)
    command = match.command_text()
    unsaid = missing and grammar.match(router.actions, split(command)) is not action
    # Asking what is missing is asking first: a cancel's form names the entries, and its button cancels.
    if (unsaid or action.destructive) and action.form_spec is not None and action.may_run(ctx):
        values = {name: action.arg_by_name[name].kind.render(v) for name, v in match.args.items()}
        return understood(ctx, match, Reply(f"Opening {action.title}…", modal=Modal(action.id, values)))
    return understood(ctx, match, router.run_as(ctx, action, command))


def suggest(ctx: Context, match: Match, others: tuple[Match, ...] = ()) -> Reply:
    """Ask before running what Tell Me read: the command it would run, and a button for it (then one for
    each of the other actions it found, further behind)."""
    return Reply(
        f"Did you mean *{_title(ctx, match)}*?",
        paragraphs=(f"`/crm {match.command_text()}`",),
        buttons=(_offer(ctx, match), *(_offer(ctx, other) for other in others), Button("No", "keep")),
    )


def clear_reading(ctx: Context, sentence: str, router: Router) -> Match | None:
    """The action Tell Me would run at once for `sentence`, with every argument it requires (or with a form
    that asks for the rest)."""
    decision = decide(_search(ctx, sentence, router))
    best = decision.best
    if decision.kind != "run" or best is None:
        return None
    missing = any(arg.required and arg.name not in best.args for arg in best.action.args)
    return None if missing and best.action.form_spec is None else best


def complete_reading(ctx: Context, sentence: str, router: Router) -> Match | None:
    """What Tell Me would run, or ask to confirm, at once for `sentence`, with every argument it requires:
    for words the grammar could not take."""
    decision = decide(_search(ctx, sentence, router))
    best = decision.best
    if decision.kind not in ("run", "confirm") or best is None or not best.complete():
        return None
    return best


def understood(ctx: Context, match: Match, reply: Reply) -> Reply:
    """The reply of the action Tell Me ran, saying which action it understood. Only what Tell Me runs
    counts for its frecency: a command typed exactly, or a button, needs no ranking, and counting every one
    cost a second write transaction per `/crm log` (on SQLite a second turn at the one writer lock)."""
    if match.action.policy.tracked and not reply.error:
        count_use(ctx.sessions, ctx.team_id, ctx.user_id, match.action.id)
    return replace(reply, text=f"Understood: {_title(ctx, match)}. {reply.text}", replace_original=False)


def _search(ctx: Context, query: str, router: Router) -> list[Match]:
    """Actions the user may not run are not offered (as Business Central's search is permission-aware)."""
    with reading(ctx.sessions) as session:
        found = search(
            query,
            router.ranker,
            session=session,
            team_id=ctx.team_id,
            user_id=ctx.user_id,
            today=ctx.today(),
            limit=6,
        )
    return [m for m in found if m.action.may_run(ctx)][:3]


def _title(ctx: Context, match: Match) -> str:
    return match.action.title_for(ctx.lang)


def _offer(ctx: Context, match: Match) -> Button:
    """The button that runs a match. One that can be undone asks in Slack's confirm dialog first; one that
    asks first asks its own question (with the count) when clicked."""
    title = _title(ctx, match)[:75]
    if match.action.policy.destructive == "undo":
        return Button(title, match.command_text(), "danger", confirm=f"{title}?")
    return Button(title, match.command_text())
