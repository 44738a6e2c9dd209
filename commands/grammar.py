"""Reading `/crm` words against the declarations: which action they ask for, and its arguments.

Options are `name=value` anywhere; flags are bare words (`failed`); the other words fill the places of the
action's `command` in order, each argument's kind saying how many it takes. An action with an argument
whose kind takes options (segment criteria) places the `name=value` words that are not its own options.
For an action that places no arguments, the words after an option continue its value
(`entries from=last monday`)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from commands.action import Action
from commands.context import Context
from commands.inputs import ContactRef, Text, UsageError, as_typed
from commands.kind import TooLong

OPTION = re.compile(r"^([a-z][a-z_-]*)=(.*)$", re.IGNORECASE | re.DOTALL)
CONFIRMED = "confirmed"
"""The word that the Delete button of an asking action's question adds to its command."""


@dataclass
class Reading:
    action: Action
    args: dict[str, Any] = field(default_factory=dict)
    confirmed: bool = False
    missing: list[str] = field(default_factory=list)
    """Required arguments not given: the action's form opens, or the usage error names the first."""
    texts: dict[str, str] = field(default_factory=dict)
    """The arguments as typed, for a form to pre-fill."""


def match(actions: Sequence[Action], words: Sequence[str]) -> Action | None:
    """The action the words spell: of those whose literal words stand in their places, the one spelling
    the most; then the one whose options are given (`cancel segment=4`); then the one that takes words
    when words are given (`setup` shows the setup, `setup <kind> <template>` changes it). An action with a
    form is also spelled by words that stop at one of its literal words after a place (its form opens)."""
    typed = [word.lower() for word in words if not OPTION.match(word)]
    given = {m.group(1).lower() for word in words if (m := OPTION.match(word))}
    best: tuple[tuple[int, bool, bool], Action] | None = None
    for action in _by_first_word(actions).get(typed[0], ()) if typed else ():
        literal = action.literals()
        if not literal or not (_spelled(literal, typed) or _up_to_a_form(action, literal, typed)):
            continue
        options = {arg.name for arg in action.args}
        required = {arg.name for arg in action.args if arg.required and arg.name not in action.placeholders()}
        fits = given <= options | {CONFIRMED} and required <= given
        takes_words = bool(action.placeholders()) == (len(typed) > len(literal))
        key = (len(literal), fits, takes_words)
        if best is None or key > best[0]:
            best = (key, action)
    return best[1] if best else None


def _spelled(literal: list[tuple[int, tuple[str, ...]]], typed: list[str]) -> bool:
    return all(i < len(typed) and typed[i] in parts for i, parts in literal)


def _up_to_a_form(action: Action, literal: list[tuple[int, tuple[str, ...]]], typed: list[str]) -> bool:
    """Words that stop at a literal word after a place (`segment SM01 reduce`), the command's further words
    left out, ask for an action that has a form: it opens (`segment SM01 reduce where <criteria>`)."""
    cut = len(typed)
    spelled = [(i, parts) for i, parts in literal if i < cut]
    return (
        action.form is not None
        and len(spelled) < len(literal)
        and bool(spelled)
        and spelled[-1][0] == cut - 1
        and any(part.startswith("{") for part in action.command[: cut - 1])
        and all(typed[i] in parts for i, parts in spelled)
    )


def known_word(actions: Sequence[Action], word: str) -> bool:
    return word.lower() in _by_first_word(actions)


_INDEXES: dict[int, tuple[Sequence[Action], dict[str, tuple[Action, ...]]]] = {}


def _by_first_word(actions: Sequence[Action]) -> dict[str, tuple[Action, ...]]:
    """Every action spells its first word (its command word), so only those spelling the typed one can
    match: a handful instead of every declaration, for each command typed. Worked out once per list."""
    known = _INDEXES.get(id(actions))
    if known is not None and known[0] is actions:
        return known[1]
    index: dict[str, list[Action]] = {}
    for action in actions:
        for i, parts in action.literals():
            if i == 0:
                for part in parts:
                    index.setdefault(part, []).append(action)
    found = {word: tuple(found) for word, found in index.items()}
    if len(_INDEXES) > 16:
        _INDEXES.clear()
    _INDEXES[id(actions)] = (actions, found)
    return found


class OptionError(UsageError):
    """An option typed as `name=value` is unknown or its value is wrong: said as it is, never re-read."""


class PlacedValueError(UsageError):
    """The words in an argument's place do not read as that argument (`evaluate 3 superb`)."""

    def __init__(self, message: str, name: str, text: str) -> None:
        super().__init__(message)
        self.name = name
        self.text = text


def read(action: Action, words: Sequence[str], ctx: Context) -> Reading:
    reading = Reading(action)
    names = {arg.name: arg for arg in action.args}
    flags = {arg.name for arg in action.args if arg.kind.flag}
    asks = action.question is not None
    positional: list[str] = []
    options: dict[str, str] = {}
    typed: set[str] = set()
    last = ""
    just_given = ""  # the option the word before gave: a word after it may be meant as more of its value
    continues = not action.placeholders()
    free = any(arg.kind.options for arg in action.args)
    for index, word in enumerate(words):
        if _raw_from(action, positional):
            positional.extend(words[index:])  # free text (Tell Me's): every word as typed
            break
        found = OPTION.match(word)
        name = found.group(1).lower() if found else ""
        given = ""
        if found and name in names:
            options[name] = found.group(2).strip()
            typed.add(name)
            last = given = name
        elif found and " " not in word and not free:
            known = ", ".join(f"{n}=" for n in sorted(names) if n not in flags)
            raise OptionError(f"Unknown option {name}=." + (f" Options: {known}." if known else ""))
        elif word.lower() in flags or (asks and word.lower() == CONFIRMED):
            options[word.lower()] = "yes"
            last = ""
        elif last and (continues or names[last].kind.rest):
            options[last] = f"{options[last]} {word}".strip()
        elif just_given and isinstance(names[just_given].kind, Text | ContactRef):
            value = f"{options[just_given]} {word}"
            raise OptionError(
                f"“{word}” follows {just_given}={options[just_given]}: if it is part of that value, put the "
                f'value in quotes ({just_given}="{value}"); otherwise put it before the options.'
            )
        else:
            positional.append(word)
        just_given = given
    reading.confirmed = options.pop(CONFIRMED, "") == "yes"
    _place(action, positional, options, ctx)
    reading.texts = dict(options)
    for arg in action.args:
        text = options.get(arg.name)
        if text is None or (text == "" and not arg.kind.flag):
            if arg.required:
                reading.missing.append(arg.name)
            continue
        try:
            reading.args[arg.name] = arg.kind.parse(text, ctx, arg.name)
        except TooLong:
            raise
        except UsageError as refused:
            if arg.name in typed:
                raise OptionError(refused.message) from None
            raise PlacedValueError(refused.message, arg.name, text) from None
    return reading


def _raw_from(action: Action, positional: list[str]) -> bool:
    """Whether the words from here on fill a free-text place that takes them as typed."""
    literals = len(action.literals())
    places = action.placeholders()
    return len(positional) >= literals and bool(places) and action.arg_by_name[places[0]].kind.raw


def _place(action: Action, words: list[str], options: dict[str, str], ctx: Context) -> None:
    """Fill the action's places from the positional words (literal words are checked by `match`)."""
    places = action.command
    rest = list(words)
    literal_left = [part for part in places if not part.startswith("{")]
    for index, part in enumerate(places):
        if not part.startswith("{"):
            if rest and rest[0].lower() in part.split("|"):
                rest.pop(0)
            literal_left.pop(0)
            continue
        name = part[1:-1]
        if not rest or name in options:
            continue
        more = any(p.startswith("{") and p[1:-1] not in options for p in places[index + 1 :])
        if literal_left:  # a literal word follows (`segment <code> add ...`): this place takes one word
            taken = 1
        else:
            taken = max(1, min(len(rest), action.arg_by_name[name].kind.take(rest, ctx, more)))
        words_taken = rest[:taken]  # free text of several words keeps its quotes, as typed
        free_text = isinstance(action.arg_by_name[name].kind, Text) and taken > 1
        options[name] = as_typed(words_taken) if free_text else " ".join(words_taken)
        del rest[:taken]
    if rest:
        raise UsageError(f"Unexpected “{' '.join(rest)}”.")
