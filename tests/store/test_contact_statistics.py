"""A contact's figures as Business Central's Contact card computes them, the figures per month that the
statistics chart draws, and pages of contacts that stay put when contacts are added."""

from datetime import date
from decimal import Decimal

import pytest

from store.cancellation import cancel_entries
from store.contacts import NewContact, add_contact, contact_page, get_contact
from store.enums import InitiatedBy
from store.filters import EntryFilter
from store.interactions import InteractionInput, create_interaction
from store.queries import ContactFigures, MonthStatistic, contact_figures, monthly_statistics
from store.templates import TemplateDefaults, add_group, add_template


@pytest.fixture
def history(session, team, workspace):
    """John: a call on 10 January, a failed one on 1 March, a postponed one. Jane: a letter on 15 February
    and a call on 1 April, canceled. Adatum itself: a meeting the customer asked for on 20 February.
    Fabrikam: a letter on 1 June. Another workspace, with the same contact numbers, has entries too."""

    def log(contact: str, template: str, day: date, **more: object) -> int:
        given = InteractionInput(contact, template, date=day, **more)  # type: ignore[arg-type]
        return create_interaction(session, team, "U1", given).entry_no

    log(workspace.john, "PHONE", date(2026, 1, 10))
    log(workspace.john, "PHONE", date(2026, 3, 1), successful=False)
    create_interaction(
        session, team, "U1", InteractionInput(workspace.john, "PHONE", date=date(2026, 5, 1)), postpone=True
    )
    log(workspace.jane, "LETTER", date(2026, 2, 15))
    canceled = log(workspace.jane, "PHONE", date(2026, 4, 1))
    cancel_entries(session, team, "U1", [canceled])
    log(workspace.adatum, "MEETING", date(2026, 2, 20), initiated_by=InitiatedBy.THEM)
    log(workspace.fabrikam, "LETTER", date(2026, 6, 1))

    other = team + "X"
    add_group(session, other, "CALLS", "Calls")
    add_template(session, other, "PHONE", "CALLS", TemplateDefaults("Phone", Decimal("99"), 99))
    for name in ("Other Co", "Other Person"):
        add_contact(session, other, NewContact(name))
    for _ in range(3):
        create_interaction(session, other, "U9", InteractionInput("CT000002", "PHONE", date=date(2026, 7, 1)))
    session.flush()
    return workspace


def figures(session, team, no: str) -> ContactFigures:
    return contact_figures(session, team, get_contact(session, team, no))


def test_a_failed_attempt_counts_but_does_not_move_the_date_of_last_interaction(session, team, history):
    john = ContactFigures(
        2, Decimal("5.00"), 20, last_interaction=date(2026, 1, 10), last_attempted=date(2026, 3, 1)
    )
    assert figures(session, team, history.john) == john


def test_a_canceled_entry_leaves_the_totals_but_was_still_attempted(session, team, history):
    jane = ContactFigures(
        1, Decimal("1.20"), 5, last_interaction=date(2026, 4, 1), last_attempted=date(2026, 4, 1)
    )
    assert figures(session, team, history.jane) == jane


def test_a_company_rolls_up_its_people_and_what_they_started_is_no_attempt_of_ours(session, team, history):
    assert figures(session, team, history.adatum) == ContactFigures(
        interactions=4,  # John's two, Jane's letter, Adatum's meeting; not the canceled, not the postponed
        cost=Decimal("6.20"),
        duration=85,
        last_interaction=date(2026, 4, 1),
        last_attempted=date(2026, 4, 1),
    )
    fabrikam = figures(session, team, history.fabrikam)
    assert (fabrikam.interactions, fabrikam.last_interaction) == (1, date(2026, 6, 1))


def test_a_contact_with_no_entries_has_zero_figures_and_no_dates(session, team, history):
    lone = add_contact(session, team, NewContact("Pat Lone"))
    assert contact_figures(session, team, lone) == ContactFigures(0, Decimal("0.00"), 0, None, None)


def test_another_workspace_s_entries_never_count(session, team, history):
    other = team + "X"
    assert figures(session, other, "CT000002") == ContactFigures(
        3, Decimal("297.00"), 297, date(2026, 7, 1), date(2026, 7, 1)
    )
    assert figures(session, team, "CT000002").interactions == 2


def test_figures_per_month_count_every_month_of_the_range_canceled_and_postponed_aside(
    session, team, history
):
    months = monthly_statistics(session, team, EntryFilter(), date(2025, 12, 15), date(2026, 6, 30))
    assert months == [
        MonthStatistic(date(2025, 12, 1), 0, Decimal("0.00")),
        MonthStatistic(date(2026, 1, 1), 1, Decimal("2.50")),
        MonthStatistic(date(2026, 2, 1), 2, Decimal("1.20")),
        MonthStatistic(date(2026, 3, 1), 1, Decimal("2.50")),
        MonthStatistic(date(2026, 4, 1), 0, Decimal("0.00")),
        MonthStatistic(date(2026, 5, 1), 0, Decimal("0.00")),
        MonthStatistic(date(2026, 6, 1), 1, Decimal("1.20")),
    ]
    company = monthly_statistics(
        session, team, EntryFilter(company_no=history.adatum), date(2026, 1, 1), date(2026, 3, 1)
    )
    assert [m.interactions for m in company] == [1, 2, 1]
    phone = monthly_statistics(
        session, team, EntryFilter(template_code="PHONE"), date(2026, 1, 1), date(2026, 12, 1)
    )
    assert sum(m.interactions for m in phone) == 2 and len(phone) == 12
    other = monthly_statistics(session, team + "X", EntryFilter(), date(2026, 7, 1), date(2026, 7, 1))
    assert other == [MonthStatistic(date(2026, 7, 1), 3, Decimal("297.00"))]


def test_the_months_of_a_range_cross_the_year_end(session, team, workspace):
    months = monthly_statistics(session, team, EntryFilter(), date(2025, 11, 3), date(2026, 2, 1))
    assert [m.month for m in months] == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_contact_pages_go_on_from_the_numbers_at_their_ends(session, team, workspace):
    for n in range(6):
        add_contact(session, team, NewContact(f"Person {n}"))  # CT000005 to CT000010
    first = contact_page(session, team, limit=4)
    assert [c.no for c in first.contacts] == ["CT000001", "CT000002", "CT000003", "CT000004"]
    assert (first.next_after, first.previous_before) == ("CT000004", None)
    second = contact_page(session, team, limit=4, after=first.next_after)
    assert [c.no for c in second.contacts] == ["CT000005", "CT000006", "CT000007", "CT000008"]
    assert (second.next_after, second.previous_before) == ("CT000008", "CT000005")
    last = contact_page(session, team, limit=4, after=second.next_after)
    assert [c.no for c in last.contacts] == ["CT000009", "CT000010"]
    assert (last.next_after, last.previous_before) == (None, "CT000009")
    back = contact_page(session, team, limit=4, before=second.previous_before)
    assert back == first
    assert contact_page(session, team, limit=4, after="CT000010").contacts == []


def test_a_page_stays_put_when_contacts_are_added_meanwhile(session, team, workspace):
    first = contact_page(session, team, limit=2)
    add_contact(session, team, NewContact("Aaron Early"))  # first by name, but numbered last
    second = contact_page(session, team, limit=2, after=first.next_after)
    assert [c.no for c in second.contacts] == ["CT000003", "CT000004"]
    third = contact_page(session, team, limit=2, after=second.next_after)
    assert [c.name for c in third.contacts] == ["Aaron Early"]


def test_a_text_filters_the_pages_and_a_misspelt_one_finds_the_closest(session, team, workspace):
    adatum = contact_page(session, team, "adatum", limit=1)
    assert [c.no for c in adatum.contacts] == [workspace.adatum] and adatum.next_after is None
    smith = contact_page(session, team, "jon smth", limit=5)
    assert smith.closest and smith.contacts[0].no == workspace.john
    assert (smith.next_after, smith.previous_before) == (None, None)
    assert contact_page(session, team + "X", "adatum").contacts == []
