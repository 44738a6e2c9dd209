"""Where an answer goes. An Origin records where a request came from (a command's response_url, the
conversation of a DM or a mention, the channel a modal was opened from, the App Home); a reply is sent
back the same way, privately unless it answers a conversation."""

import logging
from dataclasses import asdict, dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.slack.render import Message
from commands.reply import File

log = logging.getLogger(__name__)


def retry_handlers() -> list[Any]:
    return [ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=2)]


@dataclass(frozen=True)
class Origin:
    team_id: str
    user_id: str
    enterprise_id: str | None = None
    channel_id: str = ""
    thread_ts: str = ""
    """Set for conversations (DMs, mentions): the answer is posted in that thread, for all to see."""
    response_url: str = ""
    trigger_id: str = ""
    """Opens a modal, once, within 3 seconds of the user's action."""
    clicked: bool = False

    @property
    def public(self) -> bool:
        return bool(self.thread_ts)

    def to_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if key != "trigger_id"}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Origin":
        return cls(**{key: value for key, value in data.items() if key in cls.__dataclass_fields__})


def send(
    client: WebClient, origin: Origin, message: Message, *, replace: bool = False, private: bool = False
) -> None:
    """`private`: the answer holds a secret, so in a conversation others can read it goes to the user
    alone (ephemeral in that thread, else their DM), never into the thread for all to see."""
    if origin.response_url:
        webhook = WebhookClient(origin.response_url, retry_handlers=retry_handlers())
        response = webhook.send(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral",
            replace_original=replace,
        )
        if response.status_code == 200:
            return
        # An expired response_url (30 minutes, 5 uses) should not lose the answer.
        log.warning("response_url answered %s; sending a direct message instead", response.status_code)
    elif origin.public and private:
        try:
            client.chat_postEphemeral(
                channel=origin.channel_id,
                user=origin.user_id,
                thread_ts=origin.thread_ts,
                text=message.text,
                blocks=message.blocks,
            )
            return
        except SlackApiError as failure:
            log.info(
                "chat.postEphemeral failed (%s); sending a direct message", failure.response.get("error")
            )
    elif origin.public:
        client.chat_postMessage(
            channel=origin.channel_id, thread_ts=origin.thread_ts, text=message.text, blocks=message.blocks
        )
        return
    elif origin.channel_id:
        try:
            client.chat_postEphemeral(
                channel=origin.channel_id, user=origin.user_id, text=message.text, blocks=message.blocks
            )
            return
        except SlackApiError as failure:  # not_in_channel and the like: the DM always works
            log.info(
                "chat.postEphemeral failed (%s); sending a direct message", failure.response.get("error")
            )
    client.chat_postMessage(channel=origin.user_id, text=message.text, blocks=message.blocks)


def share(origin: Origin, message: Message) -> None:
    """Repost a private answer for the whole channel, and take the private one away."""
    webhook = WebhookClient(origin.response_url, retry_handlers=retry_handlers())
    webhook.send(text=message.text, blocks=message.blocks, response_type="in_channel", replace_original=False)
    webhook.send_dict({"delete_original": True})


def upload(client: WebClient, origin: Origin, file: File) -> None:
    """A file answering a private reply (a command, a click) goes to the user alone, in their DM: an
    export or a merged letter is not for the whole channel. In a conversation (a DM to the bot, a
    mention) it goes into that thread, where the question was asked."""
    arguments = {"content": file.content, "filename": file.name, "title": file.title or file.name}
    if origin.public:
        client.files_upload_v2(channel=origin.channel_id, thread_ts=origin.thread_ts, **arguments)
        return
    dm = client.conversations_open(users=origin.user_id)["channel"]["id"]
    client.files_upload_v2(channel=dm, **arguments)
