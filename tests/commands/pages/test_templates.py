"""Interaction templates and groups as users type them: Delete Interaction Template (admins only, asked
first, its documents going with it) and adding templates with the words people use."""

from sqlalchemy import func, select

from commands.context import Context
from commands.router import run
from store.models import Attachment, InteractionLogEntry, InteractionTemplate, InteractionTemplateLanguage
from store.templates import get_setup
from tests.helpers import add_attachment, clicked


def attach_letter(sessions, team: str) -> int:
    with sessions.begin() as s:
        no = add_attachment(s, team, b"Dear customer")
        s.add(
            InteractionTemplateLanguage(
                team_id=team, template_code="LETTER", language_code="ES", attachment_no=no
            )
        )
    return no


def counts(sessions, team: str) -> tuple[int, int, int]:
    with sessions() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(model).where(model.team_id == team))
            for model in (InteractionTemplate, Attachment, InteractionLogEntry)
        )


def test_deleting_a_template_asks_first_with_what_goes(ctx, sessions, workspace):
    attach_letter(sessions, workspace.team)
    question = run(ctx, "template delete letter")
    assert question.text == "Delete interaction template LETTER (Letter), with its 1 attachment(s)?"
    delete, keep = question.buttons
    assert (delete.label, delete.style, keep.command) == ("Delete", "danger", "keep")
    assert counts(sessions, workspace.team)[:2] == (3, 1), "asking deletes nothing"
    assert run(clicked(ctx), keep.command).text == "Kept: nothing was deleted."


def test_the_delete_button_deletes_the_template_and_its_documents_but_not_its_entries(
    ctx, sessions, workspace
):
    attach_letter(sessions, workspace.team)
    run(ctx, f"log LETTER {workspace.john} Sent the brochure")
    run(ctx, "setup sales-quote LETTER")
    with sessions() as s:
        shown_by_entry = s.scalar(
            select(InteractionLogEntry.attachment_no).where(InteractionLogEntry.team_id == workspace.team)
        )
    delete, _ = run(ctx, "template delete LETTER").buttons
    done = run(clicked(ctx), delete.command)
    assert done.text == "Deleted interaction template LETTER." and done.replace_original
    templates, attachments, entries = counts(sessions, workspace.team)
    assert (templates, entries) == (2, 1), "the entry logged with it stays"
    assert attachments == (1 if shown_by_entry else 0), "only a document an entry still shows is kept"
    with sessions() as s:
        assert get_setup(s, workspace.team) == {}
    assert run(ctx, "templates").table.rows[0][0] == "MEETING"


def test_only_admins_may_delete_a_template(user, sessions, workspace):
    reply = run(user, "template delete LETTER")
    assert reply.error and reply.text.startswith("Only admins may run Delete Interaction Template")
    assert run(clicked(user), "template delete LETTER confirmed").error
    assert counts(sessions, workspace.team)[0] == 3


def test_a_typed_confirmation_or_another_workspace_deletes_nothing(ctx, sessions, workspace):
    assert run(ctx, "template delete LETTER confirmed").buttons, "typed, it only asks"
    stranger = Context(sessions, "TOTHERTEAM", "U9", is_admin=True, clicked=True)
    assert "Template LETTER does not exist" in run(stranger, "template delete LETTER confirmed").text
    assert run(ctx, "template delete NOPE").text.startswith("Template NOPE does not exist.")
    assert counts(sessions, workspace.team)[0] == 3


def test_tell_me_finds_delete_template_for_admins_only(ctx, user):
    assert "Delete Interaction Template" in run(ctx, "tellme eliminar plantilla LETTER").text
    assert "Delete Interaction Template" not in run(user, "tellme eliminar plantilla LETTER").text


def test_template_options_take_the_words_of_either_language(ctx):
    reply = run(
        ctx, "template add VISITA Visita comercial group=CALLS flow=entrante initiated=ellos type=papel"
    )
    assert reply.text == "Interaction template VISITA created in group CALLS."
    row = next(row for row in run(ctx, "templates").table.rows if row[0] == "VISITA")
    assert row[5:] == ("inbound", "them", "hard-copy")
    assert run(ctx, "template add X y flow=sideways").text == "flow= takes outbound|inbound."
