"""The forms of the actions that take several values, as every adapter gets them from the router: opened
when the command lacks its values (or, for Resume, has only the entry), built with what was typed, bounded
by the kinds, and read back with every bad field named."""

from decimal import Decimal

import pytest

from commands.context import Context
from commands.forms import Form, FormErrors
from commands.reply import Modal
from commands.router import ROUTER, run
from store.interactions import InteractionInput, create_interaction, get_entry
from store.templates import get_template
from tests.conftest import Workspace


def fields(form: Form) -> dict[str, object]:
    return {field.name: field for field in form.fields}


def values(form: Form) -> dict[str, str]:
    return {field.name: field.value for field in form.fields}


def bad(kind: str, ctx: Context, given: dict[str, str]) -> set[str]:
    """The fields a submission is refused on."""
    with pytest.raises(FormErrors) as refused:
        ROUTER.submit(kind, ctx, given)
    return set(refused.value.errors)


def entry(ctx: Context, workspace: Workspace, what: str = "Called about the quote", **more: object) -> int:
    with ctx.sessions.begin() as session:
        made = create_interaction(
            session, ctx.team_id, ctx.user_id, InteractionInput(workspace.john, "PHONE", what), **more
        )
        return made.entry_no


def test_comment_without_its_text_opens_the_form_about_the_entry(ctx, workspace):
    number = entry(ctx, workspace)
    assert run(ctx, f"comment {number}").modal == Modal("comment_entry", {"entry_no": str(number)})
    form = ROUTER.form("comment_entry", ctx, {"entry_no": str(number)})
    assert "Called about the quote" in form.intro and f"*{number}*" in form.intro
    assert values(form) == {"entry_no": str(number), "text": ""}
    assert fields(form)["text"].kind == "long_text" and fields(form)["text"].max_length == 2000
    assert bad("comment_entry", ctx, {"entry_no": "x", "text": ""}) == {"entry_no", "text"}
    assert bad("comment_entry", ctx, {"entry_no": str(number), "text": "y" * 2001}) == {"text"}
    assert bad("comment_entry", ctx, {"entry_no": "99999", "text": "Hello"}) == {"entry_no"}
    assert ROUTER.submit("comment_entry", ctx, {"entry_no": str(number), "text": "Hi"}).text == (
        f"Comment added to entry {number}."
    )


def test_evaluate_without_the_evaluation_opens_its_select(ctx, workspace):
    number = entry(ctx, workspace)
    assert run(ctx, f"evaluate {number}").modal == Modal("evaluate", {"entry_nos": str(number)})
    form = ROUTER.form("evaluate", ctx, {"entry_nos": str(number)})
    evaluation = fields(form)["evaluation"]
    assert evaluation.kind == "select" and "" not in dict(evaluation.options)
    assert bad("evaluate", ctx, {"entry_nos": str(number), "evaluation": "superb"}) == {"evaluation"}
    assert bad("evaluate", ctx, {"entry_nos": f"{number}, 4242", "evaluation": "neutral"}) == {"entry_nos"}
    assert run(ctx, "evaluate 4242").text == "Interaction log entry 4242 does not exist."
    assert run(ctx, f"evaluate {number} purple").error, "a word that is no evaluation is said to be so"


def test_resume_with_only_the_entry_opens_it_prefilled_and_typed_values_still_resume_at_once(ctx, workspace):
    number = entry(ctx, workspace, "Draft of the call", postpone=True)
    assert run(ctx, f"resume {number}").modal == Modal("resume_interaction", {"entry_no": str(number)})
    form = ROUTER.form("resume_interaction", ctx, {"entry_no": str(number)})
    shown = values(form)
    assert (shown["entry_no"], shown["template"], shown["description"], shown["cost"]) == (
        str(number),
        "PHONE",
        "Draft of the call",
        "2.50",
    )
    assert fields(form)["entry_no"].dispatch and fields(form)["template"].dispatch
    assert bad("resume_interaction", ctx, shown | {"cost": "-1", "date": "someday"}) == {"cost", "date"}
    assert bad("resume_interaction", ctx, shown | {"template": "NOPE"}) == {"template"}
    assert run(ctx, f"resume {number} Finished it").text.startswith("Resumed")


def test_choosing_another_template_in_the_resume_form_prefills_its_defaults(ctx, workspace):
    number = entry(ctx, workspace, "Draft", postpone=True)
    shown = values(ROUTER.form("resume_interaction", ctx, {"entry_no": str(number)}))
    moved = values(
        ROUTER.form(
            "resume_interaction",
            ctx,
            shown | {"template": "MEETING", "previous_template": "PHONE", "previous_entry_no": str(number)},
        )
    )
    assert (moved["template"], moved["duration"], moved["cost"]) == ("MEETING", "60", "0.00")


def test_resume_keeps_a_failed_attempt_unless_the_form_says_otherwise(ctx, workspace, sessions):
    number = entry(ctx, workspace, "No answer", postpone=True)
    shown = values(ROUTER.form("resume_interaction", ctx, {"entry_no": str(number)}))
    ROUTER.submit("resume_interaction", ctx, shown | {"failed": "yes", "evaluation": ""})
    with sessions() as session:
        resumed = get_entry(session, ctx.team_id, number)
        assert resumed.attempt_failed and not resumed.postponed and resumed.evaluation == ""


def test_resume_alone_offers_the_postponed_interactions_and_refuses_when_there_are_none(ctx, workspace):
    assert run(ctx, "resume").text == "There are no postponed interactions to resume."
    number = entry(ctx, workspace, "Waiting", postpone=True)
    form = ROUTER.form("resume_interaction", ctx, {})
    assert dict(fields(form)["entry_no"].options)[str(number)].startswith(f"{number} · John Smith · PHONE")
    done = entry(ctx, workspace, "Done already")
    assert "is not postponed" in run(ctx, f"resume {done}").text


@pytest.mark.parametrize(
    ("command", "kind", "taken"),
    [("segment add", "add_segment", "NEWSLETTER"), ("group add", "add_group", "CALLS")],
)
def test_code_forms_are_bounded_and_a_code_in_use_is_refused_on_the_code(
    ctx, workspace, command, kind, taken
):
    assert run(ctx, command).modal == Modal(kind, {})
    assert run(ctx, f"{command} spring").modal is None, "a code alone is enough"
    form = ROUTER.form(kind, ctx, {"code": "autumn", "description": "Autumn"})
    assert values(form) == {"code": "AUTUMN", "description": "Autumn"}
    assert (fields(form)["code"].max_length, fields(form)["description"].max_length) == (20, 100)
    assert bad(kind, ctx, {"code": taken}) == {"code"}
    assert bad(kind, ctx, {"code": "", "description": "d" * 101}) == {"code", "description"}


def test_template_add_without_a_group_opens_the_form_with_the_groups(ctx, workspace, sessions):
    reply = run(ctx, "template add VISIT On-site visit")
    assert reply.modal == Modal("add_template", {"code": "VISIT", "description": "On-site visit"})
    form = ROUTER.form("add_template", ctx, reply.modal.values)
    assert [code for code, _ in fields(form)["group"].options] == ["CALLS", "LETTERS"]
    assert values(form)["type"] == "email" and fields(form)["language"].max_length == 10
    given = {"code": "VISIT", "group": "", "cost": "-1", "duration": "1.5", "flow": "sideways"}
    assert bad("add_template", ctx, given) == {"group", "cost", "duration", "flow"}
    assert bad("add_template", ctx, {"code": "PHONE", "group": "CALLS"}) == {"code"}
    assert bad("add_template", ctx, {"code": "VISIT", "group": "NOPE"}) == {"group"}
    made = ROUTER.submit("add_template", ctx, {"code": "VISIT", "group": "CALLS", "cost": "12,5"})
    assert made.text == "Interaction template VISIT created in group CALLS."
    with sessions() as session:
        assert get_template(session, ctx.team_id, "VISIT").unit_cost == Decimal("12.50")
    typed = run(ctx, "template add LUNCH Business lunch group=CALLS cost=30")
    assert typed.text == "Interaction template LUNCH created in group CALLS."


def test_template_add_needs_a_group_to_put_it_in(sessions, team):
    lonely = Context(sessions, team, "U1", is_admin=True)
    assert "no interaction groups yet" in run(lonely, "template add").text


def test_the_interaction_and_task_forms_bound_their_descriptions(ctx, workspace):
    for kind in ("create_interaction", "add_task"):
        assert fields(ROUTER.form(kind, ctx, {}))["description"].max_length == 100
    assert "no interaction templates yet" in run(Context(ctx.sessions, "T0EMPTY", "U1"), "log").text


def test_log_segment_without_its_template_opens_a_form_of_selects(ctx, workspace):
    assert run(ctx, "log segment=newsletter").modal == Modal("log_segment", {"segment": "newsletter"})
    form = ROUTER.form("log_segment", ctx, {"segment": "newsletter"})
    segment, template = fields(form)["segment"], fields(form)["template"]
    assert (segment.kind, segment.value, template.kind) == ("select", "NEWSLETTER", "select")
    assert dict(segment.options)["NEWSLETTER"] == "NEWSLETTER · Autumn newsletter (3 contacts)"
    assert [code for code, _ in template.options] == ["LETTER", "MEETING", "PHONE"]
    assert bad("log_segment", ctx, {"segment": "NEWSLETTER", "template": ""}) == {"template"}
    done = ROUTER.submit("log_segment", ctx, {"segment": "NEWSLETTER", "template": "LETTER"})
    assert done.text.startswith("Segment NEWSLETTER logged: 3 interaction log entries")
    assert bad("log_segment", ctx, {"segment": "NEWSLETTER", "template": "LETTER"}) == {"segment"}
    assert (
        run(ctx, "log segment=NEWSLETTER").text == "Segment NEWSLETTER was logged already (logged segment 1)."
    )
    assert run(ctx, "log segment=NOPE").text.startswith("Segment NOPE does not exist.")
