import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from store.cancellation import (
    cancel_entries,
    count_canceled,
    count_canceled_logged_segments,
    delete_canceled_entries,
    delete_canceled_logged_segments,
    last_cancellation,
    restore_entries,
    set_logged_segment_canceled,
)
from store.db import reading
from store.errors import Conflict, NotFound
from store.filters import EntryFilter
from store.interactions import InteractionInput, add_comment, comments, create_interaction, get_entry
from store.models import Attachment, AuditEvent, InteractionLogEntry, LoggedSegment
from store.segments import log_segment
from tests.helpers import add_attachment


def log_calls(session, team, contact, count, **kwargs):
    given = InteractionInput(contact, "PHONE", **kwargs)
    return [create_interaction(session, team, "U1", given).entry_no for _ in range(count)]


def remaining(session, team):
    query = select(InteractionLogEntry.entry_no).where(InteractionLogEntry.team_id == team)
    return sorted(session.scalars(query))


def test_cancel_and_restore_one_or_many(session, team, workspace):
    nos = log_calls(session, team, workspace.john, 3)
    cancel_entries(session, team, "U1", nos[:2])
    assert [get_entry(session, team, no).canceled for no in nos] == [True, True, False]
    restore_entries(session, team, "U2", [nos[0]])
    assert [get_entry(session, team, no).canceled for no in nos] == [False, True, False]
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.team_id == team).order_by(AuditEvent.id)
    )
    assert list(actions) == ["cancel_entry", "restore_entry"]


def test_cancel_names_missing_entries_and_changes_nothing(sessions, team, workspace):
    with sessions.begin() as s:
        nos = log_calls(s, team, workspace.john, 1)
    with pytest.raises(NotFound, match="entries 7, 8 do not exist"), sessions.begin() as s:
        cancel_entries(s, team, "U1", [nos[0], 7, 8])
    with sessions() as s:
        assert not get_entry(s, team, nos[0]).canceled


def test_restoring_what_is_not_canceled_or_canceling_twice_is_refused_and_changes_nothing(
    sessions, team, workspace
):
    with sessions.begin() as s:
        nos = log_calls(s, team, workspace.john, 3)
        cancel_entries(s, team, "U1", [nos[0]])
    refused = {
        f"Entry {nos[1]} is not canceled: nothing changed.": (restore_entries, nos[:2]),
        f"Entry {nos[0]} is canceled already: nothing changed.": (cancel_entries, nos),
        f"Entries {nos[1]}, {nos[2]} are not canceled: nothing changed.": (restore_entries, nos),
    }
    for message, (change, which) in refused.items():
        with pytest.raises(Conflict) as failed, sessions.begin() as s:
            change(s, team, "U1", which)
        assert failed.value.message == message
    with sessions() as s:
        assert [get_entry(s, team, no).canceled for no in nos] == [True, False, False]


def test_postponed_entries_cannot_be_canceled(session, team, workspace):
    entry = create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE"), postpone=True)
    with pytest.raises(Conflict, match="resume them or delete them"):
        cancel_entries(session, team, "U1", [entry.entry_no])


def test_canceling_a_logged_segment_cascades_both_ways(session, team, workspace):
    logged = log_segment(session, team, "U1", "NEWSLETTER", "LETTER")
    cancel_entries(session, team, "U1", [1])
    assert set_logged_segment_canceled(session, team, "U1", logged.entry_no, True) == 2
    session.expire_all()
    assert {get_entry(session, team, no).canceled for no in (1, 2, 3)} == {True}
    with pytest.raises(Conflict, match="restore the logged segment instead"):
        restore_entries(session, team, "U1", [2])
    set_logged_segment_canceled(session, team, "U1", logged.entry_no, False)
    session.expire_all()
    assert {get_entry(session, team, no).canceled for no in (1, 2, 3)} == {False}


def test_delete_canceled_entries_deletes_only_canceled_ones_with_their_comments(session, team, workspace):
    nos = log_calls(session, team, workspace.john, 4)
    for no in nos:
        add_comment(session, team, "U1", no, f"note {no}", date(2026, 11, 24))
    cancel_entries(session, team, "U1", nos[:3])
    assert count_canceled(session, team, EntryFilter()) == 3
    assert delete_canceled_entries(session, team, "U1", EntryFilter(entry_nos=tuple(nos[1:]))) == 2
    assert remaining(session, team) == [nos[0], nos[3]]
    assert [c.comment for c in comments(session, team, nos[3])] == [f"note {nos[3]}"]
    assert comments(session, team, nos[1]) == []
    audit = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "delete_canceled_entries", AuditEvent.team_id == team)
    )
    assert '"deleted": 2' in audit.details


def test_delete_canceled_filters_by_contact_and_date(session, team, workspace):
    old = log_calls(session, team, workspace.john, 1, date=date(2026, 1, 5))
    new = log_calls(session, team, workspace.john, 1, date=date(2026, 11, 5))
    other = log_calls(session, team, workspace.jane, 1, date=date(2026, 1, 5))
    cancel_entries(session, team, "U1", old + new + other)
    purge = EntryFilter(contact_no=workspace.john, date_to=date(2026, 6, 30))
    assert delete_canceled_entries(session, team, "U1", purge) == 1
    assert remaining(session, team) == sorted([new[0], other[0]])


def test_delete_canceled_filters_by_group_template_salesperson_and_user(session, team, workspace):
    def logged(template, user="U1", salesperson=""):
        given = InteractionInput(workspace.john, template, salesperson=salesperson)
        return create_interaction(session, team, user, given).entry_no

    phone, letter, meeting, by_ann, by_u2 = (
        logged("PHONE"),
        logged("LETTER"),
        logged("MEETING"),
        logged("PHONE", salesperson="SP-ANN"),
        logged("PHONE", user="U2"),
    )
    cancel_entries(session, team, "U1", [phone, letter, meeting, by_ann, by_u2])
    purges = [
        (EntryFilter(group_code="LETTERS"), letter),
        (EntryFilter(template_code="MEETING"), meeting),
        (EntryFilter(salesperson="SP-ANN"), by_ann),
        (EntryFilter(user_id="U2"), by_u2),
    ]
    for purge, expected in purges:
        assert delete_canceled_entries(session, team, "U1", purge) == 1
        assert expected not in remaining(session, team)
    assert remaining(session, team) == [phone]


def test_shared_attachment_goes_with_the_last_entry_using_it(session, team, workspace):
    shared = add_attachment(session, team)
    nos = log_calls(session, team, workspace.john, 3)
    for no in nos:
        get_entry(session, team, no).attachment_no = shared
    cancel_entries(session, team, "U1", nos[:2])
    delete_canceled_entries(session, team, "U1", EntryFilter())
    assert session.get(Attachment, (team, shared)) is not None
    cancel_entries(session, team, "U1", nos[2:])
    delete_canceled_entries(session, team, "U1", EntryFilter())
    assert session.get(Attachment, (team, shared)) is None


def test_a_purge_frees_more_attachments_than_one_statement_names(session, team, workspace, monkeypatch):
    monkeypatch.setattr("store.db.IN_LIST", 2)
    shared = add_attachment(session, team)
    own = [add_attachment(session, team) for _ in range(5)]
    nos = log_calls(session, team, workspace.john, 6)
    for no, attachment in zip(nos, [*own, shared], strict=True):
        get_entry(session, team, no).attachment_no = attachment
    get_entry(session, team, log_calls(session, team, workspace.jane, 1)[0]).attachment_no = shared
    cancel_entries(session, team, "U1", nos)
    assert delete_canceled_entries(session, team, "U1", EntryFilter()) == 6
    left = session.scalars(select(Attachment.no).where(Attachment.team_id == team))
    assert list(left) == [shared]


def test_delete_canceled_logged_segments_keeps_their_entries(session, team, workspace):
    logged = log_segment(session, team, "U1", "NEWSLETTER", "LETTER")
    assert delete_canceled_logged_segments(session, team, "U1") == 0
    set_logged_segment_canceled(session, team, "U1", logged.entry_no, True)
    assert delete_canceled_logged_segments(session, team, "U1") == 1
    assert (
        session.scalar(select(func.count()).select_from(LoggedSegment).where(LoggedSegment.team_id == team))
        == 0
    )
    session.expire_all()
    assert [get_entry(session, team, no).logged_segment_entry_no for no in (1, 2, 3)] == [None] * 3
    # The segment may now be logged again.
    assert log_segment(session, team, "U1", "NEWSLETTER", "LETTER").entry_no == 2


def test_a_restore_committed_during_a_delete_is_never_lost(sessions, engine, team, workspace, is_postgres):
    """The restore holds the entry's row lock when the purge starts; the purge waits for it, re-reads the
    restored row, and leaves it (with its comments) in place."""
    if not is_postgres:
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL (TEST_DATABASE_URL)")
    with sessions.begin() as s:
        nos = log_calls(s, team, workspace.john, 3)
        add_comment(s, team, "U1", nos[0], "keep me", date(2026, 11, 24))
        cancel_entries(s, team, "U1", nos)

    restoring = sessions()
    restoring.begin()
    restore_entries(restoring, team, "U2", [nos[0]])  # row locked, not yet committed

    result: dict[str, int] = {}

    def purge() -> None:
        with sessions.begin() as s:
            result["deleted"] = delete_canceled_entries(s, team, "U1", EntryFilter())

    purger = threading.Thread(target=purge)
    purger.start()
    purger.join(timeout=1)
    assert purger.is_alive(), "the purge should wait for the restoring transaction"
    restoring.commit()
    restoring.close()
    purger.join(timeout=10)

    assert result["deleted"] == 2
    with sessions() as s:
        assert not get_entry(s, team, nos[0]).canceled
        assert [c.comment for c in comments(s, team, nos[0])] == ["keep me"]


def test_a_restore_that_loses_the_race_says_the_entry_is_gone(sessions, team, workspace, is_postgres):
    if not is_postgres:
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")
    with sessions.begin() as s:
        nos = log_calls(s, team, workspace.john, 1)
        cancel_entries(s, team, "U1", nos)

    purging = sessions()
    purging.begin()
    delete_canceled_entries(purging, team, "U1", EntryFilter())
    outcome: list[BaseException | None] = []

    def restore() -> None:
        try:
            with sessions.begin() as s:
                restore_entries(s, team, "U2", nos)
            outcome.append(None)
        except NotFound as error:
            outcome.append(error)

    restorer = threading.Thread(target=restore)
    restorer.start()
    restorer.join(timeout=1)
    purging.commit()
    purging.close()
    restorer.join(timeout=10)
    assert isinstance(outcome[0], NotFound)


def test_a_cancellation_committed_after_the_question_read_its_cut_off_is_not_purged(
    sessions, team, workspace
):
    """The question reads the last cancellation while another one is still being written: that one gets
    a higher number (the series row is held until it commits), so the purge keeps what it canceled."""
    with sessions.begin() as s:
        early, late = log_calls(s, team, workspace.john, 2)
        cancel_entries(s, team, "U1", [early])
    writing = sessions()
    writing.begin()
    cancel_entries(writing, team, "U2", [late])  # not committed yet
    with reading(sessions) as s:
        through = last_cancellation(s, team)
        asked = count_canceled(s, team, EntryFilter(canceled_through=through))
    writing.commit()
    writing.close()
    assert asked == 1
    with sessions.begin() as s:
        assert delete_canceled_entries(s, team, "U1", EntryFilter(canceled_through=through)) == 1
    with sessions() as s:
        assert remaining(s, team) == [late] and get_entry(s, team, late).canceled


def test_canceling_numbers_each_cancellation_of_the_workspace(session, team, workspace):
    nos = log_calls(session, team, workspace.john, 2)
    assert last_cancellation(session, team) == 0
    cancel_entries(session, team, "U1", nos)
    logged = log_segment(session, team, "U1", "NEWSLETTER", "LETTER")
    set_logged_segment_canceled(session, team, "U1", logged.entry_no, True)
    assert last_cancellation(session, team) == 2
    assert [get_entry(session, team, no).cancellation_no for no in nos] == [1, 1]
    assert count_canceled_logged_segments(session, team, 1) == 0
    assert count_canceled_logged_segments(session, team, 2) == 1
