"""Interaction groups, interaction templates and the template setup for document logging."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from store import audit
from store.enums import CorrespondenceType, DocumentKind, InformationFlow, InitiatedBy
from store.errors import Conflict, Invalid, not_found
from store.models import InteractionGroup, InteractionTemplate, InteractionTemplateLanguage, TemplateSetup
from store.workspaces import ensure_workspace

MAX_CODE = 20


def normalize_code(code: str, kind: str) -> str:
    code = code.strip().upper()
    if not code:
        raise Invalid(f"A {kind} needs a code.")
    if len(code) > MAX_CODE or " " in code:
        raise Invalid(f"A {kind} code is one word of at most {MAX_CODE} characters.")
    return code


def add_group(session: Session, team_id: str, code: str, description: str) -> InteractionGroup:
    code = normalize_code(code, "group")
    ensure_workspace(session, team_id)
    if session.get(InteractionGroup, (team_id, code)):
        raise Conflict(f"Interaction group {code} already exists.")
    group = InteractionGroup(team_id=team_id, code=code, description=description.strip()[:100])
    session.add(group)
    session.flush()
    return group


def list_groups(session: Session, team_id: str) -> list[InteractionGroup]:
    query = (
        select(InteractionGroup).where(InteractionGroup.team_id == team_id).order_by(InteractionGroup.code)
    )
    return list(session.scalars(query))


def get_group(session: Session, team_id: str, code: str) -> InteractionGroup:
    group = session.get(InteractionGroup, (team_id, code.strip().upper()))
    if group is None:
        raise not_found("interaction group", code.upper(), (g.code for g in list_groups(session, team_id)))
    return group


@dataclass(frozen=True)
class TemplateDefaults:
    description: str = ""
    unit_cost: Decimal = Decimal(0)
    unit_duration: int = 0
    information_flow: InformationFlow = InformationFlow.BLANK
    initiated_by: InitiatedBy = InitiatedBy.BLANK
    correspondence_type: CorrespondenceType = CorrespondenceType.EMAIL
    ignore_contact_corres_type: bool = False
    language_code: str = ""


def add_template(
    session: Session, team_id: str, code: str, group_code: str, defaults: TemplateDefaults
) -> InteractionTemplate:
    code = normalize_code(code, "template")
    if not group_code.strip():
        raise Invalid("A template needs an interaction group (group=...).")
    group = get_group(session, team_id, group_code)
    if session.get(InteractionTemplate, (team_id, code)):
        raise Conflict(f"Interaction template {code} already exists.")
    _check_defaults(defaults)
    template = InteractionTemplate(
        team_id=team_id,
        code=code,
        group_code=group.code,
        description=defaults.description.strip(),
        unit_cost=defaults.unit_cost,
        unit_duration=defaults.unit_duration,
        information_flow=defaults.information_flow.value,
        initiated_by=defaults.initiated_by.value,
        correspondence_type=defaults.correspondence_type.value,
        ignore_contact_corres_type=defaults.ignore_contact_corres_type,
        language_code=defaults.language_code.strip().upper(),
    )
    session.add(template)
    session.flush()
    return template


def _check_defaults(defaults: TemplateDefaults) -> None:
    if defaults.unit_cost < 0:
        raise Invalid("The unit cost cannot be negative.")
    if defaults.unit_duration < 0:
        raise Invalid("The unit duration cannot be negative.")
    if len(defaults.description) > 100:
        raise Invalid("A description can have at most 100 characters.")
    longest = InteractionTemplate.__table__.c.language_code.type.length
    if len(defaults.language_code.strip()) > longest:
        raise Invalid(f"A language code can have at most {longest} characters.")


def list_templates(session: Session, team_id: str, group_code: str = "") -> list[InteractionTemplate]:
    query = select(InteractionTemplate).where(InteractionTemplate.team_id == team_id)
    if group_code:
        query = query.where(InteractionTemplate.group_code == group_code.upper())
    return list(session.scalars(query.order_by(InteractionTemplate.code)))


def template_descriptions(session: Session, team_id: str) -> list[tuple[str, str]]:
    """(code, description) of every template: what free text is read against."""
    query = select(InteractionTemplate.code, InteractionTemplate.description).where(
        InteractionTemplate.team_id == team_id
    )
    return [(code, description) for code, description in session.execute(query)]


def get_template(session: Session, team_id: str, code: str) -> InteractionTemplate:
    template = session.get(InteractionTemplate, (team_id, code.strip().upper()))
    if template is None:
        known = (t.code for t in list_templates(session, team_id))
        raise not_found("template", code.strip().upper(), known)
    return template


def has_attachments(session: Session, team_id: str, template_code: str) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    InteractionTemplateLanguage.team_id == team_id,
                    InteractionTemplateLanguage.template_code == template_code,
                    InteractionTemplateLanguage.attachment_no.is_not(None),
                )
            )
        )
    )


def set_setup(session: Session, team_id: str, user_id: str, kind: DocumentKind, template_code: str) -> None:
    """Map a document kind to the template that logs it; an empty code removes the mapping. Document
    logging cannot pick a per-contact attachment, so a template with attachments is refused (meeting
    invitations excepted, as in Business Central)."""
    previous = session.get(TemplateSetup, (team_id, kind.value))
    if not template_code.strip():
        if previous:
            session.delete(previous)
            audit.record(session, team_id, user_id, "template_setup_change", kind=kind.value, template=None)
        return
    template = get_template(session, team_id, template_code)
    if kind is not DocumentKind.MEETING_INVITATION and has_attachments(session, team_id, template.code):
        raise Conflict(
            f"Template {template.code} has attachments, so it cannot log {kind.value} documents. "
            "Choose a template without attachments."
        )
    if previous:
        previous.template_code = template.code
    else:
        session.add(TemplateSetup(team_id=team_id, document_kind=kind.value, template_code=template.code))
    audit.record(session, team_id, user_id, "template_setup_change", kind=kind.value, template=template.code)
    session.flush()


def get_setup(session: Session, team_id: str) -> dict[DocumentKind, str]:
    rows = session.execute(
        select(TemplateSetup.document_kind, TemplateSetup.template_code).where(
            TemplateSetup.team_id == team_id
        )
    )
    return {DocumentKind(kind): code for kind, code in rows}


def template_for_document(session: Session, team_id: str, kind: DocumentKind) -> InteractionTemplate | None:
    """None when no template is set up for the kind: then nothing is logged, and that is not an error."""
    setup = session.get(TemplateSetup, (team_id, kind.value))
    return session.get(InteractionTemplate, (team_id, setup.template_code)) if setup else None
