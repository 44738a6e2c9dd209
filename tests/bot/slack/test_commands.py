"""Every /crm subcommand through Slack: a signed form-encoded slash command over HTTP, answered within
3 seconds by an ephemeral acknowledgement rendered as Block Kit."""

import csv
import io
import re
import threading
from typing import Any

import pytest
from sqlalchemy import select

from bot.slack.ports import Commands, default_commands
from bot.slack.runtime import SOMETHING_WRONG
from commands.reply import Reply
from store.models import InteractionLogEntry, LoggedSegment, TemplateSetup
from tests.conftest import Workspace
from tests.fake_slack import button, text_of, within_limits
from tests.slack_requests import ADMIN, USER, Slack, message


def ok(slack: Slack, text: str, **kwargs: Any) -> dict[str, Any]:
    body = within_limits(slack.ask(text, **kwargs))
    assert body["response_type"] == "ephemeral"
    assert (
        not body["text"].startswith(":warning:") and ":warning:" not in body["blocks"][0]["text"]["text"]
    ), body
    return body


def logged(slack: Slack, text: str) -> int:
    body = ok(slack, text)
    found = re.search(r"interaction log entry (\d+)", body["text"])
    assert found, body["text"]
    return int(found.group(1))


def test_help_lists_the_commands_and_offers_to_share(slack: Slack) -> None:
    body = ok(slack, "help")
    assert "/crm entries" in text_of(body)
    assert button(body, "Share in channel")["value"] == "help"
    entries = ok(slack, "help entries")
    assert "/crm delete-canceled" not in text_of(entries), "a seller is not offered what only admins may run"
    assert "/crm delete-canceled" in text_of(slack.ask("help entries", user=ADMIN))


def test_contacts_and_contact_add(slack: Slack, workspace: Workspace) -> None:
    assert "Adatum Corporation" in text_of(ok(slack, "contacts adatum"))
    added = ok(slack, 'contact add "Erin Baker" company="Adatum Corporation" email=erin@adatum.example')
    assert "Erin Baker" in added["text"]
    assert button(added, "Log an interaction")["value"].startswith("log contact=")
    assert "Erin Baker" in text_of(ok(slack, "contacts erin"))


def test_segments_segment_add_and_adding_contacts(slack: Slack, workspace: Workspace) -> None:
    assert "NEWSLETTER" in text_of(ok(slack, "segments"))
    assert "VIP" in ok(slack, 'segment add VIP "Key accounts"')["text"]
    assert "John Smith" in ok(slack, 'segment VIP add "John Smith"')["text"]
    assert "Key accounts" in text_of(ok(slack, "segments"))


def test_groups_templates_and_adding_them(slack: Slack, workspace: Workspace) -> None:
    assert "CALLS" in text_of(ok(slack, "groups"))
    assert "VISITS" in ok(slack, 'group add VISITS "Site visits"')["text"]
    assert "PHONE" in text_of(ok(slack, "templates"))
    assert "VISIT" in ok(slack, 'template add VISIT "Site visit" group=VISITS cost=20 duration=90')["text"]
    assert "Site visit" in text_of(ok(slack, "templates"))


def test_log_entries_entry_comment_evaluate(slack: Slack, workspace: Workspace, sessions: Any) -> None:
    number = logged(slack, 'log PHONE "John Smith" Called about the quote')
    listed = ok(slack, "entries contact=" + workspace.john)
    assert "Called about the quote" in text_of(listed)
    assert button(listed, "Cancel")["value"] == f"cancel {number}"
    assert "Comment added" in ok(slack, f"comment {number} Wants a discount")["text"]
    assert "positive" in ok(slack, f"evaluate {number} positive")["text"]
    detail = text_of(ok(slack, f"entry {number}"))
    assert "Wants a discount" in detail and "positive" in detail
    with sessions() as session:
        entry = session.get(InteractionLogEntry, (workspace.team, number))
        assert entry.user_id == "U0SELLER" and entry.evaluation == "positive"


def test_cancel_and_restore_typed(slack: Slack, workspace: Workspace) -> None:
    number = logged(slack, 'log PHONE "John Smith"')
    canceled = ok(slack, f"cancel {number}")
    assert button(canceled, "Undo")["value"] == f"restore {number}"
    assert "Share in channel" not in text_of(canceled)  # a change is not re-run by sharing
    assert "Restored" in ok(slack, f"restore {number}")["text"]


def test_postponed_and_resume(slack: Slack, workspace: Workspace) -> None:
    number = logged(slack, 'log PHONE "John Smith" postpone')
    listed = ok(slack, "postponed")
    assert button(listed, "Resume")["value"] == f"resume {number}"
    assert "now recorded" in ok(slack, f"resume {number} Called back")["text"]  # given values: no form
    assert "none found" in ok(slack, "postponed")["text"]


def test_log_segment_logged_segments_cancel_restore_and_delete(
    slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    body = ok(slack, "log LETTER segment=NEWSLETTER")
    assert button(body, "Show entries")["value"] == "entries segment=NEWSLETTER"
    table = text_of(ok(slack, "logged-segments"))
    number = re.search(r"\n(\d+)\s+NEWSLETTER", table)
    assert number, table
    no = number.group(1)
    assert "canceled" in ok(slack, f"cancel segment={no}")["text"]
    assert "restored" in ok(slack, f"restore segment={no}")["text"]
    ok(slack, f"cancel segment={no}")
    question = ok(slack, "delete-canceled-segments", user=ADMIN)
    assert button(question, "Delete")["confirm"]
    with sessions() as session:  # asking deletes nothing
        assert session.get(LoggedSegment, (workspace.team, int(no))) is not None


def test_delete_canceled_asks_first_with_delete_and_keep(slack: Slack, workspace: Workspace) -> None:
    number = logged(slack, 'log PHONE "John Smith"')
    ok(slack, f"cancel {number}")
    question = ok(slack, "delete-canceled", user=ADMIN)
    delete = button(question, "Delete")
    assert delete["style"] == "danger" and "cannot be undone" in delete["confirm"]["text"]["text"]
    assert button(question, "Keep")["value"] == "keep"


def test_export_entries_uploads_a_csv_file(slack: Slack, workspace: Workspace) -> None:
    logged(slack, 'log PHONE "John Smith" Called about the quote')
    body = ok(slack, "export entries")
    assert "Exported" in body["text"]
    slack.fake.wait_for("/files.completeUploadExternal")
    upload = slack.fake.calls_to("/upload/")[-1]
    rows = list(csv.DictReader(io.StringIO(upload.raw.decode())))
    assert rows[0]["description"] == "Called about the quote"
    complete = slack.fake.calls_to("/files.completeUploadExternal")[-1]
    assert complete.body["channel_id"] == "D0DM", "an export goes to the user alone"
    assert slack.fake.calls_to("/conversations.open")[-1].body["users"] == USER
    assert complete.json_field("files")[0]["title"].endswith(".csv")


def test_setup_and_changing_it(slack: Slack, workspace: Workspace, sessions: Any) -> None:
    assert "sales-invoice" in text_of(ok(slack, "setup"))
    refused = slack.ask("setup sales-invoice LETTER")
    assert refused["text"].startswith(":warning:") or "Only admins" in text_of(refused)
    assert "LETTER" in ok(slack, "setup sales-invoice LETTER", user=ADMIN)["text"]
    with sessions() as session:
        assert session.scalar(
            select(TemplateSetup.template_code).where(TemplateSetup.team_id == workspace.team)
        )


def test_stats(slack: Slack, workspace: Workspace) -> None:
    logged(slack, 'log PHONE "John Smith"')
    assert "PHONE" in text_of(ok(slack, "stats"))


def test_tellme_and_free_text(slack: Slack, workspace: Workspace) -> None:
    assert "Recorded" in ok(slack, "tellme log a call with john smith")["text"]
    assert "Delete" in text_of(slack.ask("delete canceled entries", user=ADMIN))


def test_a_user_error_is_one_line_with_the_usage(slack: Slack, workspace: Workspace) -> None:
    body = within_limits(slack.ask("resume 99999"))
    assert ":warning:" in body["blocks"][0]["text"]["text"]
    assert "Usage" in text_of(body)


@pytest.fixture
def release() -> threading.Event:
    return threading.Event()


@pytest.fixture
def commands(release: threading.Event) -> Commands:
    """The real router, except for two commands that show how failures and slowness are handled."""
    real = default_commands()

    def run(ctx: Any, text: str) -> Reply:
        if text == "explode":
            raise RuntimeError("database on fire")
        if text == "slow":
            release.wait(5)
            return Reply("Slow answer ready.")
        return real.run(ctx, text)

    return Commands(run, real.home, real.background, real.form, real.submit, real.options, real.read_only)


def test_an_unexpected_failure_is_a_short_apology_not_a_traceback(slack: Slack) -> None:
    body = slack.ask("explode")
    assert SOMETHING_WRONG in body["text"]
    assert "Traceback" not in text_of(body) and "fire" not in text_of(body)


def test_a_slow_command_is_acknowledged_in_time_and_answered_later(
    slack: Slack, release: threading.Event
) -> None:
    slack.server.bot.runtime.ack_budget = 0.3
    response = slack.command("slow")
    assert response.status == 200 and response.elapsed < 3
    assert "Working on it" in response.text
    release.set()
    answer = slack.answer(response.response_url)
    assert answer["text"] == "Slow answer ready." and answer["replace_original"] is True


def test_a_failure_outside_the_router_is_still_acknowledged_with_an_apology(
    slack: Slack, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("users.info exploded in an unexpected way")

    monkeypatch.setattr(slack.server.bot.runtime, "context", broken)
    response = slack.command("help")
    assert response.status == 200 and response.text == SOMETHING_WRONG


def test_a_file_asked_for_in_a_direct_message_goes_into_it(slack: Slack, workspace: Workspace) -> None:
    logged(slack, 'log PHONE "John Smith" Called about the quote')
    question = message("D0SELLER", "export entries", channel_type="im")
    slack.event(question)
    complete = slack.fake.wait_for("/files.completeUploadExternal")[-1]
    assert complete.body["channel_id"] == "D0SELLER" and "thread_ts" not in complete.body
    assert not slack.fake.calls_to("/conversations.open")


def test_a_failure_after_the_answer_keeps_the_answer_and_apologises_after_it(
    slack: Slack, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = slack.server.bot.runtime
    answer = runtime.answer

    def answers_then_fails(*args: Any, **kwargs: Any) -> None:
        answer(*args, **kwargs)
        raise RuntimeError("queueing the background work failed")

    monkeypatch.setattr(runtime, "answer", answers_then_fails)
    response = slack.command("help")
    assert response.status == 200 and "help" in response.text.lower()
    assert SOMETHING_WRONG not in response.text
    assert slack.answer(response.response_url)["text"] == SOMETHING_WRONG
