"""Delete Canceled Interaction Log Entries and Delete Canceled Logged Segments delete only what their
question counted: what was canceled when it asked and is still canceled when its Delete button is
clicked. An entry canceled after the question, or restored and canceled again after it, is kept for the
next purge; a second click, or the purge run again in the background, deletes nothing more."""

import re

import pytest
from sqlalchemy import select

from commands.pages.canceled import DELETE_CANCELED_ENTRIES
from commands.reply import BackgroundWork, Reply
from commands.router import ROUTER, run
from store.models import InteractionLogEntry, LoggedSegment
from store.segments import add_segment, add_segment_lines
from tests.helpers import clicked


def entries(sessions, team: str) -> dict[int, bool]:
    """Entry number -> canceled, of what is left."""
    with sessions() as s:
        rows = s.execute(
            select(InteractionLogEntry.entry_no, InteractionLogEntry.canceled).where(
                InteractionLogEntry.team_id == team
            )
        )
        return {no: canceled for no, canceled in rows}


def log(ctx, contact: str, times: int) -> None:
    for _ in range(times):
        assert not run(ctx, f"log PHONE {contact}").error


def delete_button(question: Reply) -> str:
    delete, _keep = question.buttons
    assert re.search(r" through=\d+ confirmed$", delete.command), delete.command
    return delete.command


def test_entries_canceled_after_the_question_are_kept(ctx, sessions, workspace):
    log(ctx, workspace.john, 3)
    run(ctx, "cancel 1, 2")
    question = run(ctx, "delete-canceled")
    assert question.text.startswith("2 canceled interaction log entries would be deleted")
    assert "canceled after this question" in question.paragraphs[0]
    run(ctx, "cancel 3")  # while the admin reads the question
    assert run(clicked(ctx), delete_button(question)).text == "Deleted 2 canceled interaction log entries."
    assert entries(sessions, workspace.team) == {3: True}
    again = run(clicked(ctx), delete_button(question))  # the same button, clicked twice
    assert again.text == "Deleted 0 canceled interaction log entries."
    assert entries(sessions, workspace.team) == {3: True}
    assert run(ctx, "delete-canceled").text.startswith("1 canceled interaction log entry would")


def test_an_entry_restored_and_canceled_again_after_the_question_is_kept(ctx, sessions, workspace):
    """Its cancellation now is not the one the admin was asked about."""
    log(ctx, workspace.john, 3)
    run(ctx, "cancel 1, 2, 3")
    question = run(ctx, "delete-canceled")
    assert question.text.startswith("3 canceled")
    run(ctx, "restore 1")
    run(ctx, "cancel 1")
    run(ctx, "restore 2")  # restored before the confirmation: kept, as the question says
    assert run(clicked(ctx), delete_button(question)).text == "Deleted 1 canceled interaction log entry."
    assert entries(sessions, workspace.team) == {1: True, 2: False}


def test_a_typed_cut_off_is_replaced_by_the_questions_own(ctx, workspace):
    log(ctx, workspace.john, 2)
    run(ctx, "cancel 1")
    run(ctx, "cancel 2")
    question = run(ctx, "delete-canceled through=1")
    assert question.text.startswith("2 canceled")
    assert delete_button(question).endswith(" through=2 confirmed")


def test_a_purge_run_again_in_the_background_deletes_nothing_more(
    ctx, sessions, workspace, monkeypatch: pytest.MonkeyPatch
):
    """A job whose process died is run again by another one: as of the same question."""
    assert DELETE_CANCELED_ENTRIES.background is not None
    monkeypatch.setattr(DELETE_CANCELED_ENTRIES.background, "threshold", 1)
    log(ctx, workspace.john, 3)
    run(ctx, "cancel 1, 2")
    queued = run(clicked(ctx), delete_button(run(ctx, "delete-canceled")))
    assert queued.background is not None and "Deleting 2 canceled entries" in queued.text
    run(ctx, "cancel 3")
    first = ROUTER.background(ctx, queued.background)
    assert first.text == "Deleted 2 canceled interaction log entries."
    assert ROUTER.background(ctx, queued.background).text == "Deleted 0 canceled interaction log entries."
    assert entries(sessions, workspace.team) == {3: True}


def test_a_purge_queued_without_a_cut_off_asks_to_be_run_again(ctx, sessions, workspace):
    """What a release whose questions pinned nothing queued: it cannot tell what was counted."""
    log(ctx, workspace.john, 1)
    run(ctx, "cancel 1")
    work = DELETE_CANCELED_ENTRIES.command_text({})
    reply = ROUTER.background(ctx, BackgroundWork(DELETE_CANCELED_ENTRIES.id, {"command": work}))
    assert reply.error and "run `/crm delete-canceled` again" in reply.text
    assert entries(sessions, workspace.team) == {1: True}


def test_logged_segments_canceled_after_the_question_are_kept(ctx, sessions, workspace):
    with sessions.begin() as s:
        add_segment(s, workspace.team, "SPRING", "Spring mailing")
        add_segment_lines(s, workspace.team, "SPRING", [workspace.john])
    run(ctx, "log LETTER segment=NEWSLETTER")
    run(ctx, "log LETTER segment=SPRING")
    with sessions() as s:
        logged = select(LoggedSegment.segment_no, LoggedSegment.entry_no)
        numbers = {code: no for code, no in s.execute(logged.where(LoggedSegment.team_id == workspace.team))}
    run(ctx, f"cancel segment={numbers['NEWSLETTER']}")
    question = run(ctx, "delete-canceled-segments")
    assert question.text.startswith("1 canceled logged segment would be deleted")
    run(ctx, f"cancel segment={numbers['SPRING']}")
    assert run(clicked(ctx), delete_button(question)).text == "Deleted 1 canceled logged segment."
    assert run(clicked(ctx), delete_button(question)).text == "Deleted 0 canceled logged segments."
    with sessions() as s:
        left = s.scalars(select(LoggedSegment.segment_no).where(LoggedSegment.team_id == workspace.team))
        assert list(left) == ["SPRING"]


def test_nothing_canceled_nothing_asked(ctx, workspace):
    assert not run(ctx, "delete-canceled-segments").buttons
    assert not run(ctx, "delete-canceled").buttons
