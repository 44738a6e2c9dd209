from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from store.enums import CorrespondenceType, Evaluation, InformationFlow
from store.errors import Conflict, Invalid, NotFound
from store.interactions import (
    InteractionInput,
    add_comment,
    comments,
    create_interaction,
    delete_postponed,
    evaluate,
    get_entry,
    resume,
)
from store.models import InteractionLogEntry
from store.segments import log_segment

NOW = datetime(2026, 11, 24, 9, 30, 15, tzinfo=UTC)


def test_interaction_takes_its_defaults_from_the_template(session, team, workspace):
    entry = create_interaction(session, team, "U1", InteractionInput("john smith", "phone"), now=NOW)
    assert entry.entry_no == 1
    assert (entry.contact_no, entry.contact_company_no) == (workspace.john, workspace.adatum)
    assert (entry.group_code, entry.template_code, entry.description) == ("CALLS", "PHONE", "Phone call")
    assert (entry.cost, entry.duration) == (Decimal("2.50"), 10)
    assert (entry.information_flow, entry.initiated_by) == ("outbound", "us")
    assert (entry.date, entry.time_of_interaction) == (date(2026, 11, 24), time(9, 31))
    assert entry.user_id == entry.salesperson == "U1"
    assert not entry.attempt_failed and not entry.canceled and not entry.postponed


def test_defaults_can_be_overridden(session, team, workspace):
    given = InteractionInput(
        workspace.john,
        "PHONE",
        "Called about the quote",
        date=date(2026, 11, 1),
        cost=Decimal("4"),
        duration=25,
        information_flow=InformationFlow.INBOUND,
        successful=False,
        evaluation=Evaluation.POSITIVE,
    )
    entry = create_interaction(session, team, "U1", given)
    session.expire_all()
    entry = get_entry(session, team, entry.entry_no)
    assert (entry.description, entry.date, entry.cost, entry.duration) == (
        "Called about the quote",
        date(2026, 11, 1),
        Decimal("4.00"),
        25,
    )
    assert entry.information_flow == "inbound" and entry.attempt_failed and entry.evaluation == "positive"


def test_money_stays_exact(session, team, workspace):
    for amount in ("0.10", "0.20", "1234567.89"):
        create_interaction(
            session, team, "U1", InteractionInput(workspace.john, "PHONE", cost=Decimal(amount))
        )
    session.expire_all()
    costs = [e.cost for e in session.query(InteractionLogEntry).filter_by(team_id=team).order_by("entry_no")]
    assert costs == [Decimal("0.10"), Decimal("0.20"), Decimal("1234567.89")]
    assert all(isinstance(c, Decimal) for c in costs)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (InteractionInput("CT000001", "PHONE", cost=Decimal("-1")), "cannot be negative"),
        (InteractionInput("CT000001", "PHONE", duration=-5), "number of minutes"),
        (InteractionInput("CT000001", "PHONE", "x" * 101), "at most 100"),
        (InteractionInput("CT000001", "NOPE"), "Template NOPE does not exist"),
        (InteractionInput("CT000099", "PHONE"), "CT000099 does not exist"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(sessions, team, workspace, given, message):
    with pytest.raises((Invalid, NotFound), match=message), sessions.begin() as s:
        create_interaction(s, team, "U1", given)
    with sessions() as s:
        assert s.query(InteractionLogEntry).filter_by(team_id=team).count() == 0


def test_template_without_description_needs_one_from_the_user(session, team, workspace):
    from store.templates import TemplateDefaults, add_template

    add_template(session, team, "BLANK", "CALLS", TemplateDefaults(""))
    with pytest.raises(Invalid, match="say what the interaction was about"):
        create_interaction(session, team, "U1", InteractionInput(workspace.john, "BLANK"))
    assert (
        create_interaction(session, team, "U1", InteractionInput(workspace.john, "BLANK", "Chat")).description
        == "Chat"
    )


def test_email_is_recorded_without_attachment_but_blank_without_address(session, team, workspace):
    with_address = create_interaction(session, team, "U1", InteractionInput(workspace.john, "LETTER"))
    without = create_interaction(session, team, "U1", InteractionInput(workspace.jane, "LETTER"))
    assert with_address.correspondence_type == CorrespondenceType.EMAIL
    assert without.correspondence_type == CorrespondenceType.BLANK


def test_entry_numbers_step_over_rows_added_by_other_means(session, team, workspace):
    create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE"))
    session.execute(
        InteractionLogEntry.__table__.insert().values(
            team_id=team,
            entry_no=40,
            contact_no=workspace.john,
            contact_company_no=workspace.adatum,
            date=date(2026, 1, 1),
            time_of_interaction=time(9),
            created_at=NOW,
            description="Imported",
            subject="",
            information_flow="",
            initiated_by="",
            cost=0,
            duration=0,
            user_id="U1",
            salesperson="",
            group_code="CALLS",
            template_code="PHONE",
            segment_no="",
            campaign_no="",
            opportunity_no="",
            task_no="",
            evaluation="",
            attempt_failed=False,
            canceled=False,
            postponed=False,
            delivery_status="",
            correspondence_type="",
            language_code="",
            document_type="",
            document_no="",
            version_no=0,
            doc_no_occurrence=0,
            contact_via="",
        )
    )
    assert create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE")).entry_no == 41


def test_postponed_interaction_is_resumed_under_the_same_number(session, team, workspace):
    entry = create_interaction(
        session,
        team,
        "U1",
        InteractionInput(workspace.john, "PHONE", "Draft", date=date(2026, 1, 1)),
        postpone=True,
    )
    assert entry.postponed
    resumed = resume(session, team, "U2", entry.entry_no, {"description": "Final", "duration": 30}, now=NOW)
    assert resumed.entry_no == entry.entry_no and not resumed.postponed
    assert (resumed.description, resumed.duration, resumed.date, resumed.user_id) == (
        "Final",
        30,
        date(2026, 11, 24),
        "U2",
    )
    with pytest.raises(Conflict, match="not postponed"):
        resume(session, team, "U1", entry.entry_no)


def test_postponed_needs_the_mandatory_fields_too(session, team, workspace):
    with pytest.raises(NotFound):
        create_interaction(session, team, "U1", InteractionInput(workspace.john, "NOPE"), postpone=True)


def test_postponed_entries_can_be_deleted(session, team, workspace):
    entry = create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE"), postpone=True)
    delete_postponed(session, team, entry.entry_no)
    with pytest.raises(NotFound):
        get_entry(session, team, entry.entry_no)


def test_evaluation_is_written_to_all_selected_entries(session, team, workspace):
    nos = [
        create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE")).entry_no
        for _ in "ab"
    ]
    evaluate(session, team, nos, Evaluation.VERY_POSITIVE)
    assert {get_entry(session, team, no).evaluation for no in nos} == {"very-positive"}
    with pytest.raises(Invalid, match="Choose an evaluation"):
        evaluate(session, team, nos, Evaluation.BLANK)
    with pytest.raises(NotFound, match="entry 99 does not exist"):
        evaluate(session, team, [*nos, 99], Evaluation.NEUTRAL)


def test_comments_wrap_at_eighty_characters(session, team, workspace):
    entry = create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE"))
    add_comment(session, team, "U1", entry.entry_no, "word " * 30, date(2026, 11, 24))
    lines = comments(session, team, entry.entry_no)
    assert len(lines) == 2 and all(len(line.comment) <= 80 for line in lines)


def test_resuming_with_another_template_takes_its_defaults(session, team, workspace):
    kept = create_interaction(
        session, team, "U1", InteractionInput(workspace.john, "PHONE", cost=Decimal("9")), postpone=True
    )
    switched = create_interaction(
        session, team, "U1", InteractionInput(workspace.john, "PHONE"), postpone=True
    )
    typed = create_interaction(
        session, team, "U1", InteractionInput(workspace.john, "PHONE", "My words"), postpone=True
    )
    assert resume(session, team, "U1", kept.entry_no).cost == Decimal("9.00")
    letter = resume(session, team, "U1", switched.entry_no, {"template": "LETTER"})
    assert (letter.description, letter.cost, letter.duration, letter.information_flow) == (
        "Letter",
        Decimal("1.20"),
        5,
        "",
    )
    assert resume(session, team, "U1", typed.entry_no, {"template": "LETTER"}).description == "My words"


def test_an_entry_keeps_the_time_zone_its_date_and_time_are_read_in(session, team, workspace):
    tokyo = NOW.astimezone(ZoneInfo("Asia/Tokyo"))
    typed = create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE"), now=tokyo)
    assert (typed.timezone, typed.date, typed.time_of_interaction) == (
        "Asia/Tokyo",
        date(2026, 11, 24),
        time(18, 31),
    )
    assert (
        create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE")).timezone == "UTC"
    )
    madrid = NOW.astimezone(ZoneInfo("Europe/Madrid"))
    log_segment(session, team, "U1", "NEWSLETTER", "LETTER", now=madrid)
    zones = session.scalars(
        select(InteractionLogEntry.timezone).where(
            InteractionLogEntry.team_id == team, InteractionLogEntry.segment_no == "NEWSLETTER"
        )
    ).all()
    assert zones and set(zones) == {"Europe/Madrid"}
