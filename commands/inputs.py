"""One parser per kind of value, with its bounds and its message, for every way in: the `/crm` grammar,
the forms, the `crm` command line and the document webhook.

A kind reads text into a value (`parse`), writes a value back as the text that reads into it (`render`,
for buttons and queued work), and says how many of a command's words it takes (`take`)."""

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Generic, TypeVar

from commands.context import Context
from commands.kind import Kind, TooLong, UsageError
from commands.when import DateKind, IsoDate, TimeKind, When
from store.contacts import CONTACT_NO, longest_known_name
from store.db import reading
from store.enums import (
    ContactField,
    ContactType,
    CorrespondenceType,
    DocumentKind,
    Evaluation,
    InformationFlow,
    InitiatedBy,
    TaskPriority,
    TaskType,
)
from store.exports import ExportFormat
from store.filters import CanceledFilter
from store.interactions import MAX_COMMENT, MAX_DESCRIPTION, MAX_DURATION
from store.queries import Cursor
from store.tasks import TaskScope
from store.templates import MAX_CODE

DOUBLE_QUOTES = frozenset('"“”„«»')
SINGLE_QUOTES = frozenset("'‘’")
"""Slack clients often send typographic quotes: they group words as the plain ones do."""
QUOTE_MARKS = DOUBLE_QUOTES | SINGLE_QUOTES
QUOTES = str.maketrans({mark: '"' for mark in DOUBLE_QUOTES} | {mark: "'" for mark in SINGLE_QUOTES})
"""Each quote mark as its plain one."""
NUMBER = re.compile(r"^#?\d+$")
NUMBERS = re.compile(r"^[#\d,]+$")
SLACK_USER = re.compile(r"^<?@?([UW][A-Z0-9]{1,20})(?:\|[^>]*)?>?$")
MAX_INT = 2**31 - 1
MAX_MONEY = Decimal("9999999999999999")
MAX_TEXT = 4000
MAX_CONTACT = 250
E = TypeVar("E", bound=StrEnum)
YES_NO = {"yes": True, "y": True, "true": True, "si": True, "sí": True, "no": False, "n": False}


WHITESPACE = " \t\r\n"
"""What a command's words are split on (not every Unicode space: "entry\u00a0123" stays one word)."""
SPACES = re.compile(f"[{WHITESPACE}]+")


class Token(str):
    """A word of a command, and `raw`: how it was typed, quotes and all."""

    raw: str

    def __new__(cls, value: str, raw: str) -> "Token":
        token = super().__new__(cls, value)
        token.raw = raw
        return token


def as_typed(words: Sequence[str]) -> str:
    """Words as they were typed: free text keeps its quotes ("said “call me back”")."""
    return " ".join(getattr(word, "raw", word) for word in words)


def split(text: str) -> list[str]:
    """The words of a command (each a Token when the command has quotes). Double quotes (plain or
    typographic) group words, a backslash in them keeping a quote or a backslash that follows it; single
    quotes group words only from the start of a word (or right after `name=`) to a quote that ends one,
    so an apostrophe ("O'Brien", "Kim's", "Jones'", "Robert');") is always kept as typed. Everything else
    is kept as typed too, backslashes included."""
    if not any(ch in QUOTE_MARKS for ch in text):  # the usual command, sooner
        return [word for word in SPACES.split(text) if word]
    words: list[str] = []
    word: list[str] = []
    quoted, start, at = False, 0, 0
    while at < len(text):
        ch = text[at]
        if ch in WHITESPACE:
            if word or quoted:
                words.append(Token("".join(word), text[start:at]))
            word, quoted, at = [], False, at + 1
            continue
        if not word and not quoted:
            start = at
        if ch in DOUBLE_QUOTES:
            piece, at = _double_quoted(text, at + 1)
            word.append(piece)
            quoted = True
        elif ch in SINGLE_QUOTES and (not word or word[-1].endswith("=")) and (end := _closing(text, at)):
            word.append(text[at + 1 : end])
            quoted, at = True, end + 1
        else:
            word.append(ch)
            at += 1
    if word or quoted:
        words.append(Token("".join(word), text[start:]))
    return words


def _double_quoted(text: str, start: int) -> tuple[str, int]:
    """The text of a double-quoted group from `start` and where the command goes on after it."""
    piece: list[str] = []
    at = start
    while at < len(text):
        ch = text[at]
        if ch == "\\" and at + 1 < len(text) and (text[at + 1] == "\\" or text[at + 1] in DOUBLE_QUOTES):
            piece.append(text[at + 1])
            at += 2
        elif ch in DOUBLE_QUOTES:
            return "".join(piece), at + 1
        else:
            piece.append(ch)
            at += 1
    raise UsageError("A quote is not closed.")


def _closing(text: str, opening: int) -> int:
    """Where the single quote opened at `opening` closes: the next one that ends a word; 0 if none does
    (the opening one is then an apostrophe)."""
    for at in range(opening + 1, len(text)):
        after = text[at + 1 : at + 2]
        if text[at] in SINGLE_QUOTES and not (after.isalnum() or after == "_"):
            return at
    return 0


def quote(text: str) -> str:
    """The text as one word that `split` reads back as it is."""
    if text and not any(ch.isspace() or ch in QUOTE_MARKS for ch in text):
        return text
    escaped = "".join("\\" + ch if ch == "\\" or ch in DOUBLE_QUOTES else ch for ch in text)
    return f'"{escaped}"'


class Text(Kind):
    """Free text: the rest of the words."""

    def __init__(self, label: str = "a text", limit: int = MAX_TEXT) -> None:
        self.label = label
        self.limit = limit
        self.max_length = limit

    def parse(self, text: str, ctx: Context | None, name: str) -> str:
        text = " ".join(text.split())
        if len(text) > self.limit:
            raise TooLong(f"{name} can have at most {self.limit:,} characters.")
        return text

    def take(self, words: Sequence[str], ctx: Context, more: bool) -> int:
        return 1 if more else len(words)


class Sentence(Text):
    """What someone says in their own words (to Tell Me): `price=100` in it is text, not an option."""

    raw = True


class Word(Text):
    """One word of free text (a language code, a code of a new record)."""

    def take(self, words: Sequence[str], ctx: Context, more: bool) -> int:
        return 1


class Code(Kind):
    """The code of a template, group or segment: one word, in capitals."""

    max_length = MAX_CODE

    def __init__(self, what: str) -> None:
        self.what = what
        self.label = f"a {what} code"

    def parse(self, text: str, ctx: Context | None, name: str) -> str:
        code = text.strip().upper()
        if not code or " " in code:
            raise UsageError(f"Give {self.label}.")
        if len(code) > MAX_CODE:
            raise TooLong(f"A {self.what} code has at most {MAX_CODE} characters.")
        return code


class Number(Kind):
    def __init__(self, what: str, hint: str = "") -> None:
        self.what = what
        self.label = f"{'an' if what[0] in 'aeiou' else 'a'} {what}"
        self.hint = hint

    def parse(self, text: str, ctx: Context | None, name: str) -> int:
        token = text.strip()
        if not NUMBER.match(token):
            raise UsageError(f"“{token}” is not {self.label}.{self.hint}")
        value = int(token.lstrip("#"))
        if value > MAX_INT:
            raise UsageError(f"That {self.what} is too large.")
        return value


class Numbers(Kind):
    """One or more numbers: "12, 13 14"."""

    label = "one or more entry numbers"
    spaced = True

    def __init__(self) -> None:
        self.one = Number("entry number")

    def parse(self, text: str, ctx: Context | None, name: str) -> list[int]:
        tokens = [token for token in re.split(r"[,\s]+", text) if token]
        if not tokens:
            raise UsageError(f"Give {self.label}.")
        return [self.one.parse(token, ctx, name) for token in tokens]

    def render(self, value: Any) -> str:
        return ", ".join(str(n) for n in value)

    def take(self, words: Sequence[str], ctx: Context, more: bool) -> int:
        if not more:
            return len(words)
        taken = 1
        while taken < len(words) and NUMBERS.match(words[taken]):
            taken += 1
        return taken


class PageCursor(Kind):
    """Where a Next page button goes on: an entry number, or a date and an entry number (2025-06-14/123)."""

    label = "a page position"

    def parse(self, text: str, ctx: Context | None, name: str) -> Cursor:
        try:
            cursor = Cursor.parse(text)
        except ValueError:
            raise UsageError(f"{name}={text.strip()} is not a page position.") from None
        if cursor.entry_no > MAX_INT:
            raise UsageError("That entry number is too large.")
        return cursor


class ContactRef(Kind):
    """A contact as people name it: its number, e-mail address or name (found by the store)."""

    label = "a contact: a number such as CT000001, a name or an e-mail address"
    max_length = MAX_CONTACT

    def __init__(self, *, first_word: bool = False) -> None:
        self.first_word = first_word
        """With a text after it and no contact's full name in front: take only the first word (`task add
        Adatum send the quote`), rather than all of them (a misspelt name given last)."""

    def parse(self, text: str, ctx: Context | None, name: str) -> str:
        text = " ".join(text.split())
        if not text:
            raise UsageError(f"Give {self.label}.")
        if len(text) > MAX_CONTACT:
            raise TooLong(f"A contact's name has at most {MAX_CONTACT} characters.")
        return text

    def ends_itself(self, text: str) -> bool:
        return bool(CONTACT_NO.match(text)) or ("@" in text and " " not in text)

    def take(self, words: Sequence[str], ctx: Context, more: bool) -> int:
        """With a text after it, the contact is the longest run of leading words that names one exactly
        (a name given last needs no quotes)."""
        if not more:
            return len(words)
        if CONTACT_NO.match(words[0]) or "@" in words[0]:
            return 1
        with reading(ctx.sessions) as session:
            return longest_known_name(session, ctx.team_id, list(words)) or (
                1 if self.first_word else len(words)
            )


class UserRef(Kind):
    """A Slack user: a mention as Slack sends it (`<@U123|name>`, `<@U123>`), a user id, or `me`."""

    label = "a Slack user: @name (a mention) or me"

    def parse(self, text: str, ctx: Context | None, name: str) -> str:
        found = SLACK_USER.match(text.strip())
        if found:
            return found.group(1)
        if text.strip().lower() in ("me", "yo") and ctx is not None:
            return ctx.user_id
        raise UsageError(
            f"{name}: “{text.strip()}” is not a Slack user I can read: mention them in a message to the bot, "
            "or give their member ID (U0123ABCD)."
        )

    def render(self, value: Any) -> str:
        return f"<@{value}>"


class ContactNo(Kind):
    label = "a contact number such as CT000001"  # where a page of contacts goes on from

    def parse(self, text: str, ctx: Context | None, name: str) -> str:
        if not CONTACT_NO.match(number := text.strip().upper()) or len(number) > 20:
            raise UsageError(f"{name}={text.strip()} is not {self.label}.")
        return number


class ContactList(Kind):
    label = "the contacts, separated by commas"
    spaced = True

    def parse(self, text: str, ctx: Context | None, name: str) -> list[str]:
        names = [name.strip() for name in text.split(",") if name.strip()]
        if not names:
            raise UsageError("Name the contacts, separated by commas.")
        return names

    def render(self, value: Any) -> str:
        return ", ".join(value)

    def take(self, words: Sequence[str], ctx: Context, more: bool) -> int:
        return len(words)


class Money(Kind):
    label = "an amount"

    def parse(self, text: str, ctx: Context | None, name: str) -> Decimal:
        try:
            value = Decimal(text.strip().replace(",", ".").lstrip("$€£"))
        except InvalidOperation:
            raise UsageError(f"{name}={text} is not an amount; write it like 12.50.") from None
        if not value.is_finite() or value < 0:
            raise UsageError(f"{name} cannot be negative.")
        if value > MAX_MONEY:
            raise UsageError(f"{name} is too large.")
        return value


class Minutes(Kind):
    label = "a number of minutes"

    def parse(self, text: str, ctx: Context | None, name: str) -> int:
        text = text.strip()
        if not text.isdigit():
            raise UsageError(f"{name}={text} is not a number of minutes (a whole number, 0 or more).")
        if len(text) > 9 or int(text) > MAX_DURATION:
            raise UsageError(f"{name} can be at most {MAX_DURATION:,} minutes.")
        return int(text)


class Flag(Kind):
    label = "yes or no"
    flag = True

    def parse(self, text: str, ctx: Context | None, name: str) -> bool:
        value = YES_NO.get(text.strip().lower())
        if value is None:
            raise UsageError(f"{name}= takes yes or no.")
        return value

    def render(self, value: Any) -> str:
        return "yes" if value else "no"


class Choice(Kind, Generic[E]):
    """One of an enumeration's values, by its own word or the other words people use for it (EN/ES)."""

    def __init__(
        self, enum: type[E], words: Mapping[str, E] | None = None, label: str = "", error: str = ""
    ) -> None:
        self.enum = enum
        self.error = error or "{name}= takes {values}."
        self.words: dict[str, E] = {member.value: member for member in enum if member.value}
        self.words |= {word.casefold(): member for word, member in (words or {}).items()}
        self.label = label or "one of " + "|".join(self.values())

    def values(self) -> list[str]:
        return [member.value for member in self.enum if member.value]

    def parse(self, text: str, ctx: Context | None, name: str) -> E:
        member = self.words.get(text.strip().casefold().replace(" ", "-").replace("_", "-"))
        if member is None:
            values = ("|" if len(self.values()) <= 6 else ", ").join(self.values())
            raise UsageError(self.error.format(name=name, text=text.strip(), values=values))
        return member

    def render(self, value: Any) -> str:
        return value.value if isinstance(value, StrEnum) else str(value)


ENTRY_NO = Number("entry number")
ENTRY_NOS = Numbers()
PAGE_CURSOR = PageCursor()
LOGGED_SEGMENT_NO = Number("logged segment number", " See `/crm logged-segments`.")
TASK_NO = Number("task number", " See `/crm tasks`.")
CANCELLATION_NO = Number("cancellation number")
TEMPLATE = Code("template")
GROUP = Code("group")
SEGMENT = Code("segment")
CONTACT = ContactRef()
TASK_CONTACT = ContactRef(first_word=True)
CONTACTS = ContactList()
CONTACT_NUMBER = ContactNo()
TEXT = Text()
NAME = Text("a name", 100)
DESCRIPTION = Text("a description", MAX_DESCRIPTION)
COMMENT = Text("a comment", MAX_COMMENT)
WORD = Word("a word", 100)
LANGUAGE = Word("a language code", 10)
DATE = DateKind()
ISO_DATE = IsoDate()
TIME = TimeKind()
WHEN = When()
USER = UserRef()
MONEY = Money()
MINUTES = Minutes()
FLAG = Flag()
EVALUATION = Choice(
    Evaluation,
    {
        "good": Evaluation.POSITIVE,
        "bad": Evaluation.NEGATIVE,
        "buena": Evaluation.POSITIVE,
        "mala": Evaluation.NEGATIVE,
        "muy-positiva": Evaluation.VERY_POSITIVE,
        "muy-positivo": Evaluation.VERY_POSITIVE,
        "positiva": Evaluation.POSITIVE,
        "positivo": Evaluation.POSITIVE,
        "neutra": Evaluation.NEUTRAL,
        "neutro": Evaluation.NEUTRAL,
        "negativa": Evaluation.NEGATIVE,
        "negativo": Evaluation.NEGATIVE,
        "muy-negativa": Evaluation.VERY_NEGATIVE,
        "muy-negativo": Evaluation.VERY_NEGATIVE,
    },
)
FLOW = Choice(InformationFlow, {"entrante": InformationFlow.INBOUND, "saliente": InformationFlow.OUTBOUND})
INITIATED = Choice(InitiatedBy, {"nosotros": InitiatedBy.US, "ellos": InitiatedBy.THEM})
CORRESPONDENCE = Choice(
    CorrespondenceType,
    {
        "e-mail": CorrespondenceType.EMAIL,
        "correo": CorrespondenceType.EMAIL,
        "papel": CorrespondenceType.HARD_COPY,
        "impreso": CorrespondenceType.HARD_COPY,
    },
)
CONTACT_TYPE = Choice(ContactType, {"empresa": ContactType.COMPANY, "persona": ContactType.PERSON})
CONTACT_FIELD = Choice(
    ContactField,
    {"mail": ContactField.EMAIL, "correo": ContactField.EMAIL, "telefono": ContactField.PHONE}
    | {"telephone": ContactField.PHONE, "mobile": ContactField.PHONE, "movil": ContactField.PHONE}
    | {"direccion": ContactField.ADDRESS, "e-mail": ContactField.EMAIL, "teléfono": ContactField.PHONE}
    | {"cell": ContactField.PHONE, "cel": ContactField.PHONE, "celular": ContactField.PHONE}
    | {"tel": ContactField.PHONE, "tlf": ContactField.PHONE, "telf": ContactField.PHONE},
)
CANCELED = Choice(
    CanceledFilter,
    {
        "true": CanceledFilter.YES,
        "y": CanceledFilter.YES,
        "si": CanceledFilter.YES,
        "sí": CanceledFilter.YES,
        "false": CanceledFilter.NO,
        "n": CanceledFilter.NO,
        "todos": CanceledFilter.ALL,
        "todas": CanceledFilter.ALL,
    },
)
DOCUMENT_KIND = Choice(
    DocumentKind, label="a document kind", error="{text} is not a document kind. Kinds: {values}."
)
FORMAT = Choice(ExportFormat)
PRIORITY = Choice(
    TaskPriority, {"baja": TaskPriority.LOW, "alta": TaskPriority.HIGH, "urgent": TaskPriority.HIGH}
)
TASK_TYPE = Choice(
    TaskType,
    {
        "call": TaskType.PHONE_CALL,
        "phone": TaskType.PHONE_CALL,
        "llamada": TaskType.PHONE_CALL,
        "reunion": TaskType.MEETING,
        "reunión": TaskType.MEETING,
    },
)
TASK_SCOPE = Choice(
    TaskScope,
    {
        "mías": TaskScope.MINE,
        "mias": TaskScope.MINE,
        "todas": TaskScope.ALL,
        "vencidas": TaskScope.OVERDUE,
        "hoy": TaskScope.TODAY,
    },
)
