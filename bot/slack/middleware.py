"""Concerns that cut across every listener: the shared Runtime in each request's context, dropping Slack's
retries of events already handled, and turning an unexpected exception into a short apology."""

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.slack import payload
from bot.slack.runtime import EVENT_SOURCE, SOMETHING_WRONG, Runtime, apologise

log = logging.getLogger(__name__)


class AttachRuntime(Middleware):
    """The shared Runtime in each request's context, and Slack's retries of events already handled
    dropped. A Middleware of its own rather than a decorated function: Bolt builds every argument a
    function could ask for on each call of one."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        req.context["crm"] = self.runtime
        body = req.body
        event_id = payload.text(body, "event_id") if payload.text(body, "type") == "event_callback" else ""
        if event_id and not self.runtime.first_delivery(EVENT_SOURCE, event_id, req.context.team_id or ""):
            log.info("event %s was already handled; acknowledging the retry only", event_id)
            return BoltResponse(status=200, body="")
        return next()


def register(app: App, runtime: Runtime) -> None:
    app.middleware(AttachRuntime(runtime))

    @app.error
    def handle_error(
        error: Exception, body: dict[str, Any], response: BoltResponse | None
    ) -> BoltResponse | None:
        log.error("Slack request failed (%s)", body.get("type") or body.get("command"), exc_info=error)
        if response is not None and response.status >= 500:
            # The listener failed before Slack got its answer: the apology is the answer.
            kind = body.get("type")
            if kind == "view_submission":
                return BoltResponse(status=200, body="")
            if kind == "block_suggestion":
                return BoltResponse(
                    status=200, body='{"options": []}', headers={"content-type": "application/json"}
                )
            return BoltResponse(status=200, body=SOMETHING_WRONG)
        apologise(body)
        return None
