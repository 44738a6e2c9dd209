"""Reading Slack's payloads defensively: a value of the wrong type (a Slack change, a bug upstream, a
forged but signed request) reads as missing, so a listener answers or ignores cleanly instead of raising."""

import re
from typing import Any

MAX_TEXT = 40_000
"""Slack's longest texts (a message) are 40,000 characters; anything longer is not Slack's."""


def _at(data: object, path: tuple[str, ...]) -> object:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def text(data: object, *path: str) -> str:
    """The string at `path`, or "" when a step is missing or not what Slack sends."""
    value = _at(data, path)
    return value if isinstance(value, str) and len(value) <= MAX_TEXT else ""


def mapping(data: object, *path: str) -> dict[str, Any]:
    value = _at(data, path)
    return value if isinstance(value, dict) else {}


def items(data: object, *path: str) -> list[Any]:
    value = _at(data, path)
    return value if isinstance(value, list) else []


URL = re.compile(r"^https?://[^\s\x00-\x1f\ud800-\udfff]{1,2000}$")
TS = re.compile(r"^[0-9]{1,12}\.[0-9]{1,9}$")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def message_ts(data: object, *path: str) -> str:
    """A message timestamp ("1732450000.000100"), or "" for anything else ("nan", a number)."""
    value = text(data, *path)
    return value if TS.match(value) else ""


def storable(value: str) -> str:
    """A message's text as a database can keep it: NUL and lone surrogates (which no client types, and
    PostgreSQL refuses) become U+FFFD, so the message is still logged."""
    return _UNSTORABLE.sub("\ufffd", value)


def url(data: object, *path: str) -> str:
    """A URL Slack gave to answer through (a response_url), or "" for anything else."""
    value = text(data, *path)
    return value if URL.match(value) else ""
