"""One entry point for every adapter: `/crm` text, a submitted form or queued work in, a Reply out.

The router reads the declarations and enforces their policy in one place: who may run an action, asking
before destructive work, opening the action's form when its arguments are missing, handing large work to
the background, and what a Share may re-run. User mistakes come back as a one-line reason with the usage
of the command; they never raise and never change anything."""

import logging
from collections.abc import Callable
from functools import cached_property
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from commands import assistant, catalog, grammar
from commands.action import Action, Args, FormSpec, Section
from commands.context import Context
from commands.forms import Form, FormErrors
from commands.inputs import QUOTES, Code, Number, Numbers, UsageError, split
from commands.kind import TooLong
from commands.reply import BackgroundWork, Button, Modal, Reply, error
from commands.tellme import Match, Ranker
from commands.tellme.normalize import fold
from commands.tellme.normalize import words as sentence_words
from store.contact_search import warm_contact_indexes
from store.errors import Ambiguous, DomainError, Forbidden, NotFound

log = logging.getLogger(__name__)
SOMETHING_WRONG = "Something went wrong on our side; nothing was changed. Please try again."
DATABASE_AWAY = (
    "The database cannot be reached right now, so nothing was changed. Please try again in a moment."
)


class Router:
    def __init__(self, actions: tuple[Action, ...], sections: tuple[Section, ...] = ()) -> None:
        self.sections = sections
        self.actions = actions + assistant.actions(self)
        self.by_id = {action.id: action for action in self.actions}
        self.keep = next(a for a in self.actions if a.policy.answers_no).command_text()

    @cached_property
    def ranker(self) -> Ranker:
        return Ranker(a for a in self.actions if a.policy.listed and a.policy.ranked)

    def warm(self, sessions: sessionmaker[Session]) -> int:
        """Build what a first Tell Me query would otherwise wait for: the ranker, and the contact index of
        every workspace (a serving process calls this as it starts). How many workspaces were indexed."""
        _ = self.ranker  # a cached property: built here, once
        return warm_contact_indexes(sessions)

    def run(self, ctx: Context, text: str) -> Reply:
        return self._guarded(ctx, text, lambda: self._run(ctx, text))

    def _run(self, ctx: Context, text: str, *, reread: bool = True) -> Reply:
        try:
            words = split(text.strip()) or ["help"]
        except UsageError:
            if grammar.known_word(self.actions, text.split()[0]):
                raise
            return assistant.tell_me(ctx, text.strip(), self)  # "what's Kim's e-mail?" is a sentence
        action = grammar.match(self.actions, words)
        if action is None:
            if grammar.known_word(self.actions, words[0]):
                # "export interaction log entries" spells no command, but says clearly what it asks for.
                clear = assistant.clear_reading(ctx, text.strip(), self) if reread else None
                if clear is not None:
                    return assistant.carry_out(ctx, clear, self)
                raise UsageError(f"Unknown “{' '.join(words)}”.")
            return assistant.tell_me(ctx, text.strip(), self)  # as typed: "Kim's e-mail" keeps its 's
        if _sentence(action, words):
            return assistant.tell_me(ctx, text.strip(), self)  # "log me out", "cancel my lunch"
        reading: grammar.Reading | None = None
        try:
            reading = grammar.read(action, words, ctx)
            if reading.missing and not _placed(action, words):
                reread = False  # `contact`, `log contact=CT000001`: the command itself, asking what it lacks
            if reading.missing and reread:
                # "log segment" is a sentence, not the template SEGMENT with a contact to ask for.
                other = assistant.clear_reading(ctx, " ".join(words), self)
                if other is not None and other.action is not action:
                    return assistant.carry_out(ctx, other, self)
            return self._carry_out(ctx, reading)
        except (grammar.OptionError, TooLong):
            raise
        except Ambiguous as failure:
            if reading is None:
                raise
            return _choose(failure, action, reading.args)
        except (UsageError, NotFound) as refused:
            # "log a call with jon smth", "cancel entry 14" are sentences: the words the grammar cannot take
            # go to Tell Me whole, and what it reads completely (another action, or this one with what it
            # found) is done; otherwise the grammar's reason stands.
            match = _reread(ctx, action, words, self) if reread else None
            again = match.command_text() if match is not None else ""
            if match is None or again == _typed(action, reading):
                raise refused
            if match.action is not action:
                return assistant.carry_out(ctx, match, self)
            if not match.args and match.understood < 1.0:  # "entries zzqx wobble"; not "segments pls"
                raise refused
            if _asks_again(refused, reading, match, self.ranker):
                raise refused  # the form would ask for the very value refused: say why it was
            if _stands(action, reading, words, match.args) or _refused_as_read(refused, reading, match.args):
                raise refused
            opens_form = any(arg.required and arg.name not in match.args for arg in action.args)
            if action.policy.read_only or opens_form or isinstance(refused, NotFound):
                return assistant.understood(
                    ctx, match, self._guarded(ctx, again, lambda: self.run_as(ctx, action, again))
                )
            return assistant.suggest(ctx, match)

    def run_as(self, ctx: Context, action: Action, text: str) -> Reply:
        """Run `action` with the words of its command (Tell Me's reading): read as that action's, even
        where another action's command starts the same (`log PHONE` of Log Segment is no interaction)."""
        try:
            words = split(text.strip())
        except UsageError as refused:
            return error(refused.message)

        def carry_out() -> Reply:
            reading = grammar.read(action, words, ctx)
            try:
                return self._carry_out(ctx, reading)
            except Ambiguous as failure:  # "log a call with Peter": a button per Peter
                return _choose(failure, action, reading.args)

        return self._guarded(ctx, text, carry_out)

    def _carry_out(self, ctx: Context, reading: grammar.Reading) -> Reply:
        action = reading.action
        spec = action.form_spec
        if spec is not None and _opens_form(action, spec, reading) and action.may_run(ctx):
            if spec.check is not None:
                spec.check(ctx, reading.args)
            return Reply(f"Opening {action.title}…", modal=Modal(action.id, reading.texts))
        if reading.missing:
            raise UsageError(action.arg_by_name[reading.missing[0]].missing())
        return self.dispatch(ctx, action, reading.args, confirmed=reading.confirmed)

    def dispatch(
        self, ctx: Context, action: Action, args: Args, *, confirmed: bool = False, queued: bool = False
    ) -> Reply:
        """Run `action` under its policy. `queued`: the work was handed to the background and now runs."""
        if not action.may_run(ctx):
            raise Forbidden(
                f"Only admins may run {action.title}. Ask a workspace admin, or one listed in CRM_ADMINS."
            )
        # A click on the question's own button goes ahead, with the values the question pinned.
        as_asked = confirmed and ctx.clicked and all(a.name in args for a in action.args if a.pinned)
        asking = action.question is not None and not queued and not as_asked
        asked = action.question(ctx, args) if asking and action.question is not None else None
        if isinstance(asked, Reply):
            return asked
        if asked is not None:
            command = action.command_text({**args, **asked.pinned})
            return Reply(
                asked.text,
                paragraphs=(asked.paragraph,),
                buttons=(
                    Button(asked.go, f"{command} {grammar.CONFIRMED}", asked.style, confirm=asked.confirm),
                    Button("Keep", self.keep),
                ),
            )
        if action.background is not None and not queued:
            size = action.background.size(ctx, args)
            if size >= action.background.threshold:
                return Reply(
                    action.background.working(args, size),
                    background=BackgroundWork(action.id, {"command": action.command_text(args)}),
                    replace_original=action.question is not None,
                )
        return action.handler(ctx, args)

    def background(self, ctx: Context, work: BackgroundWork) -> Reply:
        """Queued work: the action's command, read again and run now (its policy checked again)."""

        def call() -> Reply:
            action = self.by_id.get(work.kind)
            if action is None or action.background is None:
                return error(f"Unknown background work {work.kind}.")
            reading = grammar.read(action, split(str(work.payload.get("command", ""))), ctx)
            if reading.missing:
                raise UsageError(action.arg_by_name[reading.missing[0]].missing())
            return self.dispatch(ctx, action, reading.args, queued=True)

        return self._guarded(ctx, work.kind, call)

    def form(self, kind: str, ctx: Context, values: dict[str, str] | None = None) -> Form:
        spec = self.by_id[kind].form_spec
        if spec is None:
            raise KeyError(f"{kind} has no form")
        return spec.build(ctx, dict(values or {}))

    def submit(self, kind: str, ctx: Context, values: dict[str, str]) -> Reply:
        """Run the form's action with its fields; raises FormErrors naming each bad field."""
        action = self.by_id[kind]
        spec = action.form_spec
        if spec is None:
            raise FormErrors({"": f"{kind} has no form."})
        args = spec.read(ctx, values)
        try:
            reply = self.dispatch(ctx, action, args)
        except Ambiguous as failure:
            raise FormErrors({"contact": failure.message}) from failure
        except (UsageError, DomainError) as failure:
            field = _field_of(failure.message, values, spec.subject)
            raise FormErrors({field: failure.message}) from failure
        return reply

    def is_read_only(self, text: str) -> bool:
        """Whether `text` runs an action that only shows data (so its answer may be shared)."""
        try:
            words = split(text)
        except UsageError:
            return False
        action = grammar.match(self.actions, words) if words else None
        return action is not None and action.policy.read_only

    def background_kinds(self) -> frozenset[str]:
        return frozenset(action.id for action in self.actions if action.background is not None)

    def usage_hint(self) -> str:
        """The slash command's usage hint in the app manifest."""
        return " | ".join([*(a.hint() for a in self.actions if a.featured), "or say what you want"])

    def usage(self, word: str) -> tuple[str, ...]:
        """The usage lines of the actions a command word starts."""
        word = word.lower()
        starts = (a.usage for a in self.actions if any(word in parts for i, parts in a.literals() if i == 0))
        return tuple(dict.fromkeys(starts))

    def _guarded(self, ctx: Context, text: str, call: Callable[[], Reply]) -> Reply:
        try:
            return call()
        except Ambiguous as failure:
            return error(failure.message, paragraphs=tuple(label for _, label in failure.choices[:5]))
        except (UsageError, DomainError) as failure:
            first = text.split()[0] if text.split() else ""
            return error(failure.message, *self.usage(first.translate(QUOTES)))
        except OperationalError as failure:
            if not failure.connection_invalidated and not _unreachable(failure):
                log.exception("/crm %s failed", text)
                return error(SOMETHING_WRONG)
            log.warning("/crm %s: the database cannot be reached (%s)", text, failure.orig)
            return error(DATABASE_AWAY)
        except Exception:
            log.exception("/crm %s failed", text)
            return error(SOMETHING_WRONG)


def _unreachable(failure: OperationalError) -> bool:
    """A connection that could not be made (refused, timed out, no such file), rather than a query that
    failed on a live one."""
    words = str(failure.orig).lower()
    return any(
        sign in words
        for sign in ("connection refused", "could not connect", "unable to open", "timeout expired")
    )


def _stands(action: Action, reading: grammar.Reading | None, words: list[str], reread: Args) -> bool:
    """Whether the refusal of a command that selects contacts by criteria stands against Tell Me's reading
    of the same words: they hold criteria typed as `name=value` (read again as a sentence,
    `company=Nobody` would be any company), or Tell Me read less of them."""
    if not any(arg.kind.options for arg in action.args):
        return False
    criteria = any(grammar.OPTION.match(word) for word in words)
    return criteria or (reading is not None and bool(set(reading.args) - set(reread)))


def _refused_as_read(refused: Exception, reading: grammar.Reading | None, reread: Args) -> bool:
    """Whether the action itself refused what the grammar read in full (`link John Smith` in a direct
    message), and Tell Me reads no argument more: read again, it would be refused the same way."""
    if reading is None or reading.missing or isinstance(refused, NotFound):
        return False
    return set(reread) <= set(reading.args)


def _reread(ctx: Context, action: Action, words: list[str], router: Router) -> Match | None:
    """Tell Me's reading of a refused command's words: a complete one, or this very action's with what it
    read for its form to open with ("log a phone call about the quote": the form, template PHONE)."""
    sentence = " ".join(words)
    match = assistant.complete_reading(ctx, sentence, router)
    if match is None:
        # Another action, when every word says it ("cancel a logged segment": its form asks which).
        match = assistant.clear_reading(ctx, sentence, router)
        wanted = match is not None and (match.action is action or match.understood == 1.0)
        return match if wanted else None
    return match


PRONOUNS = frozenset({"me", "my", "mi", "mis", "your", "tu", "tus", "our", "su", "sus", "it"})
PRONOUNS |= {"a", "an", "the", "un", "una", "el", "la", "los", "las", "some", "this", "that", "esta", "este"}
"""Words that never are a code or a number, but start a sentence's object ("cancel my lunch", "log me
out")."""
OWNED = frozenset({"my", "mi", "mis", "our", "your", "tu", "tus"})
"""... nor any value at all: what follows is the user's own thing, no record's name."""


def _sentence(action: Action, words: list[str]) -> bool:
    """Whether the words after a command word are a sentence, not the command's values: the first place
    takes a code or a number, and holds a pronoun ("log me out", "cancel my lunch", "registrar mi salida"),
    or the command word and the next make one of Tell Me's expressions ("log off", "sign in"). A word in
    capitals is a code, whatever it spells."""
    # The first place is where the command's first placeholder stands: after its literals, or between
    # them (`segment {segment} add`).
    first = next((i for i, part in enumerate(action.command) if part.startswith("{")), None)
    if first is None or len(words) <= first or grammar.OPTION.match(words[first]):
        return False
    if words[first].lower() in OWNED:
        return True  # "link my github account": no contact is called "my ..."
    places = action.placeholders()
    if not isinstance(action.arg_by_name[places[0]].kind, Code | Number | Numbers):
        return False
    if words[first].isupper() or words[first].isdigit():  # `log IT …`, `log OUT …`, `entry 14`
        return False
    following = words[first].lower()
    if following in PRONOUNS:
        return True
    said = sentence_words(" ".join(words[: first + 1]))
    return not said or " " in said[0].raw


def _placed(action: Action, words: list[str]) -> bool:
    """Whether words beyond the command's own stand in its places (`log segment`), not only options."""
    return len([word for word in words if not grammar.OPTION.match(word)]) > len(action.literals())


def _typed(action: Action, reading: grammar.Reading | None) -> str:
    return action.command_text(reading.args) if reading is not None else ""


def _choose(failure: Ambiguous, action: Action, args: Args) -> Reply:
    """Several contacts fit what was typed: a button per contact, running the same command with it."""
    choices = []
    for number, label in failure.choices[:5]:
        chosen = {
            name: number
            if value == failure.query
            else [number if item == failure.query else item for item in value]
            if isinstance(value, list)
            else value
            for name, value in args.items()
        }
        choices.append(Button(label, action.command_text(chosen)))
    return Reply(failure.message, buttons=tuple(choices), error=True)


def _asks_again(refused: Exception, reading: grammar.Reading | None, match: Match, ranker: Ranker) -> bool:
    """Whether Tell Me's reading leaves out a value typed as one word in its place that did not read (a
    typo, a value too long, a template NOPE that does not exist; not a sentence's words: those may well
    be another argument's, nor a word Tell Me knows, as the "interaction" of `resume interaction`): the
    form would ask for the very value refused, so its reason is said."""
    args = match.args
    if isinstance(refused, grammar.PlacedValueError) and _own_word(ranker, match, refused.text):
        return False
    if isinstance(refused, grammar.PlacedValueError):
        name, text = refused.name, refused.text
    elif isinstance(refused, NotFound) and reading is not None:
        named = [(name, text) for name, text in reading.texts.items() if text and text in refused.message]
        if not named:
            return False
        name, text = named[0]
    else:
        return False
    return " " not in text.strip() and name not in args


def _own_word(ranker: Ranker, match: Match, text: str) -> bool:
    """Whether Tell Me reads `text` as a word of the action it found (`resume interaction`)."""
    own = ranker.action_concepts.get(match.action.id, frozenset())
    return bool(text.split()) and all(ranker.resolve(fold(word)).keys() & own for word in text.split())


def _opens_form(action: Action, spec: FormSpec, reading: grammar.Reading) -> bool:
    """Asked for without its required arguments, or (a form for the other values) with only those."""
    required = {arg.name for arg in action.args if arg.required}
    return bool(reading.missing) or (spec.alone and set(reading.args) <= required)


def _field_of(message: str, values: dict[str, Any], subject: str = "") -> str:
    """The field a refusal is about: the first one it names, else the form's subject."""
    lowered = message.lower()
    for name in values:
        if name and name in lowered:
            return name
    if subject:
        return subject
    return "description" if "description" in values else next(iter(values), "")


ROUTER = Router(catalog.PAGES, catalog.SECTIONS)
run = ROUTER.run
