"""Tell Me as a user sees it: what a sentence finds, which arguments it reads, and when it runs at once."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from bot.cli import app
from commands import inputs
from commands.context import Context
from commands.reply import Reply
from commands.router import ROUTER
from commands.tellme import Match, decide
from commands.tellme import search as find
from store.contact_search import normalize_name, search_contacts
from store.contacts import NewContact, add_contact
from store.enums import ContactType
from store.frecency import frecency_scores, record_use
from store.models import Contact, InteractionGroup, InteractionTemplate, Segment, Workspace
from store.segments import add_segment_lines

ACTIONS = ROUTER.actions
BY_ID = ROUTER.by_id
TODAY = date(2026, 11, 24)  # a Tuesday, as in bench/tellme/
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
QUERIES = [
    json.loads(line)
    for line in (Path(__file__).parents[2] / "bench" / "tellme" / "legacy.jsonl")
    .read_text("utf-8")
    .splitlines()
    if line.strip()
]
# The bench's workspace in small: the same contacts under the same numbers, templates and segments.
CONTACTS = [
    "John Smith",
    "María García",
    "Contoso Ltd",
    "Fabrikam Inc",
    "Peter Jones",
    "Ana Martínez",
    "Jürgen Müller",
    "Adatum Corporation",
    "Laura Fernández",
    "Carlos Ruiz",
    "Johanna Smithers",
    "Mario Garcés",
    "Kim Akers",
]
TEMPLATES = [
    ("PHONE", "Phone call"),
    ("EMAIL", "E-mail"),
    ("MEETING", "Meeting"),
    ("LETTER", "Letter"),
    ("VISIT", "Customer visit"),
    ("INVOICE", "Sales invoice"),
    ("QUOTE", "Sales quote"),
]
SEGMENTS = [("SM00001", "Spring newsletter"), ("SM00002", "Trade fair Madrid")]


@pytest.fixture
def workspace(sessions: sessionmaker[Session], team: str) -> str:
    with sessions.begin() as session:
        session.add(Workspace(team_id=team, name="Tell Me", contacts_version=1))
        session.add(InteractionGroup(team_id=team, code="GENERAL", description="General"))
        session.flush()
        for n, name in enumerate(CONTACTS, 1):
            session.add(_contact(team, n, name))
        for code, description in TEMPLATES:
            session.add(
                InteractionTemplate(team_id=team, code=code, group_code="GENERAL", description=description)
            )
        for no, description in SEGMENTS:
            session.add(Segment(team_id=team, no=no, description=description))
    return team


def _contact(team: str, n: int, name: str) -> Contact:
    no = f"CT{n:06d}"
    return Contact(
        team_id=team,
        no=no,
        type="person",
        name=name,
        search_name=normalize_name(name),
        company_no=no,
        email=f"contact{n}@example.com",
    )


def search(query: str, **given: Any) -> list[Match]:
    return find(query, ROUTER.ranker, **given)


def command_text(action_id: str, args: dict[str, Any]) -> str:
    return BY_ID[action_id].command_text(args)


def ask(sessions: sessionmaker[Session], team: str, query: str, user: str | None = None) -> list[Match]:
    with sessions() as session:
        return search(query, session=session, team_id=team, user_id=user, today=TODAY)


def run_at_once(sessions: sessionmaker[Session], team: str, query: str) -> Match:
    """What Tell Me runs for `query` without asking first (the test fails when it would not run it)."""
    decision = decide(ask(sessions, team, query))
    assert decision.kind == "run" and decision.best is not None, decision.kind
    return decision.best


REPRESENTATIVE = QUERIES[::4]


@pytest.mark.parametrize("item", REPRESENTATIVE, ids=[item["q"] for item in REPRESENTATIVE])
def test_labelled_queries_find_their_action(
    sessions: sessionmaker[Session], workspace: str, item: dict[str, Any]
) -> None:
    matches = ask(sessions, workspace, item["q"])
    if item["expect"] is None:
        assert decide(matches).kind == "nothing"
        return
    assert matches[0].action.id == item["expect"]
    for name, value in item.get("args", {}).items():
        assert matches[0].args.get(name) == value


def test_every_kind_of_query_is_in_the_labelled_set() -> None:
    tags = {item.get("tag") for item in QUERIES}
    assert {"title", "typo", "abbrev", "acronym", "synonym", "order", "args", "nothing"} <= tags
    assert {item["lang"] for item in QUERIES} == {"en", "es"}
    assert len(QUERIES) >= 150


def test_a_call_with_a_misspelt_name_logs_a_phone_call_for_that_contact(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    best = ask(sessions, workspace, "log a call with jon smth")[0]
    assert best.action.id == "create_interaction"
    assert best.args == {"template": "PHONE", "contact": "CT000001"}
    assert best.command_text() == "log PHONE CT000001"


def test_spanish_call_finds_the_phone_template_and_the_accented_contact(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    best = ask(sessions, workspace, "registrar una llamada con maria garcia")[0]
    assert (best.action.id, best.args) == ("create_interaction", {"template": "PHONE", "contact": "CT000002"})


@pytest.mark.parametrize(
    ("query", "args"),
    [
        ("what's Kim Akers's e-mail?", {"contact": "CT000013", "field": "email"}),
        ("¿qué teléfono tiene Ana Martínez?", {"contact": "CT000006", "field": "phone"}),
        ("what is John Smith's phone number?", {"contact": "CT000001", "field": "phone"}),
        ("¿cuál es el correo de María García?", {"contact": "CT000002", "field": "email"}),
        ("show me Contoso", {"contact": "CT000003"}),
        ("contact card for Adatum", {"contact": "CT000008"}),
        ("ficha de Fabrikam", {"contact": "CT000004"}),
    ],
)
def test_a_question_about_a_contact_opens_its_card(
    sessions: sessionmaker[Session], workspace: str, query: str, args: dict[str, str]
) -> None:
    best = run_at_once(sessions, workspace, query)
    assert (best.action.id, best.args) == ("contact_card", args)


def test_an_e_mail_or_a_call_to_a_contact_is_still_an_interaction(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    for query, template in (("send an email to Contoso", "EMAIL"), ("call Peter Jones", "PHONE")):
        best = ask(sessions, workspace, query)[0]
        assert (best.action.id, best.args.get("template")) == ("create_interaction", template)
    assert ask(sessions, workspace, "find contact Martínez")[0].action.id == "contacts"


def test_several_entry_numbers_are_read() -> None:
    best = search("cancel 12, 13")[0]
    assert (best.action.id, best.args) == ("cancel_entry", {"entry_nos": [12, 13]})
    assert best.command_text() == "cancel 12, 13"


@pytest.mark.parametrize("text", ["entry -1", "cancel -3", "anula la -3"])
def test_a_number_below_zero_is_no_entry_number(text: str) -> None:
    assert all("entry_nos" not in match.args and "entry_no" not in match.args for match in search(text))


@pytest.mark.parametrize("text", ["cancel entries 30 to 33", "anula los movimientos del 30 al 33"])
def test_a_range_of_entry_numbers_is_every_number_in_it(text: str) -> None:
    best = search(text)[0]
    assert (best.action.id, best.args["entry_nos"]) == ("cancel_entry", [30, 31, 32, 33])


def test_a_count_spelled_out_before_a_unit_of_time_is_that_number() -> None:
    assert search("entries from three days ago", today=TODAY)[0].args.get("from") == "2026-11-21"
    assert search("movimientos de hace dos días", today=TODAY)[0].args.get("from") == "2026-11-22"


@pytest.mark.parametrize(
    ("text", "action", "code", "description"),
    [
        ("create segment WINTER26 called Winter campaign", "add_segment", "WINTER26", "Winter campaign"),
        ("new segment NEWS26 Newsletter 2026", "add_segment", "NEWS26", "Newsletter 2026"),
        ("crea el segmento INV26 llamado Campaña de invierno", "add_segment", "INV26", "Campaña de invierno"),
        ("nueva plantilla VIDEO llamada Videollamada", "add_template", "VIDEO", "Videollamada"),
    ],
)
def test_what_follows_a_new_code_describes_it_whatever_else_its_words_name(
    sessions: sessionmaker[Session], workspace: str, text: str, action: str, code: str, description: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args["code"], best.args["description"]) == (action, code, description)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("interactions in the last 30 days", "2026-10-25", "2026-11-24"),
        ("movimientos de los últimos 7 días", "2026-11-17", "2026-11-24"),
        ("entries between 1 and 15 November", "2026-11-01", "2026-11-15"),
        ("entradas del 3 al 10 de octubre", "2026-10-03", "2026-10-10"),
    ],
)
def test_the_last_days_and_days_of_a_month_are_a_period(text: str, first: str, last: str) -> None:
    args = search(text, today=TODAY)[0].args
    assert (args.get("from"), args.get("to")) == (first, last)


@pytest.mark.parametrize(
    "text", ["delete canceled entries older than last month", "borra las canceladas anteriores al mes pasado"]
)
def test_older_than_a_period_is_before_it(text: str) -> None:
    best = search(text, today=TODAY)[0]
    assert (best.action.id, best.args.get("from"), best.args.get("to")) == (
        "delete_canceled_entries",
        None,
        "2026-09-30",
    )


@pytest.mark.parametrize("text", ["the email to Carlos Ruiz bounced", "el correo a Carlos Ruiz rebotó"])
def test_a_bounced_message_is_a_failed_attempt(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == "create_interaction"
    assert best.args == {"template": "EMAIL", "contact": "CT000010", "failed": True}


@pytest.mark.parametrize(
    "text", ["sent the quote by email to Carlos Ruiz", "mandé el presupuesto por correo a Carlos Ruiz"]
)
def test_the_medium_a_document_went_by_is_the_kind_of_interaction(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args["template"], best.args["contact"]) == (
        "create_interaction",
        "EMAIL",
        "CT000010",
    )


def test_in_the_morning_is_today_and_tomorrow_morning_is_tomorrow() -> None:
    assert search("llamé por la mañana a Contoso", today=TODAY)[0].args.get("date") == "2026-11-24"
    assert search("recuérdame mañana por la mañana llamar a Contoso", today=TODAY)[0].args.get("due") == (
        "mañana por la mañana"
    )


def test_periods_become_from_and_to_dates() -> None:
    best = search("interactions from last week", today=TODAY)[0]
    assert best.args == {"from": "2026-11-16", "to": "2026-11-22"}
    assert search("entradas desde ayer", today=TODAY)[0].args.get("from") == "2026-11-23"
    assert search("purge canceled entries before last month", today=TODAY)[0].args == {"to": "2026-09-30"}


def test_evaluation_words_are_read_in_both_languages() -> None:
    assert search("rate entry 7 very negative")[0].args == {"entry_nos": [7], "evaluation": "very-negative"}
    assert search("evaluar 12 muy positiva")[0].args == {"entry_nos": [12], "evaluation": "very-positive"}


def test_a_segment_is_found_by_code_or_by_its_description(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    assert ask(sessions, workspace, "log segment sm00002")[0].args == {"segment": "SM00002"}
    assert ask(sessions, workspace, "log the spring newsletter segment")[0].args == {"segment": "SM00001"}


@pytest.mark.parametrize(
    "text", ["log the boletín de primavera segment", "quita a Peter Jones del boletín de primavera"]
)
def test_a_segment_is_found_by_its_description_said_in_the_other_language(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert ask(sessions, workspace, text)[0].args["segment"] == "SM00001"


def test_a_comment_keeps_the_words_after_the_entry_number() -> None:
    best = search("comment on entry 42 customer wants a callback")[0]
    assert best.args == {"entry_no": 42, "text": "customer wants a callback"}
    assert best.command_text() == 'comment 42 "customer wants a callback"'


def test_a_clear_harmless_winner_runs_at_once() -> None:
    decision = decide(search("interaction templates"))
    assert decision.kind == "run"
    assert decision.best is not None and decision.best.action.id == "templates"


@pytest.mark.parametrize("query", ["cancel entry 42", "void entries 3, 4"])
def test_an_action_that_can_be_undone_is_confirmed_before_it_runs(query: str) -> None:
    decision = decide(search(query))
    assert decision.kind == "confirm"
    assert decision.best is not None and decision.best.action.policy.destructive == "undo"


@pytest.mark.parametrize("query", ["delete canceled interaction log entries", "dcile"])
def test_an_action_that_asks_first_is_run_to_ask_its_question(query: str) -> None:
    decision = decide(search(query))
    assert decision.kind == "run"
    assert decision.best is not None and decision.best.action.policy.destructive == "ask"


@pytest.mark.parametrize("action", [a for a in ACTIONS if a.policy.destructive == "undo"], ids=lambda a: a.id)
def test_no_score_makes_an_undoable_action_run_directly(action: Any) -> None:
    given = {arg.name: [1] if arg.kind is inputs.ENTRY_NOS else 1 for arg in action.args if arg.required}
    assert decide([Match(action, 100.0, given)]).kind == "confirm"
    # Nothing to cancel named, every word understood: its form asks what (nothing is canceled yet).
    assert decide([Match(action, 100.0)]).kind == "run"
    assert decide([Match(action, 100.0, understood=0.5)]).kind == "choose"  # "cancel my flight"


def test_an_ambiguous_sentence_offers_up_to_three_choices() -> None:
    decision = decide(search("log"))
    assert decision.kind == "choose"
    assert 2 <= len(decision.matches) <= 3


def test_nonsense_finds_nothing_but_still_lists_the_closest_actions() -> None:
    matches = search("order a pizza")
    decision = decide(matches)
    assert decision.kind == "nothing"
    assert len(decision.matches) == 3


def test_command_text_quotes_values_with_spaces() -> None:
    assert command_text("log_entries", {"contact": "CT000002", "from": "2026-11-17"}) == (
        "entries contact=CT000002 from=2026-11-17"
    )
    assert command_text(
        "create_interaction", {"template": "PHONE", "contact": "CT000002", "description": "a b"}
    ) == ('log PHONE CT000002 "a b"')
    assert command_text(
        "create_interaction", {"template": "PHONE", "contact": "Jane Doe", "description": "a b"}
    ) == ('log PHONE contact="Jane Doe" description="a b"'), "a name could take the description's words"
    assert command_text("cancel_logged_segment", {"segment": 3}) == "cancel segment=3"
    with pytest.raises(ValueError):
        command_text("help", {"contact": "CT1"})


def test_catalog_titles_are_business_centrals() -> None:
    assert BY_ID["log_entries"].title_es == "Movs. log. interacción"
    assert BY_ID["delete_canceled_entries"].title_es == "Eliminar mov. cancel. reg. inter."
    assert BY_ID["delete_canceled_entries"].admin_only and BY_ID["delete_canceled_entries"].destructive
    assert all(a.usage.startswith("/crm ") for a in ACTIONS)


def test_contact_search_ranks_exact_number_and_email_first(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    with sessions() as session:
        assert search_contacts(session, workspace, "ct000003")[0].score == 100.0
        assert search_contacts(session, workspace, "contact5@example.com")[0].no == "CT000005"
        misspelt = search_contacts(session, workspace, "jurgen muler")
        assert misspelt[0].name == "Jürgen Müller"
        assert misspelt[0].score < 100.0


def test_a_contact_added_after_the_index_was_built_is_read_in_a_sentence(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    with sessions() as session:
        assert not search_contacts(session, workspace, "Zoltan Kovacs")
    with sessions.begin() as session:
        added = add_contact(session, workspace, NewContact("Zoltán Kovács")).no
    assert ask(sessions, workspace, "log a call with zoltan kovacs")[0].args["contact"] == added


def test_what_a_user_runs_often_settles_a_near_tie_only(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    user = "U1"
    before = [m.action.id for m in ask(sessions, workspace, "log", user)]
    assert set(before[:2]) == {"log_segment", "create_interaction"}
    with sessions.begin() as session:
        for _ in range(5):
            record_use(session, workspace, user, "create_interaction")
            record_use(session, workspace, user, "log_segment" if before[0] != "log_segment" else "help")
    assert ask(sessions, workspace, "log", user)[0].action.id == "create_interaction"
    with sessions.begin() as session:
        for _ in range(50):
            record_use(session, workspace, user, "log_segment")
    assert ask(sessions, workspace, "segments", user)[0].action.id == "segments"


def test_frecency_fades_with_time(sessions: sessionmaker[Session], workspace: str) -> None:
    now = datetime.now(UTC)
    with sessions.begin() as session:
        record_use(session, workspace, "U2", "statistics", at=now - timedelta(days=60))
        for _ in range(3):
            record_use(session, workspace, "U2", "statistics", at=now - timedelta(days=60))
        record_use(session, workspace, "U2", "contacts", at=now)
    with sessions() as session:
        scores = frecency_scores(session, workspace, "U2", now=now)
    assert scores["contacts"] == 1.0
    assert scores["statistics"] < 0.2


def test_cli_prints_json_best_first_and_an_empty_list_for_nonsense() -> None:
    runner = CliRunner()
    found = runner.invoke(app, ["tellme", "--json", "borrar", "movimientos", "cancelados"])
    assert found.exit_code == 0
    listed = json.loads(found.stdout)
    assert listed[0]["id"] == "delete_canceled_entries"
    assert set(listed[0]) == {"id", "title", "score", "args"}
    assert [item["score"] for item in listed] == sorted((item["score"] for item in listed), reverse=True)
    nothing = runner.invoke(app, ["tellme", "--json", "order", "a", "pizza"])
    assert json.loads(nothing.stdout) == []


# --- Routing: what typing a sentence after /crm does ---------------------------------------------------


@pytest.fixture
def admin(sessions: sessionmaker[Session], workspace: str) -> Context:
    return Context(sessions, workspace, "U1", is_admin=True, timezone="UTC", fixed_now=NOW)


def logged(ctx: Context, text: str) -> Reply:
    return ROUTER.run(ctx, text)


@pytest.mark.parametrize("text", ["cancel entry 1", "cancela la entrada 1, porfa"])
def test_a_sentence_that_opens_with_a_command_word_is_read_whole_and_asks_before_cancelling(
    admin: Context, text: str
) -> None:
    logged(admin, "log PHONE CT000001")
    reply = logged(admin, text)
    assert reply.text.startswith("Did you mean *Cancel Interaction Log Entry*?")
    assert reply.buttons[0].command == "cancel 1" and reply.buttons[0].confirm
    assert logged(admin, "entries canceled=yes").text.endswith("none found.")  # nothing canceled yet


@pytest.mark.parametrize("text", ["stats for Fabrikam", "estadísticas de Fabrikam"])
def test_a_command_word_with_a_sentence_after_it_runs_what_the_sentence_says(
    admin: Context, text: str
) -> None:
    logged(admin, "log PHONE CT000004")
    reply = logged(admin, text)
    assert reply.text.startswith("Understood: Interaction Statistics.")
    assert reply.table is not None and reply.table.rows[0][1] == "1"  # its one interaction


@pytest.mark.parametrize("text", ["segments please", "segmentos porfa"])
def test_a_command_with_only_polite_words_added_runs(admin: Context, text: str) -> None:
    assert logged(admin, text).text.startswith("Understood: Segments.")


def test_words_a_command_cannot_take_and_tell_me_does_not_know_keep_the_commands_reason(
    admin: Context,
) -> None:
    reply = logged(admin, "segments zzqx wobble")
    assert reply.error and "Unexpected" in reply.text


def test_a_sentence_is_run_as_the_action_read_even_where_another_command_starts_the_same(
    admin: Context,
) -> None:
    with admin.sessions.begin() as session:
        add_segment_lines(session, admin.team_id, "SM00001", ["CT000001", "CT000002"])
    reply = logged(admin, "log segment SM00001 as a letter")
    assert reply.text.startswith("Understood: Log Segment.")
    listed = logged(admin, "logged-segments").table
    assert listed is not None and len(listed.rows) == 1


@pytest.mark.parametrize("text", ["log PHONE John Smith didn't answer", "what's John Smith's phone?"])
def test_an_apostrophe_in_free_text_is_part_of_the_word(admin: Context, text: str) -> None:
    assert "A quote is not closed" not in logged(admin, text).text


def test_a_quote_left_open_is_still_said(admin: Context) -> None:
    assert logged(admin, 'log PHONE "John Smith').text == "A quote is not closed."


# --- Decisions: run, confirm, offer, or nothing -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "order lunch for the team",
        "change my status to away",
        "thanks!",
        "el",
        "pide una pizza",
        "cambia mi estado a ausente",
        "sube el volumen",
        "cancela mi vuelo a Lima",
        "buenos días",
    ],
)
def test_small_talk_and_other_apps_requests_never_run_anything(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert decide(ask(sessions, workspace, text)).kind in ("nothing", "choose")


@pytest.mark.parametrize("text", ["order lunch for the team", "thanks!", "el", "gracias", "pon música"])
def test_nonsense_is_not_even_offered(sessions: sessionmaker[Session], workspace: str, text: str) -> None:
    assert decide(ask(sessions, workspace, text)).kind == "nothing"


@pytest.mark.parametrize(
    "text",
    [
        "delete my spotify account",
        "add a reminder to my phone",
        "set a reminder on my phone for tomorrow",
        "update my profile picture",
        "borra mi cuenta de spotify",
        "añade un recordatorio a mi móvil",
        "pon una alarma en mi teléfono",
        "cambia mi foto de perfil",
    ],
)
def test_a_request_about_the_users_own_things_elsewhere_is_not_even_offered(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert decide(ask(sessions, workspace, text)).kind == "nothing"


def test_a_misspelt_name_two_contacts_share_is_asked_about_not_guessed(admin: Context) -> None:
    with admin.sessions.begin() as session:
        twin = add_contact(session, admin.team_id, NewContact("John Smith", type=ContactType.PERSON)).no
    reply = logged(admin, "log a call with jon smth")
    assert "More than one contact could be “jon smth”" in reply.text
    assert {b.command.split()[-1] for b in reply.buttons} >= {"CT000001", twin}


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("my tasks for tomorrow", "tasks"),
        ("my phone calls this week", "log_entries"),
        ("log my call with John Smith", "create_interaction"),
        ("mis tareas", "tasks"),
        ("mis llamadas de hoy", "log_entries"),
        ("registra mi llamada con Jürgen Müller", "create_interaction"),
    ],
)
def test_the_users_own_tasks_calls_and_entries_are_still_theirs_in_the_crm(
    sessions: sessionmaker[Session], workspace: str, text: str, action: str
) -> None:
    assert run_at_once(sessions, workspace, text).action.id == action


@pytest.mark.parametrize("text", ["call history", "show the meeting history with Fabrikam"])
def test_a_kind_of_interaction_before_history_names_the_log_not_one_to_log(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert run_at_once(sessions, workspace, text).action.id == "log_entries"


@pytest.mark.parametrize("text", ["kill entry 8", "quítame la 8"])
def test_a_cancel_naming_its_entry_is_asked_about_and_one_naming_none_is_only_offered(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    decision = decide(ask(sessions, workspace, text))
    assert decision.kind == "confirm" and decision.best is not None
    assert (decision.best.action.id, decision.best.args) == ("cancel_entry", {"entry_nos": [8]})
    assert decide(ask(sessions, workspace, "cancel my flight to Lima")).kind in ("choose", "nothing")


@pytest.mark.parametrize("text", ["show me the interaction templates", "enséñame las plantillas"])
def test_a_clear_reading_winner_runs_in_both_languages(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert run_at_once(sessions, workspace, text).action.id == "templates"


# --- Understanding: vocabulary, forms of words, questions, reversal -----------------------------------


@pytest.mark.parametrize(
    ("text", "action_id"),
    [
        ("get rid of entry 5", "cancel_entry"),
        ("da de baja la interacción 5", "cancel_entry"),
        ("anúlala, la 5", "cancel_entry"),
        ("undo the cancel on entry 5", "restore_entry"),
        ("deshaz la cancelación de la 5", "restore_entry"),
        ("canceled 5 by accident", "restore_entry"),
        ("la 5 la anulé sin querer", "restore_entry"),
        ("bring entry 5 back", "restore_entry"),
        ("un-postpone 5", "resume_interaction"),
        ("undo the channel link", "unlink_channel"),
        ("look up Fabrikam", "contacts"),
        ("búscame a Fabrikam", "contacts"),
    ],
)
def test_colloquial_verbs_clitics_and_reversal_words_find_their_action(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == action_id


@pytest.mark.parametrize(
    ("text", "action_id"),
    [
        ("what comments does entry 5 have?", "entry_details"),
        ("¿qué comentarios tiene la interacción 5?", "entry_details"),
        ("how many calls did we make to Contoso?", "statistics"),
        ("¿cuántas llamadas le hicimos a Contoso?", "statistics"),
        ("any meetings with Fabrikam this year?", "log_entries"),
        ("¿qué llamadas tuvimos con Fabrikam la semana pasada?", "log_entries"),
        ("who is Peter Jones?", "contacts"),
        ("¿quién es Peter Jones?", "contacts"),
    ],
)
def test_questions_go_to_the_actions_that_answer_them(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == action_id


def test_a_question_shows_and_a_request_changes(sessions: sessionmaker[Session], workspace: str) -> None:
    assert ask(sessions, workspace, "show entry 5 with its comments")[0].action.id == "entry_details"
    assert ask(sessions, workspace, "comment on entry 5: call back")[0].action.id == "comment_entry"


# --- Arguments, by kind, from anywhere in the sentence ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "args"),
    [
        (
            "called John Smith this morning, nobody picked up",
            {"contact": "CT000001", "failed": True, "date": "2026-11-24"},
        ),
        ("llamé a María García pero no me contestó", {"contact": "CT000002", "failed": True}),
        ("tried calling Contoso, the line was busy", {"contact": "CT000003", "failed": True}),
        ("intenté llamar a Contoso pero comunicaba", {"contact": "CT000003", "failed": True}),
    ],
)
def test_a_failed_attempt_and_the_contact_are_read_inside_the_sentence(
    sessions: sessionmaker[Session], workspace: str, text: str, args: dict[str, Any]
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == "create_interaction"
    assert best.args == {"template": "PHONE", **args}


@pytest.mark.parametrize(
    ("text", "evaluation"),
    [
        ("met Fabrikam today, it went great", "very-positive"),
        ("reunión con Fabrikam hoy, fue un desastre", "very-negative"),
        ("meeting with Fabrikam, it was so-so", "neutral"),
        ("reunión con Fabrikam, salió re mal", "very-negative"),
    ],
)
def test_how_it_went_is_read_as_the_evaluation(
    sessions: sessionmaker[Session], workspace: str, text: str, evaluation: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == "create_interaction"
    assert (best.args["contact"], best.args["evaluation"]) == ("CT000004", evaluation)


@pytest.mark.parametrize("text", ["evalute 14 positve", "evalua la 14 positiba"])
def test_a_misspelt_evaluation_is_read(sessions: sessionmaker[Session], workspace: str, text: str) -> None:
    assert ask(sessions, workspace, text)[0].args == {"entry_nos": [14], "evaluation": "positive"}


@pytest.mark.parametrize("text", ["la reunión 8 fue muy buena", "the meeting in entry 8 went very well"])
def test_a_kind_of_interaction_before_a_number_is_that_entry(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args) == ("evaluate", {"entry_nos": [8], "evaluation": "very-positive"})


def test_a_contact_is_read_by_a_word_of_its_name(sessions: sessionmaker[Session], workspace: str) -> None:
    assert ask(sessions, workspace, "log a call with Adatum")[0].args["contact"] == "CT000008"
    assert ask(sessions, workspace, "movimientos de fabrikan")[0].args == {"contact": "CT000004"}


def test_a_name_several_contacts_share_is_asked_about_with_buttons(admin: Context) -> None:
    with admin.sessions.begin() as session:
        add_contact(session, admin.team_id, NewContact("Peter Parker"))
    matches = ask(admin.sessions, admin.team_id, "log a call with Peter")
    assert matches[0].args == {"template": "PHONE", "contact": "Peter"}
    reply = logged(admin, "log a call with Peter")
    assert "More than one contact could be “Peter”" in reply.text
    assert {b.label.split(" (")[0] for b in reply.buttons} >= {"Peter Jones", "Peter Parker"}


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("add contact Jane Roe at Fabrikam", {"name": "Jane Roe", "company": "CT000004"}),
        ("añade el contacto Lucía Torres de Fabrikam", {"name": "Lucía Torres", "company": "CT000004"}),
        (
            "add contact Raj Kumar, email raj@kumar.example",
            {"name": "Raj Kumar", "email": "raj@kumar.example"},
        ),
        (
            "alta de contacto Diego Castro, tel 55 1234 5678",
            {"name": "Diego Castro", "phone": "55 1234 5678"},
        ),
        ("create a company called Northwind Traders", {"name": "Northwind Traders", "type": "company"}),
    ],
)
def test_a_new_contact_s_name_company_email_phone_and_type_are_read(
    sessions: sessionmaker[Session], workspace: str, text: str, args: dict[str, Any]
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == "add_contact"
    assert {name: str(value) for name, value in best.args.items()} == args


@pytest.mark.parametrize(
    ("text", "action_id", "args"),
    [
        ("create group EVENTS Trade events", "add_group", {"code": "EVENTS", "description": "Trade events"}),
        ("crea el segmento VIP Clientes VIP", "add_segment", {"code": "VIP", "description": "Clientes VIP"}),
        ("new template DEMO Product demo in group GENERAL", "add_template", {"code": "DEMO"}),
        ("stats for the GENERAL group", "statistics", {"group": "GENERAL"}),
    ],
)
def test_codes_and_descriptions_are_read(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str, args: dict[str, Any]
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == action_id
    assert {name: best.args.get(name) for name in args} == args


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("calls with Contoso last week", {"from": "2026-11-16", "to": "2026-11-22"}),
        ("llamadas con Contoso la semana pasada", {"from": "2026-11-16", "to": "2026-11-22"}),
        ("calls with Contoso since monday", {"from": "2026-11-23"}),
        ("llamadas con Contoso desde el lunes", {"from": "2026-11-23"}),
    ],
)
def test_periods_are_read_in_both_languages(
    sessions: sessionmaker[Session], workspace: str, text: str, args: dict[str, Any]
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == "log_entries"
    assert best.args == {"contact": "CT000003", "template": "PHONE", **args}


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("remind me to email Fabrikam tomorrow", "tomorrow"),
        ("recuérdame llamar a Fabrikam la semana que viene", "semana"),
    ],
)
def test_a_task_reads_its_due_date_forward(
    sessions: sessionmaker[Session], workspace: str, text: str, due: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == "add_task" and best.args["contact"] == "CT000004"
    assert due in best.args["due"]


def test_a_duration_is_no_entry_number(sessions: sessionmaker[Session], workspace: str) -> None:
    best = ask(sessions, workspace, "log call Carlos Ruiz 15 min")[0]
    assert best.args == {"template": "PHONE", "contact": "CT000010", "duration": 15}


@pytest.mark.parametrize("text", ["add a new contact", "añadir un contacto nuevo"])
def test_a_noun_in_the_singular_asks_for_the_action_on_one(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert run_at_once(sessions, workspace, text).action.id == "add_contact"


@pytest.mark.parametrize("text", ["interaction log entries", "movimientos de registro de interacción"])
def test_a_noun_in_the_plural_asks_for_the_list(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert run_at_once(sessions, workspace, text).action.id == "log_entries"


@pytest.mark.parametrize("text", ["che, ¿qué comandos hay?", "oye, ¿qué comandos hay, porfa?"])
def test_fillers_and_question_words_do_not_make_a_sentence_unclear(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == "help" and best.understood == 1.0


@pytest.mark.parametrize(
    "text", ["cancela mi vuelo a Lima", "sube el volumen", "¿cuánto es 12 por 8?", "cancel my flight to Lima"]
)
def test_a_verb_among_words_of_another_app_or_sums_is_not_even_offered(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert decide(ask(sessions, workspace, text)).kind == "nothing"


def test_an_action_well_ahead_of_the_others_is_suggested_with_them_after_it(admin: Context) -> None:
    reply = logged(admin, "¿cómo me cargo una plantilla que ya no usamos?")
    assert reply.text.startswith("Did you mean *Delete Interaction Template*?")
    assert reply.buttons[0].command == "template delete" and reply.buttons[-1].command == "keep"
    even = decide(find("contacts segment", ROUTER.ranker))
    assert even.kind == "choose" and even.leader is None, "an even choice is asked as one"


@pytest.mark.parametrize("text", ["tellme cancel", "tellme anular"])
def test_a_cancel_said_alone_asks_which_in_its_form(admin: Context, text: str) -> None:
    reply = logged(admin, text)
    assert reply.modal is not None and reply.modal.kind == "cancel_entry", reply.text


@pytest.mark.parametrize(
    ("text", "template"),
    [
        ("delete the meeting template", "MEETING"),
        ("borra la plantilla de visitas", "VISIT"),
        ("che, volá la plantilla de visitas", "VISIT"),
    ],
)
def test_a_template_is_named_by_a_kind_said_with_the_word_template(
    sessions: sessionmaker[Session], workspace: str, text: str, template: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args) == ("delete_template", {"template": template})


@pytest.mark.parametrize("text", ["nueva plantilla de visitas", "a new template for video calls"])
def test_a_new_template_described_by_a_kind_names_no_template(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == "add_template" and "template" not in best.args


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("add contact Emily Clarke", {"name": "Emily Clarke"}),
        ("create a company record for Tailspin Toys", {"name": "Tailspin Toys", "type": "company"}),
        ("nueva ficha de empresa para Tailspin Toys", {"name": "Tailspin Toys", "type": "company"}),
    ],
)
def test_a_new_contact_s_name_is_read_whole_and_its_type_from_the_record_it_asks_for(
    sessions: sessionmaker[Session], workspace: str, text: str, args: dict[str, str]
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == "add_contact" and {k: str(v) for k, v in best.args.items()} == args


@pytest.mark.parametrize(
    ("text", "action_id"),
    [
        ("crea un segmento", "add_segment"),
        ("make a new segment", "add_segment"),
        ("where do I create a contact?", "add_contact"),
        ("añade a John Smith al segmento SM00001", "add_contacts_to_segment"),
        ("add an activity: visited Fabrikam on Monday", "create_interaction"),
    ],
)
def test_creating_a_record_is_not_adding_to_one(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == action_id


@pytest.mark.parametrize(
    ("text", "action_id", "args"),
    [
        ("mark task 3 as done", "complete_task", {"task_no": 3}),
        ("pospón la tarea 4 al viernes", "snooze_task", {"task_no": 4, "until": "viernes"}),
        ("snooze task 2 until next monday", "snooze_task", {"task_no": 2, "until": "next monday"}),
        ("stats per template", "statistics", {"by": "template"}),
        ("estadísticas por cada grupo", "statistics", {"by": "group"}),
    ],
)
def test_a_task_s_number_its_new_date_and_what_statistics_count_by_are_read(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str, args: dict[str, Any]
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args) == (action_id, args)


@pytest.mark.parametrize("text", ["cancel a logged segment", "anular un segmento grabado"])
def test_a_command_word_whose_sentence_says_another_action_opens_that_one_s_form(
    admin: Context, text: str
) -> None:
    reply = logged(admin, text)
    assert reply.modal is not None and reply.modal.kind == "cancel_logged_segment", reply.text


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("registra un contacto nuevo", {}),
        ("register a company called Tailspin", {"name": "Tailspin", "type": "company"}),
        ("put Sofia Reyes in the CRM as a person", {"name": "Sofia Reyes", "type": "person"}),
        ("where do I create a contact?", {}),
        ("¿dónde puedo crear un contacto?", {}),
    ],
)
def test_registering_a_record_or_asking_where_to_makes_it(
    sessions: sessionmaker[Session], workspace: str, text: str, args: dict[str, str]
) -> None:
    best = run_at_once(sessions, workspace, text)
    assert (best.action.id, {k: str(v) for k, v in best.args.items()}) == (
        "add_contact",
        args,
    )


def test_registering_a_segment_still_logs_it(sessions: sessionmaker[Session], workspace: str) -> None:
    assert ask(sessions, workspace, "registra el segmento de la feria")[0].action.id == "log_segment"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("had a call with María García this morning", "2026-11-24"),
        ("llamé a Contoso esta tarde", "2026-11-24"),
        ("visited Fabrikam yesterday afternoon", "2026-11-23"),
        ("ayer por la tarde visitamos a Fabrikam", "2026-11-23"),
    ],
)
def test_a_part_of_the_day_says_the_day(
    sessions: sessionmaker[Session], workspace: str, text: str, day: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == "create_interaction" and best.args["date"] == day


@pytest.mark.parametrize(
    ("text", "args"),
    [
        (
            "phoned Carlos Ruiz yesterday but he didn't answer",
            {"template": "PHONE", "contact": "CT000010", "date": "2026-11-23", "failed": True},
        ),
        (
            "visitamos a Jürgen Müller el lunes",
            {"template": "VISIT", "contact": "CT000007", "date": "2026-11-23"},
        ),
        ("le mandé un correo a John Smith", {"template": "EMAIL", "contact": "CT000001"}),
    ],
)
def test_what_happened_told_in_the_past_is_logged(
    sessions: sessionmaker[Session], workspace: str, text: str, args: dict[str, Any]
) -> None:
    decision = decide(ask(sessions, workspace, text))
    assert decision.best is not None and decision.best.action.id == "create_interaction"
    assert decision.best.args == args and decision.kind == "run"


@pytest.mark.parametrize(
    ("text", "action_id"),
    [
        ("task 7 is done", "complete_task"),
        ("la tarea 7 está hecha", "complete_task"),
        ("what's on my to-do list?", "tasks"),
        ("¿cuántos correos le hemos mandado a Adatum?", "statistics"),
        ("how many calls did we make to Contoso?", "statistics"),
        ("everything we did with Contoso", "log_entries"),
    ],
)
def test_tasks_counts_and_history_in_everyday_words(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == action_id


@pytest.mark.parametrize("text", ["log me out", "cierra sesión", "sign in again"])
def test_signing_in_or_out_is_no_request_for_the_crm(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert decide(ask(sessions, workspace, text)).kind == "nothing"


@pytest.mark.parametrize("text", ["llama a mi madre", "drink some water later", "call an uber"])
def test_a_word_like_a_keyword_s_rare_word_is_not_read_as_it(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert decide(ask(sessions, workspace, text)).kind in ("choose", "nothing")
    assert all(m.action.id != "log_entries" for m in ask(sessions, workspace, text)[:1])


@pytest.mark.parametrize(
    ("text", "action_id"),
    [
        ("mis tareas de hoy", "tasks"),
        ("show my tasks", "tasks"),
        ("¿hay algún segmento de cuentas clave?", "segments"),
    ],
)
def test_a_plural_asks_for_the_list_and_a_singular_question_still_may(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == action_id


@pytest.mark.parametrize(
    "text", ["dame la dirección de Contoso", "what's the address of Contoso", "Contoso's address"]
)
def test_an_address_is_always_a_contact_s_field(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args) == ("contact_card", {"contact": "CT000003", "field": "address"})


@pytest.mark.parametrize(
    ("text", "action_id"),
    [
        ("hablé con Fabrikam ayer", "create_interaction"),
        ("spoke with Contoso this morning", "create_interaction"),
        ("¿con quién hablamos ayer?", "log_entries"),
        ("¿qué hemos hablado con María García?", "log_entries"),
    ],
)
def test_talking_told_is_logged_and_asked_about_is_shown(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == action_id


@pytest.mark.parametrize("text", ["hola, ¿qué tal?", "hi, how are you?"])
def test_a_greeting_is_not_offered_anything(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert decide(ask(sessions, workspace, text)).kind == "nothing"


@pytest.mark.parametrize("text", ["la 71 está duplicada, bórrala", "delete entry 12"])
def test_deleting_one_entry_is_no_purge_of_the_canceled(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == "cancel_entry"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("email of Laura Fernández", "email"),
        ("¿el correo de Jürgen Müller?", "email"),
        ("phone of Contoso", "phone"),
    ],
)
def test_a_field_of_a_contact_said_without_a_verb_is_asked_for(
    sessions: sessionmaker[Session], workspace: str, text: str, field: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == "contact_card" and best.args["field"] == field


def test_the_e_mail_of_a_contact_logged_is_an_interaction(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    best = ask(sessions, workspace, "registra el correo de Carlos Ruiz")[0]
    assert (best.action.id, best.args) == ("create_interaction", {"template": "EMAIL", "contact": "CT000010"})


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("met Peter Jones for an hour", 60),
        ("llamada de media hora con Contoso", 30),
        ("call with Contoso, half an hour", 30),
        ("met Peter Jones for two hours yesterday", 120),
        ("una llamada de veinte minutos con Jürgen Müller", 20),
    ],
)
def test_a_duration_in_words_is_read(
    sessions: sessionmaker[Session], workspace: str, text: str, minutes: int
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == "create_interaction" and best.args["duration"] == minutes


def test_an_address_labelled_e_mail_is_a_new_contact_s_not_an_interaction(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    best = run_at_once(sessions, workspace, "add contact Mia Wong, email mia@wong.example")
    assert best.args == {"name": "Mia Wong", "email": "mia@wong.example"}


@pytest.mark.parametrize(
    ("text", "until"), [("snooze 4 until monday", "monday"), ("pospón la 4 hasta el viernes", "el viernes")]
)
def test_a_new_due_date_is_read_without_the_word_before_it(
    sessions: sessionmaker[Session], workspace: str, text: str, until: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args) == ("snooze_task", {"task_no": 4, "until": until})


def test_a_verb_and_its_particle_far_apart_are_one(sessions: sessionmaker[Session], workspace: str) -> None:
    best = ask(sessions, workspace, "put all the people from Germany in SM00001")[0]
    assert best.action.id == "add_contacts_by_criteria" and best.args["segment"] == "SM00001"


@pytest.mark.parametrize(
    "text",
    [
        "did we call Fabrikam last week?",
        "¿llamaste a Contoso?",
        "called Contoso?",
        "¿le mandamos la carta a Peter Jones?",
    ],
)
def test_a_question_about_what_happened_shows_the_entries(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == "log_entries"


@pytest.mark.parametrize("text", ["called Contoso", "le mandamos la carta a Peter Jones"])
def test_the_same_told_is_logged(sessions: sessionmaker[Session], workspace: str, text: str) -> None:
    assert ask(sessions, workspace, text)[0].action.id == "create_interaction"


@pytest.mark.parametrize(
    ("text", "action_id"),
    [
        ("¿me ayudas a crear un segmento?", "add_segment"),
        ("échale un vistazo al movimiento 9", "entry_details"),
    ],
)
def test_asking_for_help_to_do_something_is_asking_for_it(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == action_id


def test_a_time_of_day_is_no_entry_number(sessions: sessionmaker[Session], workspace: str) -> None:
    assert decide(ask(sessions, workspace, "cancela la reunión de las 5 con mi jefe")).kind == "nothing"
    best = ask(sessions, workspace, "restaura las 4 y 5")[0]
    assert (best.action.id, best.args) == ("restore_entry", {"entry_nos": [4, 5]})


def test_what_an_interaction_is_about_is_understood_by_an_action_without_numbers(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    best = run_at_once(sessions, workspace, "log a phone call about the quote")
    assert best.args == {"template": "PHONE", "description": "the quote"}


@pytest.mark.parametrize("text", ["delete my account", "borra mi cuenta", "remove my contact"])
def test_a_shared_record_said_as_the_user_s_own_is_another_app_s(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert decide(ask(sessions, workspace, text)).kind == "nothing"


def test_the_user_s_accounts_are_still_the_team_s_customers(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    assert decide(ask(sessions, workspace, "show my accounts")).best.action.id == "contacts"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("I need to call Fabrikam tomorrow", "CT000004"),
        ("gotta send Peter Jones the contract on Monday", "CT000005"),
        ("tengo que llamar a María García mañana", "CT000002"),
        ("hay que visitar a Jürgen Müller la semana que viene", "CT000007"),
        ("acordate de llamar a Ana Martínez el lunes", "CT000006"),
    ],
)
def test_a_plan_to_do_something_with_a_contact_is_a_task(
    sessions: sessionmaker[Session], workspace: str, text: str, contact: str
) -> None:
    best = run_at_once(sessions, workspace, text)
    assert (best.action.id, best.args["contact"]) == ("add_task", contact)
    assert best.args["due"]


@pytest.mark.parametrize(
    ("text", "action_id"),
    [
        ("I need to log a call with Fabrikam", "create_interaction"),
        ("tengo que exportar los movimientos", "export_entries"),
    ],
)
def test_a_plan_to_use_the_crm_is_that_action(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == action_id


@pytest.mark.parametrize(
    ("text", "evaluation"),
    [
        ("visited Contoso, it was awful", "very-negative"),
        ("called John Smith, it did not go well", "negative"),
        ("met Fabrikam, not bad", "neutral"),
        ("llamé a Carlos Ruiz, salió bárbaro", "very-positive"),
        ("visité a Peter Jones, no fue muy bien", "negative"),
        ("reunión con Ana Martínez, estupenda", "very-positive"),
    ],
)
def test_how_it_went_is_read_with_a_not_before_it(
    sessions: sessionmaker[Session], workspace: str, text: str, evaluation: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args["evaluation"]) == ("create_interaction", evaluation)


@pytest.mark.parametrize(
    ("text", "action_id", "task_no"),
    [
        ("ya hice la tarea 5", "complete_task", 5),
        ("push task 2 to next week", "snooze_task", 2),
        ("muévela la tarea 3 al lunes", "snooze_task", 3),
        ("forget task 4, not needed anymore", "cancel_task", 4),
        ("olvídate de la tarea 4", "cancel_task", 4),
    ],
)
def test_colloquial_verbs_of_a_task_are_read(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str, task_no: int
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args["task_no"]) == (action_id, task_no)


@pytest.mark.parametrize("text", ["desanula el 92", "uncancel entry 92", "undelete 92"])
def test_a_verb_turned_round_by_its_prefix_restores(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args) == ("restore_entry", {"entry_nos": [92]})


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("add Raj Patel, raj.patel@example.org", "email", "raj.patel@example.org"),
        ("agrega a Sofía Méndez, correo sofia@mendez.mx", "email", "sofia@mendez.mx"),
        ("add contact Mia Wong, phone 020 7946 0018", "phone", "020 7946 0018"),
        ("da de alta a Pablo Herrera, tel +34 600 123 456", "phone", "+34 600 123 456"),
    ],
)
def test_a_new_contact_s_name_with_an_address_or_a_phone_is_added_at_once(
    sessions: sessionmaker[Session], workspace: str, text: str, field: str, value: str
) -> None:
    best = run_at_once(sessions, workspace, text)
    assert best.action.id == "add_contact" and best.args[field] == value


def test_a_phone_number_after_phone_is_no_entry_number(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    best = ask(sessions, workspace, "add contact Mia Wong, phone 020 7946 0018")[0]
    assert "entry_no" not in best.args and best.args["name"] == "Mia Wong"


@pytest.mark.parametrize(
    ("text", "action_id"),
    [
        ("how many calls have we made to Fabrikam?", "statistics"),
        ("¿cuántas visitas hicimos a Contoso?", "statistics"),
        ("when did we last visit Adatum?", "log_entries"),
        ("¿cuándo llamamos a Contoso?", "log_entries"),
        ("what happened in entry 88?", "entry_details"),
        ("¿qué pasó en la 45?", "entry_details"),
        ("drop Ana Martínez from SM00001", "remove_contacts"),
        ("I just got off the phone with Peter Jones", "create_interaction"),
    ],
)
def test_questions_and_sayings_find_the_action_that_answers_them(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == action_id


@pytest.mark.parametrize("text", ["che, ¿todo bien?", "great!", "muy bien", "not bad"])
def test_how_something_went_alone_is_small_talk(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert decide(ask(sessions, workspace, text)).kind == "nothing"


def test_a_word_after_how_it_went_is_read_with_it(sessions: sessionmaker[Session], workspace: str) -> None:
    best = ask(sessions, workspace, "visité a Jürgen Müller, fue un desastre total")[0]
    assert (best.action.id, best.args["evaluation"]) == ("create_interaction", "very-negative")


@pytest.mark.parametrize(
    ("text", "cost"),
    [
        ("emailed Laura Fernández, cost 5 euros", 5),
        ("anotá una visita a Ana Martínez, costó 30 euros", 30),
        ("meeting with Peter Jones, $15 for parking", 15),
        ("reunión con Contoso, 40€", 40),
    ],
)
def test_what_an_interaction_cost_is_read(
    sessions: sessionmaker[Session], workspace: str, text: str, cost: int
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args["cost"]) == ("create_interaction", cost)


def test_an_amount_is_no_entry_number(sessions: sessionmaker[Session], workspace: str) -> None:
    assert "entry_nos" not in ask(sessions, workspace, "called Contoso, $15")[0].args


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("attach the Spanish file to the LETTER template", "ES"),
        ("adjunta el documento en inglés a LETTER", "EN"),
    ],
)
def test_a_language_said_by_name_is_its_code(
    sessions: sessionmaker[Session], workspace: str, text: str, language: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args["language"]) == ("attach_template_file", language)


@pytest.mark.parametrize("text", ["movimientos del mes pasado", "las llamadas del lunes"])
def test_spanish_del_is_no_delete(sessions: sessionmaker[Session], workspace: str, text: str) -> None:
    assert ask(sessions, workspace, text)[0].action.id == "log_entries"


def test_del_first_still_deletes(sessions: sessionmaker[Session], workspace: str) -> None:
    assert ask(sessions, workspace, "del entry 5")[0].action.id == "cancel_entry"


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("entries from Oct 1 to Oct 15", "2026-10-01", "2026-10-15"),
        ("movimientos del 3 nov al 10 nov", "2026-11-03", "2026-11-10"),
        ("entries on the 3rd of November", "2026-11-03", "2026-11-03"),
        ("entries on the 15th", "2026-11-15", "2026-11-15"),
        ("entries from a week ago", "2026-11-17", "2026-11-17"),
        ("movimientos de hace un mes", "2026-10-25", "2026-10-25"),
        ("entries from the day before yesterday", "2026-11-22", "2026-11-22"),
        ("entries logged earlier today", "2026-11-24", "2026-11-24"),
    ],
)
def test_dates_said_as_people_say_them_are_read(text: str, first: str, last: str) -> None:
    args = search(text, today=TODAY)[0].args
    assert (args.get("from"), args.get("to")) == (first, last)


def test_a_bare_number_is_no_day_of_the_month() -> None:
    assert "from" not in search("cancel entry 15", today=TODAY)[0].args


@pytest.mark.parametrize(
    ("text", "comment"),
    [
        ("añade a la 45 el comentario: llaman el lunes", "llaman el lunes"),
        ("add to 45 the comment: call back", "call back"),
    ],
)
def test_the_word_comment_before_a_comment_is_no_part_of_it(
    sessions: sessionmaker[Session], workspace: str, text: str, comment: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args["text"]) == ("comment_entry", comment)


def test_words_read_as_other_arguments_are_no_part_of_a_description(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    best = ask(sessions, workspace, "resume 20 as a call, it went fine, 10 minutes")[0]
    assert best.action.id == "resume_interaction" and "description" not in best.args
    assert (best.args["template"], best.args["duration"], best.args["evaluation"]) == (
        "PHONE",
        10,
        "positive",
    )


@pytest.mark.parametrize(
    ("text", "action_id"),
    [
        ("did anyone call Fabrikam in November?", "log_entries"),
        ("¿alguien ha llamado a Contoso esta semana?", "log_entries"),
        ("any news from Adatum this week?", "log_entries"),
        ("la tarea 2 ya está", "complete_task"),
        ("¿qué me toca hacer hoy?", "tasks"),
        ("how do I use this?", "help"),
        ("no entiendo cómo va esto", "help"),
        ("add a call type called VIDEO", "add_template"),
        ("that was a mistake, undo entry 14", "cancel_entry"),
        ("undo the cancel on entry 7", "restore_entry"),
    ],
)
def test_everyday_phrasings_find_their_action(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == action_id


def test_a_template_s_code_said_as_the_user_s_own_word_is_another_app_s(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    with sessions.begin() as session:
        session.add(
            InteractionTemplate(team_id=workspace, code="LUNCH", group_code="GENERAL", description="Lunch")
        )
    assert decide(ask(sessions, workspace, "cancel my lunch")).kind == "nothing"
    assert ask(sessions, workspace, "log a LUNCH with Contoso")[0].args["template"] == "LUNCH"


@pytest.mark.parametrize(
    "text", ["cancela la alarma de mañana", "restore factory settings", "exporta la presentación a pdf"]
)
def test_a_verb_on_a_thing_tell_me_does_not_know_is_not_suggested(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    decision = decide(ask(sessions, workspace, text))
    assert decision.kind in ("choose", "nothing") and decision.leader is None


@pytest.mark.parametrize(
    "text", ["add a column to the spreadsheet", "exporta la presentación a pdf", "restore factory settings"]
)
def test_a_verb_acting_on_a_thing_tell_me_does_not_know_runs_nothing(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert decide(ask(sessions, workspace, text)).kind == "nothing"


@pytest.mark.parametrize(
    ("text", "action_id"),
    [
        ("¿cómo borro definitivamente los movimientos cancelados?", "delete_canceled_entries"),
        ("add every company in Madrid to SM00001", "add_contacts_by_criteria"),
        ("add Olivia Brown as a contact", "add_contact"),
    ],
)
def test_an_adverb_a_quantifier_or_a_new_name_after_the_verb_still_names_the_thing(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == action_id


@pytest.mark.parametrize("text", ["¿cómo estás?", "how's it going?"])
def test_asking_how_someone_is_is_a_greeting(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert decide(ask(sessions, workspace, text)).kind == "nothing"


@pytest.mark.parametrize("text", ["pasame el cel de Carlos Ruiz", "Carlos Ruiz's cell"])
def test_a_cell_is_a_phone_number(sessions: sessionmaker[Session], workspace: str, text: str) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args.get("field")) == ("contact_card", "phone")


@pytest.mark.parametrize(
    ("text", "action_id"),
    [
        ("acabo de colgar con Contoso", "create_interaction"),
        ("caught up with John Smith", "create_interaction"),
        ("¿vos llamaste a Fabrikam?", "log_entries"),
        ("did you call Contoso?", "log_entries"),
        ("show me what we have on Jürgen Müller", "log_entries"),
        ("revisá lo que hay con María García", "log_entries"),
        ("scratch entry 40", "cancel_entry"),
        ("agéndame llamar a Fabrikam el martes", "add_task"),
    ],
)
def test_more_everyday_phrasings_find_their_action(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == action_id


@pytest.mark.parametrize(
    ("text", "evaluation"),
    [
        ("thumbs up for entry 12", "positive"),
        ("thumbs down on 12", "negative"),
        ("la 12 fue un éxito", "very-positive"),
    ],
)
def test_more_ways_of_saying_how_it_went(
    sessions: sessionmaker[Session], workspace: str, text: str, evaluation: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args["evaluation"]) == ("evaluate", evaluation)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("registra a Marta Gil como contacto de Adatum", "Marta Gil"),
        ("enter a new company, Wingtip Toys", "Wingtip Toys"),
    ],
)
def test_a_record_logged_as_a_contact_is_added(
    sessions: sessionmaker[Session], workspace: str, text: str, name: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args["name"]) == ("add_contact", name)


def test_what_was_done_with_a_contact_is_its_history(sessions: sessionmaker[Session], workspace: str) -> None:
    best = ask(sessions, workspace, "qué se hizo con Ana Martínez en octubre")[0]
    assert (best.action.id, best.args["contact"]) == ("log_entries", "CT000006")


@pytest.mark.parametrize("text", ["log into gmail", "log on to the vpn", "login please"])
def test_logging_into_something_runs_nothing(admin: Context, text: str) -> None:
    reply = ROUTER.run(admin, text)
    assert reply.modal is None and not reply.text.startswith(("Recorded", "Understood"))


@pytest.mark.parametrize("text", ["sent Adatum the invoice", "le mandé la factura a Fabrikam"])
def test_sending_a_contact_something_is_told_not_a_sent_segment(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == "create_interaction"


def test_what_was_sent_asked_about_is_still_shown(sessions: sessionmaker[Session], workspace: str) -> None:
    assert (
        ask(sessions, workspace, "show me everything logged for Laura Fernández")[0].action.id
        == "log_entries"
    )


@pytest.mark.parametrize("text", ["show my entires", "list my contcts", "show my taks"])
def test_a_typo_after_my_is_still_read(sessions: sessionmaker[Session], workspace: str, text: str) -> None:
    reply = ROUTER.run(Context(sessions, workspace, "U1"), text)
    assert "could not find" not in reply.text, reply.text


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("couldn't reach Adatum", {"contact": "CT000008", "failed": True}),
        ("left a voicemail for Peter Jones", {"template": "PHONE", "contact": "CT000005", "failed": True}),
        ("no pude hablar con Contoso, nadie atendió", {"contact": "CT000003", "failed": True}),
        (
            "tried calling Fabrikam, no one picks up",
            {"template": "PHONE", "contact": "CT000004", "failed": True},
        ),
    ],
)
def test_an_attempt_that_failed_is_an_interaction_to_log(
    sessions: sessionmaker[Session], workspace: str, text: str, args: dict[str, Any]
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == "create_interaction"
    assert {name: best.args.get(name) for name in args} == args


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("where is Adatum based?", "CT000008"),
        ("¿dónde queda Contoso?", "CT000003"),
        ("¿dónde está Fabrikam?", "CT000004"),
    ],
)
def test_where_a_contact_is_asks_for_its_address(
    sessions: sessionmaker[Session], workspace: str, text: str, contact: str
) -> None:
    best = run_at_once(sessions, workspace, text)
    assert (best.action.id, best.args) == (
        "contact_card",
        {"contact": contact, "field": "address"},
    )


@pytest.mark.parametrize("text", ["give me the email for Peter Jones", "pasame el correo de Peter Jones"])
def test_the_e_mail_for_a_contact_is_its_address_not_an_interaction(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args) == ("contact_card", {"contact": "CT000005", "field": "email"})


@pytest.mark.parametrize("text", ["numbers for the MEET group", "estadísticas del grupo MEET"])
def test_a_group_named_beside_its_word_is_the_group_not_a_template_it_resembles(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    with sessions.begin() as session:
        session.add(InteractionGroup(team_id=workspace, code="MEET", description="Meetings"))
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args) == ("statistics", {"group": "MEET"})


@pytest.mark.parametrize(
    ("text", "evaluation"),
    [
        ("phoned María García on Monday, she was not happy", "negative"),
        ("llamé a María García, quedó muy satisfecha", "very-positive"),
        ("the meeting in entry 55 went badly", "negative"),
        ("la 40 salió mal", "negative"),
    ],
)
def test_how_the_contact_took_it_rates_the_interaction(
    sessions: sessionmaker[Session], workspace: str, text: str, evaluation: str
) -> None:
    assert ask(sessions, workspace, text)[0].args["evaluation"] == evaluation


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("nueva empresa: Tostadas del Sur", "Tostadas del Sur"),
        ("add a company called Bank of Lisbon", "Bank of Lisbon"),
    ],
)
def test_a_new_name_keeps_the_small_words_between_its_capitals(
    sessions: sessionmaker[Session], workspace: str, text: str, name: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args["name"]) == ("add_contact", name)


@pytest.mark.parametrize("text", ["what's 15% of 80?", "¿cuánto es el 20% de 50?"])
def test_a_percentage_is_no_entry_number(sessions: sessionmaker[Session], workspace: str, text: str) -> None:
    assert decide(ask(sessions, workspace, text)).kind == "nothing"


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("¿hablamos con Jürgen últimamente?", {"contact": "CT000007"}),
        ("¿le mandamos la carta a Peter Jones?", {"contact": "CT000005", "template": "LETTER"}),
        (
            "which quotes did we send in October?",
            {"template": "QUOTE", "from": "2026-10-01", "to": "2026-10-31"},
        ),
        ("las facturas de octubre", {"template": "INVOICE", "from": "2026-10-01", "to": "2026-10-31"}),
    ],
)
def test_a_question_about_what_was_done_or_its_kinds_in_the_plural_lists_the_log(
    sessions: sessionmaker[Session], workspace: str, text: str, args: dict[str, str]
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == "log_entries"
    assert {name: best.args.get(name) for name in args} == args


@pytest.mark.parametrize(
    "text", ["how many times did we talk to Laura Fernández?", "¿cuántas veces hablamos con Laura Fernández?"]
)
def test_how_many_times_something_was_done_is_a_statistic(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args) == ("statistics", {"contact": "CT000009"})


@pytest.mark.parametrize(
    ("text", "looked_for"),
    [
        ("search for Mueller", "Mueller"),
        ("busca a Herrera", "Herrera"),
        ("busca los que se llaman Smith", "Smith"),
    ],
)
def test_a_name_that_is_nobody_s_yet_is_searched_for(
    sessions: sessionmaker[Session], workspace: str, text: str, looked_for: str
) -> None:
    best = run_at_once(sessions, workspace, text)
    assert (best.action.id, best.args["text"]) == ("contacts", looked_for)


@pytest.mark.parametrize("text", ["busca vuelos a Roma", "search flights to Rome"])
def test_a_place_to_travel_to_is_no_name_to_search(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert decide(ask(sessions, workspace, text)).kind == "nothing"


@pytest.mark.parametrize(
    ("text", "template", "contact"),
    [
        ("sent Adatum the invoice", "INVOICE", "CT000008"),
        ("le mandé la cotización a Contoso", "QUOTE", "CT000003"),
        ("John Smith rang us back this morning", "PHONE", "CT000001"),
        ("had coffee with Laura Fernández", "MEETING", "CT000009"),
        ("café con Ana Martínez esta mañana", "MEETING", "CT000006"),
    ],
)
def test_what_was_done_with_a_contact_told_in_passing_is_logged(
    sessions: sessionmaker[Session], workspace: str, text: str, template: str, contact: str
) -> None:
    best = run_at_once(sessions, workspace, text)
    assert best.action.id == "create_interaction"
    assert (best.args["template"], best.args["contact"]) == (template, contact)


def test_a_to_do_with_a_kind_of_interaction_is_a_task_not_one_told(
    sessions: sessionmaker[Session], workspace: str
) -> None:
    assert ask(sessions, workspace, "set a to-do: visit Fabrikam on Thursday")[0].action.id == "add_task"


@pytest.mark.parametrize(
    "text", ["delete all my emails", "borra todos mis correos", "delete the draft email"]
)
def test_a_purge_is_never_asked_about_unless_the_sentence_names_what_it_removes(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert decide(ask(sessions, workspace, text)).kind in ("choose", "nothing")


@pytest.mark.parametrize("text", ["purge all canceled entries", "borrá los movimientos cancelados"])
def test_a_purge_named_in_full_is_asked_about(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    best = run_at_once(sessions, workspace, text)
    assert best.action.id == "delete_canceled_entries"


@pytest.mark.parametrize(
    ("text", "template", "contact"),
    [
        ("can u log a call w/ Contoso? talked abt the renewal", "PHONE", "CT000003"),
        ("platiqué con Carlos Ruiz por teléfono", "PHONE", "CT000010"),
    ],
)
def test_chat_spelling_and_regional_verbs_still_log_the_interaction(
    sessions: sessionmaker[Session], workspace: str, text: str, template: str, contact: str
) -> None:
    best = run_at_once(sessions, workspace, text)
    assert best.action.id == "create_interaction"
    assert (best.args["template"], best.args["contact"]) == (template, contact)


@pytest.mark.parametrize(
    ("text", "entry"),
    [("note on 12 that they called back", 12), ("apunta en la 88 que quieren descuento", 88)],
)
def test_noting_something_on_an_entry_is_a_comment_on_it(
    sessions: sessionmaker[Session], workspace: str, text: str, entry: int
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args["entry_no"]) == ("comment_entry", entry)


@pytest.mark.parametrize("word", ["contract", "contrato", "month", "rato"])
def test_an_everyday_word_spelled_like_one_of_tell_me_s_is_not_read_as_it(word: str) -> None:
    assert ROUTER.ranker.resolve(word) == {}


@pytest.mark.parametrize(
    "text", ["mailed the contract to Contoso", "le mandé el contrato a Contoso por correo"]
)
def test_a_document_sent_to_a_contact_is_no_contact_to_list(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args["contact"], best.args["template"]) == (
        "create_interaction",
        "CT000003",
        "EMAIL",
    )


@pytest.mark.parametrize(
    ("text", "action_id"),
    [
        ("marca la tarea 3 como hecha", "complete_task"),
        ("marca la 55 como negativa", "evaluate"),
        ("le marqué a Peter Jones y no me contestó", "create_interaction"),
    ],
)
def test_marcar_como_is_marking_and_marcar_a_someone_is_a_call(
    sessions: sessionmaker[Session], workspace: str, text: str, action_id: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == action_id


@pytest.mark.parametrize("text", ["lista de contactos", "show me the contacts"])
def test_contacts_in_the_plural_list_them_rather_than_open_one_card(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert run_at_once(sessions, workspace, text).action.id == "contacts"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("schedule a meeting with Contoso for thursday", "2026-11-26"),
        ("book a call with Fabrikam next monday", "2026-11-30"),
        ("agenda una reunión con Fabrikam para el jueves", "2026-11-26"),
        ("registra una visita a Contoso el próximo lunes", "2026-11-30"),
        ("visita a Contoso el lunes que viene", "2026-11-30"),
    ],
)
def test_a_weekday_said_as_one_to_come_is_the_coming_one_even_when_logging(
    sessions: sessionmaker[Session], workspace: str, text: str, day: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args.get("date")) == ("create_interaction", day)


@pytest.mark.parametrize("text", ["met Contoso on thursday", "visité a Contoso el jueves"])
def test_a_bare_weekday_when_logging_is_the_last_one(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert ask(sessions, workspace, text)[0].args.get("date") == "2026-11-19"


@pytest.mark.parametrize("text", ["record that Fabrikam never picked up", "called Contoso, nobody picked up"])
def test_nobody_picking_up_is_a_failed_attempt(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args.get("failed")) == ("create_interaction", True)


def test_someone_picking_up_is_no_failed_attempt(sessions: sessionmaker[Session], workspace: str) -> None:
    assert "failed" not in ask(sessions, workspace, "called Contoso, he picked up at once")[0].args


@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("hablamos con Adatum, quedaron contentos", "positive"),
        ("visité a Contoso, quedaron encantadas", "positive"),
        ("met Fabrikam, they were delighted", "positive"),
        ("la reunión con Contoso salió fatal", "very-negative"),
    ],
)
def test_how_it_went_is_read_in_any_form_of_the_word(
    sessions: sessionmaker[Session], workspace: str, text: str, rating: str
) -> None:
    assert ask(sessions, workspace, text)[0].args.get("evaluation") == rating


@pytest.mark.parametrize(
    "text", ["deshacé la anulación de la 81", "deshaga la anulación del 81", "undid cancel 81"]
)
def test_any_form_of_a_reversal_verb_turns_the_action_round(text: str) -> None:
    best = search(text, today=TODAY)[0]
    assert (best.action.id, best.args.get("entry_nos")) == ("restore_entry", [81])


@pytest.mark.parametrize("text", ["where's Fabrikam located?", "¿dónde está ubicada Fabrikam?"])
def test_where_a_contact_is_located_asks_for_its_address(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args.get("field")) == ("contact_card", "address")


@pytest.mark.parametrize(
    ("text", "template"),
    [("wrote a letter to Laura Fernández", "LETTER"), ("le escribí un correo a Laura Fernández", "EMAIL")],
)
def test_having_written_to_a_contact_is_an_interaction_of_the_kind_said(
    sessions: sessionmaker[Session], workspace: str, text: str, template: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args.get("template"), best.args.get("contact")) == (
        "create_interaction",
        template,
        "CT000009",
    )


def test_a_slip_of_a_rating_word_is_no_rating_when_it_is_a_politeness_word() -> None:
    assert search("please rate interaction 20 as neutral", today=TODAY)[0].args.get("evaluation") == "neutral"


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("create a segment for the Christmas campaign", "Christmas campaign"),
        ("nuevo segmento para la feria de Barcelona", "feria de Barcelona"),
    ],
)
def test_what_a_new_segment_is_for_is_its_description_without_the_article(
    text: str, description: str
) -> None:
    assert search(text, today=TODAY)[0].args.get("description") == description


@pytest.mark.parametrize(
    "text",
    ["anything logged w/ carlos ruiz yesterday?", "¿qué llamadas le hicimos a Laura Fernández en octubre?"],
)
def test_a_list_whose_arguments_the_sentence_names_runs_though_its_verb_is_loose(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert run_at_once(sessions, workspace, text).action.id == "log_entries"


@pytest.mark.parametrize("text", ["how are you today?", "open gmail", "abre outlook"])
def test_small_talk_with_a_date_and_another_apps_name_run_nothing(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert decide(ask(sessions, workspace, text)).kind != "run"


@pytest.mark.parametrize("text", ["history of ana martinez", "historial de ana martinez"])
def test_a_contacts_whole_name_in_lower_case_names_it_though_a_word_of_it_is_known_otherwise(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args.get("contact")) == ("log_entries", "CT000006")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("create contact Liam O'Brien at Contoso", "Liam O'Brien"),
        ("agrega a Luca D'Angelo de Contoso", "Luca D'Angelo"),
    ],
)
def test_a_new_name_keeps_its_apostrophe(
    sessions: sessionmaker[Session], workspace: str, text: str, name: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args.get("name"), best.args.get("company")) == (
        "add_contact",
        name,
        "CT000003",
    )


@pytest.mark.parametrize("text", ["llamé a María García, todo ok", "called María García, it went ok"])
def test_ok_after_how_it_went_is_positive(sessions: sessionmaker[Session], workspace: str, text: str) -> None:
    assert ask(sessions, workspace, text)[0].args.get("evaluation") == "positive"


def test_ok_alone_rates_nothing(sessions: sessionmaker[Session], workspace: str) -> None:
    assert decide(ask(sessions, workspace, "ok thanks")).kind == "nothing"


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("create template PHONE in group GENERAL", "add_template"),
        ("nuevo segmento SM00001 Primavera", "add_segment"),
    ],
)
def test_a_code_to_create_is_read_as_the_new_code_though_it_is_taken(
    sessions: sessionmaker[Session], workspace: str, text: str, action: str
) -> None:
    best = ask(sessions, workspace, text)[0]
    assert best.action.id == action
    assert best.args.get("code") == text.split()[2]


@pytest.mark.parametrize(
    "text",
    [
        "el número de María García porfa",
        "what's the number of María García?",
        "pasame el tel de María García",
    ],
)
def test_a_contacts_number_is_its_phone(sessions: sessionmaker[Session], workspace: str, text: str) -> None:
    best = ask(sessions, workspace, text)[0]
    assert (best.action.id, best.args.get("contact"), best.args.get("field")) == (
        "contact_card",
        "CT000002",
        "phone",
    )


@pytest.mark.parametrize(
    "text", ["número de interacciones de Contoso", "number of interactions with Contoso"]
)
def test_a_number_of_interactions_is_still_their_statistics(
    sessions: sessionmaker[Session], workspace: str, text: str
) -> None:
    assert ask(sessions, workspace, text)[0].action.id == "statistics"
