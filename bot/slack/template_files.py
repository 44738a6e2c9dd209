"""A template's document, shared with the bot in a direct message with the text `attach <template>
[language]`. Slack's event only says where the file is: the bot fetches it with its own token (files:read),
once the size and the template are known to be fine, and answers in the message's thread."""

import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from slack_sdk import WebClient

from bot.slack.deliver import Refused, Undelivered, quick, web_api
from commands.pages.templates import SharedFile
from store.attachments import MAX_ATTACHMENT_SIZE
from store.errors import Invalid

log = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT = 30.0
INFO_TIMEOUT = 5.0
SLACK_FILE_HOSTS = ("slack.com", "slack-gov.com")
"""The bot token is only ever sent to Slack: files.slack.com, or the Web API's own host."""


def attach_words(text: str) -> list[str] | None:
    """The words after `attach` (or `template attach`), or None when the text asks something else."""
    words = text.split()
    lowered = [word.lower() for word in words[:2]]
    if lowered[:1] == ["attach"]:
        return words[1:]
    if lowered == ["template", "attach"]:
        return words[2:]
    return None


def shared_file(client: WebClient, file: dict[str, Any]) -> SharedFile:
    """The file of a `file_share` message. Some events carry only the file's id
    (`file_access: check_file_info`): files.info tells the rest."""
    if not file.get("url_private_download") and file.get("id"):
        asking = quick(client, INFO_TIMEOUT)
        try:
            file = web_api(lambda: asking.files_info(file=file["id"]))["file"]
        except Undelivered:
            raise Invalid("Slack did not describe the file just now; please share it again.") from None
        except Refused as refused:
            raise Invalid(f"Slack would not describe the file ({refused}).") from None
    name = file.get("name") or file.get("title") or ""
    url = file.get("url_private_download") or file.get("url_private") or ""
    return SharedFile(
        name=name,
        size=int(file.get("size") or 0),
        content_type=file.get("mimetype") or "",
        read=lambda: download(client, url, name),
    )


def download(client: WebClient, url: str, name: str, timeout: float = DOWNLOAD_TIMEOUT) -> bytes:
    """The file's bytes (at most one more than an attachment may have, so an oversize file is still
    refused by its size). Invalid when Slack does not hand it over."""
    if not client.token:
        raise Invalid("The bot has no token to download files with.")
    if not _is_slack(url, client.base_url):
        raise Invalid(f"{name or 'The file'} is not stored on Slack, so the bot does not download it.")
    request = urllib.request.Request(url)
    # Not carried over a redirect: the token must not leave Slack.
    request.add_unredirected_header("Authorization", f"Bearer {client.token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            served_type = response.headers.get_content_type()
            content: bytes = response.read(MAX_ATTACHMENT_SIZE + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as failure:
        log.warning("could not download %s: %s", url, failure)
        raise Invalid(f"Could not download {name} from Slack; please share it again.") from None
    if served_type == "text/html" and not name.lower().endswith((".html", ".htm")):
        # Slack answers a request it does not accept with its sign-in page, not an error status.
        raise Invalid(f"Slack did not let the bot download {name}: the app needs the files:read scope.")
    return content


def _is_slack(url: str, api_url: str) -> bool:
    parts, api = urlsplit(url), urlsplit(api_url)
    host = (parts.hostname or "").lower()
    if host and host == (api.hostname or "").lower() and parts.scheme == api.scheme:
        return True
    return parts.scheme == "https" and any(host == h or host.endswith("." + h) for h in SLACK_FILE_HOSTS)


def the_shared_file(client: WebClient, files: list[dict[str, Any]]) -> Callable[[], SharedFile]:
    """Describes the one file of a message when called; Invalid for none or several."""

    def describe() -> SharedFile:
        if len(files) != 1:
            raise Invalid("Share one file per message: a template has one document per language.")
        return shared_file(client, files[0])

    return describe
