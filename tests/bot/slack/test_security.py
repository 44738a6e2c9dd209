"""Only Slack may talk to the bot (signed, fresh requests); the workspace and the user come from the
signed payload, never from a button; purges need an admin; each workspace uses its own token."""

import json
import re
import time
import uuid
from typing import Any

from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import func, select

from store.models import InteractionLogEntry
from tests.conftest import Workspace
from tests.fake_slack import button, text_of
from tests.slack_requests import FORM, JSON, OWNER, SECRET, USER, Slack, get, post, sign, slash_command


def count_entries(sessions: Any, team: str, canceled: bool | None = None) -> int:
    query = select(func.count()).select_from(InteractionLogEntry).where(InteractionLogEntry.team_id == team)
    if canceled is not None:
        query = query.where(InteractionLogEntry.canceled.is_(canceled))
    with sessions() as session:
        return session.scalar(query)


def log_entry(slack: Slack) -> str:
    text = slack.ask('log PHONE "John Smith" Called about the quote')["text"]
    return re.search(r"entry (\d+)", text).group(1)  # type: ignore[union-attr]


def test_unsigned_badly_signed_and_stale_requests_are_refused(
    slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    body = slash_command(workspace.team, USER, 'log PHONE "John Smith"', slack.fake.response_url())
    assert post(slack.events_url, body, FORM, signed=False).status == 401
    forged = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64}
    assert post(slack.events_url, body, FORM, signed=False, **forged).status == 401
    assert post(slack.events_url, body, FORM, timestamp=int(time.time()) - 6 * 60).status == 401
    other_secret = sign(body, secret="not-" + SECRET)
    assert post(slack.events_url, body, FORM, signed=False, **other_secret).status == 401
    assert count_entries(sessions, workspace.team) == 0
    assert post(slack.events_url, body, FORM).status == 200  # the same request, properly signed
    assert count_entries(sessions, workspace.team) == 1


def test_url_verification_echoes_the_challenge(slack: Slack) -> None:
    challenge = uuid.uuid4().hex
    body = json.dumps({"token": "t", "challenge": challenge, "type": "url_verification"})
    response = post(slack.events_url, body, JSON)
    assert response.status == 200 and response.json() == {"challenge": challenge}


def test_a_click_from_another_workspace_cannot_touch_this_one(
    slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    number = log_entry(slack)
    cancel = button(slack.ask("entries"), "Cancel")
    intruder = "T" + uuid.uuid4().hex[:10].upper()
    answer = slack.answer(slack.click(cancel, team=intruder, user="U0INTRUDER"))  # type: ignore[arg-type]
    assert f"{number} does not exist" in answer["text"]
    assert count_entries(sessions, workspace.team, canceled=True) == 0


def test_purging_needs_an_admin_typed_or_clicked(slack: Slack, workspace: Workspace, sessions: Any) -> None:
    number = log_entry(slack)
    slack.ask(f"cancel {number}")
    refused = slack.ask("delete-canceled")
    assert "Only admins" in text_of(refused)
    forged = {"type": "button", "action_id": "crm:run:1", "value": "delete-canceled", "text": "Delete"}
    answer = slack.answer(slack.click(forged))  # type: ignore[arg-type]
    assert "Only admins" in answer["text"]
    assert count_entries(sessions, workspace.team) == 1
    question = slack.ask("delete-canceled", user=OWNER)  # an owner according to users.info
    slack.answer(slack.click(button(question, "Delete"), user=OWNER))  # type: ignore[arg-type]
    assert count_entries(sessions, workspace.team) == 0


def test_when_slack_cannot_say_who_the_user_is_they_are_no_admin(slack: Slack, workspace: Workspace) -> None:
    slack.fake.fail_once("/users.info", 200, {"ok": False, "error": "user_not_found"})
    assert "Only admins" in text_of(slack.ask("delete-canceled", user=OWNER))


def install(slack: Slack, team: str, token: str) -> None:
    store = slack.server.bot.app.installation_store
    assert store is not None
    store.save(
        Installation(
            app_id="A0CRM",
            team_id=team,
            bot_token=token,
            bot_id="BBOT",
            bot_user_id="UBOT",
            bot_scopes=["commands", "chat:write"],
            user_id=USER,
            installed_at=time.time(),
        )
    )


def test_each_workspace_is_answered_with_its_own_token(oauth_slack: Slack) -> None:
    teams = {"T" + uuid.uuid4().hex[:10].upper(): f"xoxb-{n}-{uuid.uuid4().hex[:6]}" for n in range(2)}
    for team, token in teams.items():
        install(oauth_slack, team, token)
    for team in teams:
        body = oauth_slack.ask("help", team=team)
        assert "/crm entries" in text_of(body)
    tokens = {call.token for call in oauth_slack.fake.calls_to("/users.info")}
    assert tokens == set(teams.values())


def test_the_install_page_is_served_when_oauth_is_on(oauth_slack: Slack) -> None:
    page = get(oauth_slack.url + "/slack/install")
    assert page.status == 200 and "slack.com/oauth/v2/authorize" in page.text
    assert "client_id=111.222" in page.text
