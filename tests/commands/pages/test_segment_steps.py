"""Segment steps as users type them: criteria after `where`, the options, a large step previewed with a
button to go ahead, the steps listed and undone, saved criteria, follow-up segments, and the messages
that name what is wrong while nothing changes."""

from datetime import date

import pytest
from sqlalchemy import func, select

from commands.router import ROUTER, run
from commands.tellme import search
from store.enums import Evaluation
from store.interactions import evaluate
from store.models import InteractionLogEntry, SegmentLine
from store.segment_models import SegmentStep
from store.segments import segment_contacts
from tests.helpers import add_companies, clicked
from tests.helpers import on_segment as segment_names


def on_segment(sessions, crowd, code="TARGET") -> set[str]:
    return segment_names(sessions, crowd.team, code)


def steps_taken(sessions, crowd) -> int:
    with sessions() as s:
        query = select(func.count()).where(SegmentStep.team_id == crowd.team)
        return s.scalar(query) or 0


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("country=ES type=company", {"Iberia Foods", "Sevilla Tech"}),
        (
            "country=es type=empresa people",
            {"Iberia Foods", "Maria Lopez", "Jose Ruiz", "Sevilla Tech", "Lucia Gomez"},
        ),
        ("company=Iberia Foods type=person", {"Maria Lopez", "Jose Ruiz"}),
        ('name="Lopez" city=Madrid', {"Maria Lopez"}),
        ("post-code=41001 type=persona", {"Lucia Gomez"}),
        ("correspondence_type=e-mail", {"Berlin GmbH"}),
        ("country=ES type=company had=VISIT from=2025-01-01", {"Sevilla Tech"}),
        ("had=visit from=2026-01-01 to=2026-01-31 evaluation=positiva", {"Maria Lopez"}),
        ("had=PHONE failed=yes", {"Joao Silva"}),
        ("not-had=MEETINGS country=ES", {"Iberia Foods", "Jose Ruiz", "Lucia Gomez"}),
        ("had=LETTER evaluation=negative not-had=VISIT", {"Berlin GmbH"}),
    ],
)
def test_add_where_reads_the_criteria_as_typed(crowd, sessions, seller, words, expected):
    reply = run(seller, f"segment TARGET add where {words}")
    assert not reply.error, reply.text
    assert reply.text == (
        f"Segment TARGET: {len(expected)} contact{'s' if len(expected) > 1 else ''} added to it (step 1); "
        f"{len(expected)} contact{'s' if len(expected) > 1 else ''} on it now."
    )
    assert on_segment(sessions, crowd) == expected


def test_duplicates_puts_contacts_on_again(crowd, sessions, seller):
    run(seller, "segment TARGET add where country=ES")
    assert "2 contacts added" in run(seller, "segment TARGET add where type=company").text
    assert "4 contacts added" in run(seller, "segment TARGET add where type=company duplicates=yes").text
    with sessions() as s:
        assert len(segment_contacts(s, crowd.team, "TARGET")) == 11


def test_reduce_refine_remove_and_back_as_typed(crowd, sessions, seller):
    run(seller, "segment TARGET add where country=ES")
    reduced = run(seller, "segment TARGET reduce where had=VISIT")
    assert reduced.text == "Segment TARGET: 2 contacts removed from it (step 2); 3 contacts on it now."
    assert [b.command for b in reduced.buttons] == ["segment TARGET back", "segment TARGET steps"]
    assert "1 contact removed" in run(seller, "segment TARGET refine where type=person").text
    assert "1 contact removed" in run(seller, "segment TARGET remove Jose Ruiz").text
    assert on_segment(sessions, crowd) == {"Lucia Gomez"}
    listed = run(seller, "segment TARGET steps")
    assert listed.text == "Segment TARGET: 4 steps, 1 contact on it"
    assert listed.table.rows == (
        ("1", "add", "country=ES", "+5"),
        ("2", "reduce", "had=VISIT", "-2"),
        ("3", "refine", "type=person", "-1"),
        ("4", "remove", "Jose Ruiz", "-1"),
    )
    back = run(clicked(seller), "segment TARGET back")
    assert (
        back.text
        == "Segment TARGET: step 4 (remove Jose Ruiz) undone, 1 contact put back; 2 contacts on it now."
    )
    run(seller, "segment TARGET back")
    assert "step 2 (reduce had=VISIT) undone, 2 contacts put back" in run(seller, "segment TARGET back").text
    assert on_segment(sessions, crowd) == {
        "Iberia Foods",
        "Maria Lopez",
        "Jose Ruiz",
        "Sevilla Tech",
        "Lucia Gomez",
    }


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("add where colour=red", "Unknown criterion colour=. Criteria: name=, email=, phone=, company="),
        ("add where type=robot", "type= takes company|person."),
        ("add where country", "“country” is not a criterion; write field=value, such as country=ES."),
        ("add where from=2026-01-01 had=VISIT", "from= applies to the had= or not-had= before it"),
        ("add where had=VISIT from=someday soon", "“someday soon” is not a date I understand"),
        ("add where had=VISIT evaluation=great", "evaluation= takes"),
        ("add where had=VISIT failed=maybe", "failed= takes yes or no."),
        ("add where had=VISIT from=2026-02-01 to=2026-01-01", "from=2026-02-01 is after to=2026-01-01."),
        ("add where had=NOPE", "NOPE is neither an interaction template nor an interaction group here."),
        ("add where company=Nobody Known At All", "Nobody Known At All"),
        ("add where country=FR", "No contacts match country=FR that are not on segment TARGET already"),
        ("reduce where country=ES", "No contact on segment TARGET matches country=ES; nothing changed."),
        ("remove Maria Lopez", "Maria Lopez is not on segment TARGET; nothing changed."),
        ("back", "Segment TARGET has no steps to go back on."),
    ],
)
def test_bad_criteria_are_named_and_nothing_changes(crowd, sessions, seller, words, message):
    reply = run(seller, f"segment TARGET {words}")
    assert reply.error and message in reply.text, reply.text
    assert steps_taken(sessions, crowd) == 0 and on_segment(sessions, crowd) == set()


def test_a_logged_segment_is_frozen(crowd, sessions, seller):
    run(seller, "segment TARGET add where country=ES")
    run(seller, "log LETTER segment=TARGET")
    for words in ("add where type=company", "reduce where country=ES", "remove Maria Lopez", "back"):
        reply = run(seller, f"segment TARGET {words}")
        assert reply.error and "is logged, so its lines are frozen" in reply.text
    assert len(on_segment(sessions, crowd)) == 5


def test_a_large_step_shows_its_count_first_and_goes_ahead_on_its_button(crowd, sessions, seller):
    add_companies(sessions, crowd.team, 400)
    question = run(seller, "segment TARGET add where country=ES type=company")
    assert question.text == "Add 402 contacts to segment TARGET?"
    assert question.paragraphs == ("Criteria: country=ES type=company",)
    go, keep = question.buttons
    assert (go.label, go.style, keep.command) == ("Add", "primary", "keep")
    assert on_segment(sessions, crowd) == set(), "the question changes nothing"
    assert run(seller, go.command).text == question.text, "typed, the button's words ask again"
    done = run(clicked(seller), go.command)
    assert done.text == "Segment TARGET: 402 contacts added to it (step 1); 402 contacts on it now."
    assert done.replace_original
    shrink = run(seller, "segment TARGET refine where name=Iberia")
    assert shrink.text == "Remove 401 contacts from segment TARGET?"
    assert shrink.buttons[0].style == "danger"
    assert "1 contact on it now" in run(clicked(seller), shrink.buttons[0].command).text


def test_saved_criteria_build_another_segment_the_same_way(crowd, sessions, seller):
    run(seller, "segment TARGET add where country=ES people")
    run(seller, "segment TARGET reduce where had=VISIT from=2026-01-01")
    assert (
        run(seller, "segment TARGET save-criteria spain").text == "Criteria of segment TARGET saved as SPAIN."
    )
    run(seller, "segment add AGAIN Same again")
    reused = run(seller, "segment AGAIN reuse spain")
    assert reused.text == "Segment AGAIN: 2 steps of SPAIN taken; 4 contacts on it now."
    assert on_segment(sessions, crowd, "AGAIN") == on_segment(sessions, crowd)
    assert run(seller, "segment AGAIN steps").table.rows == (
        ("1", "add +people", "country=ES", "+5"),
        ("2", "reduce", "had=VISIT from=2026-01-01", "-1"),
    )
    assert "Saved criteria NOPE does not exist" in run(seller, "segment AGAIN reuse nope").text


def test_follow_up_segments_from_what_happened(crowd, sessions, seller):
    run(seller, "segment TARGET add where country=ES type=person")
    run(seller, "log PHONE segment=TARGET")
    with sessions.begin() as s:
        entries = s.scalars(
            select(InteractionLogEntry)
            .where(
                InteractionLogEntry.team_id == crowd.team, InteractionLogEntry.logged_segment_entry_no == 1
            )
            .order_by(InteractionLogEntry.entry_no)
        ).all()
        maria, jose, _lucia = entries
        evaluate(s, crowd.team, [maria.entry_no], Evaluation.POSITIVE)
        jose.attempt_failed = True
    made = run(seller, "segment follow-up 1 where evaluation=positive")
    assert made.text == "Segment SM00001 created (Follow-up on segment TARGET) with 1 contact."
    assert on_segment(sessions, crowd, "SM00001") == {"Maria Lopez"}
    assert "SM00002 created" in run(seller, "segment follow-up 1 failed=yes").text
    assert on_segment(sessions, crowd, "SM00002") == {"Jose Ruiz"}
    run(seller, "segment follow-up 1 where failed=no")
    assert on_segment(sessions, crowd, "SM00003") == {"Maria Lopez", "Lucia Gomez"}
    refused = run(seller, "segment follow-up 1 where evaluation=negative")
    assert refused.error and "has no entries (canceled ones aside) with evaluation=negative" in refused.text
    assert "not country=" in run(seller, "segment follow-up 1 where country=ES").text
    assert "Logged segment 7 does not exist" in run(seller, "segment follow-up 7").text
    with sessions() as s:
        assert s.scalar(select(func.count()).where(SegmentLine.team_id == crowd.team)) == 3 + 1 + 1 + 2


def test_tell_me_finds_the_steps_in_english_and_spanish(crowd, sessions):
    with sessions() as s:
        for query, expected in (
            ("add all Spanish companies to SM00003", "add_contacts_by_criteria"),
            ("quita de SM00003 los que ya tuvieron una visita este mes", "reduce_contacts"),
            ("refine contacts", "refine_contacts"),
            ("go back on segment", "segment_go_back"),
            ("guardar criterios", "save_segment_criteria"),
            ("crear segmento seguimiento", "create_follow_up_segment"),
        ):
            found = search(query, ROUTER.ranker, session=s, team_id=crowd.team, today=date(2026, 11, 24))
            assert found[0].action.id == expected, query
