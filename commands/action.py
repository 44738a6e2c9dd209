"""What an action is: one declaration, beside its handler, that every way in reads.

    CANCEL_ENTRY = Action(
        id="cancel_entry", title="Cancel Interaction Log Entry", title_es="Cancelar mov. log. interacción",
        command=("cancel", "{entry_nos}"), args=(Arg("entry_nos", inputs.ENTRY_NOS, required=True),),
        policy=Policy(destructive="undo"), handler=cancel, ...)

The router matches `/crm` text against `command`, reads the arguments with their kinds, enforces the
policy and calls the handler; help, Tell Me, the console, the Slack share rule and the manifest hints read
the same declaration."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from commands import forms, inputs
from commands.context import Context
from commands.forms import Form
from commands.reply import Reply, Style

OPTION_LIKE = re.compile(r"^[a-z][a-z_-]*=", re.IGNORECASE)
Args = Mapping[str, Any]
"""An action's arguments, each already read by its kind (an int, a date, a list of entry numbers...)."""
Handler = Callable[[Context, Args], Reply]
Destructive = Literal["", "undo", "ask"]


@dataclass(frozen=True)
class Arg:
    name: str
    kind: inputs.Kind
    required: bool = False
    ask: str = ""
    """What to say when a required argument is not given; by default "Give <what the kind takes>."."""
    pinned: bool = False
    """Set by the action's question as of when it asked (a purge's cut-off) and carried by its button: a
    value typed is replaced by the question's, and a confirmation that lacks it is asked again."""

    def missing(self) -> str:
        return self.ask or f"Give {self.kind.label}."


@dataclass(frozen=True)
class Question:
    """What an action that asks first says before it acts (the count of what would go)."""

    text: str
    paragraph: str
    confirm: str
    """The confirm dialog's text on the button that goes ahead."""
    go: str = "Delete"
    """The label of the button that goes ahead."""
    style: Style = "danger"
    pinned: Mapping[str, Any] = field(default_factory=dict)
    """The values of the action's pinned arguments, as of the question: the button goes ahead with them."""


@dataclass(eq=False)
class Background:
    """Work of `threshold` or more (as `size` counts it) finishes after Slack has been answered."""

    size: Callable[[Context, Args], int]
    threshold: int
    working: Callable[[Args, int], str]
    """The answer given at once ("Logging segment X (3,000 contacts)…")."""


@dataclass(frozen=True)
class FormSpec:
    build: Callable[[Context, dict[str, str]], Form]
    read: Callable[[Context, dict[str, str]], dict[str, Any]]
    """The submitted fields as the action's arguments; raises FormErrors naming each bad field."""
    check: Callable[[Context, Mapping[str, Any]], None] | None = None
    """Refuses (UsageError, DomainError) before the form opens, given the arguments typed so far: the
    entry to comment on does not exist, there is no group to put a template in."""
    alone: bool = False
    """Also opened when only the required arguments are given (`/crm resume 3`): the other values are
    what the form is for."""
    subject: str = ""
    """The field a refusal that names no field is about (the code of a record that already exists)."""


@dataclass(frozen=True)
class Policy:
    read_only: bool = False
    """Shows data and changes nothing: its answer may be shared with the channel (re-run as of then)."""
    admin_only: bool = False
    destructive: Destructive = ""
    """"undo": runs when typed and answers with an Undo button; Tell Me asks before running it.
    "ask": never acts on the first request: the router asks `question` and only the question's own
    button, clicked, goes ahead."""
    listed: bool = True
    """Shown in help and found by Tell Me (the buttons' helpers, like Keep, are not)."""
    ranked: bool = True
    """Found by Tell Me (Tell Me itself is not)."""
    tracked: bool = True
    """Counted as used, for Tell Me's "recently and often used" ranking."""
    answers_no: bool = False
    """The answer of a question's Keep (or No) button."""


@dataclass(frozen=True)
class Section:
    """A heading of help: the actions of some page modules (commands.catalog) under one title."""

    topic: str
    """The word of `/crm help <topic>`."""
    title: str
    title_es: str
    actions: tuple["Action", ...]

    def title_for(self, lang: str | None) -> str:
        return self.title_es if lang == "es" else self.title


@dataclass(frozen=True)
class Action:
    id: str
    title: str
    title_es: str
    usage: str
    summary: str
    summary_es: str
    command: tuple[str, ...]
    """How the `/crm` text reads: literal words (`a|b` for aliases), and `{arg}` where an argument goes.
    Every argument may also be given as `name=value`; those not placed here are only given so."""
    handler: Handler
    args: tuple[Arg, ...] = ()
    keywords: tuple[str, ...] = ()
    keywords_es: tuple[str, ...] = ()
    policy: Policy = Policy()
    question: Callable[[Context, Args], Question | Reply | None] | None = None
    """For destructive="ask": the question, or the answer when there is nothing to do. An action that
    does not always ask (a large step on a segment is previewed first) answers None to go ahead."""
    background: Background | None = None
    form: FormSpec | None = None
    """Opened when the action is asked for without its required arguments. An action that takes
    required arguments and declares no form gets one made from its arguments (`form_spec`)."""
    featured: bool = False
    """Named in the slash command's usage hint (manifest.yml)."""
    arg_by_name: dict[str, Arg] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "arg_by_name", {arg.name: arg for arg in self.args})
        placed = {part[1:-1] for part in self.command if part.startswith("{")}
        if placed - set(self.arg_by_name):
            raise ValueError(f"{self.id} places unknown arguments {placed - set(self.arg_by_name)}")
        if self.policy.destructive == "ask" and self.question is None:
            raise ValueError(f"{self.id} asks first but has no question")

    @property
    def admin_only(self) -> bool:
        return self.policy.admin_only

    @property
    def destructive(self) -> bool:
        return bool(self.policy.destructive)

    def title_for(self, lang: str | None) -> str:
        return self.title_es if lang == "es" else self.title

    def summary_for(self, lang: str | None) -> str:
        return self.summary_es if lang == "es" else self.summary

    def hint(self) -> str:
        """The usage without `/crm` and without its optional parts: "log <template> <contact>"."""
        return self.usage.removeprefix("/crm ").split("[")[0].strip()

    def literals(self) -> list[tuple[int, tuple[str, ...]]]:
        return self._literals

    def placeholders(self) -> list[str]:
        return self._placeholders

    # Read for every command typed, against every declaration: worked out once per action.
    @cached_property
    def _literals(self) -> list[tuple[int, tuple[str, ...]]]:
        return [
            (i, tuple(part.split("|"))) for i, part in enumerate(self.command) if not part.startswith("{")
        ]

    @cached_property
    def _placeholders(self) -> list[str]:
        return [part[1:-1] for part in self.command if part.startswith("{")]

    @cached_property
    def form_spec(self) -> FormSpec | None:
        """The form asked for without the required arguments: the declared one, else one with a field per
        argument (`/crm contact add` asks for the name, the type, the e-mail...); None when nothing is
        required (the action runs)."""
        if self.form is not None or not any(arg.required for arg in self.args):
            return self.form
        build, read = forms.declared_form(self.id, self.title, self.summary, self.args)
        return FormSpec(build, read)

    def may_run(self, ctx: Context) -> bool:
        return ctx.is_admin or not self.policy.admin_only

    def command_text(self, args: Mapping[str, Any] | None = None) -> str:
        """The `/crm` command (without `/crm`) that runs this action with these arguments. Arguments are
        placed while each place is filled; after a gap they follow as `name=value`."""
        values = {name: value for name, value in (args or {}).items() if not _absent(value)}
        unknown = set(values) - set(self.arg_by_name)
        if unknown:
            raise ValueError(f"{self.id} takes no argument {', '.join(sorted(unknown))}")
        words: list[str] = []
        placed: set[str] = set()
        gap = False
        for index, part in enumerate(self.command):
            if not part.startswith("{"):
                words.append(part.split("|")[0])
                continue
            name = part[1:-1]
            more = any(p.startswith("{") and p[1:-1] in values for p in self.command[index + 1 :])
            if name in values and not gap and self._placeable(name, values[name], more):
                placed.add(name)
                words.append(self._render(name, values[name], placed=True))
            else:
                gap = True
        for arg in self.args:
            if arg.name in values and arg.name not in placed:
                value = values[arg.name]
                if arg.kind.flag:
                    words.append(arg.name)
                else:
                    words.append(f"{arg.name}={self._render(arg.name, value)}")
        return " ".join(words)

    def _placeable(self, name: str, value: Any, more: bool) -> bool:
        """Whether a value reads back as itself in its place: not when it would read as an option
        (`cost=5 dollars`) or a bare word with a meaning of its own (`failed`, `confirmed`), nor when the
        next place's words could be read as part of it (a contact's name before a description)."""
        kind = self.arg_by_name[name].kind
        if kind.raw or kind.options:  # criteria (`where country=ES`) are read back from their place
            return True
        text = kind.render(value).translate(inputs.QUOTES).strip()
        bare = {arg.name for arg in self.args if arg.kind.flag} | {"confirmed"}
        ends = not more or kind.ends_itself(text)
        return ends and not OPTION_LIKE.match(text) and text.lower() not in bare

    def _render(self, name: str, value: Any, *, placed: bool = False) -> str:
        """The value as one word of the command (inputs.quote); a name of several words in its place needs
        no quotes."""
        kind = self.arg_by_name[name].kind
        text = kind.render(value)
        if placed and kind.spaced and not any(ch in inputs.QUOTE_MARKS for ch in text):
            return text
        return inputs.quote(text)


def _absent(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, str | list | tuple) and not value)
