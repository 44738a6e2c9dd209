"""Dates and periods in a sentence, English or Spanish: "yesterday", "from last week", "desde el lunes",
"before 2026-10-01". The common phrasings are read here in microseconds; only what they miss goes to
dateparser, which is imported the first time it is needed."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from commands.tellme.normalize import Word

MONTHS = {
    **{
        name: number
        for number, name in enumerate(
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ],
            1,
        )
    },
    **{
        name: number
        for number, name in enumerate(
            [
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ],
            1,
        )
    },
}
MONTHS |= {
    short: MONTHS[name]
    for short, name in (
        ("jan", "january"),
        ("feb", "february"),
        ("apr", "april"),
        ("jun", "june"),
        ("jul", "july"),
        ("aug", "august"),
        ("sep", "september"),
        ("sept", "september"),
        ("oct", "october"),
        ("nov", "november"),
        ("dec", "december"),
        ("ene", "enero"),
        ("abr", "abril"),
        ("dic", "diciembre"),
        ("setiembre", "septiembre"),
    )
}
"""Months as people shorten them ("Oct 1", "3 nov"); "mar", "may" and "ago" are words too, and stay out."""
WEEKDAYS = {
    **{
        name: number
        for number, name in enumerate(
            ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        )
    },
    **{
        name: number
        for number, name in enumerate(
            ["lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"]
        )
    },
}
SINCE = {"since", "desde", "after", "despues", "newer", "later", "posteriores"}
UNTIL = {"before", "until", "till", "hasta", "antes", "older", "earlier", "anteriores"}
FILLER = {"from", "de", "del", "el", "la", "on", "in", "during", "durante", "en", "of", "the", "this", "last"}
FILLER |= {"than", "a", "al", "between", "entre"}  # "older than last month", "anteriores al mes pasado"
LAST = {"last", "past", "previous", "pasado", "pasada", "anterior"}
COMING = {"next", "proxima", "proximo", "siguiente"}
THIS = {"this", "current", "este", "esta", "actual"}
DAY_WORDS = {
    "today": 0,
    "hoy": 0,
    "tonight": 0,
    "yesterday": 1,
    "ayer": 1,
    "anoche": 1,
    "anteayer": 2,
    "tomorrow": -1,
    "manana": -1,
}
PARTS_OF_DAY = {"morning", "afternoon", "evening", "night", "manana", "tarde", "noche", "mediodia"}
"""After "this" ("this morning", "esta tarde") the day is today; after a day ("yesterday afternoon",
"ayer por la tarde"), that day."""
UNITS = {"week": "week", "semana": "week", "month": "month", "mes": "month", "year": "year", "ano": "year"}
LATEST = {"last", "past", "previous", "ultimo", "ultimos", "ultima", "ultimas"}
DAYS_IN = {"day": 1, "dia": 1, "week": 7, "semana": 7, "month": 30, "mes": 30}
"""Of "the last 30 days", "las últimas 2 semanas": the days back from today (a month, 30)."""
BETWEEN_DAYS = {"and", "to", "y", "al", "a", "hasta", "through"}
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})$")
ORDINAL = re.compile(r"^(\d{1,2})(st|nd|rd|th|º|o)$")
ONE = {"a", "an", "one", "un", "una", "uno"}
"""Counting one ("a week ago", "hace una semana")."""
RANGE_TO = {"to", "until", "till", "through", "al", "hasta", "a"}
"""Between the first and the last day of a period said as two ("from Oct 1 to Oct 15")."""
EARLIER_SAME_DAY = {"earlier", "later"}
FORWARD = {"para", "for", "next", "proximo", "proxima", "coming", "siguiente"}
"""Before a weekday ("para el jueves", "for thursday", "next monday", "el próximo lunes"): the one to come,
whatever the action (a meeting booked for Thursday is this Thursday, not last week's)."""
ARTICLES_BEFORE_A_DAY = {"el", "la", "the", "on", "this", "este", "esta"}


@dataclass(frozen=True)
class Period:
    first: date | None
    last: date | None
    used: frozenset[int]
    """Positions of the words that said it."""


def _month_span(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def _unit_span(unit: str, today: date, back: int) -> tuple[date, date]:
    if unit == "week":
        monday = today - timedelta(days=today.weekday() + 7 * back)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        year, month = today.year, today.month - back
        while month < 1:
            year, month = year - 1, month + 12
        while month > 12:
            year, month = year + 1, month - 12
        return _month_span(year, month)
    return date(today.year - back, 1, 1), date(today.year - back, 12, 31)


def _span_at(tokens: list[str], i: int, today: date) -> tuple[tuple[date, date], int] | None:
    """The period that starts at word i, and how many words it took."""
    word = tokens[i]
    following = tokens[i + 1] if i + 1 < len(tokens) else ""
    after = tokens[i + 2] if i + 2 < len(tokens) else ""
    if word in THIS and following in PARTS_OF_DAY:
        return (today, today), 2
    if word == "manana" and i > 0 and tokens[i - 1] == "la":
        return (today, today), 1  # "por la mañana", "de la mañana": this morning; "mañana", tomorrow
    if word in DAY_WORDS:
        day = today - timedelta(days=DAY_WORDS[word])
        return (day, day), 1 + _part_of_day(tokens[i + 1 : i + 4])
    if match := ISO.match(word):
        day = date(int(match[1]), int(match[2]), int(match[3]))
        return (day, day), 1
    if match := DMY.match(word):
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        day = date(year, int(match[2]), int(match[1]))
        return (day, day), 1
    if word == "day" and following == "before" and after == "yesterday":  # the day before yesterday
        day = today - timedelta(days=2)
        return (day, day), 3
    if word in ONE and _unit(following) in DAYS_IN and after == "ago":  # "a week ago"
        day = today - timedelta(days=DAYS_IN[_unit(following)])
        return (day, day), 3
    if word == "hace" and following in ONE and _unit(after) in DAYS_IN:  # "hace una semana", "hace un mes"
        day = today - timedelta(days=DAYS_IN[_unit(after)])
        return (day, day), 3
    if word in LAST and following in UNITS:
        return _unit_span(UNITS[following], today, 1), 2
    if word in COMING and following in UNITS:  # "next week": a due date, read forward
        return _unit_span(UNITS[following], today, -1), 2
    if word in THIS and following in UNITS:
        return _unit_span(UNITS[following], today, 0), 2
    if word in UNITS and following in LAST:  # "la semana pasada", "el mes pasado"
        return _unit_span(UNITS[word], today, 1), 2
    if word in UNITS and following == "que" and after == "viene":  # "la semana que viene"
        return _unit_span(UNITS[word], today, -1), 3
    if word in UNITS and following in THIS:
        return _unit_span(UNITS[word], today, 0), 2
    if word in WEEKDAYS:
        if _forward(tokens, i):
            day = today + timedelta(days=(WEEKDAYS[word] - today.weekday()) % 7 or 7)
            return (day, day), 1 + 2 * (following == "que" and after == "viene")
        back = (today.weekday() - WEEKDAYS[word]) % 7 or 7
        day = today - timedelta(days=back)
        return (day, day), 1
    if word in MONTHS:
        year = today.year if MONTHS[word] <= today.month else today.year - 1
        if following.isdigit() and len(following) <= 2:  # "march 3"
            day = date(year, MONTHS[word], int(following))
            return (day, day), 2
        return _month_span(year, MONTHS[word]), 1
    if (
        word.isdigit() and len(word) <= 2 and (following in MONTHS or following in ("de", "of"))
    ):  # "3 march", "3 de marzo", "the 3rd of March"
        month = after if following in ("de", "of") else following
        if month in MONTHS:
            year = today.year if MONTHS[month] <= today.month else today.year - 1
            day = date(year, MONTHS[month], int(word))
            return (day, day), 3 if following in ("de", "of") else 2
    unit = following.removesuffix("es") if following.removesuffix("es") in DAYS_IN else following.rstrip("s")
    if word in LATEST and following.isdigit() and i + 2 < len(tokens):
        counted = tokens[i + 2].removesuffix("es")
        counted = counted if counted in DAYS_IN else counted.rstrip("s")
        if counted in DAYS_IN:  # "the last 30 days", "los últimos 7 días"
            return (today - timedelta(days=int(following) * DAYS_IN[counted]), today), 3
    if (
        word.isdigit()
        and len(word) <= 2
        and following in BETWEEN_DAYS
        and (month := _days_of(tokens, i + 2, today))
    ):
        # "between 1 and 15 November", "del 1 al 15 de noviembre": days of one month
        last, taken = month
        return (last.replace(day=int(word)), last), 2 + taken
    if word.isdigit() and unit in {"day", "week"} and after == "ago":
        day = today - timedelta(days=int(word) * (7 if following.startswith("week") else 1))
        return (day, day), 3
    if word == "hace" and following.isdigit() and after.startswith(("dia", "semana")):
        day = today - timedelta(days=int(following) * (7 if after.startswith("semana") else 1))
        return (day, day), 3
    return None


def _forward(tokens: list[str], i: int) -> bool:
    """A weekday said as one to come: after "para", "for", "next" (articles between) or before "que viene",
    "next"."""
    if tokens[i + 1 : i + 3] == ["que", "viene"] or tokens[i + 1 : i + 2] in (["next"], ["proximo"]):
        return True
    j = i - 1
    while j >= 0 and tokens[j] in ARTICLES_BEFORE_A_DAY:
        j -= 1
    return j >= 0 and tokens[j] in FORWARD


def _unit(word: str) -> str:
    """A unit of days in the singular: "weeks", "semanas", "meses"."""
    if word in DAYS_IN:
        return word
    return word[:-2] if word.endswith("es") and word[:-2] in DAYS_IN else word.removesuffix("s")


def _ordinal_day(
    tokens: list[str], i: int, ordinals: set[int], today: date
) -> tuple[tuple[date, date], int] | None:
    """A day of the month said alone as an ordinal ("on the 15th"): this month's, or last month's when
    that day is still to come."""
    if i not in ordinals:
        return None
    day = int(tokens[i])
    year, month = today.year, today.month
    if day > today.day:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    found = date(year, month, day)
    return (found, found), 1


def _days_of(tokens: list[str], i: int, today: date) -> tuple[date, int] | None:
    """The day at word i in the month named after it ("15 November", "el 15 de noviembre"), and how
    many words that took."""
    start = i + 1 if i < len(tokens) and tokens[i] == "el" else i
    if start >= len(tokens) or not tokens[start].isdigit() or len(tokens[start]) > 2:
        return None
    at = start + 1 + (start + 1 < len(tokens) and tokens[start + 1] == "de")
    if at >= len(tokens) or tokens[at] not in MONTHS:
        return None
    month = MONTHS[tokens[at]]
    year = today.year if month <= today.month else today.year - 1
    return date(year, month, int(tokens[start])), at + 1 - i


def _part_of_day(tokens: list[str]) -> int:
    """How many of the words after a day say its part ("afternoon", "por la tarde", "in the morning")."""
    for taken, token in enumerate(tokens, 1):
        if token in PARTS_OF_DAY:
            return taken
        if token not in ("por", "in", "at", "la", "the", "de", "en"):
            return 0
    return 0


def _plain(token: str) -> str:
    """A day said as an ordinal is its number ("the 3rd", "el 1º")."""
    match = ORDINAL.match(token)
    return match[1] if match else token


def find_period(found: list[Word], today: date) -> Period | None:
    tokens = [_plain(word.text) for word in found]
    ordinals = {i for i, word in enumerate(found) if ORDINAL.match(word.text)}
    for i in range(len(tokens)):
        try:
            spotted = _span_at(tokens, i, today) or _ordinal_day(tokens, i, ordinals, today)
        except ValueError:  # "31/02/2026" and the like: not a date after all
            continue
        if spotted is None:
            continue
        (first, last), length = spotted
        k = i + length
        if k + 1 < len(tokens) and tokens[k] in RANGE_TO:  # "from Oct 1 to Oct 15", "del 3/11 al 5/11"
            try:
                until = _span_at(tokens, k + 1, today)
            except ValueError:
                until = None
            if until is not None and until[0][1] >= first:
                last, length = until[0][1], length + 1 + until[1]
        used = set(range(i, i + length))
        if i > 0 and tokens[i - 1] in EARLIER_SAME_DAY and tokens[i] in DAY_WORDS:
            return Period(first, last, frozenset(used | {i - 1}))  # "earlier today": today
        j = i - 1
        while j >= 0 and tokens[j] in FILLER | FORWARD:
            used.add(j)
            j -= 1
        if j >= 0 and tokens[j] in SINCE:
            used.add(j)
            return Period(first, None, frozenset(used))
        if j >= 0 and tokens[j] in UNTIL:
            used.add(j)
            if j > 0 and tokens[j - 1] in SINCE:  # "antes de" is folded to two words
                used.add(j - 1)
            return Period(None, first - timedelta(days=1), frozenset(used))
        return Period(first, last, frozenset(used))
    return _with_dateparser(found, tokens, today)


def _with_dateparser(found: list[Word], tokens: list[str], today: date) -> Period | None:
    """Only when a date word leads into something the quick reading did not understand."""
    for i, token in enumerate(tokens[:-1]):
        later = tokens[i + 1 : i + 4]
        if token in SINCE | UNTIL | {"on"} and any(t in MONTHS or "/" in t for t in later):
            import dateparser  # slow to import; most sentences never get here

            text = " ".join(word.raw for word in found[i + 1 : i + 4])
            parsed = dateparser.parse(text, settings={"RELATIVE_BASE": _midnight(today)})
            if parsed is None:
                return None
            day = parsed.date()
            used = frozenset(range(i, min(len(tokens), i + 4)))
            if token in SINCE:
                return Period(day, None, used)
            if token in UNTIL:
                return Period(None, day - timedelta(days=1), used)
            return Period(day, day, used)
    return None


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)
