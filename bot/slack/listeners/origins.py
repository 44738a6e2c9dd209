"""Reading an Origin out of each kind of payload. The workspace and the user always come from Slack's
payload (signed), never from a button's value."""

from typing import Any

from slack_bolt import BoltContext

from bot.slack.deliver import Origin


def of_command(body: dict[str, Any], context: BoltContext) -> Origin:
    return Origin(
        team_id=context.team_id or body.get("team_id", ""),
        user_id=body.get("user_id", ""),
        enterprise_id=context.enterprise_id,
        channel_id=body.get("channel_id", ""),
        response_url=body.get("response_url", ""),
        trigger_id=body.get("trigger_id", ""),
    )


def of_interaction(body: dict[str, Any], context: BoltContext, *, clicked: bool = False) -> Origin:
    """A click on a message (answered through its response_url) or in a view (the App Home or a modal,
    which have none: the answer goes to the user's DM)."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")
    return Origin(
        team_id=context.team_id or "",
        user_id=(body.get("user") or {}).get("id", ""),
        enterprise_id=context.enterprise_id,
        channel_id=channel or "",
        response_url=body.get("response_url", ""),
        trigger_id=body.get("trigger_id", ""),
        clicked=clicked,
    )


def of_view(body: dict[str, Any], context: BoltContext, channel_id: str = "") -> Origin:
    """A modal's submission or its choices as the user types; `channel_id`: where the form was opened."""
    return Origin(
        team_id=context.team_id or "",
        user_id=(body.get("user") or {}).get("id", ""),
        enterprise_id=context.enterprise_id,
        channel_id=channel_id,
        trigger_id=body.get("trigger_id", ""),
    )


def of_home(event: dict[str, Any], context: BoltContext) -> Origin:
    return Origin(
        team_id=context.team_id or "", user_id=event.get("user", ""), enterprise_id=context.enterprise_id
    )


def of_message(event: dict[str, Any], context: BoltContext) -> Origin:
    return Origin(
        team_id=context.team_id or "",
        user_id=event.get("user", ""),
        enterprise_id=context.enterprise_id,
        channel_id=event.get("channel", ""),
        thread_ts=event.get("thread_ts") or event.get("ts", ""),
    )
