"""Concerns that cut across every listener: the shared Runtime in each request's context, dropping Slack's
retries of events already handled, and turning an unexpected exception into a short apology."""

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from bot.slack import payload
from bot.slack.runtime import EVENT_SOURCE, SOMETHING_WRONG, Runtime, apologise

log = logging.getLogger(__name__)


def register(app: App, runtime: Runtime) -> None:
    @app.middleware
    def attach_runtime_and_skip_redelivered_events(
        body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """One middleware for both: each costs Bolt an argument injection per request."""
        context["crm"] = runtime
        event_id = payload.text(body, "event_id") if payload.text(body, "type") == "event_callback" else ""
        if event_id and not runtime.first_delivery(EVENT_SOURCE, event_id, context.team_id or ""):
            log.info("event %s was already handled; acknowledging the retry only", event_id)
            return BoltResponse(status=200, body="")
        return next()

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
