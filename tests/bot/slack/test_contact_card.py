"""Contacts in Slack: `/crm contacts` as a page of items, each with an overflow menu whose options run
their command when picked, Next and Previous pages; `/crm contact <name>` as a card with its buttons;
`/crm stats` with its chart uploaded beside the table. Each over signed HTTP against the fake Web API."""

from typing import Any

from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session, sessionmaker

from bot.slack.listeners.commands import WORKING
from store.contacts import NewContact, add_contact
from tests.conftest import Workspace
from tests.fake_slack import button, buttons, text_of, within_limits
from tests.slack_requests import USER, Slack

PNG = b"\x89PNG\r\n\x1a\n"
MENU = ["Log an interaction", "Entries", "Follow up", "Card"]


def valid(message: dict[str, Any]) -> dict[str, Any]:
    """Within Slack's limits, and every block as slack_sdk's validators accept it."""
    for block in message["blocks"]:
        Block.parse(block).validate_json()  # type: ignore[union-attr]
    return within_limits(message)


def menus(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Each overflow menu beside a section, with the section's text."""
    return [
        block["accessory"] | {"beside": block["text"]["text"]}
        for block in message["blocks"]
        if block["type"] == "section" and (block.get("accessory") or {}).get("type") == "overflow"
    ]


def picked(menu: dict[str, Any], label: str) -> dict[str, Any]:
    """The menu as Slack sends it back when the user picks the option labelled `label`."""
    option = next(o for o in menu["options"] if o["text"]["text"] == label)
    return {"type": "overflow", "action_id": menu["action_id"], "selected_option": option}


def test_contacts_are_items_with_a_menu_each_and_pages(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        for n in range(25):
            add_contact(session, workspace.team, NewContact(f"Person {n:02d}"))
    first = valid(slack.ask("contacts"))
    assert "```" not in text_of(first), "no wide code-block table"
    found = menus(first)
    assert len(found) == 20 and len({m["action_id"] for m in found}) == 20
    assert all(m["action_id"].startswith("crm:menu:") for m in found)
    john = next(m for m in found if "*John Smith*" in m["beside"])
    assert (
        john["beside"]
        == f"*John Smith*  {workspace.john} · person at Adatum Corporation · john@adatum.example"
    )
    assert [o["text"]["text"] for o in john["options"]] == MENU
    assert [o["value"] for o in john["options"]] == [
        f"log contact={workspace.john}",
        f"entries contact={workspace.john}",
        f"task add {workspace.john}",
        f"contact {workspace.john}",
    ]
    assert all(len(o["value"]) <= 150 for m in found for o in m["options"])
    assert [b["text"]["text"] for b in buttons(first)] == ["Next", "Share in channel"]

    second = valid(slack.answer(slack.click(button(first, "Next"))))  # type: ignore[arg-type]
    assert "CT000021" in text_of(second) and "CT000001" not in text_of(second)
    assert len(menus(second)) == 9
    back = slack.answer(slack.click(button(second, "Previous")))  # type: ignore[arg-type]
    assert [m["beside"] for m in menus(back)] == [m["beside"] for m in found]


def test_picking_card_in_a_contact_s_menu_answers_with_the_card(slack: Slack, workspace: Workspace) -> None:
    slack.ask('log PHONE "John Smith" Called about the quote')
    menu = menus(slack.ask("contacts john"))[0]
    card = valid(slack.answer(slack.click(picked(menu, "Card"))))  # type: ignore[arg-type]
    assert card["text"].startswith(f"John Smith ({workspace.john})")
    assert "*Interactions* 1 · *Cost* 2.50 · *Duration* 10 min" in text_of(card)
    assert "Called about the quote" in text_of(card) and "*Open tasks*" in text_of(card)
    assert {
        b["text"]["text"]: b["value"] for b in buttons(card) if b["value"] != "contact " + workspace.john
    } == {
        "Log": f"log contact={workspace.john}",
        "Entries": f"entries contact={workspace.john}",
        "Follow up": f"task add {workspace.john}",
        "Statistics": f"stats contact={workspace.john}",
    }
    assert button(card, "Log")["style"] == "primary"


def test_follow_up_in_the_menu_opens_the_create_task_form_on_the_contact(
    slack: Slack, workspace: Workspace
) -> None:
    menu = menus(slack.ask("contacts jane"))[0]
    slack.click(picked(menu, "Follow up"))
    view = slack.opened_view()
    contact = next(b for b in view["blocks"] if b.get("block_id", "").startswith("contact"))
    assert contact["element"]["initial_option"]["value"] == workspace.jane


def test_a_name_several_contacts_have_offers_a_button_for_each(slack: Slack, workspace: Workspace) -> None:
    slack.ask("contact add John Smith email=john.smith@fabrikam.example")
    several = valid(slack.ask("contact John Smith"))
    assert "More than one contact" in several["text"]
    choices = [b["value"] for b in buttons(several) if b["value"].startswith("contact ")]
    assert choices == [f"contact {workspace.john}", "contact CT000005"]
    unknown = slack.ask("contact Zebedee Quux")
    assert "No contact matches “Zebedee Quux”" in unknown["text"]


def test_what_a_contact_is_called_is_shown_as_typed_never_as_markup(
    slack: Slack, workspace: Workspace
) -> None:
    added = slack.ask("contact add &lt;!channel&gt; &amp; Sons type=company")  # as Slack sends it
    assert "created" in added["text"], added
    card = valid(slack.ask("contact &lt;!channel&gt; &amp; Sons"))
    assert card["blocks"][0]["text"]["text"].startswith("&lt;!channel&gt; &amp; Sons (CT000005)")
    listed = slack.ask("contacts sons")
    assert menus(listed)[0]["beside"].startswith("*&lt;!channel&gt; &amp; Sons*")
    assert "<!channel>" not in text_of(card) + text_of(listed)


def test_a_question_about_a_contact_s_e_mail_answers_it_on_the_card(
    slack: Slack, workspace: Workspace
) -> None:
    answer = valid(slack.ask("what's John Smith's e-mail?"))
    assert answer["text"].startswith(
        f"Understood: Contact Card. E-mail of John Smith ({workspace.john}): john@adatum.example"
    )
    assert button(answer, "Statistics")["value"] == f"stats contact={workspace.john}"


def test_statistics_upload_a_chart_beside_the_table(slack: Slack, workspace: Workspace) -> None:
    slack.ask('log PHONE "John Smith" Called')
    slack.ask('log LETTER "Jane Doe" Wrote')
    response = slack.command("stats")
    assert response.status == 200 and response.elapsed < 3
    # On a loaded machine the first chart of a process can outlast the acknowledgement: then the table
    # follows through the response_url, as any slow answer does.
    late = response.text == WORKING
    table = valid(slack.answer(response.response_url) if late else response.json())
    assert "PHONE" in text_of(table) and "```" in text_of(table)
    completed = slack.fake.wait_for("/files.completeUploadExternal")[-1]
    (uploaded,) = slack.fake.calls_to("/upload/")
    assert uploaded.raw.startswith(PNG) and len(uploaded.raw) < 60_000
    assert completed.body["channel_id"] == "D0DM", "a private answer's chart goes to the user alone"
    assert slack.fake.calls_to("/conversations.open")[-1].body["users"] == USER
    assert completed.json_field("files")[0]["title"] == "Interactions and cost per month: all interactions"
