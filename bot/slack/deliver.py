"""Where an answer goes, and the calls that take it there. An Origin records where a request came from (a
command's response_url, the conversation of a DM or a mention, the channel a modal was opened from, the
App Home); a reply is sent back the same way, privately unless it answers a conversation. Each call makes
one try and tells a failure worth retrying (Undelivered) from a refusal (Refused); bot.slack.outbox keeps
the message and decides what to do next."""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from http.client import HTTPException
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from commands.reply import File

T = TypeVar("T")


def retry_handlers() -> list[Any]:
    """For every client of the app: a dropped connection is tried once more, but a 429 is not waited out
    in the thread that made the call (its Retry-After can be a minute): each caller decides, sending later
    through the outbox, falling back, or telling the user."""
    return [ConnectionErrorRetryHandler()]


def quick(client: WebClient, timeout: float) -> WebClient:
    """The same token and Web API, one try per call within `timeout` seconds."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=timeout,  # type: ignore[arg-type]
        retry_handlers=[],
    )


@dataclass(frozen=True)
class Origin:
    team_id: str
    user_id: str
    enterprise_id: str | None = None
    channel_id: str = ""
    thread_ts: str = ""
    """The thread a conversation's answer goes in ("" in a DM: inline)."""
    conversation: bool = False
    """A DM with the bot: answers are posted in it. A mention in a channel is answered privately (ephemeral,
    in its thread) and shared only with the Share button."""
    response_url: str = ""
    trigger_id: str = ""
    """Opens a modal, once, within 3 seconds of the user's action."""
    clicked: bool = False

    @property
    def public(self) -> bool:
        return self.conversation

    def to_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if key != "trigger_id"}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Origin":
        return cls(**{key: value for key, value in data.items() if key in cls.__dataclass_fields__})


class Undelivered(Exception):
    """Slack did not take it this time (throttled, failing, too slow); it may later."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        """Seconds Slack asked us to wait (its Retry-After), if it said."""


class Refused(Exception):
    """Slack will never take it this way (an expired response_url, a channel the bot is not in)."""


RETRYABLE_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
TRANSPORT_ERRORS = (OSError, HTTPException)
"""Connection refused or reset, a timeout (TimeoutError, urllib's URLError are OSErrors), a cut answer."""


def retry_after(headers: dict[str, Any]) -> float | None:
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                return None
    return None


def web_api(call: Callable[[], T]) -> T:
    """Run one Web API call, telling a failure worth retrying from a refusal."""
    try:
        return call()
    except SlackApiError as failure:
        status = failure.response.status_code
        error = str(failure.response.get("error") or "")
        if status == 429 or status >= 500 or error in RETRYABLE_ERRORS:
            raise Undelivered(f"{status} {error}".strip(), retry_after(failure.response.headers)) from None
        raise Refused(error or str(status)) from None
    except TRANSPORT_ERRORS as failure:
        raise Undelivered(f"{type(failure).__name__}: {failure}") from None


def post_response(url: str, body: dict[str, Any], timeout: float) -> None:
    """POST a message to a response_url (good for 30 minutes and 5 uses)."""
    webhook = WebhookClient(url, timeout=timeout, retry_handlers=[])  # type: ignore[arg-type]
    try:
        response = webhook.send_dict(body)
    except TRANSPORT_ERRORS as failure:
        raise Undelivered(f"response_url: {type(failure).__name__}: {failure}") from None
    if response.status_code == 200:
        return
    if response.status_code == 429 or response.status_code >= 500:
        raise Undelivered(f"response_url {response.status_code}", retry_after(response.headers))
    raise Refused(f"response_url {response.status_code}")


def post_message(client: WebClient, channel: str, message: dict[str, Any], thread_ts: str = "") -> None:
    arguments = {"thread_ts": thread_ts} if thread_ts else {}
    web_api(
        lambda: client.chat_postMessage(
            channel=channel, text=message.get("text"), blocks=message.get("blocks"), **arguments
        )
    )


def post_ephemeral(
    client: WebClient, channel: str, user: str, message: dict[str, Any], thread_ts: str = ""
) -> None:
    arguments = {"thread_ts": thread_ts} if thread_ts else {}
    web_api(
        lambda: client.chat_postEphemeral(
            channel=channel, user=user, text=message.get("text"), blocks=message.get("blocks"), **arguments
        )
    )


def upload(client: WebClient, origin: Origin, file: File) -> None:
    """A file answering a private reply (a command, a click) goes to the user alone, in their DM: an
    export or a merged letter is not for the whole channel. In a conversation (a DM to the bot, a
    mention) it goes into that thread, where the question was asked."""
    arguments = {"content": file.content, "filename": file.name, "title": file.title or file.name}
    if origin.public:
        web_api(
            lambda: client.files_upload_v2(
                channel=origin.channel_id, thread_ts=origin.thread_ts or None, **arguments
            )
        )
        return
    dm = web_api(lambda: client.conversations_open(users=origin.user_id))["channel"]["id"]
    web_api(lambda: client.files_upload_v2(channel=dm, **arguments))


def publish_home(client: WebClient, user_id: str, view: dict[str, Any]) -> None:
    web_api(lambda: client.views_publish(user_id=user_id, view=view))
