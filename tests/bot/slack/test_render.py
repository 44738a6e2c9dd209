"""Replies rendered to Block Kit stay within Slack's limits however big they are: what does not fit is
left out with a note, never an error from Slack."""

import json

from slack_sdk.models.blocks import Block

from bot.slack import render
from commands.reply import Button, Item, Modal, Reply, Table
from tests.fake_slack import button, buttons, text_of, within_limits


def rendered(reply: Reply, **kwargs: object) -> dict[str, object]:
    message = render.message(reply, **kwargs)  # type: ignore[arg-type]
    # slack_sdk's own validators re-check every block
    for block in message.blocks:
        Block.parse(block).validate_json()  # type: ignore[union-attr]
    return within_limits({"text": message.text, "blocks": message.blocks})


def test_a_small_reply_is_a_headline_with_its_parts() -> None:
    message = rendered(
        Reply(
            "Canceled 1 entry: 12.",
            paragraphs=("One more line",),
            buttons=(Button("Undo", "restore 12"),),
        )
    )
    assert message["text"] == "Canceled 1 entry: 12.\nOne more line"
    assert [b["type"] for b in message["blocks"]] == ["section", "section", "actions"]
    assert buttons(message)[0]["value"] == "restore 12"


def test_slack_markup_characters_are_shown_literally() -> None:
    message = rendered(Reply("Usage: /crm entry <no> & more"))
    assert message["blocks"][0]["text"]["text"] == "Usage: /crm entry &lt;no&gt; &amp; more"


def test_errors_are_marked() -> None:
    assert rendered(Reply("No such entry.", error=True))["blocks"][0]["text"]["text"].startswith(":warning:")


def test_many_items_with_buttons_are_cut_with_a_note() -> None:
    items = tuple(Item(f"*{n}* entry number {n}", (Button("Cancel", f"cancel {n}"),)) for n in range(200))
    message = rendered(
        Reply("Interaction Log Entries", items=items, buttons=(Button("Next page", "entries"),))
    )
    assert "Not shown" in text_of(message) and "item(s)" in text_of(message)
    assert buttons(message)[-1]["text"]["text"] == "Next page"  # the reply's own buttons always fit


def test_items_with_several_buttons_get_an_actions_block() -> None:
    item = Item("Entry 1", tuple(Button(f"B{n}", f"cmd {n}") for n in range(30)))
    message = rendered(Reply("One entry", items=(item,)))
    assert [b["type"] for b in message["blocks"]] == ["section", "section", "actions", "actions"]


def test_a_big_table_is_monospace_and_cut_with_a_note() -> None:
    rows = tuple((str(n), "x" * 60, "Adatum Corporation") for n in range(2000))
    message = rendered(Reply("Contacts", table=Table(("No.", "Name", "Company"), rows)))
    first = message["blocks"][1]["text"]["text"]
    assert first.startswith("```No.") and "…" in first  # cells are clipped
    assert "table row(s)" in text_of(message)


def test_long_paragraphs_and_text_are_split_not_refused() -> None:
    message = rendered(Reply("x" * 5000, paragraphs=tuple("word " * 1000 for _ in range(30))))
    assert len(message["text"]) <= render.FALLBACK_CHARS
    assert "paragraph" in text_of(message)


def test_button_text_and_values_are_kept_within_limits() -> None:
    too_long = Button("L" * 200, "c" * 2001, "danger", confirm="?" * 500)
    fine = Button("Label " * 30, "entries", "danger", confirm="Sure? " * 100)
    message = rendered(Reply("Buttons", buttons=(too_long, *(fine for _ in range(60)))))
    assert len(buttons(message)) == 60  # the one whose command cannot be carried is dropped
    confirm = buttons(message)[0]["confirm"]
    assert confirm["style"] == "danger" and len(confirm["confirm"]["text"]) <= 30


def test_share_and_form_buttons() -> None:
    message = rendered(
        Reply("Log", modal=Modal("create_interaction", {"contact": "CT1"})), share="entries", form_button=True
    )
    labels = [b["text"]["text"] for b in buttons(message)]
    assert labels == ["Open the form", "Share in channel"]
    assert rendered(Reply("Oops", error=True), share="entries")["blocks"][-1]["type"] == "section"


def test_a_form_button_leaves_out_a_value_it_cannot_carry() -> None:
    modal = Modal("tellme", {"text": "x" * 2500, "lang": "es"})
    message = rendered(Reply("Tell Me", modal=modal), form_button=True)
    carried = json.loads(button(message, "Open the form")["value"])
    assert carried == {"kind": "tellme", "values": {"lang": "es"}}


def test_home_view_takes_up_to_a_hundred_blocks() -> None:
    items = tuple(Item(f"entry {n}", (Button("Cancel", f"cancel {n}"),)) for n in range(150))
    blocks = render.view_blocks(Reply("Interactions", items=items))
    within_limits({"type": "home", "blocks": blocks}, max_blocks=100)
    assert len(blocks) > 50


def test_a_form_button_leaves_out_a_value_too_long_to_carry() -> None:
    modal = Modal("create_interaction", {"contact": "CT1", "description": "é" * 3000, "template": "PHONE"})
    (form,) = buttons(rendered(Reply("Log", modal=modal), form_button=True))
    assert len(form["value"]) <= 2000
    assert json.loads(form["value"]) == {
        "kind": "create_interaction",
        "values": {"contact": "CT1", "template": "PHONE"},
    }


def test_an_item_s_menu_is_an_overflow_beside_it_whose_options_carry_commands() -> None:
    item = Item("*John Smith*  CT000002", menu=(Button("Card", "contact CT000002"), Button("Log", "log")))
    block = rendered(Reply("Contacts", items=(item,)))["blocks"][1]
    assert block["type"] == "section" and block["text"]["text"] == "*John Smith*  CT000002"
    menu = block["accessory"]
    assert menu["type"] == "overflow" and menu["action_id"].startswith(render.MENU_ACTION)
    assert menu["options"] == [
        {"text": {"type": "plain_text", "text": "Card", "emoji": True}, "value": "contact CT000002"},
        {"text": {"type": "plain_text", "text": "Log", "emoji": True}, "value": "log"},
    ]


def test_a_menu_keeps_to_five_options_that_slack_can_carry() -> None:
    options = (Button("Far too long", "x" * 151), *(Button(f"O{n}", f"cmd {n}") for n in range(7)))
    message = rendered(Reply("Menus", items=(Item("One", menu=options), Item("Two", menu=options[:1]))))
    first, second = message["blocks"][1], message["blocks"][2]
    assert [o["value"] for o in first["accessory"]["options"]] == [f"cmd {n}" for n in range(5)]
    assert "accessory" not in second, "a menu with nothing Slack can carry is left out"


def test_an_item_with_a_menu_and_buttons_has_both() -> None:
    item = Item(
        "Task 1", (Button("Done", "task done 1"), Button("Snooze", "task snooze 1")), (Button("Card", "c"),)
    )
    message = rendered(Reply("Tasks", items=(item,)))
    assert [b["type"] for b in message["blocks"]] == ["section", "section", "actions"]
    assert message["blocks"][1]["accessory"]["type"] == "overflow"
    assert [b["text"]["text"] for b in buttons(message)] == ["Done", "Snooze"]
