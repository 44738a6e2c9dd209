"""Answers that could not be delivered, nor told of in a direct message (store.outbox notices), shown at
the top of the user's App Home until they dismiss them."""

from typing import Any

from slack_sdk.models.blocks import ButtonElement, MarkdownTextObject, SectionBlock

from bot.slack.render import SECTION_CHARS, clip, escape
from store import outbox

DISMISS_ACTION = "crm:dismiss:"
SHOWN = 5
NOTICE = ":warning: *An answer from {when} could not be delivered* (Slack: {error}). It said:\n"


def blocks(notices: list[outbox.Notice]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for notice in notices[:SHOWN]:
        when = notice.created_at.strftime("%Y-%m-%d %H:%M UTC")
        error = escape(notice.last_error or "no answer")
        # The answer's text is as the renderer wrote it for Slack (escaped); a file's name is not.
        said = notice.body.get("text") or escape(str(notice.body.get("name") or ""))
        text = NOTICE.format(when=when, error=error) + str(said)
        section = SectionBlock(
            block_id=f"notice-{notice.id}",
            text=MarkdownTextObject(text=clip(text, SECTION_CHARS)),
            accessory=ButtonElement(
                text="Dismiss", action_id=f"{DISMISS_ACTION}{notice.id}", value=str(notice.id)
            ),
        )
        found.append(section.to_dict())
    if found:
        found.append({"type": "divider"})
    return found
