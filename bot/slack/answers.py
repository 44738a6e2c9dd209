"""Carrying out a Reply in the order Slack needs: send its message (or open its form), then queue its
background work, then upload its file."""

from collections.abc import Callable

from slack_sdk import WebClient

from bot.slack import deliver, render
from bot.slack.deliver import Origin
from commands.context import Context
from commands.reply import BackgroundWork, Modal, Reply

Send = Callable[[render.Message | None], None]
OpenForm = Callable[[WebClient, Origin, Context, Modal], bool]
Enqueue = Callable[[Origin, Context, BackgroundWork], int]


def answer(
    client: WebClient,
    origin: Origin,
    ctx: Context,
    reply: Reply,
    *,
    open_form: OpenForm,
    enqueue: Enqueue,
    send: Send | None = None,
    share: str | None = None,
) -> None:
    """`send` delivers the message part (or None when the reply has nothing to say), exactly once; by
    default back to the origin. A slash command passes its ack(). Background work is queued only once
    the message is out: its result must not arrive first and then be replaced by "Working on it…"."""
    opens_form = reply.modal is not None and bool(origin.trigger_id)
    message = None if opens_form else render.message(reply, share=share, form_button=True)
    if send is None:
        if message is not None:
            deliver.send(client, origin, message, replace=reply.replace_original, private=reply.private)
    else:
        send(message)
    if opens_form and reply.modal is not None and not open_form(client, origin, ctx, reply.modal):
        deliver.send(client, origin, render.message(reply, form_button=True), private=reply.private)
    if reply.background is not None:
        enqueue(origin, ctx, reply.background)
    if reply.file is not None:
        deliver.upload(client, origin, reply.file)
