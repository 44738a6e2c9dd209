"""The form of a segment step: opened by `segment <code> add|reduce|refine` without criteria, its choices
taken from the workspace, a live count under the fields, field-by-field refusals, and a submission that
runs the same step as the typed command (asking first above the preview size)."""

import pytest

from commands.forms import SELECT_LIMIT, Form, FormErrors, options
from commands.router import ROUTER, run
from store.segments import add_segment
from tests.helpers import add_companies, clicked
from tests.helpers import on_segment as segment_names

ADD, REDUCE, REFINE = "add_contacts_by_criteria", "reduce_contacts", "refine_contacts"


def on_segment(sessions, crowd, code="TARGET") -> set[str]:
    return segment_names(sessions, crowd.team, code)


def fields(form: Form) -> dict[str, object]:
    return {f.name: f for f in form.fields}


@pytest.mark.parametrize(
    ("typed", "kind", "values"),
    [
        ("segment TARGET add", ADD, {"segment": "TARGET"}),
        ("segment target reduce", REDUCE, {"segment": "target"}),
        ("segment TARGET refine", REFINE, {"segment": "TARGET"}),
        ("segment TARGET add where", ADD, {"segment": "TARGET"}),
        ("segment TARGET add people=yes", ADD, {"segment": "TARGET", "people": "yes"}),
    ],
)
def test_a_step_without_criteria_opens_its_form(seller, typed, kind, values):
    reply = run(seller, typed)
    assert not reply.error, reply.text
    assert reply.modal is not None and (reply.modal.kind, reply.modal.values) == (kind, values)


def test_naming_contacts_still_adds_them_and_other_words_still_refuse(crowd, sessions, seller):
    assert "added Maria Lopez" in run(seller, "segment TARGET add Maria Lopez").text
    removing = run(seller, "segment TARGET remove")
    assert removing.modal is not None and removing.modal.kind == "remove_contacts", "its form asks which"
    assert run(seller, "segment TARGET frobnicate").error
    assert run(seller, "segment").modal is None, "the segment list, not a step's form"


def test_the_form_offers_what_the_workspace_has(crowd, seller):
    form = ROUTER.form(ADD, seller, {"segment": "target"})
    assert (form.kind, form.title, form.submit) == (ADD, "Add Contacts", "Add")
    found = fields(form)
    assert (
        found["segment"].value == "TARGET"
        and ("TARGET", "TARGET · Built from criteria") in found["segment"].options
    )
    assert found["country"].options == (
        ("", "Any"),
        ("DE", "DE · Germany"),
        ("ES", "ES · Spain"),
        ("PT", "PT · Portugal"),
    )
    assert [v for v, _ in found["city"].options] == ["", "Berlin", "Lisboa", "Madrid", "Sevilla"]
    assert [label for _, label in found["company"].options] == [
        "Any",
        f"Iberia Foods ({crowd.no['Iberia Foods']})",
        f"Lisboa Lda ({crowd.no['Lisboa Lda']})",
        f"Sevilla Tech ({crowd.no['Sevilla Tech']})",
        f"Berlin GmbH ({crowd.no['Berlin GmbH']})",
    ]
    codes = dict(found["code"].options)
    assert codes["VISIT"] == "VISIT · Visit (template)" and codes["MEETINGS"] == "MEETINGS · Meetings (group)"
    assert "duplicates" in found and all(f.dispatch for f in form.fields), "every change re-counts"
    assert "duplicates" not in fields(ROUTER.form(REDUCE, seller, {"segment": "TARGET"}))
    assert form.note == "Segment TARGET has 0 contacts. Choose at least one criterion."


@pytest.mark.parametrize(
    ("kind", "values", "note"),
    [
        (
            ADD,
            {"country": "ES", "type": "company"},
            "2 contacts match; adding puts 2 contacts on TARGET (0 on it now).",
        ),
        (
            ADD,
            {"country": "ES", "type": "company", "people": "yes"},
            "5 contacts match; adding puts 5 contacts on TARGET (0 on it now).",
        ),
        (
            ADD,
            {"code": "VISIT", "from": "2026-01-01"},
            "1 contact matches; adding puts 1 contact on TARGET (0 on it now).",
        ),
        (
            ADD,
            {"code": "VISIT", "history": "not_had", "country": "ES"},
            "3 contacts match; adding puts 3 contacts on TARGET (0 on it now).",
        ),
        (REDUCE, {"code": "VISIT"}, "2 contacts match; reducing takes 0 contacts off TARGET (0 on it now)."),
        (
            ADD,
            {"from": "2026-01-01"},
            "Choose the template or group that from, to, evaluation and attempt are about.",
        ),
        (
            ADD,
            {"code": "VISIT", "from": "2026-02-01", "to": "2026-01-01"},
            "from=2026-02-01 is after to=2026-01-01.",
        ),
        (ADD, {"company": "Maria Lopez"}, "Maria Lopez"),
        (ADD, {"segment": "NOPE", "country": "ES"}, "Segment NOPE does not exist."),
    ],
)
def test_the_note_counts_as_the_criteria_change(seller, kind, values, note):
    form = ROUTER.form(kind, seller, {"segment": "TARGET"} | values)
    assert note in form.note


def test_refine_says_what_it_keeps(crowd, sessions, seller):
    run(seller, "segment TARGET add where country=ES")
    form = ROUTER.form(REFINE, seller, {"segment": "TARGET", "type": "company"})
    assert form.note == "4 contacts match; refining keeps 2 and takes 3 contacts off TARGET (5 on it now)."


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"segment": ""}, {"segment": "Choose a segment.", "type": "Choose at least one criterion."}),
        ({}, {"type": "Choose at least one criterion."}),
        ({"from": "2026-01-01"}, {"code": "Choose the template or group"}),
        ({"code": "VISIT", "from": "someday"}, {"from": "“someday” is not a date I understand"}),
        ({"code": "VISIT", "from": "2026-02-01", "to": "2026-01-01"}, {"to": "from=2026-02-01 is after"}),
        (
            {"code": "NOPE"},
            {"code": "NOPE is neither an interaction template nor an interaction group here."},
        ),
        ({"company": "Maria Lopez"}, {"company": "is a person, not a company."}),
        ({"type": "robot"}, {"type": "type= takes company|person."}),
        ({"code": "VISIT", "evaluation": "superb"}, {"evaluation": "evaluation= takes"}),
    ],
)
def test_a_submission_is_refused_on_the_field_that_is_off(crowd, sessions, seller, values, errors):
    with pytest.raises(FormErrors) as refused:
        ROUTER.submit(ADD, seller, {"segment": "TARGET"} | values)
    assert set(refused.value.errors) == set(errors)
    for name, message in errors.items():
        assert message in refused.value.errors[name]
    assert on_segment(sessions, crowd) == set()


def test_a_submission_runs_the_step_as_typed(crowd, sessions, seller):
    done = ROUTER.submit(
        ADD, seller, {"segment": "TARGET", "country": "ES", "type": "company", "people": "yes"}
    )
    assert done.text == "Segment TARGET: 5 contacts added to it (step 1); 5 contacts on it now."
    reduced = ROUTER.submit(REDUCE, seller, {"segment": "TARGET", "code": "VISIT", "history": "had"})
    assert reduced.text == "Segment TARGET: 2 contacts removed from it (step 2); 3 contacts on it now."
    assert run(seller, "segment TARGET steps").table.rows == (
        ("1", "add +people", "type=company country=ES", "+5"),
        ("2", "reduce", "had=VISIT", "-2"),
    )
    with pytest.raises(FormErrors) as refused:
        ROUTER.submit(ADD, seller, {"segment": "TARGET", "country": "FR"})
    assert list(refused.value.errors) == ["segment"]
    assert "No contacts match country=FR" in refused.value.errors["segment"]


def test_a_large_step_from_the_form_asks_first(crowd, sessions, seller):
    add_companies(sessions, crowd.team, 400)
    question = ROUTER.submit(ADD, seller, {"segment": "TARGET", "country": "ES", "type": "company"})
    assert question.text == "Add 402 contacts to segment TARGET?"
    assert on_segment(sessions, crowd) == set(), "the question changes nothing"
    go = question.buttons[0]
    assert go.command == "segment TARGET add where type=company country=ES confirmed"
    assert "402 contacts added" in run(clicked(seller), go.command).text


def test_many_segments_are_searched_as_the_user_types(sessions, crowd, seller):
    with sessions.begin() as s:
        for n in range(SELECT_LIMIT):
            add_segment(s, crowd.team, f"S{n:03d}", "Trade fair" if n == 42 else f"Mailing {n}")
    segment = fields(ROUTER.form(ADD, seller, {"segment": "TARGET"}))["segment"]
    assert (segment.kind, segment.value) == ("external_select", "TARGET")
    assert options(seller, "segment", "trade fair") == [("S042", "S042 · Trade fair")]
    assert options(seller, "segment", "target") == [("TARGET", "TARGET · Built from criteria")]
