"""Buttons: each click runs the command the button carries, with the clicker's own context, and answers
through the message's response_url (replacing it when the reply says so)."""

import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select

from bot.slack.runtime import SOMETHING_WRONG
from store.models import InteractionLogEntry
from tests.conftest import Workspace
from tests.fake_slack import button, buttons, text_of, within_limits
from tests.slack_requests import ADMIN, OWNER, USER, Slack


def log_entry(slack: Slack, contact: str = '"John Smith"') -> int:
    body = slack.ask(f"log PHONE {contact} Called about the quote")
    return int(re.search(r"entry (\d+)", body["text"]).group(1))  # type: ignore[union-attr]


def entry(sessions: Any, team: str, number: int) -> InteractionLogEntry | None:
    with sessions() as session:
        return session.get(InteractionLogEntry, (team, number))


def test_cancel_button_cancels_and_replaces_the_list_then_undo_restores(
    slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    number = log_entry(slack)
    listed = slack.ask("entries")
    cancel = button(listed, "Cancel")
    assert cancel["action_id"].startswith("crm:run:") and cancel["value"] == f"cancel {number}"

    answer = slack.answer(slack.click(cancel))  # type: ignore[arg-type]
    assert answer["replace_original"] is True and f"Canceled 1 entry: {number}" in answer["text"]
    assert entry(sessions, workspace.team, number).canceled  # type: ignore[union-attr]

    undo = slack.answer(slack.click(button(answer, "Undo")))  # type: ignore[arg-type]
    assert "Restored" in undo["text"]
    assert not entry(sessions, workspace.team, number).canceled  # type: ignore[union-attr]


def test_restore_button_on_a_canceled_entry(slack: Slack, workspace: Workspace, sessions: Any) -> None:
    number = log_entry(slack)
    slack.ask(f"cancel {number}")
    listed = slack.ask("entries canceled=yes")
    answer = slack.answer(slack.click(button(listed, "Restore")))  # type: ignore[arg-type]
    assert "Restored" in answer["text"]
    assert not entry(sessions, workspace.team, number).canceled  # type: ignore[union-attr]


def test_delete_canceled_question_then_delete_replaces_it_and_deletes_only_what_it_counted(
    slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    numbers = [log_entry(slack) for _ in range(2)]
    slack.ask(f"cancel {numbers[0]}")
    question = slack.ask("delete-canceled", user=ADMIN)
    assert entry(sessions, workspace.team, numbers[0]) is not None  # asking deletes nothing
    slack.ask(f"cancel {numbers[1]}")  # after the question: not what it counted

    answer = slack.answer(slack.click(button(question, "Delete"), user=ADMIN))  # type: ignore[arg-type]
    assert answer["replace_original"] is True and "Deleted 1 canceled" in answer["text"]
    assert entry(sessions, workspace.team, numbers[0]) is None
    assert entry(sessions, workspace.team, numbers[1]).canceled  # type: ignore[union-attr]


def test_keep_replaces_the_question_and_deletes_nothing(
    slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    number = log_entry(slack)
    slack.ask(f"cancel {number}")
    question = slack.ask("delete-canceled", user=OWNER)
    answer = slack.answer(slack.click(button(question, "Keep"), user=OWNER))  # type: ignore[arg-type]
    assert answer["replace_original"] is True and "nothing was deleted" in answer["text"]
    assert entry(sessions, workspace.team, number) is not None


def test_a_double_click_runs_the_command_once(slack: Slack, workspace: Workspace, sessions: Any) -> None:
    number = log_entry(slack)
    cancel = button(slack.ask("entries"), "Cancel")
    response_url = slack.fake.response_url()
    slack.click(cancel, response_url=response_url)
    slack.click(cancel, response_url=response_url)
    slack.answer(response_url)
    time.sleep(0.3)  # room for a second answer, which must not come
    assert len(slack.fake.calls_to(urlsplit(response_url).path)) == 1
    assert entry(sessions, workspace.team, number).canceled  # type: ignore[union-attr]


def test_a_double_click_on_a_page_only_shows_it_again(slack: Slack, workspace: Workspace) -> None:
    """Nothing changes, so nothing is written to tell the two clicks apart: each gets the page."""
    for _ in range(12):
        log_entry(slack)
    next_page = button(slack.ask("entries"), "Next page")
    response_url = slack.fake.response_url()
    slack.click(next_page, response_url=response_url)
    slack.click(next_page, response_url=response_url)
    first, second = slack.fake.posts_to(response_url, 2)
    assert first["text"] == second["text"] and "Interaction Log Entries" in first["text"]


def test_share_reposts_the_answer_for_the_channel(slack: Slack, workspace: Workspace) -> None:
    log_entry(slack)
    listed = slack.ask("entries")
    assert listed["response_type"] == "ephemeral"
    response_url = slack.click(button(listed, "Share in channel"))
    shared, removed = slack.fake.posts_to(response_url, 2)  # type: ignore[arg-type]
    assert shared["response_type"] == "in_channel" and "Called about the quote" in text_of(shared)
    assert "Share in channel" not in text_of(shared)
    assert removed == {"delete_original": True}


def test_next_page_button_shows_the_following_entries(slack: Slack, workspace: Workspace) -> None:
    numbers = [log_entry(slack) for _ in range(12)]
    first = within_limits(slack.ask("entries"))
    assert len({b["action_id"] for b in buttons(first)}) == len(buttons(first))
    shown = {int(b["value"].split()[1]) for b in buttons(first) if b["text"]["text"] == "Cancel"}
    page = slack.answer(slack.click(button(first, "Next page")))  # type: ignore[arg-type]
    more = {int(b["value"].split()[1]) for b in buttons(within_limits(page)) if b["text"]["text"] == "Cancel"}
    assert more and not shown & more and shown | more == set(numbers)


def test_next_page_of_a_date_range_goes_on_from_the_date_and_entry_it_stopped_at(
    slack: Slack, workspace: Workspace
) -> None:
    numbers = [log_entry(slack) for _ in range(12)]
    # ISO dates: the first date in words loads dateparser, which can outlast the acknowledgement.
    today = datetime.now(UTC).date()
    week = f"from={today - timedelta(days=3)} to={today + timedelta(days=3)}"
    first = within_limits(slack.ask(f"entries {week}"))
    next_page = button(first, "Next page")
    assert re.search(r"before=\d{4}-\d{2}-\d{2}/\d+", next_page["value"]), next_page["value"]
    shown = {int(b["value"].split()[1]) for b in buttons(first) if b["text"]["text"] == "Cancel"}
    page = slack.answer(slack.click(next_page))  # type: ignore[arg-type]
    more = {int(b["value"].split()[1]) for b in buttons(within_limits(page)) if b["text"]["text"] == "Cancel"}
    assert more and not shown & more and shown | more == set(numbers)


def test_clicks_are_counted_for_the_clicker_not_the_author(
    slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    number = log_entry(slack)
    cancel = button(slack.ask("entries"), "Cancel")
    slack.answer(slack.click(cancel, user="U0COLLEAGUE"))  # type: ignore[arg-type]
    with sessions() as session:
        count = session.scalar(
            select(func.count())
            .select_from(InteractionLogEntry)
            .where(InteractionLogEntry.team_id == workspace.team, InteractionLogEntry.canceled.is_(True))
        )
    assert count == 1 and entry(sessions, workspace.team, number).user_id == USER  # type: ignore[union-attr]


def test_a_forged_share_click_runs_nothing_that_changes_data(
    slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    number = log_entry(slack)
    share = button(slack.ask("entries"), "Share in channel")
    response_url = slack.click(share | {"value": f"cancel {number}"})
    answer = slack.answer(response_url)  # type: ignore[arg-type]
    assert "Only answers that show data can be shared" in answer["text"]
    assert answer["response_type"] == "ephemeral"
    assert not entry(sessions, workspace.team, number).canceled  # type: ignore[union-attr]


def test_a_click_is_acknowledged_at_once_while_its_answer_waits_on_a_slow_slack(
    slack: Slack, workspace: Workspace
) -> None:
    listed = slack.ask("entries")
    slack.fake.fail("/response/", 200, {"ok": True}, times=1, delay=2.5)
    started = time.monotonic()
    response_url = slack.click(buttons(listed)[0])
    assert time.monotonic() - started < 1.5
    assert slack.answer(response_url)  # type: ignore[arg-type]


def test_a_click_that_fails_after_its_acknowledgement_is_told_with_an_apology(
    slack: Slack, workspace: Workspace, monkeypatch: Any
) -> None:
    listed = slack.ask("entries")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("users.info exploded in an unexpected way")

    monkeypatch.setattr(slack.server.bot.runtime, "context", broken)
    answer = slack.answer(slack.click(buttons(listed)[0]))  # type: ignore[arg-type]
    assert answer["text"] == SOMETHING_WRONG and answer["response_type"] == "ephemeral"
