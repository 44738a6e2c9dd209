"""Tell Me reads segment criteria from sentences in English and Spanish, into the command of the step
(Add, Reduce or Refine Contacts), which then runs under the step's own policy: above the preview size it
asks first; without a segment its form opens with the criteria filled in."""

from datetime import UTC, date, datetime

import pytest

from commands.context import Context
from commands.router import ROUTER
from commands.tellme import decide, search
from store.segments import add_segment
from tests.helpers import add_companies, clicked

TODAY = date(2026, 11, 24)


@pytest.fixture
def segments(sessions, crowd):
    with sessions.begin() as s:
        add_segment(s, crowd.team, "SM00003", "Key accounts")
        add_segment(s, crowd.team, "NEWSLETTER", "Spring newsletter")
    return crowd


@pytest.fixture
def seller(sessions, segments) -> Context:
    return Context(sessions, segments.team, "U2", fixed_now=datetime(2026, 11, 24, 10, tzinfo=UTC))


def read(sessions, crowd, sentence: str):
    with sessions() as s:
        return search(sentence, ROUTER.ranker, session=s, team_id=crowd.team, today=TODAY)


@pytest.mark.parametrize(
    ("sentence", "command"),
    [
        ("add all Spanish companies to SM00003", "segment SM00003 add where type=company country=ES"),
        (
            "quita de SM00003 los que ya tuvieron una visita este mes",
            "segment SM00003 reduce where had=VISIT from=2026-11-01 to=2026-11-30",
        ),
        ("add the people in Madrid to NEWSLETTER", "segment NEWSLETTER add where type=person city=Madrid"),
        (
            "remove from SM00003 everyone who had a meeting last week",
            "segment SM00003 reduce where had=MEETINGS from=2026-11-16 to=2026-11-22",
        ),
        ("añade a SM00003 las empresas de Alemania", "segment SM00003 add where type=company country=DE"),
        ("add Portuguese companies to SM00003", "segment SM00003 add where type=company country=PT"),
        (
            "deja en SM00003 solo las personas de Sevilla",
            "segment SM00003 refine where type=person city=Sevilla",
        ),
        ("remove from SM00003 those who never had a visit", "segment SM00003 reduce where not-had=VISIT"),
        (
            "añade al segmento NEWSLETTER los contactos españoles que no tuvieron visita",
            "segment NEWSLETTER add where country=ES not-had=VISIT",
        ),
    ],
)
def test_criteria_are_read_into_the_steps_command(sessions, segments, sentence, command):
    found = read(sessions, segments, sentence)
    assert decide(found).kind == "run", [(m.action.id, m.score) for m in found]
    assert found[0].command_text() == command


@pytest.mark.parametrize(
    ("sentence", "action"),
    [
        ("add Maria Lopez to SM00003", "add_contacts_to_segment"),
        ("show entries from last week", "log_entries"),
        ("log a visit with Maria Lopez", "create_interaction"),
    ],
)
def test_sentences_without_criteria_are_read_as_before(sessions, segments, sentence, action):
    best = read(sessions, segments, sentence)[0]
    assert best.action.id == action and "criteria" not in best.args


def test_a_read_step_runs_as_typed(sessions, segments, seller):
    done = ROUTER.run(seller, "add all Spanish companies to SM00003")
    assert done.text == (
        "Understood: Add Contacts. Segment SM00003: 2 contacts added to it (step 1); 2 contacts on it now."
    )
    again = ROUTER.run(seller, "quita de SM00003 las empresas de Sevilla")
    assert "Understood: Reduce Contacts. Segment SM00003: 1 contact removed" in again.text


def test_a_large_step_read_by_tell_me_asks_first(sessions, segments, seller):
    add_companies(sessions, segments.team, 400)
    question = ROUTER.run(seller, "add all Spanish companies to SM00003")
    assert question.text == "Understood: Add Contacts. Add 402 contacts to segment SM00003?"
    go = question.buttons[0]
    assert go.command == "segment SM00003 add where type=company country=ES confirmed"
    assert "402 contacts added" in ROUTER.run(clicked(seller), go.command).text


def test_without_a_segment_the_form_opens_with_the_criteria(sessions, segments, seller):
    reply = ROUTER.run(seller, "add the Spanish companies to a segment")
    assert reply.modal is not None and reply.modal.kind == "add_contacts_by_criteria"
    form = ROUTER.form(reply.modal.kind, seller, dict(reply.modal.values))
    values = {f.name: f.value for f in form.fields}
    assert (values["segment"], values["type"], values["country"]) == ("", "company", "ES")
    assert form.note == "2 contacts match. Choose a segment."


def test_typed_criteria_take_country_names(sessions, segments, seller):
    reply = ROUTER.run(seller, "segment SM00003 add where country=España type=empresa")
    assert "2 contacts added" in reply.text
    assert ROUTER.run(seller, "segment SM00003 steps").table.rows[0][2] == "country=ES type=company"
