"""Carrying out a Reply in the order Slack needs: send its message, queue its background work, then open
its form and upload its file (which a slash command's listener hands on, to return first)."""

from collections.abc import Callable
from dataclasses import replace

from slack_sdk import WebClient

from bot.slack import render
from bot.slack.deliver import Origin
from bot.slack.outbox import Outbox
from commands.context import Context
from commands.reply import BackgroundWork, Modal, Reply

FORM_NOT_OPENED = "Slack did not open the form just now. Press *Open the form* to try again."
"""Slack was throttling or failing, or the trigger expired: a new click brings a new trigger."""
Send = Callable[[render.Message | None], None]
OpenForm = Callable[[WebClient, Origin, Context, Modal], bool]
Enqueue = Callable[[Origin, Context, BackgroundWork], int]
Later = Callable[[Callable[[], None]], None]


def answer(
    client: WebClient,
    origin: Origin,
    ctx: Context,
    reply: Reply,
    *,
    outbox: Outbox,
    open_form: OpenForm,
    enqueue: Enqueue,
    send: Send | None = None,
    share: str | None = None,
    later: Later | None = None,
) -> None:
    """`send` delivers the message part (or None when the reply has nothing to say), exactly once; by
    default back to the origin, through the outbox. A slash command passes its ack(). Background work is
    queued only once the message is kept (the outbox delivers a conversation's messages in order): its
    result must not arrive first and then be replaced by "Working on it…". `later` is given what waits on
    Slack after the message (opening the form, uploading the file) when the caller must return first, as a
    slash command's listener does before Slack gets its acknowledgement."""
    opens_form = reply.modal is not None and bool(origin.trigger_id)
    message = None if opens_form else render.message(reply, share=share, form_button=True)
    if send is None:
        if message is not None:
            outbox.send(client, origin, message, replace=reply.replace_original)
    else:
        send(message)
    if reply.background is not None:
        enqueue(origin, ctx, reply.background)

    def then() -> None:
        if opens_form and reply.modal is not None and not open_form(client, origin, ctx, reply.modal):
            unopened = replace(reply, text=FORM_NOT_OPENED, paragraphs=(), error=True)
            outbox.send(client, origin, render.message(unopened, form_button=True))
        if reply.file is not None:
            outbox.upload(client, origin, reply.file)

    if later is not None and (opens_form or reply.file is not None):
        later(then)
    else:
        then()
