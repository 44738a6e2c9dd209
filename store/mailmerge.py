"""Mail merge of Word (.docx) attachments.

Merge fields are typed as plain text in the document, in double braces: ``{{contact.name}}``,
``{{ entry.date }}`` (case and inner spaces do not matter). Word splits typed text into runs at will
(spelling marks, formatting, edits), so fields are found in the text of a whole paragraph, wherever its
runs break, in the body, tables, text boxes, headers, footers, footnotes and endnotes. The merged value
takes the formatting of the run where the field starts.

Fields (FIELDS lists them): contact.no, contact.name, contact.company, contact.address, contact.city,
contact.post_code, contact.country, contact.email, contact.phone, contact.salesperson, entry.no,
entry.date (YYYY-MM-DD), entry.time (HH:MM), entry.description, entry.subject, entry.salesperson,
entry.user, entry.template, entry.document_type, entry.document_no.

A template is parsed once (compile_template); filling it for a contact is string work on the parsed
parts, so a segment of thousands of contacts merges quickly.
"""

import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time
from io import SEEK_END, BytesIO
from xml.sax.saxutils import escape

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsmap, qn
from lxml import etree

from store.errors import Invalid

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIELDS = (
    "contact.no",
    "contact.name",
    "contact.company",
    "contact.address",
    "contact.city",
    "contact.post_code",
    "contact.country",
    "contact.email",
    "contact.phone",
    "contact.salesperson",
    "entry.no",
    "entry.date",
    "entry.time",
    "entry.description",
    "entry.subject",
    "entry.salesperson",
    "entry.user",
    "entry.template",
    "entry.document_type",
    "entry.document_no",
)
FIELD = re.compile(r"\{\{\s*([A-Za-z][A-Za-z_]*(?:\.[A-Za-z][A-Za-z_]*)?)\s*\}\}")
TEXT_PARTS = {CT.WML_DOCUMENT_MAIN, CT.WML_HEADER, CT.WML_FOOTER, CT.WML_FOOTNOTES, CT.WML_ENDNOTES}
MAX_UNPACKED = 200 * 1024 * 1024

# Placeholders for fields while a part is serialized: private-use characters never typed in documents.
_SLOT = "\ue000{}\ue001"
_SLOTS = re.compile("\ue000(\\d+)\ue001")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass(frozen=True)
class _MergedPart:
    literals: tuple[str, ...]
    """XML text around the fields: literals[0] field[0] literals[1] field[1] ... literals[-1]."""
    fields: tuple[str, ...]
    line_break: str


@dataclass(frozen=True)
class MergeTemplate:
    unchanged: bytes
    """A zip of the package's files that have no fields, compressed once per template."""
    parts: tuple[tuple[str, _MergedPart], ...]
    """The parts with fields, by name, filled and added to a copy of `unchanged` for each contact."""
    fields: frozenset[str]

    @property
    def unknown_fields(self) -> list[str]:
        return sorted(self.fields - set(FIELDS))

    def fill(self, values: Mapping[str, str]) -> bytes:
        """The merged document. A field without a value keeps its {{name}} text."""
        # Appending to the unchanged files reuses their compressed bytes; deflating every file again for
        # each contact made bench/documents.py's 1,000-contact segment about ten times slower.
        out = BytesIO(self.unchanged)
        out.seek(0, SEEK_END)
        with zipfile.ZipFile(out, "a") as package:
            for name, part in self.parts:
                package.writestr(_deflated(name), _fill_part(part, values))
        return out.getvalue()


def _deflated(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)  # dated 1980-01-01, so merged documents differ only by their contents
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _fill_part(part: _MergedPart, values: Mapping[str, str]) -> bytes:
    pieces = [part.literals[0]]
    for field, literal in zip(part.fields, part.literals[1:], strict=True):
        value = values.get(field)
        text = escape(_NOT_XML.sub("", "{{" + field + "}}" if value is None else value))
        pieces.append(text.replace("\r\n", "\n").replace("\n", part.line_break))
        pieces.append(literal)
    return "".join(pieces).encode()


def compile_template(content: bytes) -> MergeTemplate:
    """Parse a .docx once and find its merge fields. Invalid if it is not a Word document."""
    try:
        with zipfile.ZipFile(BytesIO(content)) as package:
            infos = package.infolist()
            if sum(info.file_size for info in infos) > MAX_UNPACKED:
                raise Invalid("The Word document unpacks to more than 200 MB; it cannot be merged.")
            files = {info.filename: package.read(info) for info in infos}
        document = docx.Document(BytesIO(content))
    except Invalid:
        raise
    except Exception as error:  # zip, XML and package errors all mean the same to the user
        raise Invalid(f"This is not a Word document (.docx) that can be read: {error}") from error

    slots: list[str] = []
    merged: dict[str, _MergedPart] = {}
    for part in document.part.package.iter_parts():
        if part.content_type not in TEXT_PARTS:
            continue
        root = part.element if isinstance(part, XmlPart) else parse_xml(part.blob)
        first = len(slots)
        _mark_fields(root, slots)
        if len(slots) > first:
            merged[part.partname.lstrip("/")] = _split(root, slots)
    if not merged:  # a document without fields is used as it is, so do not compress it again
        return MergeTemplate(content, (), frozenset())
    unchanged = BytesIO()
    with zipfile.ZipFile(unchanged, "w") as package:
        for name, data in files.items():
            if name not in merged:
                package.writestr(_deflated(name), data)
    parts = tuple((name, merged[name]) for name in files if name in merged)
    return MergeTemplate(unchanged.getvalue(), parts, frozenset(slots))


def _mark_fields(root: etree._Element, slots: list[str]) -> None:
    """Replace each field in the text with a numbered slot, kept whole in the run where it starts."""
    by_paragraph: dict[etree._Element, list[etree._Element]] = {}
    for text in root.iter(qn("w:t")):
        paragraph = next(text.iterancestors(qn("w:p")), None)
        if paragraph is not None:
            by_paragraph.setdefault(paragraph, []).append(text)
    for elements in by_paragraph.values():
        texts = [element.text or "" for element in elements]
        matches = list(FIELD.finditer("".join(texts)))
        if not matches:
            continue
        for match in reversed(matches):  # from the end, so earlier offsets stay valid
            _replace(texts, match.start(), match.end(), _SLOT.format(len(slots)))
            slots.append(match.group(1).lower())
        for element, text in zip(elements, texts, strict=True):
            if element.text != text:
                element.text = text
                element.set(_XML_SPACE, "preserve")


def _replace(texts: list[str], start: int, end: int, slot: str) -> None:
    offset = 0
    for index, text in enumerate(texts):
        low, high = offset, offset + len(text)
        offset = high
        if high <= start or low >= end:
            continue
        cut_from, cut_to = max(start, low) - low, min(end, high) - low
        texts[index] = text[:cut_from] + (slot if low <= start else "") + text[cut_to:]


def _split(root: etree._Element, slots: list[str]) -> _MergedPart:
    xml = etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True).decode()
    pieces = _SLOTS.split(xml)
    prefix = next((p for p, uri in (root.nsmap or {}).items() if uri == nsmap["w"]), "w")
    line_break = f'</{prefix}:t><{prefix}:br/><{prefix}:t xml:space="preserve">'
    return _MergedPart(
        literals=tuple(pieces[0::2]),
        fields=tuple(slots[int(n)] for n in pieces[1::2]),
        line_break=line_break,
    )


def fields_in(content: bytes) -> list[str]:
    """The merge fields a .docx uses, sorted."""
    return sorted(compile_template(content).fields)


def check_fields(template: MergeTemplate, file_name: str) -> None:
    unknown = template.unknown_fields
    if unknown:
        listed = ", ".join("{{" + name + "}}" for name in unknown)
        raise Invalid(
            f"{file_name} has merge fields that do not exist: {listed}. Known fields: {', '.join(FIELDS)}."
        )


def merged_file_name(template_file_name: str, contact_no: str) -> str:
    stem = template_file_name.rsplit(".", 1)[0] if "." in template_file_name else template_file_name
    return f"{stem[:200]} {contact_no}.docx"


def values_for(row: Mapping[str, object], wanted: Iterable[str]) -> dict[str, str]:
    """Values of the known fields among `wanted`, from a row keyed by field name with "_" for "."."""
    return {field: _text(row.get(field.replace(".", "_"))) for field in wanted if field in FIELDS}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
