"""Attachments kept in the database: a template's document per language, and the merged copies that
belong to single log entries.

A template's attachment is shared by the entries logged with it, except a Word document with merge
fields: each entry then gets its own merged copy (see store.mailmerge), which goes when its entry goes."""

import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, case, delete, exists, insert, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value

from store import audit
from store.enums import ContactType, DocumentKind
from store.errors import Conflict, Invalid, NotFound
from store.mailmerge import DOCX, check_fields, compile_template, merged_file_name, values_for
from store.models import (
    Attachment,
    Contact,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTemplateLanguage,
    TemplateSetup,
)
from store.numbering import reserve
from store.templates import get_template
from store.types import utcnow

MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024
CHUNK = 250
"""Merged documents written per INSERT, which bounds the memory a large segment needs."""


def _package_with(member: str) -> Callable[[bytes], bool]:
    def fits(content: bytes) -> bool:
        try:
            with zipfile.ZipFile(BytesIO(content)) as package:
                names = set(package.namelist())
        except zipfile.BadZipFile:
            return False
        return {member, "[Content_Types].xml"} <= names

    return fits


def _is_text(content: bytes) -> bool:
    return b"\x00" not in content


def _is_html(content: bytes) -> bool:
    return _is_text(content) and content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


@dataclass(frozen=True)
class FileKind:
    content_type: str
    description: str
    fits: Callable[[bytes], bool]
    aliases: tuple[str, ...] = ()


_JPEG = FileKind("image/jpeg", "a JPEG image", lambda c: c.startswith(b"\xff\xd8\xff"), ("image/jpg",))
_HTML = FileKind("text/html", "an HTML page", _is_html)
FILE_KINDS = {
    ".docx": FileKind(DOCX, "a Word document", _package_with("word/document.xml")),
    ".xlsx": FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "an Excel workbook",
        _package_with("xl/workbook.xml"),
    ),
    ".pptx": FileKind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "a PowerPoint presentation",
        _package_with("ppt/presentation.xml"),
    ),
    ".pdf": FileKind("application/pdf", "a PDF document", lambda c: c.startswith(b"%PDF-")),
    ".txt": FileKind("text/plain", "plain text", _is_text),
    ".csv": FileKind("text/csv", "CSV text", _is_text, ("text/plain", "application/csv")),
    ".html": _HTML,
    ".htm": _HTML,
    ".png": FileKind("image/png", "a PNG image", lambda c: c.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
    ".gif": FileKind("image/gif", "a GIF image", lambda c: c[:6] in (b"GIF87a", b"GIF89a")),
    ".webp": FileKind("image/webp", "a WebP image", lambda c: c[:4] == b"RIFF" and c[8:12] == b"WEBP"),
}
"""What can be attached, by file name extension; `fits` checks that the bytes are of that kind."""
UNSPECIFIC_TYPES = {"", "application/octet-stream", "binary/octet-stream", "application/zip"}
"""Content types that say nothing about the file; its name then decides."""


def check_file(file_name: str, content: bytes, content_type: str) -> tuple[str, str]:
    """The file's name without folders and its content type, once its name, size, claimed type and bytes
    all agree. Invalid says which of them is wrong."""
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        raise Invalid("The file needs a name, such as welcome.docx.")
    if len(name) > 250:
        raise Invalid("A file name can have at most 250 characters.")
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = FILE_KINDS.get(extension)
    if kind is None:
        allowed = ", ".join(FILE_KINDS)
        raise Invalid(f"{name} cannot be attached: only these kinds of file can ({allowed}).")
    if not content:
        raise Invalid(f"{name} is empty.")
    check_size(name, len(content))
    claimed = content_type.split(";", 1)[0].strip().lower()
    if claimed not in UNSPECIFIC_TYPES and claimed != kind.content_type and claimed not in kind.aliases:
        raise Invalid(f"{name} was sent as {claimed}, which does not fit a {extension} file.")
    if not kind.fits(content):
        raise Invalid(f"{name} is not {kind.description}: its content does not match its {extension} name.")
    return name, kind.content_type


def check_size(file_name: str, size: int) -> None:
    """Invalid when a file is too large to attach: callers that know the size check it before reading."""
    if size > MAX_ATTACHMENT_SIZE:
        limit = human_size(MAX_ATTACHMENT_SIZE)
        raise Invalid(f"{file_name} is {human_size(size)}; an attachment can be at most {limit}.")


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def attach_to_template(
    session: Session,
    team_id: str,
    template_code: str,
    file_name: str,
    content: bytes,
    content_type: str,
    language_code: str = "",
) -> Attachment:
    """Store a file as the template's attachment for a language (blank: the template's default language),
    replacing the one it had. The bytes must fit the file's type; a Word document's merge fields must be
    known ones. Templates that log business documents cannot have attachments."""
    template = get_template(session, team_id, template_code)
    documents = session.scalars(
        select(TemplateSetup.document_kind).where(
            TemplateSetup.team_id == team_id,
            TemplateSetup.template_code == template.code,
            TemplateSetup.document_kind != DocumentKind.MEETING_INVITATION.value,
        )
    ).all()
    if documents:
        raise Conflict(
            f"Template {template.code} logs {', '.join(sorted(documents))} documents, and templates that "
            "log documents cannot have attachments. Use another template, or change the template setup."
        )
    language = (language_code.strip() or template.language_code).upper()
    if len(language) > 10:
        raise Invalid("A language code has at most 10 characters, such as ES or EN-US.")
    file_name, content_type = check_file(file_name, content, content_type)
    if content_type == DOCX:
        check_fields(compile_template(content), file_name)

    attachment = Attachment(
        team_id=team_id,
        no=_next_attachment_nos(session, team_id),
        file_name=file_name,
        content_type=content_type,
        size=len(content),
        content=content,
    )
    session.add(attachment)
    session.flush()
    row = session.get(InteractionTemplateLanguage, (team_id, template.code, language))
    replaced = row.attachment_no if row else None
    if row is None:
        row = InteractionTemplateLanguage(
            team_id=team_id, template_code=template.code, language_code=language, description=""
        )
        session.add(row)
    row.attachment_no = attachment.no
    session.flush()
    drop_unused_attachments(session, team_id, [replaced])
    return attachment


def _next_attachment_nos(session: Session, team_id: str, count: int = 1) -> int:
    """A segment's documents (count > 1) take their numbers apart (store.numbering)."""
    return reserve(
        session,
        team_id,
        "attachment",
        count,
        in_use=Attachment.no,
        apart=count > 1,
    )


def get_attachment(session: Session, team_id: str, attachment_no: int) -> Attachment:
    attachment = session.get(Attachment, (team_id, attachment_no))
    if attachment is None:
        raise NotFound(f"Attachment {attachment_no} does not exist.")
    return attachment


def entry_attachment(session: Session, team_id: str, entry_no: int) -> Attachment | None:
    """The entry's document (merged for it, or shared with its template), if it has one."""
    entry = session.get(InteractionLogEntry, (team_id, entry_no))
    if entry is None:
        raise NotFound(f"Interaction log entry {entry_no} does not exist.")
    return get_attachment(session, team_id, entry.attachment_no) if entry.attachment_no else None


def template_attachments(session: Session, team_id: str, template_code: str) -> list[tuple[str, Attachment]]:
    """(language code, attachment) for each language of the template that has one."""
    template = get_template(session, team_id, template_code)
    query = (
        select(InteractionTemplateLanguage.language_code, Attachment)
        .join(
            Attachment,
            and_(
                Attachment.team_id == InteractionTemplateLanguage.team_id,
                Attachment.no == InteractionTemplateLanguage.attachment_no,
            ),
        )
        .where(
            InteractionTemplateLanguage.team_id == team_id,
            InteractionTemplateLanguage.template_code == template.code,
        )
        .order_by(InteractionTemplateLanguage.language_code)
    )
    return [(language, attachment) for language, attachment in session.execute(query)]


def delete_template(session: Session, team_id: str, user_id: str, code: str) -> InteractionTemplate:
    """Its language rows and setup mappings go with it, and so do its attachments that no log entry
    shows; log entries that used it stay as they were."""
    template = get_template(session, team_id, code)
    attachment_nos = session.scalars(
        select(InteractionTemplateLanguage.attachment_no).where(
            InteractionTemplateLanguage.team_id == team_id,
            InteractionTemplateLanguage.template_code == template.code,
        )
    ).all()
    session.delete(template)
    session.flush()
    drop_unused_attachments(session, team_id, attachment_nos)
    audit.record(session, team_id, user_id, "delete_template", template=template.code)
    return template


def drop_unused_attachments(session: Session, team_id: str, numbers: Iterable[int | None]) -> None:
    """Delete those of these attachments that no entry and no template language refers to any more."""
    numbers = {no for no in numbers if no is not None}
    if not numbers:
        return
    used_by_entry = exists().where(
        InteractionLogEntry.team_id == team_id, InteractionLogEntry.attachment_no == Attachment.no
    )
    used_by_template = exists().where(
        InteractionTemplateLanguage.team_id == team_id,
        InteractionTemplateLanguage.attachment_no == Attachment.no,
    )
    session.execute(
        delete(Attachment).where(
            Attachment.team_id == team_id, Attachment.no.in_(numbers), ~used_by_entry, ~used_by_template
        ),
        execution_options={"synchronize_session": "fetch"},
    )


def merge_entry_document(session: Session, entry: InteractionLogEntry) -> None:
    """Give a new entry its own merged copy when its attachment is a Word document with merge fields."""
    if entry.attachment_no is None:
        return
    merged = merge_entry_documents(session, entry.team_id, InteractionLogEntry.entry_no == entry.entry_no)
    if entry.entry_no in merged:
        set_committed_value(entry, "attachment_no", merged[entry.entry_no])


def merge_entry_documents(session: Session, team_id: str, which: ColumnElement[bool]) -> dict[int, int]:
    """Merge a document for each entry that `which` selects whose attachment is a Word document with merge
    fields, and point the entry at it. Each template document is parsed once; documents are inserted and
    entries updated in bulk. Returns {entry no: merged attachment no}."""
    entry = InteractionLogEntry
    used = select(entry.attachment_no).where(entry.team_id == team_id, which)
    sources = session.execute(
        select(Attachment.no, Attachment.file_name, Attachment.content).where(
            Attachment.team_id == team_id, Attachment.content_type == DOCX, Attachment.no.in_(used)
        )
    ).all()
    templates = {}
    for no, file_name, content in sources:
        compiled = compile_template(content)
        if compiled.fields:
            templates[no] = (file_name, compiled)
    if not templates:
        return {}

    rows = session.execute(_merge_rows(team_id, which, list(templates))).mappings().all()
    first = _next_attachment_nos(session, team_id, len(rows))
    created_at = utcnow()
    merged: dict[int, int] = {}
    for start in range(0, len(rows), CHUNK):
        files = []
        for no, row in enumerate(rows[start : start + CHUNK], first + start):
            file_name, template = templates[row["attachment_no"]]
            content = template.fill(values_for(row, template.fields))
            files.append(
                {
                    "team_id": team_id,
                    "no": no,
                    "file_name": merged_file_name(file_name, row["contact_no"]),
                    "content_type": DOCX,
                    "size": len(content),
                    "content": content,
                    "created_at": created_at,
                }
            )
            merged[row["entry_no"]] = no
        session.execute(insert(Attachment), files)
        session.execute(
            _POINT_ENTRY_AT,
            [
                {"b_team": team_id, "b_entry": entry_no, "b_file": merged[entry_no]}
                for entry_no in (row["entry_no"] for row in rows[start : start + CHUNK])
            ],
        )
    return merged


_entries = InteractionLogEntry.__table__
_POINT_ENTRY_AT = (
    update(_entries)
    .where(_entries.c.team_id == bindparam("b_team"), _entries.c.entry_no == bindparam("b_entry"))
    .values(attachment_no=bindparam("b_file"))
)


def _merge_rows(team_id: str, which: ColumnElement[bool], attachment_nos: list[int]) -> Select[Any]:
    entry, contact, company = InteractionLogEntry, Contact, aliased(Contact)
    own_company = and_(contact.type == ContactType.PERSON.value, company.no == contact.no)
    return (
        select(
            entry.entry_no.label("entry_no"),
            entry.attachment_no.label("attachment_no"),
            entry.date.label("entry_date"),
            entry.time_of_interaction.label("entry_time"),
            entry.description.label("entry_description"),
            entry.subject.label("entry_subject"),
            entry.salesperson.label("entry_salesperson"),
            entry.user_id.label("entry_user"),
            entry.template_code.label("entry_template"),
            entry.document_type.label("entry_document_type"),
            entry.document_no.label("entry_document_no"),
            contact.no.label("contact_no"),
            contact.name.label("contact_name"),
            case((own_company, ""), else_=company.name).label("contact_company"),
            contact.address.label("contact_address"),
            contact.city.label("contact_city"),
            contact.post_code.label("contact_post_code"),
            contact.country.label("contact_country"),
            contact.email.label("contact_email"),
            contact.phone.label("contact_phone"),
            contact.salesperson.label("contact_salesperson"),
        )
        .join(contact, and_(contact.team_id == entry.team_id, contact.no == entry.contact_no))
        .outerjoin(company, and_(company.team_id == entry.team_id, company.no == entry.contact_company_no))
        .where(entry.team_id == team_id, which, entry.attachment_no.in_(attachment_nos))
        .order_by(entry.entry_no)
    )
