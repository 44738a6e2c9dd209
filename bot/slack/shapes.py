"""The shape a Slack payload must have before Bolt reads it. Bolt dereferences some fields without looking
at their type (`actions[0]`, `user.id`, `channel.id`, `event.user`); a signed payload where one of them has
another type (a Slack change, a bug upstream) is acknowledged and ignored with one log line instead of
raising inside Bolt."""

import json
import re
from typing import Any
from urllib.parse import parse_qsl

NULL = type(None)
TEXT = (str,)
OBJECT = (dict,)
TEXT_OR_OBJECT = (str, dict)
MAYBE_TEXT = (str, NULL)
MAYBE_OBJECT = (dict, NULL)
MAX_DEPTH = 64
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# path -> the types it may have when present (null only where Slack sends it); "*": each item of a list.
INTERACTION: dict[tuple[str, ...], tuple[type, ...]] = {
    ("type",): TEXT,
    ("user",): OBJECT,
    ("user", "id"): TEXT,
    ("team",): MAYBE_OBJECT,
    ("team", "id"): TEXT,
    ("enterprise",): MAYBE_OBJECT,
    ("channel",): MAYBE_OBJECT,
    ("channel", "id"): TEXT,
    ("container",): MAYBE_OBJECT,
    ("view",): OBJECT,
    ("view", "id"): TEXT,
    ("view", "callback_id"): TEXT,
    ("view", "team_id"): MAYBE_TEXT,
    ("view", "app_id"): MAYBE_TEXT,
    ("actions",): (list,),
    ("actions", "*"): OBJECT,
    ("actions", "*", "action_id"): TEXT,
    ("actions", "*", "block_id"): TEXT,
    ("action_id",): TEXT,
    ("block_id",): TEXT,
    ("callback_id",): MAYBE_TEXT,
    ("response_url",): MAYBE_TEXT,
    ("trigger_id",): MAYBE_TEXT,
    ("message",): MAYBE_OBJECT,
    ("message", "thread_ts"): MAYBE_TEXT,
    ("message_ts",): TEXT,
}
EVENT: dict[tuple[str, ...], tuple[type, ...]] = {
    ("type",): TEXT,
    ("team_id",): TEXT,
    ("enterprise_id",): MAYBE_TEXT,
    ("event_id",): TEXT,
    ("event",): OBJECT,
    ("event", "type"): TEXT,
    ("event", "subtype"): MAYBE_TEXT,
    ("event", "user"): TEXT_OR_OBJECT,
    ("event", "channel"): TEXT_OR_OBJECT,
    ("event", "team"): MAYBE_TEXT,
    ("event", "user_team"): MAYBE_TEXT,
    ("event", "bot_id"): MAYBE_TEXT,
    ("event", "message"): OBJECT,
    ("event", "item"): OBJECT,
    ("authorizations",): (list,),
    ("authorizations", "*"): OBJECT,
}


REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "block_actions": (("actions",), ("user", "id")),
    "view_submission": (("view", "callback_id"), ("user", "id")),
    "view_closed": (("view", "callback_id"), ("user", "id")),
    "block_suggestion": (("action_id",), ("user", "id")),
    "shortcut": (("callback_id",), ("user", "id")),
    "message_action": (("callback_id",), ("user", "id")),
    "event_callback": (("event", "type"),),
}
"""What each kind of payload cannot do without: Bolt cannot route it (and answers 404) otherwise."""


def problem(raw: bytes, content_type: str) -> str:
    """Why Bolt must not read this signed body ("" when it may)."""
    try:
        text = raw.decode("utf-8")
        # Read as Bolt reads it (slack_bolt.request.internals.parse_body), so that what is checked is what
        # Bolt gets: JSON, else the form's last `payload` field, else a slash command's fields.
        if content_type == "application/json" or text.startswith("{"):
            body: Any = json.loads(text)
            spec = EVENT
        else:
            payload = (
                dict(parse_qsl(text, keep_blank_values=True)).get("payload") if "payload" in text else None
            )
            if payload is None:
                return ""  # a slash command: every field is a string
            body = json.loads(payload)
            spec = INTERACTION
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "not a Slack payload"
    if not isinstance(body, dict):
        return "not a JSON object"
    if _depth(body) > MAX_DEPTH:
        return "nested too deeply"
    for path in REQUIRED.get(str(body.get("type")), ()):
        if not any(_values(body, path)):
            return f"{'.'.join(path)} is missing"
    for path, types in spec.items():
        for value in _values(body, path):
            if not isinstance(value, types) or isinstance(value, bool):
                return f"{'.'.join(path)} is a {type(value).__name__}"
            if isinstance(value, str) and UNSTORABLE.search(value):
                return f"{'.'.join(path)} has a character no id has"
    return ""


def _values(data: Any, path: tuple[str, ...]) -> list[Any]:
    found = [data]
    for key in path:
        step: list[Any] = []
        for item in found:
            if key == "*" and isinstance(item, list):
                step.extend(item)
            elif isinstance(item, dict) and key in item:
                step.append(item[key])
        found = step
    return found


def _depth(data: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    children = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    return max((_depth(child, level + 1) for child in children), default=level)
