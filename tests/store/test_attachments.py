import zipfile
from io import BytesIO

import docx
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app
from store.attachments import (
    MAX_ATTACHMENT_SIZE,
    attach_to_template,
    entry_attachment,
    get_attachment,
    template_attachments,
)
from store.cancellation import cancel_entries, delete_canceled_entries
from store.contacts import NewContact, add_contact, change_contact
from store.enums import DocumentKind
from store.errors import Conflict, Invalid, NotFound
from store.filters import EntryFilter
from store.interactions import InteractionInput, create_interaction, delete_postponed, resume
from store.mailmerge import DOCX, compile_template
from store.models import Attachment, InteractionLogEntry
from store.segments import add_segment_lines, log_segment
from store.templates import set_setup

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def word_document(*paragraphs: str) -> bytes:
    """A .docx whose first paragraph has {{contact.name}} split over three runs, as Word does, plus the
    given paragraphs, a table and a header and footer with fields."""
    document = docx.Document()
    first = document.add_paragraph("Dear ")
    first.add_run("{{con")
    first.add_run("tact.").bold = True
    first.add_run("name}},")
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "{{contact.city}}"
    table.cell(0, 1).text = "{{ contact.post_code }}"
    document.sections[0].header.paragraphs[0].text = "Ref. {{entry.no}}"
    document.sections[0].footer.paragraphs[0].text = "{{entry.salesperson}}"
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def text_of(content: bytes) -> str:
    document = docx.Document(BytesIO(content))
    section = document.sections[0]
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for row in document.tables[0].rows for cell in row.cells]
    parts += [section.header.paragraphs[0].text, section.footer.paragraphs[0].text]
    return "\n".join(parts)


LETTER = word_document("From {{contact.company}}, {{contact.address}}, {{entry.date}}: {{entry.description}}")


def attach_letter(session, team, content=LETTER, language=""):
    return attach_to_template(session, team, "LETTER", "welcome.docx", content, DOCX, language)


def test_a_template_gets_a_document_per_language_and_a_new_one_replaces_the_old(session, team, workspace):
    default = attach_letter(session, team)
    spanish = attach_to_template(
        session, team, "letter", "carta.pdf", b"%PDF-1.7 ...", "application/pdf", "es"
    )
    assert [(lang, a.no) for lang, a in template_attachments(session, team, "LETTER")] == [
        ("", default.no),
        ("ES", spanish.no),
    ]
    assert (spanish.file_name, spanish.content_type, spanish.size) == ("carta.pdf", "application/pdf", 12)

    newer = attach_to_template(session, team, "LETTER", "C:\\docs\\hello.txt", b"Hello", "text/plain")
    assert newer.file_name == "hello.txt"
    assert [a.no for _, a in template_attachments(session, team, "LETTER")] == [newer.no, spanish.no]
    with pytest.raises(NotFound):
        get_attachment(session, team, default.no)  # nothing else used it


def test_a_replaced_document_stays_while_entries_still_use_it(session, team, workspace):
    first = attach_to_template(session, team, "LETTER", "a.txt", b"one", "text/plain")
    entry = create_interaction(session, team, "U1", InteractionInput(workspace.john, "LETTER"))
    assert entry.attachment_no == first.no  # not a Word document: shared with the template
    attach_to_template(session, team, "LETTER", "b.txt", b"two", "text/plain")
    assert entry_attachment(session, team, entry.entry_no).content == b"one"


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("photo.png", b"GIF89a....", "image/png", "photo.png is not a PNG image"),
        ("letter.docx", PNG, DOCX, "letter.docx is not a Word document"),
        ("letter.docx", b"PK\x03\x04 not really a zip", "", "is not a Word document"),
        ("offer.pdf", b"<html></html>", "application/pdf", "is not a PDF document"),
        ("notes.txt", b"text\x00with a NUL", "text/plain", "is not plain text"),
        ("page.html", b"just words", "text/html", "is not an HTML page"),
        ("photo.png", PNG, "application/pdf", "was sent as application/pdf, which does not fit a .png"),
        ("setup.exe", b"MZ", "application/octet-stream", "setup.exe cannot be attached"),
        ("noextension", b"x", "text/plain", "cannot be attached"),
        ("empty.txt", b"", "text/plain", "empty.txt is empty"),
        ("", b"x", "text/plain", "needs a name"),
    ],
)
def test_files_must_be_what_their_name_says(session, team, workspace, name, content, content_type, message):
    with pytest.raises(Invalid, match=message):
        attach_to_template(session, team, "LETTER", name, content, content_type)


def test_a_zip_named_docx_needs_a_word_document_inside(session, team, workspace):
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(Invalid, match="is not a Word document"):
        attach_to_template(session, team, "LETTER", "book.docx", out.getvalue(), DOCX)


def test_files_over_10_mb_are_refused(session, team, workspace):
    content = b"a" * (MAX_ATTACHMENT_SIZE + 1)
    with pytest.raises(Invalid, match=r"big.txt is 10(\.0)? MB; an attachment can be at most 10 MB"):
        attach_to_template(session, team, "LETTER", "big.txt", content, "text/plain")
    assert attach_to_template(session, team, "LETTER", "max.txt", content[:-1], "text/plain").size == (
        MAX_ATTACHMENT_SIZE
    )


def test_unknown_merge_fields_are_refused_with_the_known_ones_listed(session, team, workspace):
    with pytest.raises(Invalid, match=r"\{\{contact.nmae\}\}.*Known fields: contact.no, contact.name"):
        attach_letter(session, team, word_document("Hi {{ contact.nmae }}"))


def test_templates_that_log_documents_take_no_attachments(session, team, workspace):
    set_setup(session, team, "U1", DocumentKind.SALES_INVOICE, "LETTER")
    with pytest.raises(Conflict, match="logs sales-invoice documents"):
        attach_letter(session, team)
    set_setup(session, team, "U1", DocumentKind.MEETING_INVITATION, "MEETING")
    attach_to_template(session, team, "MEETING", "agenda.txt", b"Agenda", "text/plain")


def test_an_entry_without_a_document_has_none(session, team, workspace):
    entry = create_interaction(session, team, "U1", InteractionInput(workspace.john, "PHONE"))
    assert entry_attachment(session, team, entry.entry_no) is None
    with pytest.raises(NotFound, match="999 does not exist"):
        entry_attachment(session, team, 999)


def test_fields_split_over_runs_are_found_once_per_field():
    template = compile_template(LETTER)
    assert template.fields == {
        "contact.name",
        "contact.company",
        "contact.address",
        "contact.city",
        "contact.post_code",
        "entry.date",
        "entry.description",
        "entry.no",
        "entry.salesperson",
    }
    merged = text_of(template.fill({"contact.name": "Ana <Ruiz> & Co", "contact.city": "Sevilla"}))
    assert "Dear Ana <Ruiz> & Co," in merged and "\nSevilla\n" in merged
    assert "{{contact.company}}" in merged  # a field without a value shows what is missing


def test_a_merged_document_is_the_template_with_only_its_field_parts_changed():
    merged = compile_template(LETTER).fill({"contact.name": "Ana"})
    with zipfile.ZipFile(BytesIO(LETTER)) as original, zipfile.ZipFile(BytesIO(merged)) as package:
        assert package.testzip() is None
        names = package.namelist()
        assert sorted(names) == sorted(original.namelist()) and len(set(names)) == len(names)
        assert names[0] == "[Content_Types].xml"
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in package.infolist())
        changed = {n for n in names if package.read(n) != original.read(n)}
    assert changed == {"word/document.xml", "word/header1.xml", "word/footer1.xml"}
    assert "Dear Ana," in text_of(merged)


def test_an_interaction_gets_its_own_merged_document(session, team, workspace):
    change_contact(session, team, workspace.adatum, address="1 Main St")
    change_contact(session, team, workspace.john, city="Seattle", post_code="98052", salesperson="SP-ANN")
    template_doc = attach_letter(session, team)
    entry = create_interaction(
        session, team, "U1", InteractionInput(workspace.john, "LETTER", description="Welcome pack")
    )
    merged = entry_attachment(session, team, entry.entry_no)
    assert merged.no != template_doc.no and merged.content_type == DOCX
    assert merged.file_name == f"welcome {workspace.john}.docx" and merged.size == len(merged.content)
    text = text_of(merged.content)
    assert "Dear John Smith," in text
    assert f"From Adatum Corporation, , {entry.date.isoformat()}: Welcome pack" in text
    assert "Seattle\n98052" in text
    assert f"Ref. {entry.entry_no}\nSP-ANN" in text
    assert get_attachment(session, team, template_doc.no).content == LETTER


def test_documents_without_fields_and_other_files_stay_shared(session, team, workspace):
    document, out = docx.Document(), BytesIO()
    document.add_paragraph("Dear customer, {{ this is not a field }}")
    document.save(out)
    plain = attach_letter(session, team, out.getvalue())
    assert compile_template(plain.content).fields == set()
    assert compile_template(plain.content).fill({}) == plain.content
    entry = create_interaction(session, team, "U1", InteractionInput(workspace.john, "LETTER"))
    assert entry.attachment_no == plain.no
    image = attach_to_template(session, team, "LETTER", "logo.png", PNG, "image/png", "es")
    ana = add_contact(session, team, NewContact("Ana García", language_code="es"))
    assert (
        create_interaction(session, team, "U1", InteractionInput(ana.no, "LETTER")).attachment_no == image.no
    )


def attachments_count(session, team):
    return session.scalar(select(func.count()).select_from(Attachment).where(Attachment.team_id == team))


def test_a_segment_merges_one_document_per_contact_in_its_language(session, team, workspace):
    ana = add_contact(session, team, NewContact("Ana García", city="Sevilla", language_code="es"))
    add_segment_lines(session, team, "NEWSLETTER", [ana.no])
    attach_letter(session, team)
    attach_letter(session, team, word_document("Estimada {{contact.name}} de {{contact.city}}"), "es")
    logged = log_segment(session, team, "U1", "NEWSLETTER", "LETTER", "Autumn letter")
    entries = session.scalars(
        select(InteractionLogEntry)
        .where(
            InteractionLogEntry.team_id == team,
            InteractionLogEntry.logged_segment_entry_no == logged.entry_no,
        )
        .order_by(InteractionLogEntry.entry_no)
    ).all()
    assert len({e.attachment_no for e in entries}) == 4 and attachments_count(session, team) == 2 + 4
    texts = {e.contact_no: text_of(entry_attachment(session, team, e.entry_no).content) for e in entries}
    assert "Dear John Smith," in texts[workspace.john] and "From Adatum Corporation" in texts[workspace.john]
    assert "Dear Jane Doe," in texts[workspace.jane]
    assert (
        "Dear Fabrikam Inc.," in texts[workspace.fabrikam]
        and "From Fabrikam Inc., ," in texts[workspace.fabrikam]
    )
    assert "Estimada Ana García de Sevilla" in texts[ana.no]
    assert all(f"Ref. {e.entry_no}" in texts[e.contact_no] for e in entries)


def test_merged_documents_go_with_their_entries(session, team, workspace):
    template_doc = attach_letter(session, team)
    kept = create_interaction(session, team, "U1", InteractionInput(workspace.jane, "LETTER"))
    log_segment(session, team, "U1", "NEWSLETTER", "LETTER")
    assert attachments_count(session, team) == 1 + 1 + 3
    segment_entries = list(range(kept.entry_no + 1, kept.entry_no + 4))
    cancel_entries(session, team, "U1", segment_entries)
    assert delete_canceled_entries(session, team, "U1", EntryFilter()) == 3
    remaining = session.scalars(select(Attachment.no).where(Attachment.team_id == team)).all()
    assert sorted(remaining) == sorted([template_doc.no, kept.attachment_no])


def test_postponed_interactions_leave_no_merged_documents_behind(session, team, workspace):
    attach_letter(session, team)
    postponed = create_interaction(
        session, team, "U1", InteractionInput(workspace.john, "LETTER"), postpone=True
    )
    first_merge = postponed.attachment_no
    resumed = resume(session, team, "U1", postponed.entry_no, {"description": "Finished"})
    assert resumed.attachment_no != first_merge and attachments_count(session, team) == 2
    assert "Finished" in text_of(entry_attachment(session, team, resumed.entry_no).content)
    again = create_interaction(session, team, "U1", InteractionInput(workspace.john, "LETTER"), postpone=True)
    delete_postponed(session, team, again.entry_no)
    assert attachments_count(session, team) == 2


def test_crm_template_attach(workdir, sessions, team, workspace):
    (workdir / "carta.docx").write_bytes(word_document("Hola {{contact.name}}"))
    result = CliRunner().invoke(
        app, ["template", "attach", "letter", "carta.docx", "--lang", "es", "--team", team]
    )
    assert result.exit_code == 0, result.output
    assert "Attached carta.docx" in result.output and "template LETTER for language ES" in result.output
    assert "Merge fields: contact.city, contact.name, contact.post_code, entry.no, entry.salesperson." in (
        result.output
    )
    with sessions() as s:
        assert [lang for lang, _ in template_attachments(s, team, "LETTER")] == ["ES"]

    (workdir / "fake.pdf").write_bytes(b"not a pdf")
    result = CliRunner().invoke(app, ["template", "attach", "LETTER", "fake.pdf", "--team", team])
    assert result.exit_code == 1 and "fake.pdf is not a PDF document" in result.output


def test_crm_template_attach_refuses_a_large_file_before_reading_it(workdir, team, workspace):
    with open(workdir / "catalogue.pdf", "wb") as large:
        large.truncate(MAX_ATTACHMENT_SIZE + 2 * 1024 * 1024)
    result = CliRunner().invoke(app, ["template", "attach", "LETTER", "catalogue.pdf", "--team", team])
    assert result.exit_code == 1
    assert "catalogue.pdf is 12 MB; an attachment can be at most 10 MB." in result.output
