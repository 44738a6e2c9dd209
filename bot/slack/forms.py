"""Opening an action's form as a modal, and re-rendering it when a field that pre-fills the others
changes."""

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack import modals, payload
from bot.slack.deliver import Origin
from bot.slack.ports import Commands
from commands.context import Context
from commands.forms import Form
from commands.reply import Modal

log = logging.getLogger(__name__)


def open_form(commands: Commands, client: WebClient, origin: Origin, ctx: Context, modal: Modal) -> bool:
    form = commands.form(modal.kind, ctx, dict(modal.values))
    state = modals.FormState(modal.kind, 0, origin.channel_id, modals.dispatched(form))
    try:
        client.views_open(
            trigger_id=origin.trigger_id, view=modals.modal(form, state, labels(commands, ctx, form))
        )
    except SlackApiError as failure:  # expired_trigger_id when the command took too long
        log.warning("views.open failed: %s", failure.response.get("error"))
        return False
    return True


def update_form(commands: Commands, client: WebClient, ctx: Context, view: dict[str, Any]) -> None:
    """A field that re-renders the form changed (the template): rebuild it around the new choice."""
    state = modals.FormState.loads(payload.text(view, "private_metadata"))
    values = modals.read_values(payload.mapping(view, "state", "values"))
    values |= {f"previous_{name}": value for name, value in state.previous.items()}
    form = commands.form(state.kind, ctx, values)
    try:
        client.views_update(
            view_id=payload.text(view, "id"),
            hash=payload.text(view, "hash") or None,
            view=modals.modal(form, state.next(form), labels(commands, ctx, form)),
        )
    except SlackApiError as failure:  # hash_conflict: a newer change is already on its way
        log.info("views.update skipped: %s", failure.response.get("error"))


def labels(commands: Commands, ctx: Context, form: Form) -> dict[str, str]:
    """The text of the chosen option of external selects, which Slack cannot look up itself."""
    found: dict[str, str] = {}
    for field in form.fields:
        if field.kind == "external_select" and field.value:
            choices = dict(commands.options(ctx, field.name, field.value))
            found[field.name] = choices.get(field.value, field.value)
    return found
