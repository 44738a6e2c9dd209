import pytest

from store.contact_search import contact_index, forget_indexes, search_contacts, warm_contact_indexes
from store.contacts import NewContact, add_contact, change_contact, find_contact, list_contacts
from store.db import reading
from store.enums import ContactType
from store.errors import Ambiguous, Conflict, Invalid, NotFound
from store.imports import import_contacts
from store.interactions import InteractionInput, create_interaction


def test_contacts_are_numbered_per_workspace(session, team, workspace):
    assert [workspace.adatum, workspace.john, workspace.jane, workspace.fabrikam] == [
        "CT000001",
        "CT000002",
        "CT000003",
        "CT000004",
    ]
    assert add_contact(session, team + "X", NewContact("Litware")).no == "CT000001"


def test_a_contact_with_a_company_is_a_person_of_it(session, team, workspace):
    john = find_contact(session, team, workspace.john)
    assert john.type == ContactType.PERSON and john.company_no == workspace.adatum
    adatum = find_contact(session, team, "Adatum Corporation")
    assert adatum.type == ContactType.COMPANY and adatum.company_no == adatum.no


def test_company_can_be_named_instead_of_numbered(session, team, workspace):
    person = add_contact(session, team, NewContact("Ann Lee", company="Adatum Corporation"))
    assert person.company_no == workspace.adatum


def test_a_person_cannot_be_a_company_of_someone(session, team, workspace):
    with pytest.raises(Invalid, match="is a person"):
        add_contact(session, team, NewContact("Bob", company=workspace.john))


def test_contact_needs_a_name_and_a_valid_email(session, team):
    with pytest.raises(Invalid, match="needs a name"):
        add_contact(session, team, NewContact("  "))
    with pytest.raises(Invalid, match="not an e-mail"):
        add_contact(session, team, NewContact("Bob", email="bob-at-example"))


def test_contact_fields_must_fit_their_columns(sessions, team):
    with pytest.raises(Invalid, match="country is longer than 10 characters"), sessions.begin() as s:
        add_contact(s, team, NewContact("Bob", country="Deutschland"))
    with pytest.raises(Invalid, match="name is longer than 100"), sessions.begin() as s:
        add_contact(s, team, NewContact("x" * 101))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": " "}, "needs a name"),
        ({"email": "bob-at-example"}, "not an e-mail"),
        ({"city": "x" * 31}, "city is longer than 30"),
        ({"type": "robot"}, "robot is not company or person"),
        ({"correspondence_type": "fax"}, "fax is not hard-copy or email"),
        ({"colour": "red"}, "no field colour"),
    ],
)
def test_a_change_is_checked_as_an_addition_is(session, team, workspace, changes, message):
    with pytest.raises(Invalid, match=message):
        change_contact(session, team, workspace.john, **changes)


def test_a_changed_email_is_found_and_language_codes_are_upper_case(session, team, workspace):
    assert search_contacts(session, team, "jane@adatum.example") == []
    jane = change_contact(session, team, workspace.jane, email="jane@adatum.example", language_code="es")
    assert jane.language_code == "ES"
    assert [m.no for m in search_contacts(session, team, "jane@adatum.example")] == [workspace.jane]


def test_a_company_with_people_stays_a_company_and_a_new_company_points_to_itself(session, team, workspace):
    with pytest.raises(Conflict, match="people belong to it"):
        change_contact(session, team, workspace.adatum, type="person")
    jane = change_contact(session, team, workspace.jane, type="company")
    assert (jane.type, jane.company_no) == (ContactType.COMPANY, workspace.jane)


def test_find_by_number_email_or_misspelt_name(session, team, workspace):
    assert find_contact(session, team, workspace.john.lower()).name == "John Smith"
    assert find_contact(session, team, "JOHN@adatum.example").no == workspace.john
    assert find_contact(session, team, "jon smith").no == workspace.john


def test_a_shared_email_address_offers_the_contacts_that_have_it(session, team, workspace):
    add_contact(session, team, NewContact("Johnny Smith", email="JOHN@adatum.example"))
    with pytest.raises(Ambiguous) as raised:
        find_contact(session, team, "john@adatum.example")
    assert [no for no, _ in raised.value.choices] == [workspace.john, "CT000005"]


def test_ambiguous_name_offers_choices(session, team, workspace):
    add_contact(session, team, NewContact("John Smyth", company=workspace.adatum))
    with pytest.raises(Ambiguous) as raised:
        find_contact(session, team, "jon smth")
    assert {no for no, _ in raised.value.choices} >= {workspace.john}
    assert len(raised.value.choices) >= 2


def test_unknown_contact_says_so(session, team, workspace):
    with pytest.raises(NotFound, match="No contact matches"):
        find_contact(session, team, "Zyxwvut Qqq")
    with pytest.raises(NotFound, match="CT000099 does not exist"):
        find_contact(session, team, "CT000099")


def test_list_contacts_filters_by_text(session, team, workspace):
    assert [c.name for c in list_contacts(session, team, "adatum")] == ["Adatum Corporation"]
    assert len(list_contacts(session, team)) == 4


def test_type_cannot_change_once_entries_refer_to_the_contact(session, team, workspace):
    create_interaction(session, team, "U1", InteractionInput(workspace.fabrikam, "PHONE"))
    with pytest.raises(Conflict, match="cannot change"):
        change_contact(session, team, workspace.fabrikam, type="person")
    assert (
        change_contact(session, team, workspace.fabrikam, name="Fabrikam Ltd").search_name == "fabrikam ltd"
    )


def test_the_start_of_a_name_is_enough_when_only_one_contact_fits(session, team, workspace):
    assert find_contact(session, team, "adatum").no == workspace.adatum
    assert find_contact(session, team, "fabri").no == workspace.fabrikam
    assert find_contact(session, team, "Doe").no == workspace.jane


def test_the_search_index_catches_up_with_added_renamed_and_imported_contacts_without_a_rebuild(
    sessions, team, workspace
):
    with sessions() as s:
        built = contact_index(s, team)
        assert search_contacts(s, team, "Zoltan Kovacs") == []
    with sessions.begin() as s:
        zoltan = add_contact(s, team, NewContact("Zoltán Kovács", email="zk@example.com")).no
        change_contact(s, team, workspace.jane, name="Priya Raman", email="priya@adatum.example")
        import_contacts(s, team, "name,email\nLitware Inc,hello@litware.example\n")
    with sessions() as s:
        assert search_contacts(s, team, "zoltan kovacs")[0].no == zoltan
        assert search_contacts(s, team, "zk@example.com")[0].no == zoltan
        assert search_contacts(s, team, "Priya Raman")[0].no == workspace.jane
        assert search_contacts(s, team, "priya@adatum.example")[0].no == workspace.jane
        assert all(m.no != workspace.jane for m in search_contacts(s, team, "Jane Doe"))
        assert search_contacts(s, team, "litwar")[0].name == "Litware Inc"  # a new word, misspelt
        assert contact_index(s, team) is built


def test_a_name_given_up_by_its_only_contact_is_no_longer_found(session, team, workspace):
    assert search_contacts(session, team, "Fabrikam")[0].no == workspace.fabrikam
    change_contact(session, team, workspace.fabrikam, name="Northwind Traders")
    assert search_contacts(session, team, "Fabrikam") == []
    assert search_contacts(session, team, "Nortwind")[0].no == workspace.fabrikam


def test_every_workspace_index_is_built_when_the_server_starts(sessions, team, workspace):
    with sessions.begin() as s:
        add_contact(s, team + "X", NewContact("Litware"))
    forget_indexes()
    assert warm_contact_indexes(sessions) >= 2
    with sessions() as s:
        warmed = contact_index(s, team + "X")
        assert search_contacts(s, team + "X", "litware")[0].name == "Litware"
        assert contact_index(s, team + "X") is warmed


def test_a_reader_that_began_before_a_change_uses_the_index_already_past_it(sessions, team, workspace):
    with reading(sessions) as before:
        contact_index(before, team)  # its transaction (and, on SQLite, its snapshot) has begun
        with sessions.begin() as s:
            add_contact(s, team, NewContact("Zoltán Kovács"))
        with sessions() as after:
            caught_up = contact_index(after, team)
            assert search_contacts(after, team, "zoltan kovacs")[0].score == 100.0
        assert contact_index(before, team) is caught_up
