"""The forms of the actions that take several values, over signed HTTP: `/crm comment 3` alone opens a
modal for the text, `/crm evaluate 3` one with the evaluation select, `/crm resume 3` one pre-filled with
what was saved, and `segment add`, `group add`, `template add` theirs. Text inputs carry Slack's
max_length, choices are selects, and a bad submission is refused on the field it is about."""

import json
from typing import Any

import pytest
from slack_sdk.models.views import View
from sqlalchemy.orm import Session, sessionmaker

from store.enums import CorrespondenceType, InformationFlow
from store.interactions import InteractionInput, comments, create_interaction
from store.models import InteractionLogEntry, InteractionTemplate, Segment
from tests.conftest import Workspace
from tests.fake_slack import button, buttons, text_of, within_limits
from tests.slack_requests import FORM, USER, Slack, block_actions, element_of, filled, post


def opened(slack: Slack, text: str, callback_id: str) -> dict[str, Any]:
    """`/crm <text>` answers with nothing but the modal, opened with the command's trigger."""
    response = slack.command(text)
    assert response.status == 200 and response.elapsed < 3
    assert response.body == b"", response.text
    call = slack.fake.wait_for("/views.open")[-1]
    assert call.body["trigger_id"]
    view = call.json_field("view")
    assert view["type"] == "modal" and view["callback_id"] == callback_id
    View(**view).validate_json()  # slack_sdk's own checks of Slack's limits
    return view


def refused(slack: Slack, view: dict[str, Any], **values: str) -> dict[str, str]:
    """Submit the form with these values; the errors Slack is told to show, by block id."""
    response = slack.submit(filled(view, **values))
    assert response.status == 200 and response.elapsed < 3
    answer = response.json()
    assert answer["response_action"] == "errors"
    return answer["errors"]


def accepted(slack: Slack, view: dict[str, Any], **values: str) -> str:
    """Submit the form; it closes, and the answer comes privately where the command was typed."""
    response = slack.submit(filled(view, **values))
    assert response.status == 200 and response.body == b"", response.text
    posted = slack.fake.wait_for("/chat.postEphemeral")[-1]
    assert posted.body["user"] == USER and posted.body["channel"] == "C0SALES"
    return str(posted.body["text"])


def block_of(view: dict[str, Any], name: str) -> str:
    return element_of(view, name)["block_id"]


def logged(sessions: sessionmaker[Session], workspace: Workspace, what: str, **more: Any) -> int:
    with sessions.begin() as session:
        entry = create_interaction(
            session, workspace.team, USER, InteractionInput(workspace.john, "PHONE", what), **more
        )
        return entry.entry_no


def test_comment_alone_opens_a_form_for_the_text(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    number = logged(sessions, workspace, "Called about the quote")
    view = opened(slack, f"comment {number}", "comment_entry")
    intro = view["blocks"][0]
    assert intro["type"] == "section" and "Called about the quote" in intro["text"]["text"]
    entry, text = element_of(view, "entry_no"), element_of(view, "text")
    assert entry["type"] == "number_input" and entry["initial_value"] == str(number)
    assert entry["is_decimal_allowed"] is False
    assert text["type"] == "plain_text_input" and text["multiline"] is True
    assert text["max_length"] == 2000
    assert set(refused(slack, view, text="")) == {block_of(view, "text")}
    assert accepted(slack, view, text="They want it by Friday") == f"Comment added to entry {number}."
    with sessions() as session:
        assert [line.comment for line in comments(session, workspace.team, number)] == [
            "They want it by Friday"
        ]


def test_a_comment_on_an_entry_that_does_not_exist_opens_nothing(slack: Slack, workspace: Workspace) -> None:
    body = within_limits(slack.ask("comment 99999"))
    assert "Interaction log entry 99999 does not exist" in body["text"]
    assert slack.fake.calls_to("/views.open") == []


def test_a_comment_typed_whole_needs_no_form(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    number = logged(sessions, workspace, "Visit")
    assert slack.ask(f"comment {number} Bring the samples")["text"] == f"Comment added to entry {number}."
    assert slack.fake.calls_to("/views.open") == []


def test_evaluate_alone_opens_the_evaluation_select_and_names_a_missing_entry_on_its_field(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    number = logged(sessions, workspace, "Demo")
    view = opened(slack, f"evaluate {number}", "evaluate")
    evaluation = element_of(view, "evaluation")
    assert evaluation["type"] == "static_select"
    assert [o["value"] for o in evaluation["options"]] == [
        "very-positive",
        "positive",
        "neutral",
        "negative",
        "very-negative",
    ]
    assert element_of(view, "entry_nos")["initial_value"] == str(number)
    errors = refused(slack, view, entry_nos=f"{number}, 99999", evaluation="positive")
    assert list(errors) == [block_of(view, "entry_nos")] and "99999" in errors[block_of(view, "entry_nos")]
    assert set(refused(slack, view, evaluation=None)) == {block_of(view, "evaluation")}
    assert accepted(slack, view, evaluation="very-positive") == "Evaluated 1 entry as very-positive."
    with sessions() as session:
        assert session.get(InteractionLogEntry, (workspace.team, number)).evaluation == "very-positive"


def test_resume_opens_the_postponed_interaction_prefilled_and_finishes_it(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    number = logged(sessions, workspace, "Call back about pricing", postpone=True)
    view = opened(slack, f"resume {number}", "resume_interaction")
    chosen = element_of(view, "entry_no")
    assert chosen["type"] == "static_select" and chosen["initial_option"]["value"] == str(number)
    assert element_of(view, "description")["initial_value"] == "Call back about pricing"
    assert element_of(view, "description")["max_length"] == 100
    assert element_of(view, "template")["initial_option"]["value"] == "PHONE"
    assert element_of(view, "cost")["initial_value"] == "2.50"
    assert set(refused(slack, view, cost="-1", duration="abc")) == {
        block_of(view, "cost"),
        block_of(view, "duration"),
    }
    answer = accepted(slack, view, description="Agreed on the price", evaluation="positive")
    assert answer == f"Resumed: interaction log entry {number} is now recorded."
    with sessions() as session:
        entry = session.get(InteractionLogEntry, (workspace.team, number))
        assert (entry.postponed, entry.description, entry.evaluation) == (
            False,
            "Agreed on the price",
            "positive",
        )


def test_choosing_another_postponed_interaction_fills_the_form_with_it(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    first = logged(sessions, workspace, "First draft", postpone=True)
    second = logged(sessions, workspace, "Second draft", postpone=True)
    view = opened(slack, f"resume {first}", "resume_interaction")
    choice = element_of(view, "entry_no") | {"selected_option": {"value": str(second)}}
    state = filled(view, entry_no=str(second))
    body = block_actions(workspace.team, USER, choice, response_url=None, view=state)
    assert post(slack.events_url, body, FORM).status == 200
    updated = slack.fake.wait_for("/views.update")[0].json_field("view")
    assert element_of(updated, "description")["initial_value"] == "Second draft"
    assert element_of(updated, "entry_no")["initial_option"]["value"] == str(second)


def test_resume_of_an_entry_that_is_not_postponed_is_refused(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    number = logged(sessions, workspace, "Already recorded")
    assert "is not postponed" in slack.ask(f"resume {number}")["text"]
    assert slack.fake.calls_to("/views.open") == []


@pytest.mark.parametrize(
    ("command", "callback_id"), [("segment add", "add_segment"), ("group add", "add_group")]
)
def test_a_code_and_description_form_is_bounded_and_refuses_a_code_in_use_on_the_code(
    slack: Slack, workspace: Workspace, command: str, callback_id: str
) -> None:
    view = opened(slack, command, callback_id)
    assert element_of(view, "code")["max_length"] == 20
    assert element_of(view, "description")["max_length"] == 100
    taken = "NEWSLETTER" if callback_id == "add_segment" else "CALLS"
    errors = refused(slack, view, code=taken, description="Again")
    assert list(errors) == [block_of(view, "code")] and "already exists" in errors[block_of(view, "code")]
    assert set(refused(slack, view, code="TWO WORDS")) == {block_of(view, "code")}
    assert "SPRING" in accepted(slack, view, code="spring", description="Spring campaign")


def test_segment_add_typed_whole_still_creates_it(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    assert slack.ask("segment add SPRING Spring campaign")["text"].startswith("Segment SPRING created.")
    with sessions() as session:
        assert session.get(Segment, (workspace.team, "SPRING")).description == "Spring campaign"
    assert slack.fake.calls_to("/views.open") == []


def test_template_add_offers_the_groups_and_the_defaults_and_records_them(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    view = opened(slack, "template add VISIT On-site visit", "add_template")
    assert element_of(view, "code")["initial_value"] == "VISIT"
    assert element_of(view, "description")["initial_value"] == "On-site visit"
    group = element_of(view, "group")
    assert group["type"] == "static_select" and [o["value"] for o in group["options"]] == ["CALLS", "LETTERS"]
    assert element_of(view, "duration")["type"] == "number_input"
    assert element_of(view, "type")["initial_option"]["value"] == "email"
    errors = refused(slack, view, group=None, cost="-5")
    assert set(errors) == {block_of(view, "group"), block_of(view, "cost")}
    answer = accepted(slack, view, group="CALLS", cost="40", duration="90", flow="outbound", type="hard-copy")
    assert answer == "Interaction template VISIT created in group CALLS."
    with sessions() as session:
        made = session.get(InteractionTemplate, (workspace.team, "VISIT"))
        assert (made.unit_cost, made.unit_duration, made.information_flow, made.correspondence_type) == (
            40,
            90,
            InformationFlow.OUTBOUND,
            CorrespondenceType.HARD_COPY,
        )


def test_template_add_without_any_group_says_to_make_one_first(slack: Slack, team: str) -> None:
    body = slack.ask("template add")
    assert "no interaction groups yet" in body["text"] and "/crm group add" in body["text"]
    assert slack.fake.calls_to("/views.open") == []


def test_help_is_grouped_under_headers_with_examples_that_run_or_open_their_form(
    slack: Slack, workspace: Workspace
) -> None:
    body = within_limits(slack.ask("help"))
    titles = [b["text"]["text"] for b in body["blocks"] if b["type"] == "header"]
    assert titles[:4] == ["crm-interactions", "Logging", "Entries", "Follow-ups"]
    assert {"Segments", "Templates & setup", "Contacts", "Reports"} <= set(titles)
    sections = [b for b in body["blocks"] if b["type"] == "section"]
    assert all(b["text"]["text"].count("\n") < 6 and len(b["text"]["text"]) < 800 for b in sections), (
        "every section short enough that Slack does not fold it"
    )
    labels = [b["text"]["text"] for b in buttons(body)]
    assert {"Create Interaction", "Interaction Log Entries", "Add Segment", "Tell Me"} <= set(labels)
    slack.click(button(body, "Add Segment"))
    assert slack.fake.wait_for("/views.open")[-1].json_field("view")["callback_id"] == "add_segment"
    more = [b for b in buttons(body) if b["text"]["text"] == "More…"]
    page = slack.answer(str(slack.click(next(b for b in more if b["value"] == "help segments"))))
    assert page["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Segments", "emoji": True},
    }
    assert "`/crm segment &lt;code&gt; back`" in text_of(page)  # Slack shows &lt; as <
    assert sum(b["type"] == "section" for b in page["blocks"]) >= 3, (
        "a long topic takes several short sections"
    )


def test_an_open_the_form_button_whose_values_no_longer_hold_answers_why(
    slack: Slack, workspace: Workspace
) -> None:
    stale = {
        "type": "button",
        "action_id": "crm:open",
        "value": json.dumps({"kind": "add_task", "values": {"entry": "99999"}}),
    }
    url = slack.click(stale)
    assert "Interaction log entry 99999 does not exist" in slack.answer(str(url))["text"]
    assert slack.fake.calls_to("/views.open") == []


def test_log_segment_without_a_template_opens_selects_for_both(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    view = opened(slack, "log segment=NEWSLETTER", "log_segment")
    segment, template = element_of(view, "segment"), element_of(view, "template")
    assert segment["type"] == template["type"] == "static_select"
    assert segment["initial_option"]["value"] == "NEWSLETTER"
    assert set(refused(slack, view, template=None)) == {block_of(view, "template")}
    assert accepted(slack, view, template="LETTER").startswith("Segment NEWSLETTER logged: 3 interaction")
