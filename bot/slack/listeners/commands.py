"""The /crm slash command. Most commands answer well within Slack's 3 seconds, and their reply is the
acknowledgement itself; one that takes longer is acknowledged with "Working on it…" and answered through
the response_url when it is done."""

import logging
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.slack import deliver, payload
from bot.slack.listeners.origins import of_command
from bot.slack.render import Message, unescape
from bot.slack.runtime import Runtime, apologise
from commands.context import Context
from commands.reply import Reply

log = logging.getLogger(__name__)

WORKING = "Working on it…"


def register(app: App) -> None:
    app.command("/crm")(crm)


def crm(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    runtime = Runtime.of(context)
    origin = of_command(body, context)
    text = unescape(payload.text(body, "text")).strip()
    share = text if runtime.shareable(text) else None

    def work() -> tuple[Context, Reply]:
        ctx = runtime.context(client, origin)
        return ctx, runtime.run(ctx, text)

    future = runtime.executor.submit(work)
    try:
        ctx, reply = future.result(timeout=runtime.ack_budget)
    except FutureTimeout:
        ack(text=WORKING)
        # Handed on even when the work is done by now: sent from this thread, the late answer would go out
        # while the acknowledgement it replaces still waited for the listener to return.
        future.add_done_callback(
            lambda done: runtime.after_ack(body, lambda: _answer_late(runtime, client, origin, done, share))
        )
        return

    def acknowledge(message: Message | None) -> None:
        if message is None:
            ack()
        else:
            ack(text=message.text, blocks=message.blocks, response_type="ephemeral")

    def later(work: Callable[[], None]) -> None:
        runtime.after_ack(body, work, triggered=True)

    try:
        runtime.answer(client, origin, ctx, reply, send=acknowledge, share=share, later=later)
    except Exception:
        if ack.response is None:
            raise  # Bolt's error handler answers with the apology
        # The answer was given (what it says was done is done): the apology follows it, not replaces it.
        log.exception("/crm %s failed after its answer", text)
        runtime.after_ack(body, lambda: apologise(body))


def _answer_late(
    runtime: Runtime,
    client: WebClient,
    origin: deliver.Origin,
    done: Future[tuple[Context, Reply]],
    share: str | None,
) -> None:
    try:
        ctx, reply = done.result()

        def replace_working(message: Message | None) -> None:
            if message is not None:
                runtime.outbox.send(client, origin, message, replace=True)

        runtime.answer(client, origin, ctx, reply, send=replace_working, share=share)
    except Exception:
        log.exception("could not deliver a late answer to /crm")
