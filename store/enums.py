"""The option values of the interaction domain, stored as their string values."""

from enum import StrEnum


class ContactType(StrEnum):
    COMPANY = "company"
    PERSON = "person"


class ContactField(StrEnum):
    """The fields a question about a contact asks for ("what's Kim's e-mail?")."""

    EMAIL = "email"
    PHONE = "phone"
    ADDRESS = "address"


class InformationFlow(StrEnum):
    BLANK = ""
    OUTBOUND = "outbound"
    INBOUND = "inbound"


class InitiatedBy(StrEnum):
    BLANK = ""
    US = "us"
    THEM = "them"


class CorrespondenceType(StrEnum):
    BLANK = ""
    HARD_COPY = "hard-copy"
    EMAIL = "email"


class Evaluation(StrEnum):
    BLANK = ""
    VERY_POSITIVE = "very-positive"
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"
    VERY_NEGATIVE = "very-negative"


class DeliveryStatus(StrEnum):
    BLANK = ""
    IN_PROGRESS = "in-progress"
    ERROR = "error"


class DocumentKind(StrEnum):
    """Business documents whose printing or sending can log an interaction (one per setup field)."""

    EMAILS = "emails"
    EMAIL_DRAFT = "email-draft"
    COVER_SHEET = "cover-sheet"
    OUTGOING_CALL = "outgoing-call"
    MEETING_INVITATION = "meeting-invitation"
    SLACK_MESSAGE = "slack-message"
    SALES_INVOICE = "sales-invoice"
    SALES_CREDIT_MEMO = "sales-credit-memo"
    SALES_ORDER_CONFIRMATION = "sales-order-confirmation"
    SALES_DRAFT_INVOICE = "sales-draft-invoice"
    SALES_QUOTE = "sales-quote"
    SALES_BLANKET_ORDER = "sales-blanket-order"
    SALES_SHIPMENT_NOTE = "sales-shipment-note"
    SALES_STATEMENT = "sales-statement"
    SALES_REMINDER = "sales-reminder"
    SALES_RETURN_ORDER = "sales-return-order"
    SALES_RETURN_RECEIPT = "sales-return-receipt"
    SALES_FINANCE_CHARGE_MEMO = "sales-finance-charge-memo"
    PURCHASE_INVOICE = "purchase-invoice"
    PURCHASE_CREDIT_MEMO = "purchase-credit-memo"
    PURCHASE_ORDER = "purchase-order"
    PURCHASE_QUOTE = "purchase-quote"
    PURCHASE_BLANKET_ORDER = "purchase-blanket-order"
    PURCHASE_RECEIPT = "purchase-receipt"
    PURCHASE_RETURN_SHIPMENT = "purchase-return-shipment"
    PURCHASE_RETURN_ORDER_CONFIRMATION = "purchase-return-order-confirmation"
    SERVICE_ORDER_CREATE = "service-order-create"
    SERVICE_ORDER_POST = "service-order-post"
    SERVICE_CONTRACT = "service-contract"
    SERVICE_CONTRACT_QUOTE = "service-contract-quote"
    SERVICE_QUOTE = "service-quote"


VERSIONED_DOCUMENT_KINDS = frozenset(
    {
        DocumentKind.SALES_QUOTE,
        DocumentKind.SALES_ORDER_CONFIRMATION,
        DocumentKind.SALES_BLANKET_ORDER,
        DocumentKind.PURCHASE_QUOTE,
        DocumentKind.PURCHASE_ORDER,
        DocumentKind.PURCHASE_BLANKET_ORDER,
    }
)
"""Quotes and orders keep a version number and count how often the same document was logged."""


class TaskType(StrEnum):
    BLANK = ""
    MEETING = "meeting"
    PHONE_CALL = "phone-call"


class TaskPriority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class TaskStatus(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    WAITING = "waiting"
    POSTPONED = "postponed"
