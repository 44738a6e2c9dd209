"""Template documents through Slack: `/crm template attach` says how, a file shared with the bot in a
direct message with `attach <template> [language]` becomes the template's document (fetched from Slack
with the bot token, after its size and the template are checked), and an entry's "Show attachment"
button uploads its document."""

import re
from io import BytesIO
from typing import Any

import docx
import pytest
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.slack.template_files import download
from store.attachments import MAX_ATTACHMENT_SIZE, template_attachments
from store.errors import Invalid
from store.mailmerge import DOCX
from tests.conftest import Workspace
from tests.fake_slack import FakeSlack, button, text_of
from tests.slack_requests import USER, Slack, message

DM = "D0SELLER"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def letter(text: str = "Dear {{contact.name}}, thank you for your visit.") -> bytes:
    document, out = docx.Document(), BytesIO()
    document.add_paragraph(text)
    document.save(out)
    return out.getvalue()


def paragraphs(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(BytesIO(content)).paragraphs)


def share(slack: Slack, text: str, *files: dict[str, Any]) -> dict[str, Any]:
    """Share files with the bot in its DM; the event as sent."""
    event = message(DM, text, channel_type="im", subtype="file_share", files=list(files), upload=True)
    assert slack.event(event).status == 200
    return event


def answer(slack: Slack, count: int = 1) -> tuple[str, dict[str, Any]]:
    """The text of the bot's latest post, and the post."""
    call = slack.fake.wait_for("/chat.postMessage", count)[-1]
    posted = call.body | {"blocks": call.json_field("blocks")}
    return text_of(posted), posted


def attached(sessions: sessionmaker[Session], team: str, template: str = "LETTER") -> dict[str, str]:
    with sessions() as session:
        return {language: a.file_name for language, a in template_attachments(session, team, template)}


def test_template_attach_says_how_to_share_the_file(slack: Slack, workspace: Workspace) -> None:
    how = slack.ask("template attach letter es")
    assert "direct message" in how["text"] and "`attach LETTER ES`" in how["text"]
    assert "language ES" in text_of(how)
    general = slack.ask("template attach")
    assert "`attach &lt;template&gt; [language]`" in general["text"]  # as Slack shows it
    unknown = slack.ask("template attach NOPE")
    assert "Template NOPE does not exist" in text_of(unknown)


def test_a_word_document_shared_in_a_dm_becomes_the_templates_document(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    file = slack.fake.share_file("welcome.docx", letter(), DOCX)
    event = share(slack, "attach letter es", file)
    text, posted = answer(slack)
    assert (posted["channel"], posted["thread_ts"]) == (DM, event["ts"])
    assert "Attached welcome.docx" in text and "template LETTER for language ES" in text
    assert "Merge fields: contact.name." in text
    (fetched,) = slack.fake.downloads()
    assert fetched.path.endswith("/download/welcome.docx") and fetched.token == "xoxb-test"
    assert attached(sessions, workspace.team) == {"ES": "welcome.docx"}


def test_template_attach_and_a_file_described_only_by_its_id(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    file = slack.fake.share_file("terms.pdf", PDF, "application/pdf")
    share(slack, "template attach LETTER", {"id": file["id"], "file_access": "check_file_info"})
    text, _ = answer(slack)
    assert "Attached terms.pdf" in text and "the template's default language" in text
    assert slack.fake.calls_to("/files.info") and len(slack.fake.downloads()) == 1
    assert attached(sessions, workspace.team) == {"": "terms.pdf"}


@pytest.mark.parametrize(
    ("name", "content", "mimetype", "refusal"),
    [
        ("setup.exe", b"MZ\x90\x00", "application/x-msdownload", "setup.exe cannot be attached"),
        ("photo.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, DOCX, "photo.docx is not a Word document"),
        ("fields.docx", letter("{{contact.shoe_size}}"), DOCX, "merge fields that do not exist"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused(
    slack: Slack,
    workspace: Workspace,
    sessions: sessionmaker[Session],
    name: str,
    content: bytes,
    mimetype: str,
    refusal: str,
) -> None:
    share(slack, "attach LETTER", slack.fake.share_file(name, content, mimetype))
    text, _ = answer(slack)
    assert refusal in text and ":warning:" in text
    assert attached(sessions, workspace.team) == {}


def test_an_oversize_file_is_refused_without_downloading_it(
    slack: Slack, workspace: Workspace, sessions: sessionmaker[Session]
) -> None:
    big = slack.fake.share_file("catalogue.pdf", PDF, "application/pdf", size=MAX_ATTACHMENT_SIZE * 12 // 10)
    share(slack, "attach LETTER", big)
    text, _ = answer(slack)
    assert "catalogue.pdf is 12 MB; an attachment can be at most 10 MB." in text
    assert slack.fake.downloads() == [] and attached(sessions, workspace.team) == {}


def test_an_unknown_template_is_refused_without_downloading(slack: Slack, workspace: Workspace) -> None:
    share(slack, "attach NOPE", slack.fake.share_file("welcome.docx", letter(), DOCX))
    text, _ = answer(slack)
    assert "Template NOPE does not exist" in text and "LETTER" in text
    assert slack.fake.downloads() == []


def test_one_file_per_message(slack: Slack, workspace: Workspace) -> None:
    files = [slack.fake.share_file(f"{n}.pdf", PDF, "application/pdf") for n in ("a", "b")]
    share(slack, "attach LETTER", *files)
    assert "Share one file per message" in answer(slack)[0]
    assert slack.fake.downloads() == []


def test_a_file_without_words_or_words_without_a_file_get_the_how_to(
    slack: Slack, workspace: Workspace
) -> None:
    share(slack, "", slack.fake.share_file("notes.txt", b"notes", "text/plain"))
    assert "`attach &lt;template&gt; [language]`" in answer(slack)[0]
    slack.event(message(DM, "attach letter", channel_type="im"))
    assert "share the file with me in a direct message with the text `attach LETTER`" in answer(slack, 2)[0]
    assert slack.fake.downloads() == []


def test_the_token_goes_to_slack_only_and_a_sign_in_page_is_not_a_file(fake_slack: FakeSlack) -> None:
    file = fake_slack.share_file("welcome.docx", letter(), DOCX)
    url = file["url_private_download"]
    assert download(WebClient(token="xoxb-test", base_url=fake_slack.base_url), url, "welcome.docx")
    elsewhere = "https://files.example.com/welcome.docx"
    with pytest.raises(Invalid, match="not stored on Slack"):
        download(WebClient(token="xoxb-test", base_url=fake_slack.base_url), elsewhere, "welcome.docx")
    with pytest.raises(Invalid, match="files:read"):  # Slack's answer to a token it does not accept
        download(WebClient(token="xoxp-user", base_url=fake_slack.base_url), url, "welcome.docx")
    assert len(fake_slack.downloads()) == 2


def test_show_attachment_uploads_the_entrys_merged_document(slack: Slack, workspace: Workspace) -> None:
    share(slack, "attach LETTER", slack.fake.share_file("welcome.docx", letter(), DOCX))
    assert "Attached welcome.docx" in answer(slack)[0]
    logged = slack.ask('log LETTER "John Smith"')
    number = re.search(r"entry (\d+)", logged["text"]).group(1)  # type: ignore[union-attr]

    show = button(slack.ask(f"entry {number}"), "Show attachment")
    assert show["value"] == f"attachment {number}"
    reply = slack.answer(slack.click(show))  # type: ignore[arg-type]
    assert "welcome" in reply["text"]

    slack.fake.wait_for("/files.completeUploadExternal")
    assert slack.fake.calls_to("/files.getUploadURLExternal")  # files upload v2
    (uploaded,) = slack.fake.calls_to("/upload/")
    assert paragraphs(uploaded.raw) == "Dear John Smith, thank you for your visit."
    (completed,) = slack.fake.calls_to("/files.completeUploadExternal")
    assert completed.body["channel_id"] == "D0DM", "a merged letter goes to the user alone"
    assert slack.fake.calls_to("/conversations.open")[-1].body["users"] == USER
    assert completed.json_field("files")[0]["title"] == f"welcome {workspace.john}.docx"
