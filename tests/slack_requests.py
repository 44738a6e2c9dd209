"""Requests exactly as Slack sends them: form-encoded slash commands, `payload=` interactions and JSON
events, signed with the signing secret, over real HTTP."""

import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

from slack_sdk.signature import SignatureVerifier

from bot.server import Server
from tests.fake_slack import WAIT, FakeSlack

USER = "U0SELLER"
ADMIN = "U0ADMIN"
"""Listed in CRM_ADMINS."""
OWNER = "U0OWNER"
"""A workspace owner according to users.info."""

SECRET = "test-signing-secret"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float
    response_url: str = ""
    """For a slash command: where the app posts answers that come after the acknowledgement."""
    trigger_id: str = ""
    """For a shortcut: the trigger it gave the app to open a form with."""

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self) -> Any:
        return json.loads(self.body)


def sign(body: str, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


def post(
    url: str,
    body: str,
    content_type: str,
    *,
    signed: bool = True,
    timestamp: int | None = None,
    **headers: str,
) -> Response:
    all_headers = {"Content-Type": content_type, **(sign(body, timestamp) if signed else {}), **headers}
    return _send(urllib.request.Request(url, data=body.encode(), headers=all_headers, method="POST"))


def get(url: str) -> Response:
    return _send(urllib.request.Request(url))


def _send(request: urllib.request.Request) -> Response:
    """The answer whatever its status (urllib raises for 4xx and 5xx), and how long it took."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as answer:
            return Response(answer.status, dict(answer.headers), answer.read(), time.monotonic() - started)
    except urllib.error.HTTPError as failure:
        return Response(failure.code, dict(failure.headers), failure.read(), time.monotonic() - started)


def slash_command(team: str, user: str, text: str, response_url: str, channel: str = "C0SALES") -> str:
    return urlencode(
        {
            "token": "deprecated-verification-token",
            "team_id": team,
            "team_domain": "sales",
            "channel_id": channel,
            "channel_name": "sales",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/crm",
            "text": text,
            "api_app_id": "A0CRM",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": f"{uuid.uuid4().int % 10**10}.{uuid.uuid4().hex[:8]}",
        }
    )


def interaction(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def block_actions(
    team: str,
    user: str,
    button: dict[str, Any],
    *,
    response_url: str | None,
    message_ts: str = "1700000000.000100",
    channel: str = "C0SALES",
    view: dict[str, Any] | None = None,
) -> str:
    """A click on `button` (an element as the app rendered it) in a message, or in `view` (Home, modal)."""
    action = {
        "type": button.get("type", "button"),
        "action_id": button["action_id"],
        "block_id": button.get("block_id", "b1"),
        "action_ts": f"{time.time():.6f}",
    }
    if "value" in button:
        action |= {"value": button["value"], "text": button.get("text")}
    if "selected_option" in button:
        action["selected_option"] = button["selected_option"]
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0CRM",
        "token": "deprecated-verification-token",
        "team": {"id": team, "domain": "sales"},
        "trigger_id": f"{uuid.uuid4().int % 10**10}.{uuid.uuid4().hex[:8]}",
        "actions": [action],
    }
    if view is not None:
        payload |= {"container": {"type": "view", "view_id": view.get("id", "V0VIEW")}, "view": view}
    else:
        payload |= {
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": True,
            },
            "channel": {"id": channel, "name": "sales"},
            "response_url": response_url,
        }
    return interaction(payload)


def view_submission(team: str, user: str, view: dict[str, Any]) -> str:
    return interaction(
        {
            "type": "view_submission",
            "team": {"id": team, "domain": "sales"},
            "user": {"id": user, "username": user.lower(), "team_id": team},
            "api_app_id": "A0CRM",
            "token": "deprecated-verification-token",
            "trigger_id": f"{uuid.uuid4().int % 10**10}.{uuid.uuid4().hex[:8]}",
            "view": view,
            "response_urls": [],
        }
    )


def block_suggestion(
    team: str, user: str, view: dict[str, Any], block_id: str, action_id: str, value: str
) -> str:
    return interaction(
        {
            "type": "block_suggestion",
            "user": {"id": user, "username": user.lower(), "team_id": team},
            "team": {"id": team, "domain": "sales"},
            "api_app_id": "A0CRM",
            "token": "deprecated-verification-token",
            "block_id": block_id,
            "action_id": action_id,
            "value": value,
            "view": view,
        }
    )


def message_shortcut(
    team: str,
    user: str,
    message: dict[str, Any],
    *,
    response_url: str,
    channel: str = "C0SALES",
    callback_id: str = "log_message",
) -> str:
    """A message's "More actions" menu item, as Slack sends it (a `message_action`)."""
    return interaction(
        {
            "type": "message_action",
            "token": "deprecated-verification-token",
            "action_ts": f"{time.time():.6f}",
            "team": {"id": team, "domain": "sales"},
            "user": {"id": user, "username": user.lower(), "team_id": team, "name": user.lower()},
            "channel": {"id": channel, "name": "sales"},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": f"{uuid.uuid4().int % 10**10}.{uuid.uuid4().hex[:8]}",
            "response_url": response_url,
            "message_ts": message.get("ts"),
            "message": message,
        }
    )


def global_shortcut(team: str, user: str, callback_id: str = "log_interaction") -> str:
    """A shortcut chosen from the composer's shortcuts menu or the search bar: no channel, no message."""
    return interaction(
        {
            "type": "shortcut",
            "token": "deprecated-verification-token",
            "action_ts": f"{time.time():.6f}",
            "team": {"id": team, "domain": "sales"},
            "user": {"id": user, "username": user.lower(), "team_id": team},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": f"{uuid.uuid4().int % 10**10}.{uuid.uuid4().hex[:8]}",
        }
    )


def event(team: str, inner: dict[str, Any], event_id: str | None = None) -> str:
    return json.dumps(
        {
            "token": "deprecated-verification-token",
            "team_id": team,
            "api_app_id": "A0CRM",
            "event": inner,
            "type": "event_callback",
            "event_id": event_id or "Ev" + uuid.uuid4().hex[:10].upper(),
            "event_time": int(time.time()),
            "authorizations": [
                {"team_id": team, "user_id": "UBOT", "is_bot": True, "is_enterprise_install": False}
            ],
        }
    )


def message(
    channel: str, text: str, *, user: str = USER, channel_type: str = "channel", ts: str = "", **more: Any
) -> dict[str, Any]:
    """A `message` event as message.channels, message.groups or message.im deliver it."""
    ts = ts or f"{time.time():.6f}"
    return {
        "type": "message",
        "channel": channel,
        "channel_type": channel_type,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
    } | more


# What Slack keeps in view.state.values for each kind of input, given the text a user entered.
def _state(element: dict[str, Any], value: str | None) -> dict[str, Any]:
    kind = element["type"]
    if kind in ("static_select", "external_select"):
        options = {o["value"]: o for o in element.get("options", [])}
        chosen = options.get(value or "") or (
            {"value": value, "text": {"type": "plain_text", "text": value}} if value else None
        )
        return {"type": kind, "selected_option": chosen}
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    if kind == "timepicker":
        return {"type": kind, "selected_time": value}
    if kind == "checkboxes":
        return {"type": kind, "selected_options": element["options"][:1] if value else []}
    return {"type": kind, "value": value}


def _initial(element: dict[str, Any]) -> str | None:
    for key in ("initial_value", "initial_date", "initial_time"):
        if element.get(key) is not None:
            return str(element[key])
    if element.get("initial_option"):
        return element["initial_option"]["value"]
    if element.get("initial_options"):
        return element["initial_options"][0]["value"]
    return None


def filled(view: dict[str, Any], **values: str) -> dict[str, Any]:
    """The view the app opened, as Slack sends it back once the user has entered `values` (by field
    name); the other inputs keep their initial values."""
    state: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        name = block["block_id"].rsplit("~", 1)[0]
        element = block["element"]
        value = values[name] if name in values else _initial(element)
        state[block["block_id"]] = {element["action_id"]: _state(element, value)}
    return view | {"id": "V0VIEW", "hash": "h1", "state": {"values": state}}


def element_of(view: dict[str, Any], name: str) -> dict[str, Any]:
    for block in view["blocks"]:
        if block.get("block_id", "").rsplit("~", 1)[0] == name:
            return block["element"] | {"block_id": block["block_id"]}
    raise KeyError(name)


@dataclass
class Slack:
    """Our server as Slack sees it, and the fake Slack Web API it talks to."""

    url: str
    fake: FakeSlack
    server: Server
    team: str

    @property
    def events_url(self) -> str:
        return self.url + "/slack/events"

    def command(
        self, text: str, *, user: str = USER, team: str | None = None, channel: str = "C0SALES"
    ) -> Response:
        response_url = self.fake.response_url()
        body = slash_command(team or self.team, user, text, response_url, channel)
        response = post(self.events_url, body, FORM)
        response.response_url = response_url
        return response

    def ask(self, text: str, **kwargs: Any) -> dict[str, Any]:
        """Run a command whose answer is the acknowledgement itself; its JSON body."""
        response = self.command(text, **kwargs)
        assert response.status == 200, response.text
        assert response.elapsed < 3, f"/crm {text} took {response.elapsed:.1f}s"
        return response.json()

    def click(
        self,
        button: dict[str, Any],
        *,
        user: str = USER,
        team: str | None = None,
        view: dict[str, Any] | None = None,
        response_url: str | None = None,
    ) -> str | None:
        """Click a rendered button; returns the response_url the answer goes to (None from a view)."""
        if view is None and response_url is None:
            response_url = self.fake.response_url()
        body = block_actions(team or self.team, user, button, response_url=response_url, view=view)
        response = post(self.events_url, body, FORM)
        assert response.status == 200, response.text
        assert response.elapsed < 3
        return response_url

    def answer(self, response_url: str, count: int = 1) -> dict[str, Any]:
        """The last message posted to a response_url."""
        return self.fake.posts_to(response_url, count)[-1]

    def event(self, inner: dict[str, Any], *, event_id: str | None = None, **headers: str) -> Response:
        return post(self.events_url, event(self.team, inner, event_id), JSON, **headers)

    def shortcut(
        self, message: dict[str, Any] | None = None, *, user: str = USER, channel: str = "C0SALES"
    ) -> Response:
        """Choose "Log as interaction" on `message`, or the global "Log an interaction" without one;
        Slack must have its 200 at once (the form opens after)."""
        response_url = self.fake.response_url()
        if message is None:
            body = global_shortcut(self.team, user)
        else:
            body = message_shortcut(self.team, user, message, response_url=response_url, channel=channel)
        response = post(self.events_url, body, FORM)
        assert response.status == 200 and response.elapsed < 3, response.text
        response.response_url = response_url if message is not None else ""
        response.trigger_id = json.loads(parse_qs(body)["payload"][0])["trigger_id"]
        return response

    def submit(self, view: dict[str, Any], *, user: str = USER) -> Response:
        return post(self.events_url, view_submission(self.team, user, view), FORM)

    def opened_view(self, count: int = 1) -> dict[str, Any]:
        return self.fake.wait_for("/views.open", count)[-1].json_field("view")
