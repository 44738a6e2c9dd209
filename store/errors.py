"""Domain errors: each carries a short message a user can act on. Adapters catch DomainError only."""

from collections.abc import Iterable


class DomainError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    pass


class Invalid(DomainError):
    pass


class Conflict(DomainError):
    """The request clashes with the current state (already logged, already exists, canceled segment...)."""


class Forbidden(DomainError):
    pass


class Ambiguous(DomainError):
    """Several records fit what the user typed; `choices` lists (number, label) pairs to pick from."""

    def __init__(self, message: str, choices: list[tuple[str, str]], query: str = "") -> None:
        super().__init__(message)
        self.choices = choices
        self.query = query


def not_found(kind: str, key: str, known: Iterable[str] = ()) -> NotFound:
    known = list(known)
    hint = f" Known {kind}s: {', '.join(known[:8])}{'…' if len(known) > 8 else ''}." if known else ""
    return NotFound(f"{kind.capitalize()} {key} does not exist.{hint}")
