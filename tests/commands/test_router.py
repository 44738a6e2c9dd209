"""The /crm commands as a user types them, through the platform-neutral router."""

from decimal import Decimal

import pytest

from commands import grammar, marks
from commands.context import Context
from commands.inputs import split
from commands.reply import Modal
from commands.router import ROUTER, _sentence, run
from store import segments
from store.attachments import delete_template
from store.frecency import frecency_scores
from store.interactions import comments, get_entry
from store.templates import TemplateDefaults, add_template
from tests.helpers import Died, clicked, dies_between_chunks, fails_in_chunk


def test_log_with_unquoted_name_and_description(ctx, sessions, workspace):
    reply = run(ctx, "log PHONE John Smith Called about the quote")
    assert reply.text == "Recorded: interaction log entry 1." and not reply.error
    with sessions() as s:
        entry = get_entry(s, workspace.team, 1)
        assert (entry.contact_no, entry.description) == (workspace.john, "Called about the quote")


def test_log_with_a_comment_keeps_it_with_the_entry(ctx, sessions, workspace):
    reply = run(ctx, 'log PHONE "John Smith" "Called about the quote" comment="Wants  a discount"')
    assert reply.text == "Recorded: interaction log entry 1."
    with sessions() as s:
        assert [line.comment for line in comments(s, workspace.team, 1)] == ["Wants a discount"]
    detail = run(ctx, "entry 1").paragraphs
    assert detail[-2:] == (f"{ctx.today().isoformat()} · {marks.person('U1')}", "Wants a discount")
    too_long = run(ctx, f'log PHONE "John Smith" comment="{"x" * 2001}"')
    assert too_long.error and "at most 2,000 characters" in too_long.text


def test_log_by_email_or_number_with_an_unquoted_description(ctx, sessions, workspace):
    run(ctx, "log PHONE john@adatum.example Sent the offer")
    run(ctx, f"log PHONE {workspace.jane} Called back")
    with sessions() as s:
        first, second = get_entry(s, workspace.team, 1), get_entry(s, workspace.team, 2)
        assert (first.contact_no, first.description) == (workspace.john, "Sent the offer")
        assert (second.contact_no, second.description) == (workspace.jane, "Called back")


def test_contacts_show_a_person_s_company_by_name(ctx, workspace):
    run(ctx, "contact add Pat Lone type=person")
    lines = {item.text.split("*")[1]: item.text for item in run(ctx, "contacts").items}
    assert "person at Adatum Corporation" in lines["John Smith"]
    assert lines["Pat Lone"].endswith("· person") and "· company ·" in lines["Adatum Corporation"]
    assert "person at Adatum Corporation" in run(ctx, "contacts john").items[0].text, "its company not listed"


def test_typographic_quotes_count_as_quotes(ctx, sessions, workspace):
    run(
        ctx,
        "log PHONE “Jane Doe” Sent the brochure cost=3.75 duration=20 date=2026-11-02 evaluation=positive",
    )
    with sessions() as s:
        entry = get_entry(s, workspace.team, 1)
    assert (entry.contact_no, str(entry.cost), entry.duration, entry.date.isoformat(), entry.evaluation) == (
        workspace.jane,
        "3.75",
        20,
        "2026-11-02",
        "positive",
    )


@pytest.mark.parametrize(
    ("text", "reason", "usage"),
    [
        ("log PHONE John Smith cost=-3", "cost cannot be negative", "/crm log <template>"),
        ("log PHONE John Smith date=someday-ish", "is not a date", "/crm log <template>"),
        ("log NOPE John Smith", "Template NOPE does not exist. Known templates: LETTER, MEETING, PHONE", ""),
        ("entries colour=red", "Unknown option colour=", "/crm entries"),
        ("cancel twelve", "is not an entry number", "/crm cancel"),
        ("evaluate 1 purple", "evaluation= takes", "/crm evaluate"),
        ("log PHONE John Smith " + "x" * 120, "at most 100 characters", ""),
    ],
)
def test_bad_input_gets_a_reason_and_the_usage_and_changes_nothing(
    ctx, sessions, workspace, text, reason, usage
):
    reply = run(ctx, text)
    assert reply.error and reason in reply.text
    assert usage in " ".join(reply.paragraphs)
    assert run(ctx, "entries").text == "Interaction Log Entries: none found."


def test_ambiguous_contact_offers_buttons_that_finish_the_command(ctx, workspace):
    run(ctx, 'contact add "John Smyth" company=CT000001')
    reply = run(ctx, "log PHONE jon smth")
    assert reply.error and "Did you mean" in reply.text
    assert {b.command for b in reply.buttons} >= {f"log PHONE {workspace.john}"}
    assert not run(ctx, f"log PHONE {workspace.john}").error


def test_entries_list_shows_status_and_a_button_per_entry(ctx, workspace):
    for _ in range(12):
        run(ctx, f"log PHONE {workspace.john}")
    run(ctx, "cancel 12")
    first = run(ctx, "entries")
    assert len(first.items) == 10
    assert "canceled" in first.items[0].text and first.items[0].buttons[0].command == "restore 12"
    assert first.items[1].buttons[0].command == "cancel 11"
    (next_page,) = first.buttons
    second = run(ctx, next_page.command)
    assert [item.text.split()[0] for item in second.items] == ["*2*", "*1*"] and not second.buttons
    assert len(run(ctx, "entries canceled=no").items) == 10
    assert len(run(ctx, "entries canceled=yes contact=“John Smith”").items) == 1


def test_delete_canceled_asks_first_and_deletes_only_on_the_button(ctx, sessions, workspace):
    run(ctx, f"log PHONE {workspace.john}")
    run(ctx, f"log PHONE {workspace.jane}")
    run(ctx, "cancel 1, 2")
    question = run(ctx, "delete-canceled")
    assert question.text.startswith("2 canceled interaction log entries would be deleted")
    delete, keep = question.buttons
    assert delete.style == "danger" and delete.confirm
    assert run(ctx, "entries canceled=yes").items, "the typed command must not delete"
    assert run(clicked(ctx), keep.command).text == "Kept: nothing was deleted."
    result = run(clicked(ctx), delete.command)
    assert result.text == "Deleted 2 canceled interaction log entries." and result.replace_original


def test_a_purge_deletes_only_on_the_delete_button_of_its_own_question(ctx, workspace):
    run(ctx, f"log PHONE {workspace.john}")
    run(ctx, "cancel 1")
    run(ctx, "log LETTER segment=newsletter")
    run(ctx, "cancel segment=1")
    # A button carrying the bare command (a Tell Me choice) asks the question; it does not delete.
    assert run(clicked(ctx), "delete-canceled").text.startswith("4 canceled interaction log entries would")
    assert run(clicked(ctx), "delete-canceled-segments").text.startswith("1 canceled logged segment would")
    assert run(ctx, "delete-canceled confirmed").buttons, "typed, even with the word, it only asks"
    assert run(clicked(ctx), "delete-canceled confirmed").buttons, "clicked without its cut-off, it asks"
    assert run(ctx, "entries canceled=yes").items
    assert run(ctx, "logged-segments").table.rows


def test_tell_me_choices_ask_before_anything_destructive(ctx, workspace):
    run(ctx, f"log PHONE {workspace.john}")
    run(ctx, "cancel 1")
    asked = run(ctx, "remove canceled entries")  # the purge asks its own question: nothing is deleted yet
    assert "1 canceled interaction log entry would be deleted" in asked.text
    # Not naming what it removes ("remove entries"), it is only suggested: its button asks the question.
    assert run(ctx, "remove entries").text.startswith(
        "Did you mean *Delete Canceled Interaction Log Entries*"
    )
    assert [b.label for b in asked.buttons] == ["Delete", "Keep"]
    assert run(ctx, "entries canceled=yes").items
    offered = run(ctx, "tellme cancel 1 2")
    assert offered.text.startswith("Did you mean *Cancel Interaction Log Entry*?")
    assert [b.command for b in offered.buttons] == ["cancel 1, 2", "keep"]
    assert offered.buttons[0].confirm and offered.buttons[0].style == "danger"
    asked = run(ctx, "tellme cancel a logged segment")  # which one: its form asks, nothing is canceled
    assert asked.modal == Modal("cancel_logged_segment", {}) and not asked.buttons


def test_setup_needs_a_template_or_none_to_change(ctx):
    reply = run(ctx, "setup sales-invoice")
    assert reply.modal == Modal("template_setup_change", {"document_kind": "sales-invoice"}), "asks which"
    assert not run(ctx, "setup sales-invoice LETTER").error
    assert run(ctx, "setup sales-invoice NOPE").error
    assert ("sales-invoice", "LETTER") in run(ctx, "setup").table.rows
    assert run(ctx, "setup sales-invoice none").text == "sales-invoice documents are no longer logged."


def test_only_admins_delete_or_change_setup(user, workspace):
    assert "Only admins" in run(user, "delete-canceled").text
    assert "Only admins" in run(user, "delete-canceled-segments").text
    assert "Only admins" in run(user, "setup sales-invoice LETTER").text
    assert not run(user, "setup").error


def test_segment_lifecycle(ctx, workspace):
    assert run(ctx, "log LETTER segment=newsletter").text.startswith(
        "Segment NEWSLETTER logged: 3 interaction"
    )
    assert run(ctx, "log LETTER segment=newsletter").error
    assert "canceled, with 3 entries" in run(ctx, "cancel segment=1").text
    assert "restore the logged segment" in run(ctx, "restore 2").text
    assert "restored, with 3 entries" in run(ctx, "restore segment=1").text
    run(ctx, "cancel segment=1")
    delete, _ = run(ctx, "delete-canceled-segments").buttons
    assert run(clicked(ctx), delete.command).text == "Deleted 1 canceled logged segment."


def test_a_segment_being_logged_shows_how_far_it_got_and_refuses_what_would_spoil_it(ctx, monkeypatch):
    monkeypatch.setattr(segments, "CHUNK", 1)
    with monkeypatch.context() as dying:
        dies_between_chunks(dying, after=1)
        with pytest.raises(Died):
            run(ctx, "log LETTER segment=newsletter")
    assert run(ctx, "logged-segments").table.rows[0][4:] == ("1", "logging… 1 of 3")
    assert run(ctx, "segments").table.rows[0][2:] == ("3", "logging… 1 of 3 (1)")
    refused = {
        "log LETTER segment=newsletter": "Segment NEWSLETTER is being logged: 1 of 3 entries so far",
        "cancel segment=1": "Logged segment 1 is still being logged (1 of 3 entries so far): cancel it once",
        "restore segment=1": "Logged segment 1 is still being logged",
        "segment newsletter add Adatum": "Segment NEWSLETTER is being logged (1 of 3 entries so far)",
    }
    for command, message in refused.items():
        reply = run(ctx, command)
        assert reply.error and reply.text.startswith(message), command
    assert run(ctx, "logged-segments").table.rows[0][4:] == ("1", "logging… 1 of 3")


def test_a_segment_log_that_fails_part_way_says_what_was_logged_and_how_to_go_on(ctx, monkeypatch):
    monkeypatch.setattr(segments, "CHUNK", 2)
    with monkeypatch.context() as failing:
        fails_in_chunk(failing, chunk=2)
        stopped = run(ctx, "log LETTER segment=newsletter")
    assert stopped.error
    assert stopped.text == (
        "Logging segment NEWSLETTER stopped after 2 of 3 entries (logged segment 1): the database failed."
    )
    assert stopped.paragraphs == (
        "The entries written so far are kept. Log the rest with `/crm log LETTER segment=NEWSLETTER`, or "
        "cancel what was logged with `/crm cancel segment=1`.",
    )
    assert run(ctx, "logged-segments").table.rows[0][4:] == ("2", "stopped at 2 of 3")
    form = ROUTER.form("log_segment", ctx, {"segment": "newsletter"})
    assert dict(form.fields[0].options)["NEWSLETTER"] == "NEWSLETTER · Autumn newsletter (stopped at 2 of 3)"
    done = run(ctx, "log LETTER segment=newsletter")
    assert done.text == "Segment NEWSLETTER logged: 3 interaction log entries (logged segment 1)."
    assert run(ctx, "logged-segments").table.rows[0][4:] == ("3", "")
    assert len(run(ctx, "entries segment=newsletter").items) == 3


def test_postpone_and_resume(ctx, workspace):
    assert run(ctx, f"log PHONE {workspace.john} Draft postpone").text.startswith("Saved for later")
    assert len(run(ctx, "postponed").items) == 1
    assert run(ctx, "entries").text == "Interaction Log Entries: none found."
    assert run(ctx, "resume 1 Final words").text.startswith("Resumed")
    assert len(run(ctx, "entries").items) == 1


def test_log_without_arguments_opens_the_form(ctx):
    assert run(ctx, "log").modal.kind == "create_interaction"


def test_stats_per_template_and_contact(ctx, workspace):
    run(ctx, f"log PHONE {workspace.john}")
    run(ctx, f"log LETTER {workspace.jane}")
    table = run(ctx, "stats").table
    assert {row[0]: row[1] for row in table.rows} == {"PHONE": "1", "LETTER": "1"}
    assert run(ctx, "stats contact=CT000001").table.rows[0][1:] == ("2", "3.70", "15")


def test_free_text_goes_to_tell_me(ctx, workspace):
    reply = run(ctx, "log a call with jon smth")
    assert reply.text.startswith("Understood: Create Interaction. Recorded")
    purge = run(ctx, "delete canceled interaction log entries")
    assert not any(b.style == "danger" for b in purge.buttons) or purge.buttons[0].confirm
    assert run(ctx, "zzqx wobble").text.startswith("I could not find an action")


def test_help_lists_every_command_under_its_topic(ctx):
    pages = {section.topic: run(ctx, f"help {section.topic}") for section in ROUTER.sections}
    text = "\n".join(item.text for page in pages.values() for item in page.items)
    for command in ("/crm entries", "/crm log", "/crm delete-canceled", "/crm setup", "/crm task add"):
        assert command in text
    listed = [a for a in ROUTER.actions if a.policy.listed and a.id not in ("help", "tellme")]
    assert all(f"`{action.usage}`" in text for action in listed)


SAMPLE_ARGS = {
    "entry_nos": [3],
    "entry_no": 3,
    "contacts": ["John Smith"],
    "failed": True,
    "postpone": True,
    "canceled": "yes",
    "before": 9,
}


@pytest.mark.parametrize("action", ROUTER.actions, ids=lambda action: action.id)
def test_the_command_of_an_action_runs_that_action(action):
    """Tell Me and every button run an action through the command text its declaration writes."""
    args = {arg.name: SAMPLE_ARGS.get(arg.name, "X Y") for arg in action.args}
    if "segment" in args and action.arg_by_name["segment"].kind.label.startswith("a logged"):
        args["segment"] = 4
    text = action.command_text(args)
    assert grammar.match(ROUTER.actions, split(text)) is action, text


def test_only_what_tell_me_runs_counts_for_its_ranking(ctx, sessions, workspace):
    run(ctx, "log LETTER segment=newsletter")  # typed exactly: no ranking was needed
    run(ctx, "cancel segment=1")
    with sessions() as s:
        assert frecency_scores(s, workspace.team, "U1") == {}
    run(ctx, "log a call with jon smth")  # Tell Me runs `log PHONE CT...` through the router
    with sessions() as s:
        scores = frecency_scores(s, workspace.team, "U1")
    assert set(scores) == {"create_interaction"}
    assert min(scores.values()) > 0.99, "used once (twice would score 1, once 0.63)"


def test_import_contacts_says_how_and_only_to_admins(ctx, user):
    assert "crm import contacts <file.csv>" in run(ctx, "import contacts").text
    assert "Only admins" in run(user, "import contacts").text
    understood = run(ctx, "importar contactos")
    assert understood.text.startswith("Understood: Import Contacts. Contacts are imported")


def test_tell_me_does_not_offer_what_the_user_may_not_run(user):
    reply = run(user, "delete canceled interaction log entries")
    assert "Delete Canceled Interaction Log Entries" not in reply.text
    assert all("delete-canceled" not in b.command for b in reply.buttons)


def test_entry_offers_its_attachment_as_a_file(ctx, sessions, workspace):
    from tests.helpers import add_attachment

    run(ctx, f"log LETTER {workspace.john}")
    assert run(ctx, "attachment 1").text == "Interaction log entry 1 has no attachment."
    with sessions.begin() as s:
        get_entry(s, workspace.team, 1).attachment_no = add_attachment(s, workspace.team, b"Dear John")
    assert any(b.command == "attachment 1" for b in run(ctx, "entry 1").buttons)
    reply = run(ctx, "attachment 1")
    assert (reply.file.name, reply.file.content) == ("a.txt", b"Dear John")


def test_option_values_of_several_words_need_no_quotes_where_only_options_are_taken(ctx, workspace):
    run(ctx, f"log PHONE {workspace.john} date=2026-11-02")
    run(ctx, f"log PHONE {workspace.jane} date=2026-11-20")
    listed = run(ctx, "entries contact=John Smith from=2026-11-01 to=2026-11-10")
    assert [item.text.split()[0] for item in listed.items] == ["*1*"]
    assert "Unexpected" in run(ctx, "entries zzqx wobble").text


def test_words_the_grammar_cannot_take_are_read_by_tell_me(ctx, workspace):
    run(ctx, f"log PHONE {workspace.john}")
    run(ctx, f"log PHONE {workspace.fabrikam}")
    listed = run(ctx, "entries John Smith")
    assert listed.text.startswith("Understood: Interaction Log Entries.")
    assert [item.text.split()[0] for item in listed.items] == ["*1*"]


def test_a_company_filter_takes_in_its_people(ctx, workspace):
    run(ctx, f"log PHONE {workspace.john}")
    run(ctx, f"log PHONE {workspace.fabrikam}")
    run(ctx, "cancel 1, 2")
    assert [i.text.split()[0] for i in run(ctx, "entries contact=Adatum").items] == ["*1*"]
    assert run(ctx, "delete-canceled contact=Adatum").text.startswith("1 canceled interaction log entry")


def test_a_filter_takes_numbers_and_codes_in_any_case_and_names_the_ones_that_are_not_there(ctx, workspace):
    run(ctx, f"log PHONE {workspace.john}")
    run(ctx, f"log LETTER {workspace.jane}")

    def listed(text: str) -> list[str]:
        return [item.text.split()[0] for item in run(ctx, text).items]

    assert listed(f"entries contact={workspace.adatum.lower()}") == ["*2*", "*1*"]
    assert listed(f"entries contact={workspace.john.lower()} template=phone group=calls") == ["*1*"]
    assert run(ctx, "entries segment=newsletter").text.endswith(": none found.")  # none logged for it
    assert run(ctx, "entries contact=CT999999").text == "Contact CT999999 does not exist."
    assert run(ctx, "entries template=nope").text.startswith("Template NOPE does not exist.")
    assert run(ctx, "entries group=nope").text.startswith("Interaction group NOPE does not exist.")
    assert run(ctx, "entries segment=nope").text.startswith("Segment NOPE does not exist.")


def test_apostrophes_and_quotes_are_saved_as_typed(ctx, sessions, workspace):
    assert "CT" in run(ctx, 'contact add "Sarah O\'Brien" type=person').text
    assert "Sarah O'Brien" in run(ctx, "contacts O'Brien").items[0].text
    run(ctx, f'log PHONE {workspace.john} Kim\'s "budget" review')
    run(ctx, 'comment 1 Customer said "call me back" — it’s urgent')
    with sessions() as s:
        assert get_entry(s, workspace.team, 1).description == 'Kim\'s "budget" review'
        (comment,) = comments(s, workspace.team, 1)
    assert comment.comment == 'Customer said "call me back" — it’s urgent'


def test_a_word_after_an_option_that_could_be_part_of_its_value_is_asked_about_not_guessed(
    ctx, sessions, workspace
):
    refused = run(ctx, "contact add Tailspin Toys type=company phone=555 0100")
    assert refused.error and 'phone="555 0100"' in refused.text
    assert run(ctx, "contacts Tailspin").text == "No contacts found."
    run(ctx, f"log PHONE {workspace.john} duration=15 Discussed pricing")  # a number takes no more words
    with sessions() as s:
        entry = get_entry(s, workspace.team, 1)
    assert (entry.duration, entry.description) == (15, "Discussed pricing")


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("contact add " + "A" * 140, "name can have at most 100 characters."),
        ("comment 1 " + "x" * 5000, "text can have at most 2,000 characters."),
        ("log PHONE John Smith " + "word " * 60, "description can have at most 100 characters."),
    ],
)
def test_a_value_too_long_is_refused_with_its_limit_not_read_as_another_request(ctx, workspace, text, limit):
    run(ctx, f"log PHONE {workspace.john}")
    refused = run(ctx, text)
    assert refused.error and refused.text == limit


def test_a_contact_named_by_one_word_of_its_name_keeps_the_description_after_it(ctx, sessions, workspace):
    run(ctx, "log PHONE Adatum follow up on the quote")
    run(ctx, "log PHONE Jane quick check-in")
    with sessions() as s:
        first, second = (get_entry(s, workspace.team, no) for no in (1, 2))
    assert (first.contact_no, first.description) == (workspace.adatum, "follow up on the quote")
    assert (second.contact_no, second.description) == (workspace.jane, "quick check-in")


def test_entries_of_a_deleted_template_are_still_found_by_its_code(ctx, sessions, workspace):
    run(ctx, f"log LETTER {workspace.john}")
    with sessions.begin() as s:
        delete_template(s, workspace.team, "U1", "LETTER")
    assert [item.text.split()[0] for item in run(ctx, "entries template=letter").items] == ["*1*"]
    assert run(ctx, "entries template=nope").text.startswith("Template NOPE does not exist.")


def test_an_unknown_template_in_an_export_is_named_not_an_empty_file(ctx):
    reply = run(ctx, "export entries template=NOPE")
    assert reply.error and reply.file is None
    assert reply.text.startswith("Template NOPE does not exist.")


def test_a_typed_cancel_runs_at_once_and_offers_undo(ctx, workspace):
    run(ctx, f"log PHONE {workspace.john}")
    canceled = run(ctx, "cancel 1")
    assert canceled.text == "Canceled 1 entry: 1." and not canceled.replace_original
    (undo,) = canceled.buttons
    assert run(clicked(ctx), undo.command).text == "Restored 1 entry: 1."


def test_choice_words_read_the_same_in_english_and_spanish(ctx, workspace):
    run(ctx, f"log PHONE {workspace.john}")
    run(ctx, f"log PHONE {workspace.jane} evaluation=muy-positiva")
    assert run(ctx, "evaluate 1 positiva").text == "Evaluated 1 entry as positive."
    run(ctx, "cancel 2")
    assert [i.text.split()[0] for i in run(ctx, "entries canceled=sí").items] == ["*2*"]
    assert run(ctx, "evaluate 1 good").text == "Evaluated 1 entry as positive."
    assert (
        run(ctx, "evaluate 1 sideways").text
        == "evaluation= takes very-positive|positive|neutral|negative|very-negative."
    )


def test_an_action_asked_for_without_its_arguments_opens_its_form_prefilled(ctx, workspace):
    reply = run(ctx, f"log contact={workspace.john}")
    assert reply.modal is not None and reply.modal.kind == "create_interaction"
    assert reply.modal.values == {"contact": workspace.john}
    assert run(ctx, "tellme").modal.kind == "tellme"
    assert run(ctx, "comment 3").text == "Interaction log entry 3 does not exist."
    run(ctx, f"log PHONE {workspace.john}")
    assert run(ctx, "comment 1").modal == Modal("comment_entry", {"entry_no": "1"})


def test_reading_a_page_writes_nothing_but_a_read_tell_me_ran_counts(ctx, sessions, workspace):
    run(ctx, "entries")
    run(ctx, f"contacts {workspace.john}")
    with sessions() as s:
        assert frecency_scores(s, workspace.team, "U1") == {}
    understood = run(ctx, "show interactions")
    assert understood.text.startswith("Understood: Interaction Log Entries")
    with sessions() as s:
        assert set(frecency_scores(s, workspace.team, "U1")) == {"log_entries"}


def test_a_page_position_that_is_not_one_is_named(ctx, workspace):
    reply = run(ctx, "entries before=2026-13-01/5")
    assert reply.error and "before=2026-13-01/5 is not a page position" in reply.text


def test_a_database_that_cannot_be_reached_is_named_and_nothing_changes(workspace, tmp_path):
    from store.db import make_engine, session_factory

    away = session_factory(make_engine(f"sqlite:///{tmp_path}/no/such/folder/crm.db"))
    reply = run(Context(away, workspace.team, "U1", is_admin=True), "entries")
    assert reply.error and reply.text.startswith("The database cannot be reached right now")


@pytest.mark.parametrize(
    "text",
    [
        "log me out",
        "log off",
        "cancel my lunch",
        "log my run on strava",
        "cancel my flight",
        "link my github account",  # a contact is never called "my ..."
        "link mi cuenta de github",
    ],
)
def test_a_command_word_opening_a_sentence_about_the_user_s_own_things_runs_nothing(ctx, workspace, text):
    ran: list[str] = []
    original = ROUTER.dispatch

    def dispatch(context, action, args, **kwargs):
        ran.append(action.id)
        return original(context, action, args, **kwargs)

    ROUTER.dispatch = dispatch
    try:
        reply = run(ctx, text)
    finally:
        del ROUTER.dispatch
    assert ran == [] and reply.modal is None
    assert reply.text.startswith("I could not find an action")


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("segment SM00001 add John Smith", False),
        ("segment my list add John Smith", True),
        ("segment the spring newsletter add Peter", True),
        ("segment IT add John Smith", False),  # a code in capitals, whatever it spells
    ],
)
def test_a_pronoun_in_a_command_s_first_place_makes_a_sentence_even_between_its_words(typed, sentence):
    # `segment {segment} add {contacts}`: the first place is the second word, not the one after "add".
    action = ROUTER.by_id["add_contacts_to_segment"]
    assert _sentence(action, split(typed)) is sentence


def test_a_command_word_before_an_article_is_read_as_a_sentence(ctx, workspace):
    assert run(ctx, "log a bug in jira").text.startswith("I could not find an action")
    assert run(ctx, "log a call with jon smth").text.startswith("Understood: Create Interaction. Recorded")


@pytest.mark.parametrize("code", ["IT", "ME", "A", "THE", "OUT"])
def test_a_code_typed_in_capitals_is_a_code_even_when_it_spells_a_word(ctx, sessions, workspace, code):
    with sessions.begin() as s:
        add_template(s, workspace.team, code, "CALLS", TemplateDefaults("Support", Decimal("0"), 5))
    reply = run(ctx, f"log {code} John Smith Fixed the printer")
    assert reply.text == "Recorded: interaction log entry 1.", reply.text
    with sessions() as s:
        entry = get_entry(s, workspace.team, 1)
        assert (entry.template_code, entry.description) == (code, "Fixed the printer")
