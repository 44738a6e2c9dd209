"""Signed requests whose values have the wrong type or size (what a Slack change or a bug upstream can
send): every listener answers or ignores them cleanly, in time, and no traceback is logged."""

import copy
import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fake_slack import button
from tests.slack_requests import FORM, JSON, Slack, block_actions, event, message, post, view_submission

ODD = st.one_of(
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True),
    st.booleans(),
    st.text(max_size=30),
    st.just("x" * 100_000),
    st.just("\x00\ud800"),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    place = changed
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = value
    return changed


def form_payload(body: str) -> dict[str, Any]:
    return json.loads(dict(pair.split("=", 1) for pair in [body])["payload"].replace("+", " "))


def as_form(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


@pytest.fixture
def click(slack: Slack) -> dict[str, Any]:
    answer = slack.ask("entries")
    del answer
    offered = slack.ask("help")
    share = button(offered, "Share in channel")
    from urllib.parse import parse_qs

    body = block_actions(slack.team, "U0SELLER", share, response_url=slack.fake.response_url())
    return json.loads(parse_qs(body)["payload"][0])


def no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    tracebacks = [r for r in caplog.records if r.exc_info and r.levelno >= logging.WARNING]
    assert not tracebacks, tracebacks[0].getMessage()


SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CLICK_PATHS = [
    ("actions", 0, "value"),
    ("actions", 0, "action_id"),
    ("actions",),
    ("user",),
    ("user", "id"),
    ("container",),
    ("channel",),
    ("response_url",),
    ("trigger_id",),
]


@SETTINGS
@given(path=st.sampled_from(CLICK_PATHS), value=ODD)
def test_clicks_with_odd_values(
    slack: Slack, click: dict[str, Any], path: tuple[Any, ...], value: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.clear()
    response = post(slack.events_url, as_form(replaced(click, path, value)), FORM)
    assert response.status == 200 and response.elapsed < 3
    no_traceback(caplog)


VIEW = {
    "id": "V1",
    "type": "modal",
    "callback_id": "create_interaction",
    "private_metadata": json.dumps({"k": "create_interaction", "r": 0, "c": "C1", "p": {}}),
    "state": {
        "values": {"contact~0": {"crm:field:contact": {"type": "static_select", "selected_option": None}}}
    },
    "blocks": [{"block_id": "contact~0", "type": "input"}],
}
VIEW_PATHS = [
    ("view", "private_metadata"),
    ("view", "state"),
    ("view", "state", "values"),
    ("view", "callback_id"),
    ("view", "blocks"),
    ("view",),
    ("user",),
]


@SETTINGS
@given(path=st.sampled_from(VIEW_PATHS), value=ODD)
def test_form_submissions_with_odd_values(
    slack: Slack, path: tuple[Any, ...], value: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from urllib.parse import parse_qs

    caplog.clear()
    submitted = json.loads(parse_qs(view_submission(slack.team, "U0SELLER", VIEW))["payload"][0])
    response = post(slack.events_url, as_form(replaced(submitted, path, value)), FORM)
    assert response.status == 200 and response.elapsed < 3
    no_traceback(caplog)


EVENT_PATHS = [
    ("event", "ts"),
    ("event", "text"),
    ("event", "files"),
    ("event", "user"),
    ("event", "channel"),
    ("event", "channel_type"),
    ("event", "thread_ts"),
    ("event", "subtype"),
    ("event_id",),
]


@SETTINGS
@given(path=st.sampled_from(EVENT_PATHS), value=ODD, im=st.booleans())
def test_events_with_odd_values(
    slack: Slack, path: tuple[Any, ...], value: Any, im: bool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.clear()
    inner = message("D0SELLER" if im else "C0SALES", "entries", channel_type="im" if im else "channel")
    body = json.loads(event(slack.team, inner))
    response = post(slack.events_url, json.dumps(replaced(body, path, value)), JSON)
    assert response.status == 200 and response.elapsed < 3
    no_traceback(caplog)


SHORTCUT = {
    "type": "message_action",
    "callback_id": "log_message",
    "team": {"id": "T0", "domain": "sales"},
    "user": {"id": "U0SELLER", "username": "seller"},
    "channel": {"id": "C0SALES", "name": "sales"},
    "trigger_id": "1.2",
    "response_url": "http://127.0.0.1:9/response/x",
    "message_ts": "1764000000.000100",
    "message": {"type": "message", "user": "U0GUEST", "text": "hi", "ts": "1764000000.000100"},
}
SHORTCUT_PATHS = [
    ("callback_id",),
    ("team",),
    ("team", "domain"),
    ("user",),
    ("user", "id"),
    ("channel",),
    ("channel", "id"),
    ("trigger_id",),
    ("response_url",),
    ("message_ts",),
    ("message",),
    ("message", "text"),
    ("message", "user"),
    ("message", "ts"),
    ("message", "thread_ts"),
]


@SETTINGS
@given(path=st.sampled_from(SHORTCUT_PATHS), value=ODD, on_message=st.booleans())
def test_shortcuts_with_odd_values(
    slack: Slack,
    path: tuple[Any, ...],
    value: Any,
    on_message: bool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.clear()
    shortcut = SHORTCUT | {"team": {"id": slack.team, "domain": "sales"}}
    if not on_message:
        shortcut = {k: v for k, v in shortcut.items() if k not in ("channel", "message", "message_ts")}
        shortcut |= {"type": "shortcut", "callback_id": "log_interaction"}
        if path[0] in ("channel", "message", "message_ts", "response_url"):
            path = ("callback_id",)
    response = post(slack.events_url, as_form(replaced(shortcut, path, value)), FORM)
    assert response.status == 200 and response.elapsed < 3
    no_traceback(caplog)


def test_the_payload_checked_is_the_one_bolt_reads() -> None:
    from bot.slack import shapes

    action = {"action_id": "a", "block_id": "b"}
    fine = json.dumps({"type": "block_actions", "user": {"id": "U1"}, "actions": [action]})
    bad = json.dumps({"type": "block_actions", "user": {"id": 7}, "actions": [action]})
    assert (
        shapes.problem(urlencode([("payload", fine), ("payload", bad)]).encode(), FORM) == "user.id is a int"
    )
    assert shapes.problem(urlencode([("payload", bad), ("payload", fine)]).encode(), FORM) == ""
    assert shapes.problem(b"command=%2Fcrm&text=payload+entries&user_id=U1", FORM) == ""
