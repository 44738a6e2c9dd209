"""What every kind of value is (see commands.inputs), and the error a bad value raises."""

from collections.abc import Sequence
from typing import Any

from commands.context import Context


class UsageError(Exception):
    """The words are off; the answer is the reason (and, for a command, its usage line)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooLong(UsageError):
    """A value longer than its bound: the command was understood, so its words are not read again as a
    sentence (which would only offer the same command)."""


class Kind:
    label = "a value"
    """What to give, after "Give": "an entry number"."""
    flag = False
    """A bare word (`failed`) rather than `name=value`."""
    spaced = False
    """Its text may have spaces without quotes where it is placed (it takes the words that follow)."""
    options = False
    """Takes the `name=value` words that are not the action's own options (segment criteria)."""
    rest = False
    """Given as `name=value`, the words after it continue its value (`due=next tuesday`)."""
    raw = False
    """Placed first, it takes every word that follows as typed: no options, no flags (free text)."""
    max_length: int | None = None
    """The longest text it reads, when it has a bound (a form's text input takes no more)."""

    def parse(self, text: str, ctx: Context | None, name: str) -> Any:
        """`ctx`: the user's context where there is one (the grammar, forms); None for an ERP or a file."""
        return text

    def render(self, value: Any) -> str:
        return str(value)

    def take(self, words: Sequence[str], ctx: Context, more: bool) -> int:
        """How many of these positional words the argument takes (`more`: other places follow)."""
        return 1

    def ends_itself(self, text: str) -> bool:
        """Whether this value, placed before another, is read back without the other's words."""
        return True
