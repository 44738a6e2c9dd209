from datetime import date
from decimal import Decimal

import pytest

from store.cancellation import cancel_entries
from store.errors import Invalid
from store.filters import CanceledFilter, EntryFilter
from store.interactions import InteractionInput, create_interaction
from store.queries import Cursor, contact_statistics, entry_title, list_entries, statistics
from store.segments import log_segment


def test_entries_come_newest_first_in_pages(session, team, workspace):
    for _ in range(5):
        create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE"))
    first = list_entries(session, team, EntryFilter(), limit=2)
    assert [r.entry.entry_no for r in first.rows] == [5, 4] and first.next_before == Cursor(4)
    second = list_entries(session, team, EntryFilter(), limit=2, before=first.next_before)
    third = list_entries(session, team, EntryFilter(), limit=2, before=second.next_before)
    assert [r.entry.entry_no for r in second.rows + third.rows] == [3, 2, 1]
    assert third.next_before is None
    assert first.rows[0].contact_name == "John Smith"


def test_a_date_range_pages_newest_date_first_and_stays_put_when_entries_are_added(session, team, workspace):
    days = [date(2026, 1, 5), date(2026, 1, 9), date(2026, 1, 5), date(2026, 1, 7), date(2026, 2, 1)]
    for day in days:
        create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE", date=day))
    january = EntryFilter(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))
    first = list_entries(session, team, january, limit=2)
    assert [r.entry.entry_no for r in first.rows] == [2, 4]
    assert first.next_before == Cursor(4, date(2026, 1, 7)) and str(first.next_before) == "2026-01-07/4"
    create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE", date=date(2026, 1, 8)))
    second = list_entries(session, team, january, limit=2, before=Cursor.parse(str(first.next_before)))
    assert [r.entry.entry_no for r in second.rows] == [3, 1] and second.next_before is None


def test_entries_filter_by_contact_company_template_canceled_and_dates(session, team, workspace):
    create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE", date=date(2026, 1, 1)))
    create_interaction(session, team, "U1", InteractionInput(workspace.jane, "LETTER", date=date(2026, 2, 1)))
    create_interaction(
        session, team, "U1", InteractionInput(workspace.fabrikam, "PHONE", date=date(2026, 3, 1))
    )
    create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE"), postpone=True)
    cancel_entries(session, team, "U1", [3])

    def numbers(**kwargs):
        return [r.entry.entry_no for r in list_entries(session, team, EntryFilter(**kwargs)).rows]

    assert numbers() == [3, 2, 1]
    assert numbers(postponed=True) == [4]
    assert numbers(company_no=workspace.adatum) == [2, 1]
    assert numbers(template_code="PHONE") == [3, 1]
    assert numbers(canceled=CanceledFilter.YES) == [3]
    assert numbers(canceled=CanceledFilter.NO) == [2, 1]
    assert numbers(date_from=date(2026, 1, 15), date_to=date(2026, 2, 15)) == [2]
    with pytest.raises(Invalid, match="ends"):
        numbers(date_from=date(2026, 3, 1), date_to=date(2026, 1, 1))


def test_statistics_leave_out_canceled_and_postponed(session, team, workspace):
    for contact in (workspace.john, workspace.jane, workspace.john):
        create_interaction(session, team, "U1", InteractionInput(contact, "PHONE"))
    create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE"), postpone=True)
    create_interaction(session, team, "U1", InteractionInput(workspace.fabrikam, "LETTER"))
    cancel_entries(session, team, "U1", [3])

    by_template = {s.key: (s.interactions, s.cost, s.duration) for s in statistics(session, team, "template")}
    assert by_template == {"PHONE": (2, Decimal("5.00"), 20), "LETTER": (1, Decimal("1.20"), 5)}
    by_group = {s.key: s.interactions for s in statistics(session, team, "group")}
    assert by_group == {"CALLS": 2, "LETTERS": 1}
    # A company counts its people's interactions.
    assert contact_statistics(session, team, workspace.adatum).interactions == 2
    assert contact_statistics(session, team, workspace.john).interactions == 1


def test_entry_title_says_who_the_interaction_was_with(session, team, workspace):
    outbound = create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE"))
    assert entry_title(outbound, "John Smith") == "Phone call - by U1"
    log_segment(session, team, "U1", "NEWSLETTER", "MEETING")
    rows = list_entries(session, team, EntryFilter(template_code="MEETING")).rows
    assert entry_title(rows[0].entry, rows[0].contact_name) == "Meeting"
