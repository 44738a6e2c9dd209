from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from store.cancellation import set_logged_segment_canceled
from store.contacts import NewContact, add_contact
from store.errors import Conflict, Invalid
from store.models import InteractionLogEntry, InteractionTemplateLanguage
from store.segment_criteria import Criteria
from store.segment_steps import StepKind, run_step
from store.segments import (
    LOGGING,
    STALLED_AFTER,
    STOPPED,
    LogStopped,
    add_segment,
    add_segment_lines,
    lines_to_log,
    list_logged_segments,
    list_segments,
    log_segment,
    log_segment_in_chunks,
    log_state,
    logged_segment_of,
)
from tests.helpers import Died, add_attachment, dies_between_chunks, fails_in_chunk


def entries(session, team):
    query = (
        select(InteractionLogEntry)
        .where(InteractionLogEntry.team_id == team)
        .order_by(InteractionLogEntry.entry_no)
    )
    return list(session.scalars(query))


def test_logging_a_segment_writes_one_entry_per_contact(session, team, workspace):
    logged = log_segment(session, team, "U1", "newsletter", "LETTER")
    written = entries(session, team)
    assert [e.entry_no for e in written] == [1, 2, 3]
    assert [e.contact_no for e in written] == [workspace.john, workspace.jane, workspace.fabrikam]
    assert {e.logged_segment_entry_no for e in written} == {logged.entry_no}
    assert {(e.description, e.cost, e.duration, e.segment_no) for e in written} == {
        ("Letter", Decimal("1.20"), 5, "NEWSLETTER")
    }
    assert written[0].contact_company_no == workspace.adatum
    # E-mail needs an address: Jane and Fabrikam have none.
    assert [e.correspondence_type for e in written] == ["email", "", ""]
    assert list_logged_segments(session, team) == [(logged, 3)]


def test_segment_entries_continue_the_entry_numbers(session, team, workspace):
    from store.interactions import InteractionInput, create_interaction

    create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE"))
    log_segment(session, team, "U1", "NEWSLETTER", "PHONE", "Autumn call")
    assert [e.entry_no for e in entries(session, team)] == [1, 2, 3, 4]


def test_a_segment_is_logged_once(session, team, workspace):
    log_segment(session, team, "U1", "NEWSLETTER", "LETTER")
    with pytest.raises(Conflict, match="logged already"):
        log_segment(session, team, "U1", "NEWSLETTER", "LETTER")
    summary = list_segments(session, team)[0]
    assert summary.contacts == 3 and summary.logged_segment_entry_no == 1
    with pytest.raises(Conflict, match="logged already"):
        add_segment_lines(session, team, "NEWSLETTER", [workspace.adatum])


def test_logging_an_empty_segment_or_without_template_fails_and_writes_nothing(sessions, team, workspace):
    with sessions.begin() as s:
        add_segment(s, team, "EMPTY", "Nobody yet")
    with pytest.raises(Invalid, match="no contacts"), sessions.begin() as s:
        log_segment(s, team, "U1", "EMPTY", "LETTER")
    with pytest.raises(Invalid, match="which interaction template"), sessions.begin() as s:
        log_segment(s, team, "U1", "NEWSLETTER")
    with sessions() as s:
        assert entries(s, team) == [] and list_logged_segments(s, team) == []


def test_contacts_get_the_attachment_of_their_language(session, team, workspace):
    spanish = add_contact(session, team, NewContact("Ana García", language_code="es"))
    add_segment_lines(session, team, "NEWSLETTER", [spanish.no])
    default_doc, spanish_doc = add_attachment(session, team, b"en"), add_attachment(session, team, b"es")
    session.add_all(
        [
            InteractionTemplateLanguage(
                team_id=team, template_code="LETTER", language_code="", attachment_no=default_doc
            ),
            InteractionTemplateLanguage(
                team_id=team, template_code="LETTER", language_code="ES", attachment_no=spanish_doc
            ),
        ]
    )
    session.flush()
    log_segment(session, team, "U1", "NEWSLETTER", "LETTER")
    by_contact = {e.contact_no: (e.language_code, e.attachment_no) for e in entries(session, team)}
    assert by_contact[spanish.no] == ("ES", spanish_doc)
    assert by_contact[workspace.john] == ("", default_doc)


def test_adding_the_same_contact_twice_keeps_one_line(session, team, workspace):
    add_segment(session, team, "VIP", "Key people")
    add_segment_lines(session, team, "VIP", [workspace.john, "John Smith"])
    add_segment_lines(session, team, "VIP", [workspace.john])
    assert [s.contacts for s in list_segments(session, team) if s.segment.no == "VIP"] == [1]


def test_a_single_log_does_not_wait_for_a_segment_being_logged(sessions, team, workspace, is_postgres):
    """The segment's entry numbers are reserved apart and committed at once, so its long transaction holds
    no lock a single log needs; if the segment then fails, its numbers are a gap, never reused."""
    if not is_postgres:
        pytest.skip("SQLite runs one writer at a time; the overlap needs PostgreSQL (TEST_DATABASE_URL)")
    from sqlalchemy import text

    from store.interactions import InteractionInput, create_interaction

    logging = sessions()
    logging.begin()
    log_segment(logging, team, "U1", "newsletter", "LETTER")  # entries 1-3, not committed yet
    with sessions.begin() as single:
        single.execute(text("SET LOCAL lock_timeout = '2s'"))
        assert create_interaction(single, team, "U1", InteractionInput(workspace.john, "PHONE")).entry_no == 4
    logging.rollback()
    logging.close()
    with sessions.begin() as s:
        after = create_interaction(s, team, "U1", InteractionInput(workspace.john, "PHONE"))
        assert after.entry_no == 5
        assert [e.entry_no for e in entries(s, team)] == [4, 5]


# Logging in chunks: each chunk is a transaction of its own that also commits how far the log got.

LOGGED_AT = datetime(2026, 3, 2, 9, 30, 20, tzinfo=ZoneInfo("Europe/Madrid"))
VOLATILE = {"entry_no", "segment_no", "logged_segment_entry_no", "created_at"}
"""What differs between two logs of the same lines: their numbers, and when the rows were written."""


@pytest.fixture
def target(sessions, crowd):
    """The crowd's nine contacts on TARGET (in the crowd's order), Spanish ones with a letter of their own."""
    with sessions.begin() as s:
        add_segment_lines(s, crowd.team, "TARGET", list(crowd.no.values()))
        spanish = add_attachment(s, crowd.team, b"carta")
        s.add(
            InteractionTemplateLanguage(
                team_id=crowd.team, template_code="LETTER", language_code="ESP", attachment_no=spanish
            )
        )
    return crowd


def log_entries(sessions, team, logged_no):
    """The entries of a logged segment in number order, as {column: value}."""
    with sessions() as s:
        query = (
            select(InteractionLogEntry)
            .where(
                InteractionLogEntry.team_id == team, InteractionLogEntry.logged_segment_entry_no == logged_no
            )
            .order_by(InteractionLogEntry.entry_no)
        )
        return [{c.name: getattr(e, c.key) for c in e.__table__.columns} for e in s.scalars(query)]


def in_chunks(sessions, team, run="job 1", chunk=4):
    return log_segment_in_chunks(
        sessions, team, "U1", "TARGET", "LETTER", now=LOGGED_AT, run=run, chunk=chunk
    )


def dies_after_chunks(monkeypatch, sessions, team, chunks):
    """A chunked log of TARGET whose process dies once `chunks` chunks are committed."""
    with monkeypatch.context() as dying:
        dies_between_chunks(dying, after=chunks)
        with pytest.raises(Died):
            in_chunks(sessions, team)


def logged_target(sessions, team):
    with sessions() as s:
        return logged_segment_of(s, team, "TARGET")


def assert_logged_once_each(sessions, crowd, logged):
    """One entry per line in line order, numbered without a gap or a repeat from the log's first number."""
    written = log_entries(sessions, crowd.team, logged.entry_no)
    assert [e["contact_no"] for e in written] == list(crowd.no.values())
    first = written[0]["entry_no"]
    assert [e["entry_no"] for e in written] == list(range(first, first + len(crowd.no)))


def test_a_segment_logged_in_chunks_gets_the_entries_logging_it_at_once_gives(sessions, target):
    team = target.team
    with sessions.begin() as s:
        add_segment(s, team, "TWIN", "The same contacts")
        add_segment_lines(s, team, "TWIN", list(target.no.values()))
        at_once = log_segment(s, team, "U1", "TWIN", "LETTER", now=LOGGED_AT).entry_no
    done = in_chunks(sessions, team)  # 4 + 4 + 1
    assert (done.logged, done.contacts, done.state) == (9, 9, "")
    chunked = log_entries(sessions, team, done.entry_no)
    same = [{k: v for k, v in e.items() if k not in VOLATILE} for e in chunked]
    assert same == [
        {k: v for k, v in e.items() if k not in VOLATILE} for e in log_entries(sessions, team, at_once)
    ]
    by_contact = {e["contact_no"]: (e["language_code"], e["attachment_no"] is not None) for e in chunked}
    assert by_contact[target.no["Iberia Foods"]] == ("ESP", True)  # the letter in its language
    assert by_contact[target.no["Lisboa Lda"]] == ("", False)
    assert_logged_once_each(sessions, target, logged_target(sessions, team))
    with sessions() as s:
        assert [(row.entry_no, count) for row, count in list_logged_segments(s, team)] == [
            (done.entry_no, 9),
            (at_once, 9),
        ]


def test_a_log_whose_process_died_between_chunks_is_finished_by_its_run_without_duplicates(
    sessions, target, monkeypatch
):
    dies_after_chunks(monkeypatch, sessions, target.team, 2)
    logged = logged_target(sessions, target.team)
    assert (log_state(logged), logged.logged, logged.contacts) == (LOGGING, 8, 9)
    assert len(log_entries(sessions, target.team, logged.entry_no)) == 8
    # The job is claimed again: the same run picks up after the last committed chunk.
    done = in_chunks(sessions, target.team)
    assert (done.entry_no, done.logged, done.state) == (logged.entry_no, 9, "")
    assert_logged_once_each(sessions, target, logged)


def test_a_log_being_written_is_refused_to_others_until_it_stalls_then_taken_over(
    sessions, target, monkeypatch
):
    dies_after_chunks(monkeypatch, sessions, target.team, 1)
    with pytest.raises(Conflict, match=r"TARGET is being logged: 4 of 9 entries so far"):
        in_chunks(sessions, target.team, run="job 2")
    with sessions.begin() as s:  # no chunk committed for longer than a live process ever takes
        logged = logged_segment_of(s, target.team, "TARGET")
        logged.progress_at -= STALLED_AFTER + timedelta(seconds=1)
    assert log_state(logged_target(sessions, target.team)) == STOPPED
    done = in_chunks(sessions, target.team, run="job 2")
    assert (done.logged, done.state) == (9, "")
    assert_logged_once_each(sessions, target, logged)
    with pytest.raises(Conflict, match="logged already"):
        in_chunks(sessions, target.team, run="job 3")


def test_a_log_whose_process_died_after_its_last_chunk_answers_what_it_logged_when_claimed_again(
    sessions, target
):
    done = in_chunks(sessions, target.team)
    # The job's process died before the job was marked done: it is claimed again, by the same run.
    again = in_chunks(sessions, target.team)
    assert (again.entry_no, again.logged, again.state) == (done.entry_no, 9, "")
    assert_logged_once_each(sessions, target, logged_target(sessions, target.team))
    with pytest.raises(Conflict, match="logged already"):
        in_chunks(sessions, target.team, run="job 2")
    with sessions.begin() as s:
        set_logged_segment_canceled(s, target.team, "U1", done.entry_no, True)
    with pytest.raises(Conflict, match="logged already"):
        in_chunks(sessions, target.team)  # the same run again, once its log was canceled


def test_while_a_segment_is_being_logged_nothing_that_would_spoil_it_runs(sessions, target, monkeypatch):
    team = target.team
    dies_after_chunks(monkeypatch, sessions, team, 1)
    number = logged_target(sessions, team).entry_no
    refusals = {
        "cancel": lambda s: set_logged_segment_canceled(s, team, "U1", number, True),
        "restore": lambda s: set_logged_segment_canceled(s, team, "U1", number, False),
        "add lines": lambda s: add_segment_lines(s, team, "TARGET", [target.no["Maria Lopez"]]),
        "a step": lambda s: run_step(
            s, team, "U1", "TARGET", StepKind.REDUCE, Criteria(fields=(("country", "DE"),))
        ),
        "log again": lambda s: log_segment(s, team, "U2", "TARGET", "LETTER"),
        "count what is left": lambda s: lines_to_log(s, team, "TARGET"),
    }
    for what, refused in refusals.items():
        with (
            pytest.raises(Conflict, match=r"being logged.*4 of 9 entries so far") as raised,
            sessions.begin() as s,
        ):
            refused(s)
        assert len(raised.value.message) < 140, what
    assert len(log_entries(sessions, team, number)) == 4
    in_chunks(sessions, team)
    with sessions.begin() as s:
        assert set_logged_segment_canceled(s, team, "U1", number, True) == 9


def test_a_chunk_that_fails_stops_the_log_keeps_what_was_written_and_says_so(sessions, target, monkeypatch):
    team = target.team
    with monkeypatch.context() as failing:
        fails_in_chunk(failing, chunk=2)
        with pytest.raises(LogStopped) as raised:
            in_chunks(sessions, team)
    logged = logged_target(sessions, team)
    assert raised.value.message == (
        f"Logging segment TARGET stopped after 4 of 9 entries (logged segment {logged.entry_no}): "
        "the database failed."
    )
    assert (log_state(logged), logged.logged) == (STOPPED, 4)  # at once, not after STALLED_AFTER
    assert len(log_entries(sessions, team, logged.entry_no)) == 4
    with sessions() as s:
        assert lines_to_log(s, team, "TARGET") == 5
    # Canceled part-way, it cannot be finished; restored, it can.
    with sessions.begin() as s:
        assert set_logged_segment_canceled(s, team, "U1", logged.entry_no, True) == 4
    with pytest.raises(Conflict, match="canceled after 4 of 9 entries: restore it first"):
        in_chunks(sessions, team, run="request 2")
    with sessions.begin() as s:
        set_logged_segment_canceled(s, team, "U1", logged.entry_no, False)
    with pytest.raises(Conflict, match="with template LETTER"):
        log_segment_in_chunks(sessions, team, "U1", "TARGET", "PHONE", run="request 2")
    done = in_chunks(sessions, team, run="request 2")
    assert (done.logged, done.state) == (9, "")
    assert_logged_once_each(sessions, target, logged)
