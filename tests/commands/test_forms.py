"""The Create Interaction form, as the Slack modal and the console show it."""

import pytest

from commands.context import Context
from commands.forms import FormErrors
from commands.router import ROUTER

form = ROUTER.form
submit = ROUTER.submit


@pytest.fixture
def ctx(sessions, workspace):
    return Context(sessions, workspace.team, "U1")


def values_of(shown):
    return {field.name: field.value for field in shown.fields}


def test_choosing_a_template_prefills_the_form(ctx):
    shown = values_of(form("create_interaction", ctx, {"template": "PHONE"}))
    assert (shown["description"], shown["cost"], shown["duration"], shown["flow"]) == (
        "Phone call",
        "2.50",
        "10",
        "outbound",
    )


def test_description_follows_the_template_until_the_user_types_one(ctx):
    switched = values_of(
        form(
            "create_interaction",
            ctx,
            {"template": "LETTER", "previous_template": "PHONE", "description": "Phone call"},
        )
    )
    assert switched["description"] == "Letter"
    typed = values_of(
        form(
            "create_interaction",
            ctx,
            {"template": "LETTER", "previous_template": "PHONE", "description": "My words"},
        )
    )
    assert typed["description"] == "My words"


def test_submitting_records_the_interaction(ctx, workspace):
    reply = submit(
        "create_interaction",
        ctx,
        {"contact": workspace.john, "template": "PHONE", "failed": "yes", "evaluation": "neutral"},
    )
    assert reply.text == "Recorded: interaction log entry 1."
    assert "attempt failed, neutral" in reply.paragraphs[0]


def test_bad_fields_are_named(ctx, workspace):
    with pytest.raises(FormErrors) as raised:
        submit(
            "create_interaction",
            ctx,
            {"template": "PHONE", "cost": "-2", "date": "not a date", "flow": "sideways"},
        )
    assert set(raised.value.errors) == {"contact", "cost", "date", "flow"}
    with pytest.raises(FormErrors) as raised:
        submit("create_interaction", ctx, {"contact": "Nobody At All", "template": "PHONE"})
    assert set(raised.value.errors) == {"contact"}


def test_finish_later_saves_a_postponed_interaction(ctx, workspace):
    reply = submit(
        "create_interaction", ctx, {"contact": workspace.jane, "template": "MEETING", "postpone": "yes"}
    )
    assert reply.text.startswith("Saved for later")
