"""App Home: published when the user opens it; its buttons answer in the user's DM (a view has no
response_url) and the tab is refreshed with what the click changed."""

import re
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from store.interactions import InteractionInput, create_interaction
from store.tasks import NewTask, add_task
from tests.conftest import Workspace
from tests.fake_slack import button, buttons, text_of, within_limits
from tests.slack_requests import ADMIN, USER, Slack

OTHER = "U0COLLEAGUE"


def open_home(slack: Slack, count: int = 1, user: str = USER) -> dict[str, Any]:
    response = slack.event({"type": "app_home_opened", "user": user, "channel": "D0SELLER", "tab": "home"})
    assert response.status == 200 and response.elapsed < 3
    call = slack.fake.wait_for("/views.publish", count)[-1]
    assert call.body["user_id"] == user
    return within_limits(call.json_field("view"), max_blocks=100)


def headers(view: dict[str, Any]) -> set[str]:
    return {block["text"]["text"] for block in view["blocks"] if block["type"] == "header"}


def test_opening_the_home_tab_publishes_headers_with_quick_actions_on_top(
    slack: Slack, workspace: Workspace
) -> None:
    slack.ask('log PHONE "John Smith" Called about the quote')
    home = open_home(slack)
    assert home["type"] == "home"
    kinds = [block["type"] for block in home["blocks"]]
    assert kinds[:2] == ["header", "actions"], "the title, then the quick actions, before any list"
    quick = [b["text"]["text"] for b in home["blocks"][1]["elements"]]
    assert quick[:3] == ["Log an interaction", "New follow-up", "Entries"]
    assert {"Your follow-ups", "Your recent entries"} <= headers(home)
    assert "Called about the quote" in text_of(home)


def test_the_messages_tab_publishes_nothing(slack: Slack) -> None:
    slack.event({"type": "app_home_opened", "user": USER, "channel": "D0SELLER", "tab": "messages"})
    slack.event({"type": "app_home_opened", "user": USER, "channel": "D0SELLER", "tab": "home"})
    slack.fake.wait_for("/views.publish")
    time.sleep(0.1)
    assert len(slack.fake.calls_to("/views.publish")) == 1


def test_a_home_button_answers_in_the_dm(slack: Slack, workspace: Workspace) -> None:
    slack.ask('log PHONE "John Smith" Called about the quote')
    home = open_home(slack)
    assert slack.click(button(home, "Entries"), view=home) is None
    answer = slack.fake.wait_for("/chat.postMessage")[0]
    assert answer.body["channel"] == USER
    assert "Called about the quote" in text_of(answer.body | {"blocks": answer.json_field("blocks")})


def test_create_interaction_from_home_opens_the_form(slack: Slack, workspace: Workspace) -> None:
    home = open_home(slack)
    slack.click(button(home, "Log an interaction"), view=home)
    assert slack.opened_view()["callback_id"] == "create_interaction"


def test_cancel_from_home_refreshes_the_tab(slack: Slack, workspace: Workspace) -> None:
    number = re.search(r"entry (\d+)", slack.ask('log PHONE "John Smith"')["text"]).group(1)  # type: ignore[union-attr]
    home = open_home(slack)
    slack.click(button(home, "Cancel"), view=home)
    refreshed = within_limits(slack.fake.wait_for("/views.publish", 2)[-1].json_field("view"), max_blocks=100)
    assert button(refreshed, "Restore")["value"] == f"restore {number}"


def entry_of(
    sessions: sessionmaker[Session], team: str, user: str, contact: str, what: str, **kw: Any
) -> int:
    with sessions.begin() as session:
        made = create_interaction(session, team, user, InteractionInput(contact, "PHONE", what), **kw)
        return made.entry_no


def overdue_task(sessions: sessionmaker[Session], team: str, owner: str, contact: str, what: str) -> None:
    """A task due yesterday, made the day before (a due date in the past cannot be given today)."""
    yesterday = date.today() - timedelta(days=1)
    made_at = datetime.now(UTC) - timedelta(days=3)
    new = NewTask(contact, what, yesterday, owner)
    with sessions.begin() as session:
        add_task(session, team, owner, new, now=made_at)


def test_home_shows_the_viewing_users_own_work_and_not_a_colleagues(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    team = workspace.team
    entry_of(sessions, team, USER, workspace.john, "My own call")
    mine = entry_of(sessions, team, USER, workspace.jane, "My draft", postpone=True)
    entry_of(sessions, team, OTHER, workspace.john, "Their call")
    entry_of(sessions, team, OTHER, workspace.jane, "Their draft", postpone=True)
    overdue_task(sessions, team, USER, workspace.john, "Send my quote")
    overdue_task(sessions, team, OTHER, workspace.john, "Send their quote")
    home = open_home(slack)
    shown = text_of(home)
    assert {"Your follow-ups", "Your postponed interactions", "Your recent entries"} <= headers(home)
    for own in ("My own call", "My draft", "Send my quote", "Overdue"):
        assert own in shown
    for theirs in ("Their call", "Their draft", "Send their quote"):
        assert theirs not in shown
    assert button(home, "Resume")["value"] == f"resume {mine}"
    assert "Workspace (admins)" not in headers(home), "a seller sees no workspace figures"
    assert "Statistics" not in [b["text"]["text"] for b in buttons(home)]


def test_an_admins_home_adds_the_workspaces_figures(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    team = workspace.team
    entry_of(sessions, team, USER, workspace.john, "A seller's call")
    entry_of(sessions, team, OTHER, workspace.jane, "A colleague's call")
    entry_of(sessions, team, OTHER, workspace.jane, "A colleague's draft", postpone=True)
    overdue_task(sessions, team, USER, workspace.john, "Late follow-up")
    home = open_home(slack, user=ADMIN)
    assert "Workspace (admins)" in headers(home)
    figures = text_of(home)
    assert "2 interactions* logged, cost 5.00, 20 min" in figures  # everyone's, not the admin's own
    assert "1 postponed interaction" in figures and "1 overdue tasks, everyone's" in figures
    assert "A seller's call" not in figures, "the admin's own lists stay the admin's"
    assert button(home, "Statistics")["value"] == "stats"
