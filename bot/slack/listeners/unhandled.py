"""Registered last: what no other listener takes (an old button, a view of another version, an event we
do not use) is acknowledged and ignored, so Slack shows no error and retries nothing."""

import logging
import re
from typing import Any

from slack_bolt import Ack, App

log = logging.getLogger(__name__)
ANY = re.compile(".*", re.DOTALL)


def register(app: App) -> None:
    app.action(ANY)(ignore)
    app.view(ANY)(ignore)
    app.options(ANY)(no_options)
    app.shortcut(ANY)(ignore)
    app.event(ANY)(ignore_event)


def ignore(ack: Ack, body: dict[str, Any]) -> None:
    ack()
    log.info("ignored a %s no listener takes", body.get("type") if isinstance(body, dict) else "request")


def no_options(ack: Ack) -> None:
    ack(options=[])


def ignore_event() -> None:
    """Bolt acknowledges events itself."""
