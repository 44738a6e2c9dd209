"""Turning the text after `/crm` into words, options and values."""

import re
import shlex
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

# Slack clients often send typographic quotes; they count as the plain ones.
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})
OPTION = re.compile(r"^([a-z][a-z_-]*)=(.*)$", re.IGNORECASE | re.DOTALL)
NUMBERS = re.compile(r"^\d+$")


class UsageError(Exception):
    """The command's words are off; the router answers with the reason and the usage line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Args:
    words: list[str]
    options: dict[str, str] = field(default_factory=dict)

    def option(self, name: str, default: str = "") -> str:
        return self.options.get(name, default)

    def require_no_extra(self) -> None:
        if self.words:
            raise UsageError(f"Unexpected “{' '.join(self.words)}”.")


def split(text: str) -> list[str]:
    try:
        return shlex.split(text.translate(QUOTES))
    except ValueError as error:
        raise UsageError("A quote is not closed.") from error


def parse(
    words: list[str],
    allowed: frozenset[str] = frozenset(),
    flags: frozenset[str] = frozenset(),
    *,
    options_only: bool = False,
) -> Args:
    """Separate `name=value` options (only names in `allowed`) and bare flags from the other words. An
    unknown name is an error, unless the word has spaces (a quoted description may contain "=").

    For a command that takes options only, words after an option continue its value, so
    `entries from=last monday` needs no quotes."""
    args = Args([])
    last = ""
    for word in words:
        match = OPTION.match(word)
        name = match.group(1).lower() if match else ""
        if match and name in allowed:
            args.options[name] = match.group(2).strip()
            last = name
        elif match and " " not in word:
            known = ", ".join(f"{option}=" for option in sorted(allowed))
            raise UsageError(f"Unknown option {name}=." + (f" Options: {known}." if known else ""))
        elif word.lower() in flags:
            args.options[word.lower()] = "yes"
            last = ""
        elif options_only and last:
            args.options[last] = f"{args.options[last]} {word}".strip()
        else:
            args.words.append(word)
    return args


def entry_numbers(words: list[str]) -> list[int]:
    """ "12, 13 14" -> [12, 13, 14]."""
    tokens = [token for word in words for token in re.split(r"[,\s]+", word) if token]
    if not tokens:
        raise UsageError("Give one or more entry numbers.")
    bad = [token for token in tokens if not NUMBERS.match(token.lstrip("#"))]
    if bad:
        raise UsageError(f"“{bad[0]}” is not an entry number.")
    numbers = [int(token.lstrip("#")) for token in tokens]
    if any(n > 2**31 - 1 for n in numbers):
        raise UsageError("That entry number is too large.")
    return numbers


def money(text: str, name: str = "cost") -> Decimal:
    try:
        value = Decimal(text.replace(",", ".").lstrip("$€£"))
    except InvalidOperation as error:
        raise UsageError(f"{name}={text} is not an amount; write it like 12.50.") from error
    if not value.is_finite() or value < 0:
        raise UsageError(f"{name} cannot be negative.")
    if value > Decimal("9999999999999999"):
        raise UsageError(f"{name} is too large.")
    return value


def minutes(text: str, name: str = "duration") -> int:
    if not NUMBERS.match(text):
        raise UsageError(f"{name}={text} is not a number of minutes (a whole number, 0 or more).")
    return int(text)


def parse_date(text: str, now: datetime) -> date:
    """ISO dates and the words people type ("today", "yesterday", "last monday", "ayer"), relative to the
    user's own date."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    import dateparser  # imported on first use: it takes a few hundred milliseconds to load

    parsed = dateparser.parse(
        text.replace("_", " "),
        languages=["en", "es"],
        settings={"RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DATES_FROM": "past"},
    )
    if parsed is None:
        raise UsageError(f"“{text}” is not a date I understand; try 2026-11-24, today or yesterday.")
    return parsed.date()


def parse_time(text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError as error:
        raise UsageError(f"“{text}” is not a time; write it like 14:30.") from error


def yes_no_all(text: str) -> str:
    value = text.lower()
    aliases = {"true": "yes", "false": "no", "si": "yes", "sí": "yes", "y": "yes", "n": "no", "todos": "all"}
    value = aliases.get(value, value)
    if value not in {"yes", "no", "all"}:
        raise UsageError("canceled= takes yes, no or all.")
    return value
