"""Messages posted in a channel linked to a contact are logged as interactions with it (store.channels):
inbound when the author belongs to another organisation (a Slack Connect guest), outbound when they are
one of ours. Nothing is posted back to the channel."""

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.slack import payload
from bot.slack.render import unescape
from bot.slack.runtime import Runtime
from store.channels import ChannelMessage, linked_contact, log_channel_message
from store.db import reading, transaction

log = logging.getLogger(__name__)

CHANNEL_TYPES = frozenset({"channel", "group", "mpim"})
"""Public and private channels and group DMs (`/crm link` links any of them); a direct message to the bot
is a question to it."""
MESSAGE_SUBTYPES = frozenset({"file_share", "thread_broadcast"})
"""Subtypes that are still someone's message; edits, deletions, joins and bot posts are not."""


def is_channel_message(event: dict[str, Any]) -> bool:
    subtype = event.get("subtype")
    return (
        payload.text(event, "channel_type") in CHANNEL_TYPES
        and (subtype is None or subtype in MESSAGE_SUBTYPES)
        and not event.get("bot_id")
        and bool(
            payload.text(event, "user") and payload.text(event, "channel") and payload.message_ts(event, "ts")
        )
    )


def is_external(event: dict[str, Any], team_id: str) -> bool:
    """Whether the author's workspace is another one than ours. Slack Connect messages name it in
    `user_team`; `team` is the fallback for payloads without it."""
    author_team = payload.text(event, "user_team") or payload.text(event, "team")
    return bool(author_team) and author_team != team_id


def channel_message(event: dict[str, Any], external: bool, timezone: str) -> ChannelMessage:
    when = datetime.fromtimestamp(float(event["ts"]), ZoneInfo(timezone))
    return ChannelMessage(
        channel_id=event["channel"],
        ts=event["ts"],
        user_id=event["user"],
        text=payload.storable(unescape(payload.text(event, "text"))),
        external=external,
        when=when,
    )


def log_message(runtime: Runtime, client: WebClient, event: dict[str, Any], team_id: str) -> None:
    with reading(runtime.sessions) as session:
        if linked_contact(session, team_id, event["channel"]) is None:
            return  # most channels are not linked: no users.info call, no write
    external = is_external(event, team_id)
    # Our people's messages are dated in their own time zone; another organisation's users are not
    # ours to look up, so theirs are in UTC.
    timezone = "UTC" if external else runtime.people.profile(client, team_id, event["user"]).timezone
    with transaction(runtime.sessions) as session:
        entry = log_channel_message(session, team_id, channel_message(event, external, timezone))
        number = entry.entry_no if entry is not None else None
    if number is not None:
        log.info("channel %s message %s logged as entry %s", event["channel"], event["ts"], number)
