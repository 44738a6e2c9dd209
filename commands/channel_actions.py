"""`/crm link <contact>`: log the messages of this channel as interactions with the contact."""

from commands.context import Context
from commands.parsing import UsageError
from commands.reply import Reply
from store.channels import link_channel, unlink_channel
from store.enums import DocumentKind
from store.templates import template_for_document


def link(ctx: Context, words: list[str]) -> Reply:
    if not words:
        raise UsageError("Name the contact to link this channel to.")
    if ctx.channel_id.startswith("D"):
        raise UsageError("Link a channel, not a direct message: run the command in the channel to link.")
    with ctx.sessions.begin() as session:
        contact = link_channel(session, ctx.team_id, ctx.user_id, ctx.channel_id, " ".join(words))
        template = template_for_document(session, ctx.team_id, DocumentKind.SLACK_MESSAGE)
    paragraphs = ("Only channels the app is a member of are logged: invite it here if it is not yet.",)
    if template is None:
        paragraphs = (
            "No template is set up for slack-message yet, so nothing is logged until an admin runs "
            "`/crm setup slack-message <template>`.",
            *paragraphs,
        )
    return Reply(
        f"This channel is linked to {contact.name} ({contact.no}): each message posted here from now on is "
        "logged as an interaction.",
        paragraphs=paragraphs,
    )


def unlink(ctx: Context, words: list[str]) -> Reply:
    with ctx.sessions.begin() as session:
        removed = unlink_channel(session, ctx.team_id, ctx.channel_id)
    return Reply(
        "This channel is no longer linked." if removed else "This channel was not linked to a contact."
    )
