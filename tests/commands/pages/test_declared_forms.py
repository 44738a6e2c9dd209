"""The forms every action gets from its declaration when it declares none: asked for without what it
requires (typed, or said in English or Spanish), it opens a form with a field per argument, each by its
kind, and the submitted fields run the action under its policy (a delete still asks first)."""

from dataclasses import replace

import pytest

from commands.context import Context
from commands.forms import Form, FormErrors
from commands.reply import Modal
from commands.router import ROUTER, run
from store.interactions import InteractionInput, create_interaction, get_entry
from tests.conftest import Workspace


def fields(form: Form) -> dict[str, object]:
    return {field.name: field for field in form.fields}


def refused(kind: str, ctx: Context, given: dict[str, str]) -> set[str]:
    with pytest.raises(FormErrors) as failure:
        ROUTER.submit(kind, ctx, given)
    return set(failure.value.errors)


def logged(ctx: Context, workspace: Workspace) -> int:
    with ctx.sessions.begin() as session:
        entry = create_interaction(
            session, ctx.team_id, ctx.user_id, InteractionInput(workspace.john, "PHONE", "Called them")
        )
        return entry.entry_no


def test_add_contact_alone_opens_a_form_of_its_arguments_and_the_form_adds_the_contact(ctx, workspace):
    assert run(ctx, "contact add").modal == Modal("add_contact", {})
    form = ROUTER.form("add_contact", ctx, {})
    shown = fields(form)
    assert (form.title, form.submit) == ("Add Contact", "Add")
    assert list(shown)[:4] == ["name", "type", "company", "email"]
    assert shown["name"].kind == "text" and not shown["name"].optional and shown["name"].max_length == 100
    assert shown["type"].kind == "select" and dict(shown["type"].options) == {
        "": "-",
        "company": "Company",
        "person": "Person",
    }
    companies = dict(shown["company"].options)
    assert shown["company"].kind == "select" and set(companies) == {workspace.adatum, workspace.fabrikam}
    assert refused("add_contact", ctx, {"name": "", "type": "robot"}) == {"name", "type"}
    added = ROUTER.submit(
        "add_contact", ctx, {"name": "Pat Lone", "type": "person", "email": "pat@x.example"}
    )
    assert added.text == "Contact CT000005 created: Pat Lone (person)."


@pytest.mark.parametrize(
    "said", ["add contact", "add a new contact", "añadir contacto", "¿cómo creo un contacto nuevo?"]
)
def test_asking_for_a_new_contact_in_either_language_opens_its_form(ctx, workspace, said):
    reply = run(ctx, said)
    assert reply.modal is not None and reply.modal.kind == "add_contact", reply.text


@pytest.mark.parametrize(
    "said", ["cancel interaction log entry", "cancel an entry", "cancelar movimiento", "anular un movimiento"]
)
def test_a_cancel_that_names_no_entry_opens_its_form_and_cancels_nothing_yet(ctx, workspace, said):
    number = logged(ctx, workspace)
    reply = run(ctx, said)
    assert reply.modal == Modal("cancel_entry", {}), reply.text
    with ctx.sessions() as session:
        assert not get_entry(session, ctx.team_id, number).canceled
    assert refused("cancel_entry", ctx, {"entry_nos": "one"}) == {"entry_nos"}
    done = ROUTER.submit("cancel_entry", ctx, {"entry_nos": str(number)})
    assert [b.label for b in done.buttons] == ["Undo"], "canceled as typed: with its Undo"
    with ctx.sessions() as session:
        assert get_entry(session, ctx.team_id, number).canceled


def test_a_delete_from_its_form_still_asks_first(ctx, workspace):
    assert run(ctx, "template delete").modal == Modal("delete_template", {})
    form = ROUTER.form("delete_template", ctx, {})
    assert {value for value, _ in fields(form)["template"].options} == {"PHONE", "LETTER", "MEETING"}
    asked = ROUTER.submit("delete_template", ctx, {"template": "MEETING"})
    assert [b.label for b in asked.buttons] == ["Delete", "Keep"]
    assert "MEETING" in run(ctx, "templates").text + str(run(ctx, "templates").table)


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("show attachment", "show_attachment"),
        ("mostrar adjunto", "show_attachment"),
        ("evaluate interaction", "evaluate"),
        ("restaurar segmento grabado", "restore_logged_segment"),
        ("cancelar segmento grabado", "cancel_logged_segment"),
    ],
)
def test_an_action_named_without_its_arguments_asks_for_them(ctx, workspace, said, kind):
    reply = run(ctx, said)
    assert reply.modal is not None and reply.modal.kind == kind, reply.text


@pytest.mark.parametrize("said", ["delete the LETTER template", "borra la plantilla LETTER"])
def test_a_form_is_prefilled_with_what_the_sentence_said_and_its_delete_asks(ctx, workspace, said):
    reply = run(ctx, said)
    assert reply.modal == Modal("delete_template", {"template": "LETTER"}), reply.text
    assert fields(ROUTER.form("delete_template", ctx, reply.modal.values))["template"].value == "LETTER"


@pytest.mark.parametrize("said", ["link channel to contact", "vincular canal a contacto"])
def test_linking_a_channel_without_the_contact_asks_for_it_in_the_channel(ctx, workspace, said):
    in_channel = replace(ctx, channel_id="C0SALES")
    reply = run(in_channel, said)
    assert reply.modal == Modal("link_channel", {}), reply.text
    form = ROUTER.form("link_channel", in_channel, {"contact": workspace.john})
    assert fields(form)["contact"].value == workspace.john
    assert ROUTER.submit("link_channel", in_channel, {"contact": workspace.john}).text.startswith(
        "This channel is linked to John Smith"
    )


def test_a_command_word_with_a_sentence_after_it_is_read_as_the_sentence(ctx, workspace):
    exported = run(ctx, "export interaction log entries")
    assert not exported.error and exported.file is not None, exported.text
    assert run(ctx, "export zzqx wobble").error


def test_a_word_of_the_action_in_a_number_place_asks_for_the_number(ctx, workspace):
    logged(ctx, workspace)
    assert run(ctx, "evaluate interaction").modal == Modal("evaluate", {})
    assert run(ctx, "evaluate 1 purple").error, "a word that is no evaluation is still said to be so"
    assert run(ctx, "cancel banana").error
