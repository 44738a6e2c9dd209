"""The form of a segment step over signed HTTP: `/crm segment <code> add` opens it with the trigger, a
changed criterion re-renders it with the new count, a bad field is refused on that field, and a submission
runs the step (or asks first, with a button that goes ahead) and answers privately."""

from typing import Any

from tests.conftest import IN_SPAIN, Crowd
from tests.fake_slack import button, text_of, within_limits
from tests.helpers import add_companies
from tests.helpers import on_segment as segment_names
from tests.slack_requests import FORM, USER, Slack, block_actions, block_suggestion, element_of, filled, post


def open_step_form(slack: Slack, text: str, kind: str) -> dict[str, Any]:
    response = slack.command(text)
    assert response.status == 200 and response.body == b"", "the modal is the answer"
    view = slack.opened_view()
    assert view["callback_id"] == kind and view["type"] == "modal"
    return within_limits(view, max_blocks=100)


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"].rsplit("~", 1)[0]: b for b in view["blocks"] if b["type"] == "input"}


def note(view: dict[str, Any]) -> str:
    (context,) = [b for b in view["blocks"] if b["type"] == "context"]
    assert view["blocks"][-1] is context, "the count stands under the fields"
    return context["elements"][0]["text"]


def on_segment(sessions: Any, crowd: Crowd) -> set[str]:
    return segment_names(sessions, crowd.team)


def change(slack: Slack, crowd: Crowd, view: dict[str, Any], name: str, value: str, **others: str) -> dict:
    """The user picks `value` in field `name` (the others as given): Slack sends the block action, the app
    answers with views.update."""
    before = len(slack.fake.calls_to("/views.update"))
    element = element_of(view, name)
    if element["type"] == "static_select":
        element = element | {"selected_option": {"value": value}}
    body = block_actions(
        crowd.team, USER, element, response_url=None, view=filled(view, **{name: value}, **others)
    )
    assert post(slack.events_url, body, FORM).status == 200
    update = slack.fake.wait_for("/views.update", before + 1)[-1]
    return within_limits(update.json_field("view"), max_blocks=100)


def test_the_step_form_opens_with_the_criteria_and_a_count(slack: Slack, crowd: Crowd) -> None:
    view = open_step_form(slack, "segment TARGET add", "add_contacts_by_criteria")
    fields = inputs(view)
    assert list(fields)[:3] == ["segment", "type", "company"]
    assert {"country", "city", "language", "salesperson", "correspondence_type", "code", "from", "to"} <= set(
        fields
    )
    assert {"evaluation", "failed", "people", "duplicates"} <= set(fields)
    assert all(b.get("dispatch_action") for b in fields.values()), "every change re-counts"
    assert fields["segment"]["element"]["initial_option"]["value"] == "TARGET"
    assert fields["from"]["element"]["type"] == "datepicker"
    assert fields["people"]["element"]["type"] == "checkboxes"
    countries = [o["text"]["text"] for o in fields["country"]["element"]["options"]]
    assert countries == ["Any", "DE · Germany", "ES · Spain", "PT · Portugal"]
    assert view["submit"]["text"] == "Add" and view["title"]["text"] == "Add Contacts"
    assert note(view) == "Segment TARGET has 0 contacts. Choose at least one criterion."


def test_changing_a_criterion_counts_again(slack: Slack, crowd: Crowd, sessions: Any) -> None:
    view = open_step_form(slack, "segment TARGET add", "add_contacts_by_criteria")
    spain = change(slack, crowd, view, "country", "ES")
    assert note(spain) == "5 contacts match; adding puts 5 contacts on TARGET (0 on it now)."
    assert inputs(spain)["country"]["element"]["initial_option"]["value"] == "ES"
    assert all(b["block_id"].endswith("~1") for b in spain["blocks"])
    companies = change(slack, crowd, spain, "type", "company", country="ES")
    assert note(companies) == "2 contacts match; adding puts 2 contacts on TARGET (0 on it now)."
    assert on_segment(sessions, crowd) == set(), "counting changes nothing"


def test_a_bad_field_is_refused_on_that_field(slack: Slack, crowd: Crowd) -> None:
    view = open_step_form(slack, "segment TARGET reduce", "reduce_contacts")
    response = slack.submit(filled(view, **{"from": "2026-01-01"}))
    answer = response.json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["code~0"]
    assert "Choose the template or group" in answer["errors"]["code~0"]
    response = slack.submit(filled(view, code="VISIT", **{"from": "2026-02-01", "to": "2026-01-01"}))
    assert response.json()["errors"] == {"to~0": "from=2026-02-01 is after to=2026-01-01."}


def test_a_submission_runs_the_step_and_answers_privately(slack: Slack, crowd: Crowd, sessions: Any) -> None:
    view = open_step_form(slack, "segment TARGET add", "add_contacts_by_criteria")
    response = slack.submit(filled(view, country="ES", people="yes"))
    assert response.status == 200 and response.body == b"", "the modal closes"
    posted = slack.fake.wait_for("/chat.postEphemeral")[0]
    assert posted.body["channel"] == "C0SALES" and posted.body["user"] == USER
    message = posted.body | {"blocks": posted.json_field("blocks")}
    assert "Segment TARGET: 5 contacts added to it (step 1); 5 contacts on it now." in text_of(message)
    assert button(message, "Go back") and button(message, "Steps")
    assert on_segment(sessions, crowd) == IN_SPAIN


def test_a_large_step_asks_first_and_its_button_goes_ahead(slack: Slack, crowd: Crowd, sessions: Any) -> None:
    add_companies(sessions, crowd.team, 400)
    view = open_step_form(slack, "segment TARGET add", "add_contacts_by_criteria")
    assert slack.submit(filled(view, country="ES", type="company")).body == b""
    posted = slack.fake.wait_for("/chat.postEphemeral")[0]
    question = posted.body | {"blocks": posted.json_field("blocks")}
    assert "Add 402 contacts to segment TARGET?" in text_of(question)
    assert on_segment(sessions, crowd) == set(), "the question changes nothing"
    go = button(question, "Add")
    assert go["style"] == "primary" and go["confirm"]
    answered = slack.click(go, response_url=slack.fake.response_url())
    done = slack.answer(answered)
    assert "402 contacts added to it (step 1)" in text_of(done)
    assert len(on_segment(sessions, crowd)) == 402


def test_many_companies_are_searched_as_the_user_types(slack: Slack, crowd: Crowd, sessions: Any) -> None:
    add_companies(sessions, crowd.team, 120)
    view = open_step_form(slack, "segment TARGET add", "add_contacts_by_criteria")
    company = element_of(view, "company")
    assert company["type"] == "external_select"
    body = block_suggestion(crowd.team, USER, view, company["block_id"], company["action_id"], "iberia")
    response = post(slack.events_url, body, FORM)
    assert response.status == 200
    options = response.json()["options"]
    assert [o["value"] for o in options] == [crowd.no["Iberia Foods"]], "companies only, by name"
    chosen = change(slack, crowd, view, "company", crowd.no["Iberia Foods"])
    assert note(chosen) == "3 contacts match; adding puts 3 contacts on TARGET (0 on it now)."
    assert inputs(chosen)["company"]["element"]["initial_option"]["text"]["text"].startswith("Iberia Foods")
