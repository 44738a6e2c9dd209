"""The console is the bot in a terminal: driven here as a real subprocess with input on stdin, and in
process for a form."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from rich.console import Console

from bot.console import ConsoleChat
from commands.context import Context

SCRIPT = """\
group add CALLS Phone calls
template add PHONE Phone call group=CALLS cost=2.50 duration=10 flow=outbound
contact add "Adatum Corporation"
contact add John Smith company="Adatum Corporation"
log PHONE John Smith Called about the quote
log PHONE CT000001
cancel 1
entries
delete-canceled
1
y
log
PHONE
jon smith
Asked for a meeting






yes
positive

entries
delete canceled interaction log entries
quit
"""


@pytest.fixture
def console_output(workdir, team):
    done = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "console", "--team", team, "--user", "U1"],
        input=SCRIPT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_newcomer_records_lists_and_purges_in_the_console(console_output):
    out = console_output
    assert "Recorded: interaction log entry 1." in out
    assert "Canceled 1 entry: 1." in out
    assert "1 canceled interaction log entry would be deleted" in out
    assert "[1] Delete  [2] Keep" in out
    assert "Deleted 1 canceled interaction log entry." in out


def test_the_form_is_prefilled_from_the_template(console_output):
    assert "Cost [2.50]" in console_output and "Duration (minutes) [10]" in console_output
    assert "Recorded: interaction log entry 3." in console_output
    assert "Asked for a meeting - by U1  (attempt failed, positive)" in console_output


def test_free_text_is_understood(console_output):
    assert "Understood: Delete Canceled Interaction Log Entries." in console_output


def test_a_step_form_in_the_console_shows_its_count_before_it_adds(sessions, crowd):
    out = StringIO()
    # Enter keeps each value shown; the type and the country are chosen.
    answers = iter(["", "company", "", "ES"] + [""] * 12)
    chat = ConsoleChat(
        Context(sessions, crowd.team, "U1"), Console(file=out, width=200), lambda _: next(answers)
    )
    chat.handle("segment TARGET add")
    shown = out.getvalue()
    assert "Add Contacts" in shown and "Country: -, DE, ES, PT" in shown
    assert "2 contacts match; adding puts 2 contacts on TARGET (0 on it now)." in shown
    assert "Segment TARGET: 2 contacts added to it (step 1); 2 contacts on it now." in shown
