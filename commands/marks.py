"""People and moments in a reply's text. A page names a Slack user with `person` and a point in time with
`moment`; the text then carries a mark that each renderer writes in its own way (`write`): Slack as a
mention and a date token, so every viewer reads the time in their own time zone; the console as the user
id and a time labelled with its zone. commands/ stays free of Slack's syntax.

Text from anywhere else (a description, a message, a name) can never pass for a mark: each mark carries a
key drawn when the process starts, and renderers replace every mark before text leaves the process, so
the key is never shown. Marks belong in text shown as mrkdwn (headlines, paragraphs, items), not in
button labels or form values."""

import re
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_OPEN, _CLOSE = "\ufdd0", "\ufdd1"
"""Unicode noncharacters: set aside for a program's own use, never part of text people exchange."""
_KEY = secrets.token_hex(8)
_PERSON, _MOMENT = "@", "t"
_MARK = re.compile(f"{_OPEN}{_KEY}([{_PERSON}{_MOMENT}])([A-Z0-9-]{{1,21}}){_CLOSE}")
_STRAY = re.compile(f"[{_OPEN}{_CLOSE}]")
USER_ID = re.compile(r"[UW][A-Z0-9]{1,20}")
"""A Slack user id (W… in Enterprise Grid)."""
UNIX_RANGE = (-(2**40), 2**40)


def person(user_id: str) -> str:
    """A Slack user, as each renderer names one; a value that is no user id stays as it is."""
    if not USER_ID.fullmatch(user_id):
        return user_id
    return f"{_OPEN}{_KEY}{_PERSON}{user_id}{_CLOSE}"


def moment(when: datetime) -> str:
    """A point in time (timezone-aware), to the minute."""
    if when.tzinfo is None:
        raise ValueError("a moment needs a time zone")
    return f"{_OPEN}{_KEY}{_MOMENT}{int(when.timestamp())}{_CLOSE}"


def zone(name: str) -> ZoneInfo | None:
    """The IANA time zone of that name; None when it is empty or unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_moment(day: date, at: time, timezone: str) -> str:
    """A date and time as read on a clock in `timezone` (an entry's, a task's); without a known zone,
    the clock's own reading, labelled as such."""
    found = zone(timezone)
    if found is None:
        return f"{day.isoformat()} {at.strftime('%H:%M')} (logger's clock)"
    return moment(datetime.combine(day, at, found))


def write(
    text: str,
    plain: Callable[[str], str],
    person: Callable[[str], str],
    moment: Callable[[datetime], str],
) -> str:
    """The text as a renderer writes it: `plain` for the text between marks (its escaping), `person` and
    `moment` for the marks. A stray mark character (text pretending to hold a mark) is dropped."""
    if _OPEN not in text and _CLOSE not in text:  # most text: no mark, nothing stray
        return plain(text)
    pieces = _MARK.split(text)
    written: list[str] = []
    for index in range(0, len(pieces), 3):
        written.append(plain(_STRAY.sub("", pieces[index])))
        if index + 2 < len(pieces):
            kind, value = pieces[index + 1], pieces[index + 2]
            written.append(person(value) if kind == _PERSON else moment(_instant(value)))
    return "".join(written)


def _instant(value: str) -> datetime:
    seconds = max(UNIX_RANGE[0], min(UNIX_RANGE[1], int(value)))
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return datetime(1970, 1, 1, tzinfo=UTC)


def labelled(when: datetime, timezone: str = "UTC") -> str:
    """A moment as plain text: the date and time in `timezone`, named."""
    found = zone(timezone)
    return f"{when.astimezone(found or UTC):%Y-%m-%d %H:%M} {timezone if found else 'UTC'}"


def plain(text: str, timezone: str = "UTC") -> str:
    """The text with people as their user ids and moments labelled in `timezone` (the console's form,
    and the one for logs)."""
    if _OPEN not in text and _CLOSE not in text:  # a button's label, a table's cell: nearly always
        return text
    return write(text, lambda piece: piece, lambda user_id: user_id, lambda when: labelled(when, timezone))
