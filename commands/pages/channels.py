"""Channels linked to a contact: each message posted in one is logged as an interaction with it."""

from commands import inputs
from commands.action import Action, Arg, Args
from commands.context import Context
from commands.inputs import UsageError
from commands.reply import Reply
from store.channels import link_channel, unlink_channel
from store.enums import DocumentKind
from store.templates import template_for_document


def link(ctx: Context, args: Args) -> Reply:
    if ctx.channel_id.startswith("D"):
        raise UsageError("Link a channel, not a direct message: run the command in the channel to link.")
    with ctx.sessions.begin() as session:
        contact = link_channel(session, ctx.team_id, ctx.user_id, ctx.channel_id, args["contact"])
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


def unlink(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        removed = unlink_channel(session, ctx.team_id, ctx.channel_id)
    return Reply(
        "This channel is no longer linked." if removed else "This channel was not linked to a contact."
    )


LINK_CHANNEL = Action(
    id="link_channel",
    title="Link Channel to Contact",
    title_es="Vincular canal a contacto",
    usage="/crm link <contact>",
    summary="Log every message of this channel as an interaction with the contact.",
    summary_es="Registra cada mensaje de este canal como una interacción con el contacto.",
    command=("link", "{contact}"),
    handler=link,
    args=(Arg("contact", inputs.CONTACT, required=True),),
    keywords=("link channel", "connect channel", "slack connect", "log channel messages", "shared channel"),
    keywords_es=("vincular canal", "canal compartido", "registrar mensajes"),
)
UNLINK_CHANNEL = Action(
    id="unlink_channel",
    title="Unlink Channel",
    title_es="Desvincular canal",
    usage="/crm unlink",
    summary="Stop logging this channel's messages.",
    summary_es="Deja de registrar los mensajes de este canal.",
    command=("unlink",),
    handler=unlink,
    keywords=("unlink channel", "disconnect channel", "stop logging channel"),
    keywords_es=("desvincular canal", "dejar de registrar el canal"),
)

ACTIONS = (LINK_CHANNEL, UNLINK_CHANNEL)
