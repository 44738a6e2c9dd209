"""The forms of the actions on entries: Comment (`/crm comment 3` alone asks for the text) and Evaluate
(`/crm evaluate 3` alone asks for the evaluation). Each names the entries it is about above its fields."""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from commands import inputs
from commands.context import Context
from commands.forms import Field, Form, read_fields, text_field
from commands.inputs import UsageError
from commands.views import entry_line
from store.db import reading
from store.enums import Evaluation
from store.filters import EntryFilter
from store.interactions import entries_by_no
from store.queries import list_entries

COMMENT_ID = "comment_entry"
EVALUATE_ID = "evaluate"
SHOWN = 5
"""Entries named above a form; more are counted."""
EVALUATIONS = tuple(
    (e.value, e.value.replace("-", " ").capitalize()) for e in Evaluation if e is not Evaluation.BLANK
)


def entry_intro(ctx: Context, text: str, *, postponed: bool = False) -> str:
    """The entries typed in `text`, a line each, as the lists show them; "" while they are not known
    (a form opened without them, or a number that is no entry)."""
    try:
        numbers = inputs.ENTRY_NOS.parse(text, ctx, "entry_nos") if text.strip() else []
    except UsageError:
        return ""
    if not numbers:
        return ""
    with reading(ctx.sessions) as session:
        given = EntryFilter(entry_nos=tuple(numbers[:SHOWN]), postponed=postponed)
        rows = list_entries(session, ctx.team_id, given, limit=SHOWN).rows
    lines = [entry_line(row.entry, row.contact_name) for row in rows]
    if len(numbers) > SHOWN:
        lines.append(f"…and {len(numbers) - SHOWN} more.")
    return "\n".join(lines)


def comment_form(ctx: Context, values: dict[str, str]) -> Form:
    entry = Field("entry_no", "Entry number", "integer", values.get("entry_no", ""))
    text = text_field("text", "Comment", inputs.COMMENT, values.get("text", ""), long=True)
    return _about(ctx, Form(COMMENT_ID, "Comment on entry", "Add comment", (entry, text)))


def read_comment(ctx: Context, values: dict[str, str]) -> dict[str, Any]:
    kinds = {"entry_no": inputs.ENTRY_NO, "text": inputs.COMMENT}
    return read_fields(ctx, values, kinds, required=tuple(kinds))


def evaluate_form(ctx: Context, values: dict[str, str]) -> Form:
    entries = Field("entry_nos", "Entry numbers (12, 13…)", "text", values.get("entry_nos", ""))
    chosen = Field("evaluation", "Evaluation", "select", values.get("evaluation", ""), EVALUATIONS)
    return _about(ctx, Form(EVALUATE_ID, "Evaluate Interaction", "Evaluate", (entries, chosen)))


def read_evaluate(ctx: Context, values: dict[str, str]) -> dict[str, Any]:
    kinds = {"entry_nos": inputs.ENTRY_NOS, "evaluation": inputs.EVALUATION}
    return read_fields(ctx, values, kinds, required=tuple(kinds))


def _about(ctx: Context, form: Form) -> Form:
    """The form, with the entries its first field names above its fields."""
    return replace(form, intro=entry_intro(ctx, form.fields[0].value))


def check_entries(ctx: Context, args: Mapping[str, Any]) -> None:
    """The entries the form is for exist (a form opened for nothing would only fail when sent)."""
    numbers = args.get("entry_nos") or ([args["entry_no"]] if "entry_no" in args else [])
    if numbers:
        with reading(ctx.sessions) as session:
            entries_by_no(session, ctx.team_id, numbers)
