"""The forms of the actions on entries: Comment (`/crm comment 3` alone asks for the text) and Evaluate
(`/crm evaluate 3` alone asks for the evaluation). Each names the entries it is about above its fields."""

from collections.abc import Mapping
from typing import Any

from commands import inputs
from commands.context import Context
from commands.forms import Field, Form, read_fields, text_field
from commands.inputs import UsageError
from commands.views import entry_line
from store.db import reading
from store.enums import Evaluation
from store.filters import EntryFilter
from store.interactions import entries_by_no, get_entry
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
    entry = values.get("entry_no", "")
    return Form(
        COMMENT_ID,
        "Comment on entry",
        "Add comment",
        (
            Field("entry_no", "Entry number", "integer", entry),
            text_field("text", "Comment", inputs.COMMENT, values.get("text", ""), long=True),
        ),
        intro=entry_intro(ctx, entry),
    )


def read_comment(ctx: Context, values: dict[str, str]) -> dict[str, Any]:
    kinds = {"entry_no": inputs.ENTRY_NO, "text": inputs.COMMENT}
    return read_fields(ctx, values, kinds, required=("entry_no", "text"))


def check_entry(ctx: Context, args: Mapping[str, Any]) -> None:
    """The entry the form is for exists (a form opened for nothing would only fail when sent)."""
    if "entry_no" in args:
        with reading(ctx.sessions) as session:
            get_entry(session, ctx.team_id, args["entry_no"])


def evaluate_form(ctx: Context, values: dict[str, str]) -> Form:
    numbers = values.get("entry_nos", "")
    return Form(
        EVALUATE_ID,
        "Evaluate Interaction",
        "Evaluate",
        (
            Field("entry_nos", "Entry numbers (12, 13…)", "text", numbers),
            Field("evaluation", "Evaluation", "select", values.get("evaluation", ""), EVALUATIONS),
        ),
        intro=entry_intro(ctx, numbers),
    )


def read_evaluate(ctx: Context, values: dict[str, str]) -> dict[str, Any]:
    kinds = {"entry_nos": inputs.ENTRY_NOS, "evaluation": inputs.EVALUATION}
    return read_fields(ctx, values, kinds, required=("entry_nos", "evaluation"))


def check_entries(ctx: Context, args: Mapping[str, Any]) -> None:
    if "entry_nos" in args:
        with reading(ctx.sessions) as session:
            entries_by_no(session, ctx.team_id, args["entry_nos"])
