from decimal import Decimal

import pytest
from sqlalchemy import select

from store.contacts import NewContact, add_contact
from store.errors import Conflict, Invalid
from store.models import InteractionLogEntry, InteractionTemplateLanguage
from store.segments import add_segment, add_segment_lines, list_logged_segments, list_segments, log_segment
from tests.helpers import add_attachment


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
