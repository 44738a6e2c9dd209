from decimal import Decimal

import pytest

from store.attachments import delete_template
from store.enums import DocumentKind
from store.errors import Conflict, Invalid, NotFound
from store.models import InteractionTemplateLanguage
from store.templates import (
    TemplateDefaults,
    add_group,
    add_template,
    get_setup,
    get_template,
    set_setup,
    template_for_document,
)
from tests.helpers import add_attachment


def test_template_needs_an_existing_group(session, team, workspace):
    with pytest.raises(Invalid, match="needs an interaction group"):
        add_template(session, team, "FAX", "", TemplateDefaults("Fax"))
    with pytest.raises(NotFound, match="Known interaction groups: CALLS, LETTERS"):
        add_template(session, team, "FAX", "NOPE", TemplateDefaults("Fax"))


def test_template_defaults_are_checked(session, team, workspace):
    with pytest.raises(Invalid, match="cannot be negative"):
        add_template(session, team, "FAX", "CALLS", TemplateDefaults("Fax", unit_cost=Decimal("-1")))
    with pytest.raises(Invalid, match="language code can have at most 10"):
        add_template(session, team, "FAX", "CALLS", TemplateDefaults("Fax", language_code="ENGLISH-US-1"))
    with pytest.raises(Conflict, match="already exists"):
        add_template(session, team, "phone", "CALLS", TemplateDefaults("Again"))
    with pytest.raises(Conflict, match="already exists"):
        add_group(session, team, "calls", "Again")


def test_default_correspondence_type_is_email(session, team, workspace):
    assert get_template(session, team, "letter").correspondence_type == "email"


def test_unknown_template_lists_known_ones(session, team, workspace):
    with pytest.raises(
        NotFound, match=r"Template CALL does not exist\. Known templates: LETTER, MEETING, PHONE"
    ):
        get_template(session, team, "call")


def test_setup_maps_document_kinds_and_is_audited(session, team, workspace):
    assert template_for_document(session, team, DocumentKind.SALES_INVOICE) is None
    set_setup(session, team, "U1", DocumentKind.SALES_INVOICE, "letter")
    assert get_setup(session, team) == {DocumentKind.SALES_INVOICE: "LETTER"}
    assert template_for_document(session, team, DocumentKind.SALES_INVOICE).code == "LETTER"
    set_setup(session, team, "U1", DocumentKind.SALES_INVOICE, "")
    assert get_setup(session, team) == {}


def test_setup_refuses_templates_with_attachments(session, team, workspace):
    no = add_attachment(session, team)
    session.add(
        InteractionTemplateLanguage(
            team_id=team, template_code="LETTER", language_code="ES", attachment_no=no
        )
    )
    with pytest.raises(Conflict, match="has attachments"):
        set_setup(session, team, "U1", DocumentKind.SALES_QUOTE, "LETTER")
    set_setup(session, team, "U1", DocumentKind.MEETING_INVITATION, "LETTER")


def test_deleting_a_template_removes_its_setup(session, team, workspace):
    set_setup(session, team, "U1", DocumentKind.SALES_QUOTE, "LETTER")
    delete_template(session, team, "U1", "LETTER")
    session.expire_all()
    assert get_setup(session, team) == {}
