"""Listeners that acknowledge at once and do their work after (Runtime.after_ack): a click, a shortcut or
an event says nothing in its acknowledgement, and what follows may wait on Slack or the database longer
than Slack waits for it."""

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.slack.runtime import Runtime

Interaction = Callable[[dict[str, Any], dict[str, Any], BoltContext, WebClient], None]
Event = Callable[[dict[str, Any], BoltContext, WebClient], None]


def interaction(work: Interaction) -> Callable[..., None]:
    """A listener for a click or a shortcut: `work(body, action, context, client)` after the ack."""

    def listener(
        ack: Ack, body: dict[str, Any], action: dict[str, Any] | None, context: BoltContext, client: WebClient
    ) -> None:
        ack()
        Runtime.of(context).after_ack(body, lambda: work(body, action or {}, context, client))

    listener.__name__ = listener.__qualname__ = work.__name__
    return listener


def event(work: Event) -> Callable[..., None]:
    """A listener for an event: `work(event, context, client)` after the ack (Bolt acks events itself)."""

    def listener(
        body: dict[str, Any], event: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        Runtime.of(context).after_ack(body, lambda: work(event, context, client))

    listener.__name__ = listener.__qualname__ = work.__name__
    return listener
