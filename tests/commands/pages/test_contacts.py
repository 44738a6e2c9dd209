"""Contacts as a user meets them in `/crm`: the card of one, pages of many with a menu each, and the
statistics with their chart."""

import re
from datetime import date

from commands.reply import Modal
from commands.router import ROUTER
from store.contacts import NewContact, add_contact
from tests.helpers import clicked

PNG = b"\x89PNG\r\n\x1a\n"


def run(ctx, text: str):
    return ROUTER.run(ctx, text)


def log(ctx, text: str) -> None:
    assert not run(ctx, text).error, text


def test_the_card_shows_the_fields_the_statistics_the_timeline_and_the_tasks(ctx, workspace) -> None:
    log(ctx, f"log PHONE {workspace.john} Called about the quote date=2026-01-10")
    log(ctx, f"log PHONE {workspace.john} No answer date=2026-03-01 failed")
    log(ctx, f"log LETTER {workspace.jane} Sent the brochure date=2026-02-15")
    log(ctx, f"task add {workspace.john} send the offer due=2099-05-04")
    card = run(ctx, "contact john smith")
    assert card.text == f"John Smith ({workspace.john})" and not card.error
    assert card.paragraphs == (
        f"Person at Adatum Corporation ({workspace.adatum})",
        "*E-mail* john@adatum.example",
        "*Interactions* 2 · *Cost* 5.00 · *Duration* 20 min",
        "*Last interaction* 2026-01-10 · *Last attempted* 2026-03-01",
    )
    lines = [item.text for item in card.items]
    assert lines[0] == "*Last interactions*" and "No answer" in lines[1] and "Called about" in lines[2]
    assert lines[3] == "*Open tasks*" and "send the offer" in lines[4]
    assert [b.label for b in card.items[4].buttons] == ["Done", "Snooze"]
    assert [(b.label, b.command) for b in card.buttons] == [
        ("Log", f"log contact={workspace.john}"),
        ("Entries", f"entries contact={workspace.john}"),
        ("Follow up", f"task add {workspace.john}"),
        ("Statistics", f"stats contact={workspace.john}"),
    ]


def test_a_company_s_card_rolls_up_its_people(ctx, workspace) -> None:
    log(ctx, f"log PHONE {workspace.john} Called")
    log(ctx, f"log LETTER {workspace.jane} Wrote")
    log(ctx, f"log MEETING {workspace.adatum} Met")
    log(ctx, "cancel 2")
    card = run(ctx, f"contact {workspace.adatum}")
    assert card.paragraphs[0] == "Company, 2 people"
    assert "*Interactions* 2 (its people's included) · *Cost* 2.50 · *Duration* 70 min" in card.paragraphs
    assert sum("·" in item.text and "*" in item.text[:2] for item in card.items) == 2, "canceled left out"
    assert [item.text for item in card.items][-1] == "None.", "no open tasks"


def test_a_question_about_one_field_is_answered_first(ctx, workspace) -> None:
    assert run(ctx, "contact 'John Smith' field=email").text == (
        f"E-mail of John Smith ({workspace.john}): john@adatum.example"
    )
    assert run(ctx, f"contact {workspace.jane} field=phone").text.endswith(": not known")
    assert run(ctx, "what's John Smith's e-mail?").text == (
        f"Understood: Contact Card. E-mail of John Smith ({workspace.john}): john@adatum.example"
    )


def test_a_name_several_contacts_share_offers_each_and_an_unknown_one_says_so(ctx, workspace) -> None:
    add_second_john = run(ctx, "contact add John Smith email=john.smith@fabrikam.example")
    assert not add_second_john.error
    several = run(ctx, "contact John Smith")
    assert "More than one contact" in several.text
    assert [b.command for b in several.buttons] == [f"contact {workspace.john}", "contact CT000005"]
    assert run(ctx, several.buttons[1].command).text == "John Smith (CT000005)"
    unknown = run(ctx, "contact Zebedee Quux")
    assert unknown.error and unknown.text.startswith("No contact matches “Zebedee Quux”")


def test_contact_add_is_still_adding(ctx, workspace) -> None:
    added = run(ctx, "contact add Pat Lone type=person")
    assert added.text == "Contact CT000005 created: Pat Lone (person)."
    assert run(ctx, "contact add").modal == Modal("add_contact", {}), "its form asks for the name"
    assert run(ctx, "contact").modal == Modal("contact_card", {}), "its form asks which contact"


def test_contacts_come_a_page_at_a_time_with_a_menu_each(ctx, workspace) -> None:
    with ctx.sessions.begin() as session:
        for n in range(25):
            add_contact(session, ctx.team_id, NewContact(f"Person {n:02d}"))  # CT000005 to CT000029
    first = run(ctx, "contacts")
    assert first.text == "Contacts (20 shown, CT000001 to CT000020)"
    assert (
        first.items[1].text
        == f"*John Smith*  {workspace.john} · person at Adatum Corporation · john@adatum.example"
    )
    assert [(b.label, b.command) for b in first.items[1].menu] == [
        ("Log an interaction", f"log contact={workspace.john}"),
        ("Entries", f"entries contact={workspace.john}"),
        ("Follow up", f"task add {workspace.john}"),
        ("Card", f"contact {workspace.john}"),
    ]
    assert [(b.label, b.command) for b in first.buttons] == [("Next", "contacts after=CT000020")]

    with ctx.sessions.begin() as session:  # added meanwhile: numbered after every other
        add_contact(session, ctx.team_id, NewContact("Aaron Early"))
    second = run(clicked(ctx), first.buttons[0].command)
    assert [re.search(r"CT\d+", i.text).group() for i in second.items][:2] == ["CT000021", "CT000022"]
    assert second.items[-1].text.startswith("*Aaron Early*  CT000030")
    assert [b.label for b in second.buttons] == ["Previous"]
    back = run(clicked(ctx), second.buttons[0].command)
    assert [i.text for i in back.items] == [i.text for i in first.items]


def test_a_searched_page_keeps_its_text_and_a_misspelt_one_finds_the_closest(ctx, workspace) -> None:
    with ctx.sessions.begin() as session:
        for n in range(22):
            add_contact(session, ctx.team_id, NewContact(f"Adatum Branch {n}", type=None))
    first = run(ctx, "contacts adatum")
    assert first.text.startswith("Contacts matching “adatum” (20 shown")
    assert first.buttons[0].command == "contacts adatum after=CT000023"  # Adatum, then 19 branches
    assert len(run(ctx, first.buttons[0].command).items) == 3
    closest = run(ctx, "contacts jon smth")
    assert closest.text.startswith("No contact's name contains “jon smth”; the closest")
    assert closest.items[0].text.startswith("*John Smith*") and closest.buttons == ()
    assert run(ctx, "contacts after=CT000999").text == "No more contacts."
    assert run(ctx, "contacts after=12").error


def test_the_menu_s_card_and_follow_up_run_like_buttons(ctx, workspace) -> None:
    menu = {b.label: b.command for b in run(ctx, "contacts").items[0].menu}
    assert run(clicked(ctx), menu["Card"]).text == f"Adatum Corporation ({workspace.adatum})"
    follow_up = run(clicked(ctx), menu["Follow up"])
    assert follow_up.modal is not None and follow_up.modal.values == {"contact": workspace.adatum}


def test_statistics_come_with_a_small_chart_per_month(ctx, workspace) -> None:
    today = ctx.today()
    log(ctx, f"log PHONE {workspace.john} Called date={today.isoformat()}")
    log(ctx, f"log LETTER {workspace.jane} Wrote date={date(today.year - 1, today.month, 1).isoformat()}")
    reply = run(ctx, "stats")
    assert reply.file is not None and reply.file.content.startswith(PNG)
    assert reply.file.content_type == "image/png" and reply.file.name.endswith(".png")
    assert reply.file.title == "Interactions and cost per month: all interactions"
    assert len(reply.file.content) < 60_000
    assert run(ctx, f"stats contact={workspace.adatum}").file.title.endswith(": Adatum Corporation")
    by_group = run(ctx, "stats by=group")
    assert by_group.file is not None and by_group.file.title == "Interactions and cost by group"


def test_statistics_without_interactions_have_no_chart(ctx, workspace) -> None:
    assert run(ctx, "stats").file is None
    assert run(ctx, "stats template=PHONE").file is None
