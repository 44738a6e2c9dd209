"""Automatic recording: an interaction logged when a business document (invoice, quote, reminder, ...) is
printed or sent, with the template the template setup names for its kind (Business Central's
SegManagement.LogDocument).

With no template set up for the kind, nothing is logged and that is not an error. A template that logs
documents must have no language rows. Each delivery carries the sender's event id: a repeated delivery
logs nothing new and answers with the entry logged the first time, even when two copies arrive at once.
Each new event for the same document number logs a new entry, its Doc. No. Occurrence counted up."""

import datetime as dt
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from store.contacts import find_contact
from store.deliveries import first_delivery
from store.enums import VERSIONED_DOCUMENT_KINDS, DocumentKind
from store.errors import Conflict, Invalid
from store.interactions import InteractionInput, create_interaction
from store.models import (
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTemplateLanguage,
    ProcessedEvent,
    Workspace,
)
from store.templates import template_for_document

SOURCE = "document"
MAX_EVENT_ID = 64
MAX_DOCUMENT_NO = 40
MAX_DESCRIPTION = 100
MAX_SALESPERSON = 50


class InvalidField(Invalid):
    """A document event field is wrong; `field` names it as the webhook and the batch file spell it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class DocumentEvent:
    """A document was printed or sent. `contact` is a contact number, e-mail address or name. Without an
    event id every delivery logs; with one, only the first does."""

    event_id: str
    document_type: DocumentKind
    document_no: str
    contact: str
    date: dt.date | None = None
    description: str = ""
    salesperson: str = ""
    version_no: int | None = None
    preview: bool = False


class RecordStatus(StrEnum):
    LOGGED = "logged"
    DUPLICATE = "duplicate"
    NOT_SET_UP = "not-set-up"
    PREVIEW = "preview"


@dataclass(frozen=True)
class RecordResult:
    status: RecordStatus
    entry: InteractionLogEntry | None = None
    reason: str = ""

    @property
    def logged(self) -> bool:
        return self.status is RecordStatus.LOGGED


def record_document(
    session: Session,
    team_id: str,
    doc: DocumentEvent,
    *,
    user_id: str = "documents",
    now: datetime | None = None,
) -> RecordResult:
    """Log the interaction for a printed or sent document, in the caller's transaction. DomainError when
    the event is malformed, the contact is unknown or ambiguous, or the template has language rows."""
    check_event(doc)
    key = event_key(team_id, doc.event_id) if doc.event_id else ""
    if key and (earlier := session.get(ProcessedEvent, (SOURCE, key))) is not None:
        return _duplicate(session, team_id, earlier)
    if doc.preview:
        return RecordResult(RecordStatus.PREVIEW, reason="A preview logs no interaction.")
    template = template_for_document(session, team_id, doc.document_type)
    if template is None:
        if session.get(Workspace, team_id) is None:
            raise InvalidField(
                "team_id",
                f"no workspace {team_id} uses this CRM; use the id of the Slack workspace it is "
                "installed in, such as T0123ABCD.",
            )
        return RecordResult(
            RecordStatus.NOT_SET_UP,
            reason=f"No interaction template is set up for {doc.document_type.value} documents, "
            "so nothing was logged.",
        )
    _check_template(session, template, doc)
    contact = find_contact(session, team_id, doc.contact)

    if key:
        claimed = _claim(session, team_id, key)
        if claimed is not None:  # a copy of this event was recorded meanwhile
            return _duplicate(session, team_id, claimed)
    entry = create_interaction(
        session,
        team_id,
        user_id,
        InteractionInput(
            contact=contact.no,
            template=template.code,
            description=doc.description,
            date=doc.date,
            salesperson=doc.salesperson,
            document_type=doc.document_type.value,
            document_no=doc.document_no.strip(),
            version_no=doc.version_no or 0,
        ),
        now=now,
    )
    entry.salesperson = doc.salesperson or contact.salesperson
    # Counted after the entry number is reserved: that locks the workspace's entry series, so two
    # events for one document in concurrent transactions count one after the other.
    entry.doc_no_occurrence = 1 + (
        session.scalar(
            select(func.max(InteractionLogEntry.doc_no_occurrence)).where(
                InteractionLogEntry.team_id == team_id,
                InteractionLogEntry.document_type == entry.document_type,
                InteractionLogEntry.document_no == entry.document_no,
                InteractionLogEntry.entry_no != entry.entry_no,
            )
        )
        or 0
    )
    if key:
        session.execute(
            update(ProcessedEvent)
            .where(ProcessedEvent.source == SOURCE, ProcessedEvent.event_id == key)
            .values(result=json.dumps({"entry_no": entry.entry_no})),
            execution_options={"synchronize_session": False},
        )
    session.flush()
    return RecordResult(RecordStatus.LOGGED, entry)


def event_key(team_id: str, event_id: str) -> str:
    """Event ids are the sender's own, so they are unique only within a workspace."""
    return f"{team_id}:{event_id}"


def check_event(doc: DocumentEvent) -> None:
    limits = {
        "event_id": (doc.event_id, MAX_EVENT_ID),
        "document_no": (doc.document_no, MAX_DOCUMENT_NO),
        "description": (doc.description, MAX_DESCRIPTION),
        "salesperson": (doc.salesperson, MAX_SALESPERSON),
    }
    for field, (value, limit) in limits.items():
        if len(value) > limit:
            raise InvalidField(field, f"at most {limit} characters.")
    if not doc.document_no.strip():
        raise InvalidField("document_no", "the document number is required.")
    if not doc.contact.strip():
        raise InvalidField("contact", "say which contact: a number such as CT000001, an e-mail or a name.")
    if doc.version_no is not None:
        if doc.version_no < 0:
            raise InvalidField("version_no", "a version number is 0 or more.")
        if doc.version_no and doc.document_type not in VERSIONED_DOCUMENT_KINDS:
            raise InvalidField(
                "version_no", f"only quotes and orders have versions, {doc.document_type.value} has none."
            )


def _check_template(session: Session, template: InteractionTemplate, doc: DocumentEvent) -> None:
    languages = session.scalars(
        select(InteractionTemplateLanguage.language_code).where(
            InteractionTemplateLanguage.team_id == template.team_id,
            InteractionTemplateLanguage.template_code == template.code,
        )
    ).all()
    if languages:
        listed = ", ".join(code or "(default)" for code in sorted(languages))
        raise Conflict(
            f"Template {template.code} logs {doc.document_type.value} documents but has language rows "
            f"({listed}); a template that logs documents cannot have any. Remove them, or set up another "
            "template."
        )
    if not (doc.description.strip() or template.description.strip()):
        raise InvalidField(
            "description", f"template {template.code} has no description, so the event must give one."
        )


def _claim(session: Session, team_id: str, key: str) -> ProcessedEvent | None:
    """Claim the event, or return the row a concurrent copy of it committed first. The primary key
    decides: on PostgreSQL the second insert waits for the first one's transaction, then does nothing."""
    if first_delivery(session, SOURCE, key, team_id):
        return None
    return session.get(ProcessedEvent, (SOURCE, key), populate_existing=True)


def _duplicate(session: Session, team_id: str, earlier: ProcessedEvent) -> RecordResult:
    entry_no = json.loads(earlier.result or "{}").get("entry_no")
    entry = session.get(InteractionLogEntry, (team_id, entry_no)) if entry_no else None
    if entry is None:
        gone = f" as entry {entry_no}, which has since been deleted" if entry_no else ""
        return RecordResult(RecordStatus.DUPLICATE, reason=f"This event was recorded already{gone}.")
    return RecordResult(RecordStatus.DUPLICATE, entry, reason="This event was recorded already.")
