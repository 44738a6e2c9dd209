"""Kinds of dates and times: a date as people say it, an ISO date, a time, and a due date with an
optional time ("next tuesday", "tomorrow 15:00", "el lunes", "in 2 hours"), all in the user's time zone."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from commands.context import Context
from commands.kind import Kind, UsageError

ISO_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


class DateKind(Kind):
    label = "a date"

    def parse(self, text: str, ctx: Context | None, name: str) -> date:
        return parse_date(text, ctx.now() if ctx is not None else datetime.now(UTC))


class IsoDate(DateKind):
    """A date as a machine writes it (an ERP, a file): YYYY-MM-DD only."""

    def parse(self, text: str, ctx: Context | None, name: str) -> date:
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise UsageError(f"{name}: use the form YYYY-MM-DD, such as 2026-03-31.") from None

    def render(self, value: Any) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)


class TimeKind(Kind):
    label = "a time"

    def parse(self, text: str, ctx: Context | None, name: str) -> time:
        try:
            return time.fromisoformat(text.strip())
        except ValueError:
            raise UsageError(f"“{text}” is not a time; write it like 14:30.") from None

    def render(self, value: Any) -> str:
        return value.strftime("%H:%M") if isinstance(value, time) else str(value)


def parse_date(text: str, now: datetime) -> date:
    """ISO dates and the words people type ("today", "yesterday", "last monday", "ayer"), relative to the
    user's own date."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        if ISO_LIKE.match(text) or text.isdigit():  # 2026-13-01 is a mistake, not 13 January
            raise UsageError(f"“{text}” is not a date; write it like 2026-11-24.") from None
    import dateparser  # imported on first use: it takes a few hundred milliseconds to load

    parsed = None
    if 0 < len(text) <= 60:
        parsed = dateparser.parse(
            text.replace("_", " "),
            languages=["en", "es"],
            settings={"RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DATES_FROM": "past"},
        )
    if parsed is None:
        raise UsageError(f"“{text}” is not a date I understand; try 2026-11-24, today or yesterday.")
    return parsed.date()


@dataclass(frozen=True)
class Due:
    """A due date, and the time of day when one was said ("friday 15:00"); without one, the task is due
    on the date (its reminder comes in the morning)."""

    day: date
    at: time | None = None

    def __str__(self) -> str:
        return self.day.isoformat() + (f" {self.at.strftime('%H:%M')}" if self.at else "")


# "in 2 hours", "en 30 minutos", "1h": from now, to the minute; days and weeks keep no time of day.
SPAN = re.compile(
    r"^(?:in |en |dentro de )?(\d{1,3}) ?(h|hrs?|hours?|horas?|m|mins?|minutes?|minutos?"
    r"|d|days?|d[ií]as?|w|weeks?|semanas?)$"
)
CLOCK = re.compile(r"\d{1,2}[:.]\d{2}|\d{1,2} ?(?:am|pm|a\.m\.|p\.m\.)|\bnoon\b|mediod[ií]a|medianoche")
# Words dateparser does not take, said the way it does.
SAID = (
    (re.compile(r"^(?:pr[oó]xima semana|la semana que viene|semana que viene)$"), "next week"),
    (re.compile(r"^(?:on|by|el|la|para el|para la|antes del?)\s+"), ""),
    (re.compile(r"^pr[oó]xim[oa]\s+|\s+que viene$"), ""),
)


class When(Kind):
    label = "a due date: 2026-12-04, tomorrow, next tuesday, friday 15:00 or in 2 hours"
    rest = True
    spaced = True

    def take(self, words: Sequence[str], ctx: Context, more: bool) -> int:
        return 1 if more else len(words)

    def parse(self, text: str, ctx: Context | None, name: str) -> Due:
        now = ctx.now() if ctx is not None else datetime.now(UTC)
        said = " ".join(text.replace("_", " ").split()).lower()
        span = SPAN.match(said)
        if span:
            return _after(now, int(span.group(1)), span.group(2))
        try:
            return Due(date.fromisoformat(said))
        except ValueError:
            pass
        for pattern, replacement in SAID:
            said = pattern.sub(replacement, said)
        import dateparser  # imported on first use: it takes a few hundred milliseconds to load

        parsed = None
        if 0 < len(said) <= 60:
            parsed = dateparser.parse(
                said,
                languages=["en", "es"],
                settings={"RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DATES_FROM": "future"},
            )
        if parsed is None:
            raise UsageError(
                f"“{text.strip()}” is not a due date I understand; try 2026-12-04, tomorrow, next tuesday, "
                "friday 15:00 or in 2 hours."
            )
        if CLOCK.search(said):
            return Due(parsed.date(), parsed.time().replace(second=0, microsecond=0))
        return Due(parsed.date())

    def render(self, value: Any) -> str:
        return str(value)


def _after(now: datetime, count: int, unit: str) -> Due:
    if unit[0] in "dw" or unit.startswith("se"):
        return Due((now + timedelta(days=count * (7 if unit[0] in "ws" else 1))).date())
    minutes = count * (60 if unit[0] == "h" else 1)
    at = (now + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    return Due(at.date(), at.time())
