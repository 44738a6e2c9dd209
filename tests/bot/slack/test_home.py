"""App Home: published when the user opens it; its buttons answer in the user's DM (a view has no
response_url) and the tab is refreshed with what the click changed."""

import re
import time
from typing import Any

from tests.conftest import Workspace
from tests.fake_slack import button, text_of, within_limits
from tests.slack_requests import USER, Slack


def open_home(slack: Slack, count: int = 1) -> dict[str, Any]:
    response = slack.event({"type": "app_home_opened", "user": USER, "channel": "D0SELLER", "tab": "home"})
    assert response.status == 200 and response.elapsed < 3
    call = slack.fake.wait_for("/views.publish", count)[-1]
    assert call.body["user_id"] == USER
    return within_limits(call.json_field("view"), max_blocks=100)


def test_opening_the_home_tab_publishes_recent_interactions_and_actions(
    slack: Slack, workspace: Workspace
) -> None:
    slack.ask('log PHONE "John Smith" Called about the quote')
    home = open_home(slack)
    assert home["type"] == "home"
    assert "Called about the quote" in text_of(home)
    for label in ("Create Interaction", "Interaction Log Entries", "Tell Me"):
        button(home, label)


def test_the_messages_tab_publishes_nothing(slack: Slack) -> None:
    slack.event({"type": "app_home_opened", "user": USER, "channel": "D0SELLER", "tab": "messages"})
    slack.event({"type": "app_home_opened", "user": USER, "channel": "D0SELLER", "tab": "home"})
    slack.fake.wait_for("/views.publish")
    time.sleep(0.1)
    assert len(slack.fake.calls_to("/views.publish")) == 1


def test_a_home_button_answers_in_the_dm(slack: Slack, workspace: Workspace) -> None:
    slack.ask('log PHONE "John Smith" Called about the quote')
    home = open_home(slack)
    assert slack.click(button(home, "Interaction Log Entries"), view=home) is None
    answer = slack.fake.wait_for("/chat.postMessage")[0]
    assert answer.body["channel"] == USER
    assert "Called about the quote" in text_of(answer.body | {"blocks": answer.json_field("blocks")})


def test_create_interaction_from_home_opens_the_form(slack: Slack, workspace: Workspace) -> None:
    home = open_home(slack)
    slack.click(button(home, "Create Interaction"), view=home)
    assert slack.opened_view()["callback_id"] == "create_interaction"


def test_cancel_from_home_refreshes_the_tab(slack: Slack, workspace: Workspace) -> None:
    number = re.search(r"entry (\d+)", slack.ask('log PHONE "John Smith"')["text"]).group(1)  # type: ignore[union-attr]
    home = open_home(slack)
    slack.click(button(home, "Cancel"), view=home)
    refreshed = within_limits(slack.fake.wait_for("/views.publish", 2)[-1].json_field("view"), max_blocks=100)
    assert button(refreshed, "Restore")["value"] == f"restore {number}"
