"""People and times as Slack shows them: whoever logged an entry is a mention, and its time is a date
token each viewer's Slack writes in their own time zone (with the time in UTC, labelled, for clients that
cannot). Text typed by users stays text: it never pings anyone. Entries logged from business documents
show the document's kind and number."""

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.slack.listeners.commands import WORKING
from store.documents import DocumentEvent, record_document
from store.enums import DocumentKind
from store.templates import set_setup
from tests.conftest import Workspace
from tests.fake_slack import text_of
from tests.slack_requests import USER, Slack

TOKYO = "U0TOKYO"
LOGGED_AT = datetime(2026, 3, 2, 10, 30, tzinfo=ZoneInfo("Europe/Madrid"))
"""10:30 on USER's clock in Madrid: 09:30 UTC, 18:30 in Tokyo."""
TOKEN = f"<!date^{int(LOGGED_AT.timestamp())}^{{date_short_pretty}} {{time}}|2026-03-02 09:30 UTC>"
TOKENS = re.compile(r"<[^<>]*>")


def number(answer: dict[str, Any]) -> int:
    return int(re.search(r"entry (\d+)", answer["text"]).group(1))  # type: ignore[union-attr]


def sections(message: dict[str, Any]) -> str:
    return "\n".join(b["text"]["text"] for b in message["blocks"] if b["type"] == "section")


@pytest.fixture
def logged(slack: Slack, workspace: Workspace) -> int:
    """A call USER logged in Madrid at 10:30 on 2 March 2026."""
    slack.fake.user(TOKYO, tz="Asia/Tokyo")
    return number(slack.ask('log PHONE "John Smith" "Asked for the quote" date=2026-03-02 time=10:30'))


def test_who_logged_an_entry_is_a_mention_in_the_blocks_and_the_fallback(slack: Slack, logged: int) -> None:
    listed = slack.ask("entries")
    assert f"Asked for the quote - by <@{USER}>" in sections(listed)
    assert f"<@{USER}>" in listed["text"]  # notifications and screen readers name them too
    detail = slack.ask(f"entry {logged}")
    assert f"*Logged by:* <@{USER}>" in sections(detail)
    assert not any(b["type"] == "section" and "```" in b["text"]["text"] for b in detail["blocks"])


def test_two_people_in_different_time_zones_get_the_same_moment(slack: Slack, logged: int) -> None:
    for viewer in (USER, TOKYO):
        listed = slack.ask("entries", user=viewer)
        assert TOKEN in sections(listed) and TOKEN in listed["text"]
        assert "10:30" not in text_of(listed)  # Madrid's clock is no longer shown as everyone's
        assert f"*Date:* {TOKEN}" in sections(slack.ask(f"entry {logged}", user=viewer))


def test_text_users_typed_never_pings_anyone(slack: Slack, workspace: Workspace) -> None:
    hostile = "&lt;!channel&gt; &lt;@U0BOSS&gt; &lt;!date^1^{date}|x&gt; \ufdd0@U0BOSS\ufdd1 &amp;"
    entry = number(slack.ask(f'log PHONE "John Smith" "{hostile}"'))
    for answer in (slack.ask("entries"), slack.ask(f"entry {entry}")):
        for text in (sections(answer), answer["text"]):
            assert "&lt;!channel&gt; &lt;@U0BOSS&gt; &lt;!date^1^{date}|x&gt; @U0BOSS &amp;" in text
            # The only tokens Slack reads are the ones the app meant: its user and its moments.
            assert {t for t in TOKENS.findall(text) if not t.startswith("<!date^")} <= {f"<@{USER}>"}
            assert "\ufdd0" not in text and "\ufdd1" not in text


def test_entries_from_documents_show_the_document(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as s:
        set_setup(s, workspace.team, "U0ADMIN", DocumentKind.SALES_QUOTE, "LETTER")
        event = DocumentEvent("quote-1", DocumentKind.SALES_QUOTE, "SQ-1001", workspace.john, version_no=2)
        entry = record_document(s, workspace.team, event, user_id="erp", now=datetime(2026, 3, 2, tzinfo=UTC))
        assert entry.entry is not None
        no = entry.entry.entry_no
    listed = sections(slack.ask("entries"))
    assert re.search(rf"\*{no}\*.*· Sales Quote SQ-1001", listed)
    detail = sections(slack.ask(f"entry {no}"))
    assert "*Document:* Sales Quote SQ-1001" in detail
    assert "*Document version:* 2 (logged 1 time for this document)" in detail
    assert "*Logged by:* erp" in detail  # not a Slack user: named as it is


def test_a_tasks_due_time_and_owner(slack: Slack, workspace: Workspace) -> None:
    slack.fake.user(TOKYO, tz="Asia/Tokyo")
    response = slack.command(
        f'task add "John Smith" "Send the quote" due="2030-03-05 16:00" owner=<@{TOKYO}>'
    )
    # The first date in words loads dateparser, which may outlast the acknowledgement.
    answer = slack.answer(response.response_url) if response.text == WORKING else response.json()
    assert answer["text"].startswith("Task "), answer
    no = int(re.search(r"Task (\d+)", answer["text"]).group(1))  # type: ignore[union-attr]
    due = datetime(2030, 3, 5, 16, 0, tzinfo=ZoneInfo("Europe/Madrid"))  # on the clock of who typed it
    token = f"<!date^{int(due.timestamp())}^{{date_short_pretty}} {{time}}|2030-03-05 15:00 UTC>"
    for viewer in (USER, TOKYO):
        detail = sections(slack.ask(f"task {no}", user=viewer))
        assert f"*Due:* {token}" in detail and f"*Owner:* <@{TOKYO}>" in detail
        assert f"*Created by:* <@{USER}>" in detail
