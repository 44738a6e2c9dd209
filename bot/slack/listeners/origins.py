"""Reading an Origin out of each kind of payload. The workspace and the user always come from Slack's
payload (signed), never from a button's value."""

from typing import Any

from slack_bolt import BoltContext

from bot.slack.deliver import Origin
from bot.slack.payload import message_ts, text, url


def of_command(body: dict[str, Any], context: BoltContext) -> Origin:
    return Origin(
        team_id=context.team_id or body.get("team_id", ""),
        user_id=text(body, "user_id"),
        enterprise_id=context.enterprise_id,
        channel_id=text(body, "channel_id"),
        response_url=url(body, "response_url"),
        trigger_id=text(body, "trigger_id"),
    )


def of_interaction(body: dict[str, Any], context: BoltContext, *, clicked: bool = False) -> Origin:
    """A click on a message (answered through its response_url) or in a view (the App Home or a modal,
    which have none: the answer goes to the user's DM)."""
    return Origin(
        team_id=context.team_id or "",
        user_id=text(body, "user", "id"),
        enterprise_id=context.enterprise_id,
        channel_id=text(body, "channel", "id") or text(body, "container", "channel_id"),
        response_url=url(body, "response_url"),
        trigger_id=text(body, "trigger_id"),
        clicked=clicked,
    )


def of_view(body: dict[str, Any], context: BoltContext, channel_id: str = "") -> Origin:
    """A modal's submission or its choices as the user types; `channel_id`: where the form was opened."""
    return Origin(
        team_id=context.team_id or "",
        user_id=text(body, "user", "id"),
        enterprise_id=context.enterprise_id,
        channel_id=channel_id,
        trigger_id=text(body, "trigger_id"),
    )


def of_home(event: dict[str, Any], context: BoltContext) -> Origin:
    return Origin(
        team_id=context.team_id or "", user_id=text(event, "user"), enterprise_id=context.enterprise_id
    )


def of_message(event: dict[str, Any], context: BoltContext) -> Origin:
    return Origin(
        team_id=context.team_id or "",
        user_id=text(event, "user"),
        enterprise_id=context.enterprise_id,
        channel_id=text(event, "channel"),
        thread_ts=message_ts(event, "thread_ts") or message_ts(event, "ts"),
    )
