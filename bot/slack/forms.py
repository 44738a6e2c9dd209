"""Opening an action's form as a modal, and re-rendering it when a field that pre-fills the others
changes."""

import logging
from typing import Any

from slack_sdk import WebClient

from bot.slack import modals, payload
from bot.slack.deliver import Origin, Refused, Undelivered, quick, web_api
from bot.slack.ports import Commands
from commands.context import Context
from commands.forms import Form
from commands.reply import Modal

log = logging.getLogger(__name__)

OPEN_TIMEOUT = 2.0
"""A trigger opens a modal only within 3 seconds of the user's action: no later try could use it."""
UPDATE_TIMEOUT = 2.0


def open_form(commands: Commands, client: WebClient, origin: Origin, ctx: Context, modal: Modal) -> bool:
    """One quick try; False when Slack did not open it (throttled, failing, an expired trigger)."""
    form = commands.form(modal.kind, ctx, dict(modal.values))
    state = modals.FormState(modal.kind, 0, origin.channel_id, modals.dispatched(form))
    view = modals.modal(form, state, labels(commands, ctx, form))
    opening = quick(client, OPEN_TIMEOUT)
    try:
        web_api(lambda: opening.views_open(trigger_id=origin.trigger_id, view=view))
    except (Undelivered, Refused) as failure:
        log.warning("views.open failed: %s", failure)
        return False
    return True


def update_form(commands: Commands, client: WebClient, ctx: Context, view: dict[str, Any]) -> None:
    """A field that re-renders the form changed (the template): rebuild it around the new choice."""
    state = modals.FormState.loads(payload.text(view, "private_metadata"))
    values = modals.read_values(payload.mapping(view, "state", "values"))
    values |= {f"previous_{name}": value for name, value in state.previous.items()}
    form = commands.form(state.kind, ctx, values)
    rendered = modals.modal(form, state.next(form), labels(commands, ctx, form))
    updating = quick(client, UPDATE_TIMEOUT)
    try:
        web_api(
            lambda: updating.views_update(
                view_id=payload.text(view, "id"), hash=payload.text(view, "hash") or None, view=rendered
            )
        )
    except (Undelivered, Refused) as failure:
        # hash_conflict: a newer change is already on its way. Throttled or failing: the form stays as it
        # was, still good to submit, and the next change renders it again.
        log.info("views.update skipped: %s", failure)


def labels(commands: Commands, ctx: Context, form: Form) -> dict[str, str]:
    """The text of the chosen option of external selects, which Slack cannot look up itself."""
    found: dict[str, str] = {}
    for field in form.fields:
        if field.kind == "external_select" and field.value:
            choices = dict(commands.options(ctx, field.name, field.value))
            found[field.name] = choices.get(field.value, field.value)
    return found
