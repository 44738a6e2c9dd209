"""The forms an action gets from its declaration, over signed HTTP: `/crm add a new contact` opens Add
Contact's modal (a text input per text, a select per choice), `/crm cancel` asks which entries and cancels
them with an Undo, and `/crm template delete` asks for the template, then asks before deleting it."""

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from store.interactions import InteractionInput, create_interaction
from store.models import Contact, InteractionLogEntry, InteractionTemplate
from tests.bot.slack.test_forms import accepted, block_of, opened, refused
from tests.conftest import Workspace
from tests.fake_slack import buttons, text_of
from tests.slack_requests import ADMIN, USER, Slack, element_of, filled


def posted(slack: Slack, view: dict[str, Any], **values: str) -> dict[str, Any]:
    """Submit the form; the message posted privately where the command was typed, blocks and all."""
    accepted(slack, view, **values)
    call = slack.fake.wait_for("/chat.postEphemeral")[-1]
    return call.body | {"blocks": call.json_field("blocks")}


def test_a_new_contact_said_in_words_opens_its_form_and_the_form_adds_it(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    view = opened(slack, "add a new contact", "add_contact")
    name, kind = element_of(view, "name"), element_of(view, "type")
    assert name["type"] == "plain_text_input" and name["max_length"] == 100
    assert kind["type"] == "static_select"
    assert [o["value"] for o in kind["options"]] == ["__none__", "company", "person"]
    assert element_of(view, "email")["type"] == "plain_text_input"
    assert set(refused(slack, view, name="")) == {block_of(view, "name")}
    answer = accepted(slack, view, name="Pat Lone", type="person", email="pat@lone.example")
    assert answer.startswith("Contact ") and "Pat Lone (person)" in answer
    with sessions() as session:
        added = session.query(Contact).filter_by(team_id=workspace.team, name="Pat Lone").one()
        assert (added.type, added.email) == ("person", "pat@lone.example")


def test_cancel_alone_asks_which_entries_and_cancels_them_with_an_undo(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        number = create_interaction(
            session, workspace.team, USER, InteractionInput(workspace.john, "PHONE", "Wrong call")
        ).entry_no
    view = opened(slack, "cancel", "cancel_entry")
    assert set(refused(slack, view, entry_nos="first")) == {block_of(view, "entry_nos")}
    message = posted(slack, view, entry_nos=str(number))
    assert [b["text"]["text"] for b in buttons(message)] == ["Undo"]
    with sessions() as session:
        assert session.get(InteractionLogEntry, (workspace.team, number)).canceled


def test_a_template_deleted_from_its_form_is_asked_about_first(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    response = slack.command("template delete", user=ADMIN)
    assert response.status == 200 and response.body == b"", response.text
    view = slack.opened_view()
    assert view["callback_id"] == "delete_template"
    template = element_of(view, "template")
    assert template["type"] == "static_select"
    assert {o["value"] for o in template["options"]} == {"PHONE", "LETTER", "MEETING"}
    submitted = slack.submit(filled(view, template="MEETING"), user=ADMIN)
    assert submitted.status == 200 and submitted.body == b"", submitted.text
    call = slack.fake.wait_for("/chat.postEphemeral")[-1]
    question = call.body | {"blocks": call.json_field("blocks")}
    assert [b["text"]["text"] for b in buttons(question)] == ["Delete", "Keep"]
    assert "MEETING" in text_of(question)
    with sessions() as session:
        assert session.get(InteractionTemplate, (workspace.team, "MEETING")) is not None
