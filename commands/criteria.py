"""The kinds of value that read segment criteria: `country=ES type=company had=VISIT from=2026-01-01`.

Each word `field=value` starts a criterion; words without `=` continue the value before them
(`name=John Smith`). `from=`, `to=`, `evaluation=` and `failed=` apply to the `had=` or `not-had=` before
them. Values are read with the kinds of commands.inputs (dates, evaluations, yes/no, contact types); a
country by its code or its name (commands.countries)."""

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from commands import inputs
from commands.context import Context
from commands.countries import COUNTRY
from store.segment_criteria import CONTACT_FIELDS, Criteria, History

CRITERION = re.compile(r"^([a-z][a-z_-]*)=(.*)$", re.IGNORECASE | re.DOTALL)
HISTORY_FIELDS = ("from", "to", "evaluation", "failed")
CHOICES: dict[str, inputs.Kind] = {
    "type": inputs.CONTACT_TYPE,
    "correspondence_type": inputs.CORRESPONDENCE,
}
TEXT = inputs.Text("a value", 100)
CODE = inputs.Code("template or group")


def _pairs(text: str) -> list[tuple[str, str]]:
    words = text.split()
    if words and words[0].lower() == "where":
        words = words[1:]
    pairs: list[tuple[str, str]] = []
    for word in words:
        found = CRITERION.match(word)
        if found:
            pairs.append((found.group(1).lower().replace("-", "_"), found.group(2)))
        elif pairs:
            name, value = pairs[-1]
            pairs[-1] = (name, f"{value} {word}".strip())
        else:
            raise inputs.UsageError(f"“{word}” is not a criterion; write field=value, such as country=ES.")
    return pairs


class CriterionError(inputs.UsageError):
    """A criterion that cannot be read, with the criterion's name (a form puts the message on its field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _history_value(name: str, value: str, ctx: Context | None) -> dict[str, Any]:
    if name == "from":
        return {"date_from": inputs.DATE.parse(value, ctx, "from")}
    if name == "to":
        return {"date_to": inputs.DATE.parse(value, ctx, "to")}
    if name == "evaluation":
        return {"evaluation": inputs.EVALUATION.parse(value, ctx, "evaluation").value}
    return {"failed": inputs.FLAG.parse(value, ctx, "failed")}


def _set(item: History, name: str, value: str, ctx: Context | None) -> History:
    changes = _history_value(name, value, ctx)
    key = next(iter(changes))
    if getattr(item, key) is not None:
        raise inputs.UsageError(f"{name}= is given twice for the same history.")
    return replace(item, **changes)


def read_pairs(pairs: list[tuple[str, str]], ctx: Context | None) -> Criteria:
    """Criteria from (field, value) pairs in the order given, as typed after `where` or chosen in a step's
    form; raises CriterionError naming the criterion that is off."""
    fields: list[tuple[str, str]] = []
    history: list[History] = []
    for field, value in pairs:
        try:
            if not value.strip():
                raise inputs.UsageError(f"Give a value after {field}=.")
            if field in ("had", "not_had"):
                history.append(History(code=CODE.parse(value, ctx, field), had=field == "had"))
            elif field in HISTORY_FIELDS:
                if not history:
                    raise inputs.UsageError(
                        f"{field}= applies to the had= or not-had= before it, such as had=VISIT {field}=…."
                    )
                history[-1] = _set(history[-1], field, value, ctx)
            elif field in CHOICES:
                fields.append((field, CHOICES[field].parse(value, ctx, field).value))
            elif field == "country":
                fields.append((field, COUNTRY.parse(value, ctx, field)))
            elif field in CONTACT_FIELDS:
                fields.append((field, TEXT.parse(value, ctx, field)))
            else:
                known = ", ".join(f"{f}=" for f in (*CONTACT_FIELDS, "had", "not-had", *HISTORY_FIELDS))
                raise inputs.UsageError(f"Unknown criterion {field}=. Criteria: {known}.")
        except CriterionError:
            raise
        except inputs.UsageError as refused:
            raise CriterionError(field, refused.message) from None
    return Criteria(fields=tuple(fields), history=tuple(history))


class CriteriaKind(inputs.Kind):
    """The criteria of a step: contact fields and interaction history, all of which must hold."""

    label = "the criteria, such as country=ES type=company had=VISIT from=2026-01-01"
    spaced = True
    options = True

    def parse(self, text: str, ctx: Context | None, name: str) -> Criteria:
        criteria = read_pairs(_pairs(text), ctx)
        if not criteria:
            raise inputs.UsageError(f"Give {self.label}.")
        return criteria

    def render(self, value: Any) -> str:
        return value.describe() if isinstance(value, Criteria) else str(value)

    def take(self, words: Sequence[str], ctx: Context, more: bool) -> int:
        return len(words)


class EntryFilterKind(inputs.Kind):
    """Which entries of a logged segment a follow-up segment takes: `[where] evaluation=… failed=yes|no`."""

    label = "evaluation= and failed=, such as where evaluation=positive failed=no"
    spaced = True
    options = True

    def parse(self, text: str, ctx: Context | None, name: str) -> History:
        item = History()
        for field, value in _pairs(text):
            if field not in ("evaluation", "failed"):
                raise inputs.UsageError(f"A follow-up segment takes evaluation= and failed=, not {field}=.")
            item = _set(item, field, value, ctx)
        return item

    def render(self, value: Any) -> str:
        if not isinstance(value, History):
            return str(value)
        words = [f"evaluation={value.evaluation}"] if value.evaluation else []
        if value.failed is not None:
            words.append(f"failed={'yes' if value.failed else 'no'}")
        return " ".join(words)

    def take(self, words: Sequence[str], ctx: Context, more: bool) -> int:
        return len(words)


CRITERIA = CriteriaKind()
ENTRY_FILTER = EntryFilterKind()
