"""A demo workspace: companies and people, groups, templates, setup, segments and a few weeks of
interactions, built through the same services a user's commands go through, so it obeys every rule.

The first ten contacts (CT000001 John Smith ... CT000010 Carlos Ruiz) and the segments SM00001/SM00002
are the ones the Tell Me benchmark (bench/tellme_queries.jsonl) refers to; keep their order."""

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.cancellation import cancel_entries
from store.contacts import NewContact, add_contact
from store.enums import (
    VERSIONED_DOCUMENT_KINDS,
    ContactType,
    CorrespondenceType,
    DocumentKind,
    Evaluation,
    InformationFlow,
    InitiatedBy,
)
from store.errors import Conflict
from store.filters import CanceledFilter, EntryFilter, count_entries
from store.interactions import InteractionInput, add_comment, create_interaction, evaluate
from store.models import Contact, InteractionGroup, InteractionLogEntry, InteractionTemplate, Segment
from store.segments import add_segment, add_segment_lines, log_segment
from store.templates import TemplateDefaults, add_group, add_template, set_setup

IBERIA_REP = "U0DEMOIBERIA"
"""The colleague who looks after the Spanish-speaking accounts (a made-up Slack user id)."""

Person = ContactType.PERSON
Company = ContactType.COMPANY
Flow = InformationFlow
By = InitiatedBy
Corres = CorrespondenceType

# Each contact with the position (in this list) of its company; a company is added before its people.
CONTACTS: list[tuple[int | None, NewContact]] = [
    (None, NewContact("John Smith", Person, email="john.smith@smithadvisory.example",
        phone="+1 206 555 0142", address="1200 Pine Street", city="Seattle", post_code="98101",
        country="US")),
    (None, NewContact("María García", Person, email="maria.garcia@garciaasesores.example",
        phone="+34 912 345 678", address="Calle de Alcalá 45", city="Madrid", post_code="28014",
        country="ES", language_code="ES", salesperson=IBERIA_REP)),
    (None, NewContact("Contoso Ltd.", Company, email="info@contoso.example", phone="+44 20 7946 0123",
        address="5 Market Street", city="London", post_code="EC2A 4NE", country="GB")),
    (None, NewContact("Fabrikam Inc.", Company, email="sales@fabrikam.example", phone="+1 404 555 0199",
        address="1 Peachtree Center", city="Atlanta", post_code="30303", country="US")),
    (2, NewContact("Peter Jones", Person, email="peter.jones@contoso.example", phone="+44 20 7946 0456",
        address="5 Market Street", city="London", post_code="EC2A 4NE", country="GB")),
    (2, NewContact("Ana Martínez", Person, email="ana.martinez@contoso.example", phone="+34 934 567 210",
        address="Passeig de Gràcia 21", city="Barcelona", post_code="08007", country="ES",
        language_code="ES", salesperson=IBERIA_REP)),
    (3, NewContact("Jürgen Müller", Person, email="juergen.mueller@fabrikam.example",
        phone="+49 89 1234 5678", address="Leopoldstraße 8", city="München", post_code="80802",
        country="DE", language_code="DE")),
    (None, NewContact("Adatum Corporation", Company, email="contact@adatum.example",
        phone="+1 425 555 0100", address="One Adatum Way", city="Redmond", post_code="98052", country="US")),
    (7, NewContact("Laura Fernández", Person, email="laura.fernandez@adatum.example",
        phone="+52 55 5123 4567", address="Paseo de la Reforma 250", city="Ciudad de México",
        post_code="06600", country="MX", language_code="ES", salesperson=IBERIA_REP)),
    (7, NewContact("Carlos Ruiz", Person, email="carlos.ruiz@adatum.example", phone="+52 55 5123 4599",
        address="Paseo de la Reforma 250", city="Ciudad de México", post_code="06600", country="MX",
        language_code="ES", salesperson=IBERIA_REP)),
    (None, NewContact("Distribuciones Alameda S.A.", Company, phone="+34 954 221 300",
        address="Alameda de Hércules 30", city="Sevilla", post_code="41002", country="ES",
        language_code="ES", salesperson=IBERIA_REP, correspondence_type=Corres.HARD_COPY)),
    (10, NewContact("Lucía Navarro", Person, email="lucia.navarro@alameda.example", phone="+34 954 221 317",
        address="Alameda de Hércules 30", city="Sevilla", post_code="41002", country="ES",
        language_code="ES", salesperson=IBERIA_REP)),
    (3, NewContact("Kim Akers", Person, email="kim.akers@fabrikam.example", phone="+1 404 555 0117",
        address="1 Peachtree Center", city="Atlanta", post_code="30303", country="US")),
]  # fmt: skip

GROUPS = [
    ("SALES", "Sales"),
    ("MARKETING", "Marketing"),
    ("SERVICE", "Customer service"),
    ("DOCUMENTS", "Business documents"),
]

TEMPLATES: list[tuple[str, str, TemplateDefaults]] = [
    ("PHONE", "SALES",
     TemplateDefaults("Outbound phone call", Decimal("2.50"), 10, Flow.OUTBOUND, By.US, Corres.BLANK)),
    ("MEETING", "SALES",
     TemplateDefaults("Meeting", Decimal("35.00"), 60, Flow.BLANK, By.US, Corres.BLANK)),
    ("VISIT", "SALES",
     TemplateDefaults("Customer visit", Decimal("120.00"), 120, Flow.OUTBOUND, By.US, Corres.BLANK)),
    ("LETTER", "MARKETING",
     TemplateDefaults("Letter", Decimal("1.20"), 5, Flow.OUTBOUND, By.US, Corres.HARD_COPY)),
    ("EMAIL", "MARKETING",
     TemplateDefaults("E-mail", Decimal("0.10"), 5, Flow.OUTBOUND, By.US, Corres.EMAIL)),
    ("SUPPORT", "SERVICE",
     TemplateDefaults("Support call", Decimal("0"), 15, Flow.INBOUND, By.THEM, Corres.BLANK)),
    ("QUOTE", "DOCUMENTS",
     TemplateDefaults("Sales quote", Decimal("0.50"), 0, Flow.OUTBOUND, By.US, Corres.EMAIL)),
    ("INVOICE", "DOCUMENTS",
     TemplateDefaults("Sales invoice", Decimal("0.50"), 0, Flow.OUTBOUND, By.US, Corres.EMAIL)),
]  # fmt: skip

SETUP = {
    DocumentKind.SALES_INVOICE: "INVOICE",
    DocumentKind.SALES_QUOTE: "QUOTE",
    DocumentKind.OUTGOING_CALL: "PHONE",
    DocumentKind.MEETING_INVITATION: "MEETING",
    DocumentKind.EMAILS: "EMAIL",
}

NEWSLETTER = "SM00001"
NEWSLETTER_DAYS_AGO = 20
SPAIN = "SM00002"


@dataclass
class DemoSummary:
    companies: int = 0
    people: int = 0
    groups: int = 0
    templates: int = 0
    entries: int = 0
    canceled: int = 0
    postponed: int = 0
    segments: list[str] = field(default_factory=list)
    logged_segments: list[int] = field(default_factory=list)


def existing_data(session: Session, team_id: str) -> dict[str, int]:
    """How many contacts, groups, templates, segments and log entries the workspace has (non-zero only)."""
    counts = {
        "contacts": select(func.count()).where(Contact.team_id == team_id),
        "interaction groups": select(func.count()).where(InteractionGroup.team_id == team_id),
        "templates": select(func.count()).where(InteractionTemplate.team_id == team_id),
        "segments": select(func.count()).where(Segment.team_id == team_id),
        "interaction log entries": select(func.count()).where(InteractionLogEntry.team_id == team_id),
    }
    found = {kind: session.scalar(query) or 0 for kind, query in counts.items()}
    return {kind: n for kind, n in found.items() if n}


def build_demo(session: Session, team_id: str, user_id: str, today: date) -> DemoSummary:
    """Fill an empty workspace with the demo data, dated in the weeks before `today`. Refuses (Conflict)
    when the workspace already has data, so a real workspace is never mixed with made-up contacts."""
    found = existing_data(session, team_id)
    if found:
        have = ", ".join(f"{n} {kind}" for kind, n in found.items())
        raise Conflict(
            f"Workspace {team_id} already has data ({have}). The demo only fills an empty workspace: "
            "choose another workspace or an empty database."
        )
    summary = DemoSummary()
    contacts = _add_contacts(session, team_id, summary)
    _add_templates(session, team_id, user_id, summary)
    _add_interactions(session, team_id, user_id, today, contacts, summary)
    return summary


def _add_contacts(session: Session, team_id: str, summary: DemoSummary) -> list[str]:
    numbers: list[str] = []
    for company, new in CONTACTS:
        contact = add_contact(
            session, team_id, replace(new, company=numbers[company] if company is not None else "")
        )
        numbers.append(contact.no)
        if contact.type == ContactType.COMPANY:
            summary.companies += 1
        else:
            summary.people += 1
    return numbers


def _add_templates(session: Session, team_id: str, user_id: str, summary: DemoSummary) -> None:
    for code, description in GROUPS:
        add_group(session, team_id, code, description)
    for code, group, defaults in TEMPLATES:
        add_template(session, team_id, code, group, defaults)
    for kind, template in SETUP.items():
        set_setup(session, team_id, user_id, kind, template)
    summary.groups, summary.templates = len(GROUPS), len(TEMPLATES)


@dataclass(frozen=True)
class _Planned:
    key: str
    days_ago: int
    at: str
    contact: int
    template: str
    description: str = ""
    evaluation: Evaluation = Evaluation.BLANK
    successful: bool = True
    duration: int | None = None
    document: tuple[DocumentKind, str] | None = None


# Five weeks of a sales team's work, oldest first, so entry numbers follow the dates.
PLAN = [
    _Planned("intro-john", 34, "09:30", 0, "PHONE", "Introductory call about the new product line",
             Evaluation.POSITIVE),
    _Planned("brochure-john", 34, "10:05", 0, "EMAIL", "Product brochure and price list"),
    _Planned("demo-contoso", 31, "14:00", 2, "MEETING", "Product demo at Contoso's London office",
             Evaluation.VERY_POSITIVE, duration=90),
    _Planned("quote-contoso", 29, "11:20", 2, "QUOTE", "Quote for 40 annual licences",
             document=(DocumentKind.SALES_QUOTE, "SQ-1001")),
    _Planned("call-maria-failed", 28, "12:10", 1, "PHONE", "Llamada de presentación", successful=False),
    _Planned("call-maria", 27, "09:45", 1, "PHONE", "Llamada de presentación", Evaluation.POSITIVE),
    _Planned("support-kim", 25, "16:30", 12, "SUPPORT", "Question about delivery times",
             Evaluation.NEUTRAL),
    _Planned("letter-alameda", 24, "10:00", 10, "LETTER", "Carta con las condiciones comerciales"),
    _Planned("review-peter", 22, "15:00", 4, "MEETING", "Quarterly business review",
             Evaluation.NEGATIVE),
    _Planned("complaint-peter", 22, "17:40", 4, "SUPPORT", "Complaint about support response times",
             Evaluation.VERY_NEGATIVE),
    _Planned("invoice-contoso", 17, "08:55", 2, "INVOICE", "Invoice for 40 annual licences",
             document=(DocumentKind.SALES_INVOICE, "SI-1001")),
    _Planned("call-laura", 14, "18:00", 8, "PHONE", "Seguimiento de la oferta", Evaluation.POSITIVE),
    _Planned("pricelist-kim", 11, "11:15", 12, "EMAIL", "Updated price list"),
    _Planned("pricelist-fabrikam", 11, "11:25", 3, "EMAIL", "Updated price list", Evaluation.POSITIVE),
    _Planned("meeting-ana", 9, "10:30", 5, "MEETING", "Reunión para revisar el contrato"),
    _Planned("visit-adatum", 7, "13:00", 7, "VISIT", "Visit to Adatum's Redmond campus",
             Evaluation.POSITIVE),
    _Planned("call-carlos-failed", 5, "17:20", 9, "PHONE", "Seguimiento de la visita", successful=False),
    _Planned("call-juergen", 4, "08:40", 6, "PHONE", "Renewal of the support contract",
             Evaluation.NEUTRAL),
    _Planned("quote-alameda", 3, "12:00", 10, "QUOTE", "Oferta de renovación anual",
             document=(DocumentKind.SALES_QUOTE, "SQ-1002")),
    _Planned("support-john", 2, "09:10", 0, "SUPPORT", "Asked how to add more users",
             Evaluation.POSITIVE),
    _Planned("call-peter", 1, "16:05", 4, "PHONE", "Follow-up on the support escalation",
             Evaluation.POSITIVE),
]  # fmt: skip

COMMENTS = {
    "demo-contoso": ["Peter wants a quote for 40 licences before the end of the month."],
    "call-maria-failed": ["Buzón de voz; volver a llamar mañana por la mañana."],
    "review-peter": [
        "Unhappy with support response times on two open tickets.",
        "Escalated to the service team; follow up within a week.",
    ],
    "pricelist-kim": ["Sent to Kim by mistake; the price list was meant for Fabrikam's purchasing team."],
    "meeting-ana": ["Ana canceló la reunión; la volvemos a programar cuando tenga fecha."],
    "call-carlos-failed": ["No answer; his assistant says he is travelling until Friday."],
}
CANCELED = ["pricelist-kim", "meeting-ana"]


def _add_interactions(
    session: Session, team_id: str, user_id: str, today: date, contacts: list[str], summary: DemoSummary
) -> None:
    entry_nos: dict[str, int] = {}
    for plan in PLAN:
        if plan.days_ago < NEWSLETTER_DAYS_AGO and not summary.logged_segments:
            _log_newsletter(
                session, team_id, user_id, today - timedelta(NEWSLETTER_DAYS_AGO), contacts, summary
            )
        document_kind, document_no = plan.document or (None, "")
        versioned = document_kind in VERSIONED_DOCUMENT_KINDS
        entry = create_interaction(
            session,
            team_id,
            user_id,
            InteractionInput(
                contact=contacts[plan.contact],
                template=plan.template,
                description=plan.description,
                date=today - timedelta(days=plan.days_ago),
                time=time.fromisoformat(plan.at),
                duration=plan.duration,
                successful=plan.successful,
                evaluation=plan.evaluation,
                document_type=document_kind.value if document_kind else "",
                document_no=document_no,
                version_no=1 if versioned else 0,
                doc_no_occurrence=1 if versioned else 0,
            ),
        )
        entry_nos[plan.key] = entry.entry_no
        for text in COMMENTS.get(plan.key, []):
            add_comment(session, team_id, user_id, entry.entry_no, text, entry.date)

    add_segment(session, team_id, SPAIN, "Clientes en España")
    add_segment_lines(session, team_id, SPAIN, [contacts[i] for i in (1, 5, 10, 11)])
    summary.segments.append(SPAIN)
    cancel_entries(session, team_id, user_id, [entry_nos[key] for key in CANCELED])

    # Saved with "finish later": it stays out of the log and the statistics until resumed.
    create_interaction(
        session,
        team_id,
        user_id,
        InteractionInput(contacts[3], "MEETING", "Plan the onboarding workshop", date=today),
        postpone=True,
    )
    summary.postponed = 1
    summary.entries = count_entries(session, team_id, EntryFilter())
    summary.canceled = count_entries(session, team_id, EntryFilter(canceled=CanceledFilter.YES))


def _log_newsletter(
    session: Session, team_id: str, user_id: str, day: date, contacts: list[str], summary: DemoSummary
) -> None:
    """The spring newsletter went out by e-mail to six contacts; one address bounced, one reply was warm."""
    add_segment(session, team_id, NEWSLETTER, "Spring newsletter")
    members = [contacts[i] for i in (0, 4, 6, 8, 12, 3)]
    add_segment_lines(session, team_id, NEWSLETTER, members)
    logged = log_segment(
        session,
        team_id,
        user_id,
        NEWSLETTER,
        "EMAIL",
        "Spring release newsletter: 15% off annual plans",
        now=datetime.combine(day, time(8, 0), UTC),
    )
    summary.segments.append(NEWSLETTER)
    summary.logged_segments.append(logged.entry_no)
    by_contact = dict(
        session.execute(
            select(InteractionLogEntry.contact_no, InteractionLogEntry.entry_no).where(
                InteractionLogEntry.team_id == team_id,
                InteractionLogEntry.logged_segment_entry_no == logged.entry_no,
            )
        ).all()
    )
    evaluate(session, team_id, [by_contact[contacts[0]]], Evaluation.POSITIVE)
    bounced = by_contact[contacts[6]]
    add_comment(session, team_id, user_id, bounced, "Bounced: Jürgen has a new e-mail address.", day)
    cancel_entries(session, team_id, user_id, [bounced])
