"""Forms (commands.forms) as Slack modals, and the values a submitted modal carries back.

Block ids are `<field>~<revision>`. Slack keeps what the user typed in an input whose block id did not
change across views.update, ignoring the new initial value; changing the template must pre-fill the other
fields, so every re-render moves to a new revision."""

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    ExternalDataSelectElement,
    InputBlock,
    InteractiveElement,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot.slack import payload
from bot.slack.render import clip, clip_markup, escape
from commands.forms import Field, Form

log = logging.getLogger(__name__)

FIELD_ACTION = "crm:field:"
NO_CHOICE = "__none__"
"""Slack wants a non-empty value on every option; the forms' "no choice" is the empty string."""
OPTIONS_LIMIT = 100
TEXT_LIMIT = 3000
"""The longest max_length Slack takes on a text input."""
CHECKED = "yes"
NOTE = "crm:note"
NOTE_AT = 99
"""Slack takes 100 blocks in a modal: the fields, and the note after them."""


@dataclass(frozen=True)
class FormState:
    """Kept in the modal's private_metadata between renders."""

    kind: str
    revision: int = 0
    channel: str = ""
    """Where the command was typed: the result is posted there (privately)."""
    previous: dict[str, str] = field(default_factory=dict)
    """The value each re-rendering field had when last rendered, so the form can tell what changed."""

    def dumps(self) -> str:
        return json.dumps({"k": self.kind, "r": self.revision, "c": self.channel, "p": self.previous})

    @classmethod
    def loads(cls, text: str) -> "FormState":
        """What dumps() wrote; anything else (tampered, cut, another app's) reads as an empty state."""
        try:
            data = json.loads(text or "{}") if len(text) <= 3000 else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        revision = data.get("r", 0)
        previous = payload.mapping(data, "p")
        return cls(
            payload.text(data, "k"),
            revision if isinstance(revision, int) and 0 <= revision < 10_000 else 0,
            payload.text(data, "c"),
            {str(k): v for k, v in previous.items() if isinstance(v, str)},
        )

    def next(self, form: Form) -> "FormState":
        return FormState(self.kind, self.revision + 1, self.channel, dispatched(form))


def dispatched(form: Form) -> dict[str, str]:
    return {f.name: f.value for f in form.fields if f.dispatch}


def modal(form: Form, state: FormState, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """`labels`: the text of the chosen option of external selects, which Slack cannot look up itself.
    The form's intro (what it is about) goes above the fields; its note (a live count) under them."""
    blocks: list[Block] = []
    if form.intro.strip():
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip_markup(escape(form.intro), 3000))))
    blocks += [
        InputBlock(
            block_id=f"{f.name}~{state.revision}",
            label=clip(f.label, 2000),
            element=element(f, (labels or {}).get(f.name)),
            optional=f.optional,
            dispatch_action=f.dispatch or None,
        )
        for f in form.fields
    ][: NOTE_AT - len(blocks)]
    if form.note:
        text = PlainTextObject(text=clip(form.note, 2000), emoji=False)
        blocks.append(ContextBlock(block_id=f"{NOTE}~{state.revision}", elements=[text]))
    return View(
        type="modal",
        callback_id=form.kind,
        title=clip(form.title, 24),
        submit=clip(form.submit, 24),
        close="Cancel",
        blocks=blocks,
        private_metadata=state.dumps()[:3000],
    ).to_dict()


def element(f: Field, label: str | None = None) -> InteractiveElement:
    action_id = FIELD_ACTION + f.name
    value = f.value or ""
    if f.kind in ("text", "long_text"):
        return PlainTextInputElement(
            action_id=action_id,
            initial_value=(value[: f.max_length] if f.max_length else value) or None,
            multiline=f.kind == "long_text",
            max_length=min(f.max_length, TEXT_LIMIT) if f.max_length else None,
        )
    if f.kind == "select":
        options = [option(v, text) for v, text in f.options[:OPTIONS_LIMIT]]
        if len(f.options) > OPTIONS_LIMIT:
            log.warning(
                "select %s has %d options; Slack shows the first %d", f.name, len(f.options), OPTIONS_LIMIT
            )
        chosen = next((o for o in options if o.value == (value or NO_CHOICE)), None)
        return StaticSelectElement(action_id=action_id, options=options, initial_option=chosen)
    if f.kind == "external_select":
        chosen = option(value, label or value) if value else None
        return ExternalDataSelectElement(action_id=action_id, initial_option=chosen, min_query_length=0)
    if f.kind == "date":
        return DatePickerElement(action_id=action_id, initial_date=value if _is(date, value) else None)
    if f.kind == "time":
        return TimePickerElement(
            action_id=action_id, initial_time=value[:5] if _is(time, value[:5]) else None
        )
    if f.kind in ("number", "integer"):
        whole = f.kind == "integer"
        number = value if (value.isdigit() if whole else _is_number(value)) else None
        return NumberInputElement(action_id=action_id, is_decimal_allowed=not whole, initial_value=number)
    if f.kind == "checkbox":
        box = option(CHECKED, "Yes")
        checked = value.lower() in (CHECKED, "true", "1", "on")
        return CheckboxesElement(
            action_id=action_id, options=[box], initial_options=[box] if checked else None
        )
    raise ValueError(f"unknown field kind {f.kind}")


def option(value: str, text: str) -> Option:
    return Option(value=clip(value or NO_CHOICE, 150), text=clip(text, 75))


def _is(kind: type[date] | type[time], text: str) -> bool:
    try:
        kind.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_values(state_values: object) -> dict[str, str]:
    """Slack's view.state.values ({block_id: {action_id: element state}}) as {field: text}; what is not
    of that shape is left out."""
    values: dict[str, str] = {}
    for block_id, actions in payload.mapping({"v": state_values}, "v").items():
        name = str(block_id).rsplit("~", 1)[0]
        for state in payload.mapping({"a": actions}, "a").values():
            if isinstance(state, dict):
                values[name] = _value(state)
    return values


def _value(state: Mapping[str, Any]) -> str:
    kind = payload.text(state, "type")
    if kind in ("static_select", "external_select"):
        chosen = payload.text(state, "selected_option", "value")
        return "" if chosen == NO_CHOICE else chosen
    if kind == "datepicker":
        return payload.text(state, "selected_date")
    if kind == "timepicker":
        return payload.text(state, "selected_time")
    if kind == "checkboxes":
        return CHECKED if payload.items(state, "selected_options") else ""
    return payload.text(state, "value")


def block_errors(view: Mapping[str, Any], errors: Mapping[str, str]) -> dict[str, str]:
    """FormErrors by field name -> Slack's errors by block id; an error about no field shown goes on the
    first one, so the user always sees it."""
    blocks = [
        b for b in payload.items(view, "blocks") if payload.text(b, "block_id") and b.get("type") == "input"
    ]
    block_ids = {b["block_id"].rsplit("~", 1)[0]: b["block_id"] for b in blocks}
    first = next(iter(block_ids.values()), "")
    found: dict[str, str] = {}
    for name, text in errors.items():
        block_id = block_ids.get(name, first)
        found[block_id] = clip(f"{found[block_id]} {text}" if block_id in found else text, 2000)
    return found
