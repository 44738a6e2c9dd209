"""The Create Interaction modal: opened at once with the trigger, re-rendered from the template when it
changes, refused field by field when invalid, and answered privately when submitted."""

from typing import Any

from sqlalchemy import select

from store.contacts import NewContact, add_contact
from store.models import InteractionLogEntry
from tests.conftest import Workspace
from tests.fake_slack import button, text_of
from tests.slack_requests import (
    FORM,
    USER,
    Slack,
    block_actions,
    block_suggestion,
    element_of,
    filled,
    message,
    post,
)


def open_form(slack: Slack, text: str = "log") -> dict[str, Any]:
    response = slack.command(text)
    assert response.status == 200 and response.elapsed < 3
    assert response.body == b""  # the modal is the answer: nothing is said in the channel
    view = slack.opened_view()
    assert view["callback_id"] == "create_interaction" and view["type"] == "modal"
    return view


def values_of(view: dict[str, Any]) -> dict[str, Any]:
    return {b["block_id"].rsplit("~", 1)[0]: b["element"] for b in view["blocks"]}


def test_log_without_arguments_opens_the_form_with_the_trigger(slack: Slack, workspace: Workspace) -> None:
    view = open_form(slack)
    opened = slack.fake.calls_to("/views.open")[0]
    assert opened.body["trigger_id"]
    fields = values_of(view)
    assert {"contact", "template", "description", "date", "time", "cost", "duration"} <= set(fields)
    assert fields["template"]["type"] == "static_select"
    assert any(b.get("dispatch_action") for b in view["blocks"] if b["block_id"].startswith("template~"))
    assert fields["date"]["type"] == "datepicker" and fields["date"]["initial_date"]


def test_choosing_a_template_prefills_the_form(slack: Slack, workspace: Workspace) -> None:
    view = open_form(slack)
    choice = element_of(view, "template") | {"selected_option": {"value": "PHONE"}}
    body = block_actions(workspace.team, USER, choice, response_url=None, view=filled(view, template="PHONE"))
    assert post(slack.events_url, body, FORM).status == 200
    update = slack.fake.wait_for("/views.update")[0]
    assert update.body["view_id"] == "V0VIEW" and update.body["hash"] == "h1"
    fields = values_of(update.json_field("view"))
    assert fields["description"]["initial_value"] == "Phone call"
    assert float(fields["cost"]["initial_value"]) == 2.5 and fields["duration"]["initial_value"] == "10"
    assert all(b["block_id"].endswith("~1") for b in update.json_field("view")["blocks"])


def test_a_submission_with_errors_is_refused_field_by_field(slack: Slack, workspace: Workspace) -> None:
    view = open_form(slack)
    response = slack.submit(filled(view, contact=None, template=None))
    assert response.status == 200
    answer = response.json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"contact~0", "template~0"}


def test_a_valid_submission_records_and_answers_privately(
    slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    view = open_form(slack)
    response = slack.submit(
        filled(view, contact=workspace.john, template="PHONE", description="Demo of the app")
    )
    assert response.status == 200 and response.body == b""  # closes the modal
    posted = slack.fake.wait_for("/chat.postEphemeral")[0]
    assert posted.body["channel"] == "C0SALES" and posted.body["user"] == USER
    assert "Recorded" in posted.body["text"]
    with sessions() as session:
        entry = session.scalars(
            select(InteractionLogEntry).where(InteractionLogEntry.team_id == workspace.team)
        ).one()
    assert (entry.contact_no, entry.template_code, entry.description) == (
        workspace.john,
        "PHONE",
        "Demo of the app",
    )


def test_the_answer_goes_to_the_dm_where_the_bot_is_not_in_the_channel(
    slack: Slack, workspace: Workspace
) -> None:
    slack.fake.fail_once("/chat.postEphemeral", 200, {"ok": False, "error": "channel_not_found"})
    view = open_form(slack)
    slack.submit(filled(view, contact=workspace.john, template="PHONE"))
    posted = slack.fake.wait_for("/chat.postMessage")[0]
    assert posted.body["channel"] == USER and "Recorded" in posted.body["text"]


def test_the_contact_button_opens_the_form_with_the_contact_chosen(
    slack: Slack, workspace: Workspace
) -> None:
    added = slack.ask('contact add "Erin Baker" company="Adatum Corporation"')
    slack.click(button(added, "Log an interaction"))
    view = slack.opened_view()
    assert values_of(view)["contact"]["initial_option"]["text"]["text"].startswith("Erin Baker")


def test_many_contacts_are_searched_as_the_user_types(
    slack: Slack, workspace: Workspace, sessions: Any
) -> None:
    with sessions.begin() as session:
        for n in range(101):
            add_contact(session, workspace.team, NewContact(f"Customer {n:03d}"))
    view = open_form(slack)
    contact = element_of(view, "contact")
    assert contact["type"] == "external_select"
    body = block_suggestion(workspace.team, USER, view, contact["block_id"], contact["action_id"], "john smi")
    response = post(slack.events_url, body, FORM)
    assert response.status == 200 and response.elapsed < 3
    options = response.json()["options"]
    assert options[0]["value"] == workspace.john and "John Smith" in options[0]["text"]["text"]


def test_tell_me_form_runs_what_the_user_typed(slack: Slack, workspace: Workspace) -> None:
    slack.command("tellme")
    view = slack.opened_view()
    assert view["callback_id"] == "tellme"
    assert slack.submit(filled(view, text="show templates")).status == 200
    posted = slack.fake.wait_for("/chat.postEphemeral")[0]
    assert "PHONE" in text_of(posted.body | {"blocks": posted.json_field("blocks")})


def test_a_form_asked_for_in_a_direct_message_opens_from_its_button(
    slack: Slack, workspace: Workspace
) -> None:
    slack.event(message("D0SELLER", "log a phone call about the quote", channel_type="im"))
    posted = slack.fake.wait_for("/chat.postMessage")[0]
    offer = posted.body | {"blocks": posted.json_field("blocks")}
    form = button(offer, "Open the form")
    slack.click(form, response_url=slack.fake.response_url())
    view = slack.opened_view()
    assert view["callback_id"] == "create_interaction"
    assert values_of(view)["template"]["initial_option"]["value"] == "PHONE"
