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
Will call back after the fair






yes
positive

entries
delete canceled interaction log entries
comment 2

Call again on Monday
quit
"""


def run_console(team: str, script: str, *options: str, errors: bool = False) -> str:
    """What the console printed (with `errors`, its standard error after it)."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from bot.cli import main; main()",
            "console",
            "--team",
            team,
            "--user",
            "U1",
            *options,
        ],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout + (done.stderr if errors else "")


@pytest.fixture
def console_output(workdir, team):
    return run_console(team, SCRIPT)


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


def test_a_comment_without_its_text_asks_for_it_about_the_entry(console_output):
    assert "Comment on entry (Enter keeps the value in brackets)" in console_output
    assert "Entry number [2]:" in console_output and "Comment added to entry 2." in console_output


def test_free_text_is_understood(console_output):
    assert "Understood: Delete Canceled Interaction Log Entries." in console_output


def test_times_are_labelled_in_each_console_users_time_zone(workdir, team):
    """The same entry, logged at 10:30 in Madrid, read in Madrid and in Tokyo; people by user id."""
    setup = "\n".join(SCRIPT.splitlines()[:4])
    madrid = run_console(
        team,
        setup + '\nlog PHONE "John Smith" Asked for the quote date=2026-03-02 time=10:30\nentries\nquit\n',
        "--timezone",
        "Europe/Madrid",
    )
    assert "2026-03-02 10:30 Europe/Madrid" in madrid and "Asked for the quote - by U1" in madrid
    tokyo = run_console(team, "entries\nentry 1\nquit\n", "--timezone", "Asia/Tokyo")
    assert "2026-03-02 18:30 Asia/Tokyo" in tokyo and "Logged by: U1" in tokyo
    assert "\ufdd0" not in madrid + tokyo


def test_a_contact_s_menu_is_numbered_choices_and_the_chart_is_saved(
    sessions, workspace, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    screen = StringIO()
    chat = ConsoleChat(
        Context(sessions, workspace.team, "U1", is_admin=True), Console(file=screen, width=200), ask=input
    )
    chat.handle(f"log PHONE {workspace.john} Called about the quote")
    chat.handle("contacts")
    listed = screen.getvalue()
    assert "John Smith  CT000002 · person at Adatum Corporation · john@adatum.example" in listed
    assert "[5] Log an interaction  [6] Entries  [7] Follow up  [8] Card" in listed
    chat.handle("8")
    assert "John Smith (CT000002)" in screen.getvalue().split("[8] Card")[-1]
    chat.handle("stats")
    saved = tmp_path / f"interaction-statistics-{chat.ctx.today().isoformat()}.png"
    assert f"Saved to {saved}" in screen.getvalue().replace("\n", "")
    assert saved.read_bytes().startswith(b"\x89PNG")


def answered(sessions, team: str, line: str, answers: list[str]) -> str:
    """What the console in this process shows for `line`, a form's questions answered in turn (then
    Enter for every other one)."""
    out = StringIO()
    given = iter(answers + [""] * 12)
    chat = ConsoleChat(Context(sessions, team, "U1"), Console(file=out, width=200), lambda _: next(given))
    chat.handle(line)
    return out.getvalue()


def test_a_step_form_in_the_console_shows_its_count_before_it_adds(sessions, crowd):
    # Enter keeps each value shown; the type and the country are chosen.
    shown = answered(sessions, crowd.team, "segment TARGET add", ["", "company", "", "ES"])
    assert "Add Contacts" in shown and "Country: -, DE, ES, PT" in shown
    assert "2 contacts match; adding puts 2 contacts on TARGET (0 on it now)." in shown
    assert "Segment TARGET: 2 contacts added to it (step 1); 2 contacts on it now." in shown


def test_an_action_said_without_its_arguments_asks_for_each_in_the_console(sessions, workspace):
    # The name, the type (its choices listed), then Enter for the other fields.
    shown = answered(sessions, workspace.team, "añadir un contacto nuevo", ["Pat Lone", "person"])
    assert "Add Contact" in shown and "Type: -, company, person" in shown
    assert "Contact CT000005 created: Pat Lone (person)." in shown


def test_input_that_ends_in_the_middle_of_a_form_changes_nothing(workdir, team):
    out = run_console(team, "contact add\nPat Lone\n", errors=True)
    assert "Add Contact" in out and "nothing was done" in out
    assert "Traceback" not in out
    assert "Pat Lone" not in run_console(team, "contacts\nquit\n")
