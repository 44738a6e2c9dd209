"""Building a segment step by step on the known crowd of tests/conftest.py: exact contacts for each step
kind and option, Go Back across mixed steps, saved criteria, follow-up segments, and refusals that change
nothing."""

import uuid
from datetime import date

import pytest
from sqlalchemy import select, update

from store.contacts import NewContact, add_contact
from store.enums import Evaluation
from store.errors import Conflict, DomainError, Invalid, NotFound
from store.interactions import evaluate
from store.models import InteractionLogEntry, SegmentLine
from store.saved_criteria import reuse_criteria, save_criteria
from store.segment_criteria import Criteria, History
from store.segment_models import SegmentStep
from store.segment_steps import StepKind, create_follow_up, go_back, list_steps, preview_step, run_step
from store.segments import add_segment, log_segment
from store.templates import TemplateDefaults, add_group, add_template

SPAIN = (("country", "ES"),)
COMPANIES = (("type", "company"),)


def step(session, crowd, kind, criteria, code="TARGET", **options):
    return run_step(session, crowd.team, "U1", code, kind, criteria, **options)


def lines(session, crowd, code="TARGET") -> list[tuple[int, str]]:
    query = (
        select(SegmentLine.line_no, SegmentLine.contact_no)
        .where(SegmentLine.team_id == crowd.team, SegmentLine.segment_no == code)
        .order_by(SegmentLine.line_no)
    )
    return [(line_no, contact_no) for line_no, contact_no in session.execute(query)]


def on_segment(session, crowd, code="TARGET") -> set[str]:
    return crowd.names(no for _, no in lines(session, crowd, code))


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        (Criteria(fields=SPAIN), {"Iberia Foods", "Maria Lopez", "Jose Ruiz", "Sevilla Tech", "Lucia Gomez"}),
        (Criteria(fields=SPAIN + COMPANIES), {"Iberia Foods", "Sevilla Tech"}),
        (Criteria(fields=(("type", "person"), ("city", "madrid"))), {"Maria Lopez", "Jose Ruiz"}),
        (Criteria(fields=(("company", "Iberia Foods"),)), {"Iberia Foods", "Maria Lopez", "Jose Ruiz"}),
        (Criteria(fields=(("name", "LOPEZ"),)), {"Maria Lopez"}),
        (Criteria(fields=(("email", ".example"),)), {"Maria Lopez", "Berlin GmbH"}),
        (Criteria(fields=(("phone", "5"),)), set()),
        (Criteria(fields=(("post_code", "41001"),)), {"Sevilla Tech", "Lucia Gomez"}),
        (Criteria(fields=(("language", "esp"),)), {"Iberia Foods"}),
        (Criteria(fields=(("salesperson", "ana"),)), {"Iberia Foods"}),
        (Criteria(fields=(("correspondence_type", "email"),)), {"Berlin GmbH"}),
        # Jose's visit is canceled: it does not count.
        (Criteria(history=(History("VISIT"),)), {"Maria Lopez", "Sevilla Tech"}),
        (Criteria(history=(History("MEETINGS"),)), {"Maria Lopez", "Sevilla Tech"}),
        (Criteria(history=(History("VISIT", date_from=date(2026, 1, 1)),)), {"Maria Lopez"}),
        (Criteria(history=(History("VISIT", date_to=date(2025, 12, 31)),)), {"Sevilla Tech"}),
        (Criteria(history=(History("VISIT", evaluation="positive"),)), {"Maria Lopez"}),
        (Criteria(history=(History("PHONE", failed=True),)), {"Joao Silva"}),
        (Criteria(history=(History("LETTERS", evaluation="negative"),)), {"Berlin GmbH"}),
        (
            Criteria(fields=SPAIN, history=(History("VISIT", had=False),)),
            {"Iberia Foods", "Jose Ruiz", "Lucia Gomez"},
        ),
        (
            Criteria(fields=SPAIN + COMPANIES, history=(History("VISIT", date_from=date(2025, 1, 1)),)),
            {"Sevilla Tech"},
        ),
    ],
)
def test_add_takes_the_contacts_matching_every_criterion(session, crowd, criteria, expected):
    assert preview_step(session, crowd.team, "TARGET", StepKind.ADD, criteria) == len(expected)
    if not expected:
        with pytest.raises(Invalid, match="No contacts match"):
            step(session, crowd, StepKind.ADD, criteria)
        return
    done = step(session, crowd, StepKind.ADD, criteria)
    assert (done.step_no, done.added, done.removed) == (1, len(expected), 0)
    assert on_segment(session, crowd) == expected


def test_add_with_people_takes_the_companies_people_too(session, crowd):
    criteria = Criteria(fields=SPAIN + COMPANIES)
    assert preview_step(session, crowd.team, "TARGET", StepKind.ADD, criteria, people=True) == 5
    step(session, crowd, StepKind.ADD, criteria, people=True)
    assert on_segment(session, crowd) == {
        "Iberia Foods",
        "Maria Lopez",
        "Jose Ruiz",
        "Sevilla Tech",
        "Lucia Gomez",
    }
    assert list_steps(session, crowd.team, "TARGET")[0].people


def test_add_skips_contacts_on_the_segment_unless_duplicates_are_allowed(session, crowd):
    step(session, crowd, StepKind.ADD, Criteria(fields=SPAIN))
    assert step(session, crowd, StepKind.ADD, Criteria(fields=COMPANIES)).added == 2  # Lisboa, Berlin
    assert preview_step(session, crowd.team, "TARGET", StepKind.ADD, Criteria(fields=COMPANIES)) == 0
    with pytest.raises(Invalid, match="not on segment TARGET already"):
        step(session, crowd, StepKind.ADD, Criteria(fields=COMPANIES))
    assert step(session, crowd, StepKind.ADD, Criteria(fields=COMPANIES), duplicates=True).added == 4
    assert len(lines(session, crowd)) == 11
    log_segment(session, crowd.team, "U1", "TARGET", "LETTER")
    logged = select(InteractionLogEntry.contact_no).where(
        InteractionLogEntry.team_id == crowd.team, InteractionLogEntry.segment_no == "TARGET"
    )
    assert len(session.scalars(logged).all()) == 11, "one entry per line, duplicates included"


def test_new_lines_are_numbered_after_the_last_in_contact_order(session, crowd):
    step(session, crowd, StepKind.ADD, Criteria(fields=COMPANIES))
    step(session, crowd, StepKind.ADD, Criteria(fields=(("type", "person"),)))
    numbered = lines(session, crowd)
    assert [line_no for line_no, _ in numbered] == [10000 * n for n in range(1, 10)]
    assert [no for _, no in numbered[:4]] == sorted(no for _, no in numbered[:4])


def test_reduce_takes_off_the_matching_lines_and_refine_keeps_only_them(session, crowd):
    step(session, crowd, StepKind.ADD, Criteria(fields=SPAIN))
    reduced = step(session, crowd, StepKind.REDUCE, Criteria(history=(History("VISIT"),)))
    assert (reduced.added, reduced.removed) == (0, 2)
    assert on_segment(session, crowd) == {"Iberia Foods", "Jose Ruiz", "Lucia Gomez"}
    refined = step(session, crowd, StepKind.REFINE, Criteria(fields=(("type", "person"),)))
    assert refined.removed == 1
    assert on_segment(session, crowd) == {"Jose Ruiz", "Lucia Gomez"}


def test_reduce_with_people_takes_off_the_companies_people(session, crowd):
    step(session, crowd, StepKind.ADD, Criteria(fields=SPAIN))
    step(session, crowd, StepKind.REDUCE, Criteria(fields=(("city", "Madrid"), *COMPANIES)), people=True)
    assert on_segment(session, crowd) == {"Sevilla Tech", "Lucia Gomez"}


def test_remove_takes_the_named_contacts_off(session, crowd):
    step(session, crowd, StepKind.ADD, Criteria(fields=SPAIN))
    removed = step(session, crowd, StepKind.REMOVE, Criteria(contacts=("Jose Ruiz", crowd.no["Maria Lopez"])))
    assert removed.removed == 2
    assert on_segment(session, crowd) == {"Iberia Foods", "Sevilla Tech", "Lucia Gomez"}
    with pytest.raises(Invalid, match="not on segment TARGET"):
        step(session, crowd, StepKind.REMOVE, Criteria(contacts=("Jose Ruiz",)))


def test_go_back_undoes_mixed_steps_one_by_one(session, crowd):
    seen = [lines(session, crowd)]
    for kind, criteria, options in (
        (StepKind.ADD, Criteria(fields=SPAIN), {}),
        (StepKind.ADD, Criteria(fields=(("country", "DE"), *COMPANIES)), {"people": True}),
        (StepKind.REDUCE, Criteria(history=(History("VISIT"),)), {}),
        (StepKind.ADD, Criteria(fields=COMPANIES), {"duplicates": True}),
        (StepKind.REFINE, Criteria(fields=COMPANIES), {}),
        (StepKind.REMOVE, Criteria(contacts=("Berlin GmbH",)), {}),
    ):
        step(session, crowd, kind, criteria, **options)
        seen.append(lines(session, crowd))
    assert [s.kind for s in list_steps(session, crowd.team, "TARGET")] == [
        "add",
        "add",
        "reduce",
        "add",
        "refine",
        "remove",
    ]
    for expected in reversed(seen[:-1]):
        go_back(session, crowd.team, "TARGET")
        assert lines(session, crowd) == expected, "each line back with its own number"
    assert list_steps(session, crowd.team, "TARGET") == []
    with pytest.raises(Invalid, match="no steps to go back on"):
        go_back(session, crowd.team, "TARGET")


def test_a_step_that_changes_nothing_or_names_what_is_not_there_changes_nothing(sessions, crowd):
    with sessions.begin() as s:
        step(s, crowd, StepKind.ADD, Criteria(fields=SPAIN))
    refusals = [
        (StepKind.REDUCE, Criteria(fields=(("country", "PT"),)), Invalid, "No contact on segment TARGET"),
        (StepKind.REFINE, Criteria(fields=SPAIN), Invalid, "Every contact on segment TARGET matches"),
        (StepKind.ADD, Criteria(history=(History("NOPE"),)), NotFound, "NOPE is neither"),
        (StepKind.ADD, Criteria(fields=(("colour", "red"),)), Invalid, "Unknown criterion colour="),
        (StepKind.ADD, Criteria(fields=(("company", "Maria Lopez"),)), Invalid, "is a person"),
        (StepKind.REFINE, Criteria(), Invalid, "Give the criteria"),
    ]
    for kind, criteria, error, message in refusals:
        with pytest.raises(error, match=message), sessions.begin() as s:
            step(s, crowd, kind, criteria)
    with sessions() as s:
        assert len(lines(s, crowd)) == 5
        assert [x.step_no for x in list_steps(s, crowd.team, "TARGET")] == [1]


def test_steps_on_a_logged_segment_are_refused(session, crowd):
    step(session, crowd, StepKind.ADD, Criteria(fields=SPAIN))
    log_segment(session, crowd.team, "U1", "TARGET", "LETTER")
    for kind in StepKind:
        with pytest.raises(Conflict, match="frozen"):
            step(session, crowd, kind, Criteria(fields=SPAIN))
    with pytest.raises(Conflict, match="frozen"):
        go_back(session, crowd.team, "TARGET")
    assert len(lines(session, crowd)) == 5


def test_saved_criteria_are_reused_on_another_segment(session, crowd):
    step(session, crowd, StepKind.ADD, Criteria(fields=SPAIN), people=True)
    step(session, crowd, StepKind.REDUCE, Criteria(history=(History("VISIT", date_from=date(2026, 1, 1)),)))
    step(session, crowd, StepKind.REMOVE, Criteria(contacts=("Lucia Gomez",)))
    saved = save_criteria(session, crowd.team, "U1", "TARGET", "spain-novisit")
    assert saved.name == "SPAIN-NOVISIT"
    with pytest.raises(Conflict, match="exist already"):
        save_criteria(session, crowd.team, "U1", "TARGET", "SPAIN-NOVISIT")
    add_segment(session, crowd.team, "AGAIN", "Same again")
    taken = reuse_criteria(session, crowd.team, "U1", "AGAIN", "spain-novisit")
    assert [(s.kind, s.people, s.added, s.removed) for s in taken] == [
        ("add", True, 5, 0),
        ("reduce", False, 0, 1),
        ("remove", False, 0, 1),
    ]
    assert (
        on_segment(session, crowd, "AGAIN")
        == on_segment(session, crowd)
        == {
            "Iberia Foods",
            "Jose Ruiz",
            "Sevilla Tech",
        }
    )
    with pytest.raises(NotFound, match="Known saved criterias: SPAIN-NOVISIT"):
        reuse_criteria(session, crowd.team, "U1", "AGAIN", "nothing")


def test_follow_up_segments_take_the_logged_entries_by_evaluation_and_failed_attempts(session, crowd):
    step(session, crowd, StepKind.ADD, Criteria(fields=SPAIN))
    logged = log_segment(session, crowd.team, "U1", "TARGET", "PHONE")
    entries = {
        crowd.names([e.contact_no]).pop(): e
        for e in session.scalars(
            select(InteractionLogEntry).where(
                InteractionLogEntry.team_id == crowd.team,
                InteractionLogEntry.logged_segment_entry_no == logged.entry_no,
            )
        )
    }
    evaluate(
        session,
        crowd.team,
        [entries["Maria Lopez"].entry_no, entries["Lucia Gomez"].entry_no],
        Evaluation.POSITIVE,
    )
    session.execute(
        update(InteractionLogEntry)
        .where(
            InteractionLogEntry.team_id == crowd.team,
            InteractionLogEntry.entry_no.in_(
                [entries["Jose Ruiz"].entry_no, entries["Iberia Foods"].entry_no]
            ),
        )
        .values(attempt_failed=True)
    )
    entries["Sevilla Tech"].canceled = True
    session.flush()

    everyone, first = create_follow_up(session, crowd.team, "U1", logged.entry_no)
    assert (everyone.no, everyone.description, first.added) == ("SM00001", "Follow-up on segment TARGET", 4)
    positive, _ = create_follow_up(session, crowd.team, "U1", logged.entry_no, evaluation="positive")
    failed, _ = create_follow_up(session, crowd.team, "U1", logged.entry_no, failed=True)
    reached, _ = create_follow_up(session, crowd.team, "U1", logged.entry_no, failed=False)
    assert on_segment(session, crowd, everyone.no) == {
        "Iberia Foods",
        "Maria Lopez",
        "Jose Ruiz",
        "Lucia Gomez",
    }
    assert on_segment(session, crowd, positive.no) == {"Maria Lopez", "Lucia Gomez"}
    assert on_segment(session, crowd, failed.no) == {"Iberia Foods", "Jose Ruiz"}
    assert on_segment(session, crowd, reached.no) == {"Maria Lopez", "Lucia Gomez"}
    with pytest.raises(Invalid, match=r"no entries .* with evaluation=negative"):
        create_follow_up(session, crowd.team, "U1", logged.entry_no, evaluation="negative")
    with pytest.raises(NotFound, match="Logged segment 99"):
        create_follow_up(session, crowd.team, "U1", 99)


def test_another_workspace_sees_none_of_it(sessions, crowd):
    other = "T" + uuid.uuid4().hex[:12].upper()
    with sessions.begin() as s:
        add_group(s, other, "MEETINGS", "Meetings")
        add_template(s, other, "ONLYTHERE", "MEETINGS", TemplateDefaults("Theirs"))
        add_contact(s, other, NewContact("Madrid Partners", country="ES"))
        add_segment(s, other, "THEIRS", "Theirs")
        step(s, crowd, StepKind.ADD, Criteria(fields=SPAIN))
        save_criteria(s, crowd.team, "U1", "TARGET", "MINE")
        logged = log_segment(s, crowd.team, "U1", "TARGET", "LETTER")
    jose = crowd.no["Jose Ruiz"]
    attempts = [
        lambda s: step(s, crowd, StepKind.ADD, Criteria(history=(History("ONLYTHERE"),))),
        lambda s: run_step(s, other, "U1", "TARGET", StepKind.ADD, Criteria(fields=SPAIN)),
        lambda s: go_back(s, other, "TARGET"),
        lambda s: list_steps(s, other, "TARGET"),
        lambda s: reuse_criteria(s, other, "U1", "THEIRS", "MINE"),
        lambda s: create_follow_up(s, other, "U1", logged.entry_no),
        lambda s: run_step(s, other, "U1", "THEIRS", StepKind.ADD, Criteria(history=(History("VISIT"),))),
        lambda s: run_step(s, other, "U1", "THEIRS", StepKind.ADD, Criteria(contacts=(jose,))),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError), sessions.begin() as s:
            attempt(s)
    with sessions.begin() as s:
        assert len(lines(s, crowd)) == 5
        assert s.scalar(select(SegmentStep.step_no).where(SegmentStep.team_id == other)) is None
        done = run_step(s, other, "U1", "THEIRS", StepKind.ADD, Criteria(fields=SPAIN))
        assert done is not None and done.added == 1, "only their own Spanish contact"
