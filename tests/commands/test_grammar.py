"""Every command the bot writes (on a button, in queued work, for Tell Me) reads back as the same action
with the same arguments, whatever the values hold: quotes, `=`, a flag's word, typographic quotes."""

import re
from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commands import grammar, inputs
from commands.action import Action
from commands.inputs import QUOTES, quote, split
from commands.router import ROUTER
from commands.when import Due

WORDS = st.sampled_from(
    ["failed", "confirmed", "postpone", "cost=5", "a=b", "O’Hara", "“x”", "it's", '"q"', "ok"]
)
TEXT = st.lists(st.one_of(WORDS, st.text("abcxyz ,#-", min_size=1, max_size=6)), min_size=1, max_size=4).map(
    " ".join
)
FIXED: dict[type, Any] = {
    inputs.Numbers: [3, 4],
    inputs.Number: 7,
    inputs.DateKind: date(2026, 3, 4),
    inputs.TimeKind: time(9, 30),
    inputs.Money: Decimal("12.50"),
    inputs.Minutes: 15,
    inputs.Flag: True,
    inputs.Code: "PHONE",
    inputs.ContactList: ["John Smith", "Jane O'Hara"],
    inputs.When: Due(date(2026, 3, 4), time(9, 30)),
    inputs.UserRef: "U0SELLER",
    inputs.ContactNo: "CT000042",
}


def value_for(kind: inputs.Kind, text: str) -> Any:
    if kind.options:  # segment criteria: a criterion, not free text
        try:
            return kind.parse("country=ES", None, "where")
        except inputs.UsageError:  # a follow-up segment's criteria are about the entries
            return kind.parse("evaluation=positive", None, "where")
    for cls in type(kind).__mro__:
        if cls in FIXED:
            return FIXED[cls]
    if isinstance(kind, inputs.Choice):
        return next(member for member in kind.enum if member.value)
    if isinstance(kind, inputs.Text):
        return text[: kind.limit].strip() or "x"
    return text.strip() or "x"


def normal(value: Any) -> Any:
    return " ".join(value.translate(QUOTES).split()) if isinstance(value, str) else value


@pytest.mark.parametrize("action", ROUTER.actions, ids=lambda action: action.id)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_a_written_command_reads_back_as_its_action_and_arguments(
    action: Action, text: str, ctx: Any
) -> None:
    args = {arg.name: value_for(arg.kind, text) for arg in action.args}
    if action.policy.read_only or not args:
        args = {name: value for name, value in args.items() if name != "before"}
    written = action.command_text(args)
    words = split(written)
    assert grammar.match(ROUTER.actions, words) is action, written
    read = grammar.read(action, words, ctx)
    assert {k: normal(v) for k, v in read.args.items()} == {
        k: normal(v) for k, v in args.items() if normal(v) != ""
    }


WORD_TEXT = st.text(alphabet=st.sampled_from("ab1 \t\n\u00a0#=-_.,:;é'\"\\“”‘’«»()"), max_size=16)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(WORD_TEXT, max_size=5))
def test_any_words_written_as_a_command_read_back_as_they_were(words: list[str]) -> None:
    assert split(" ".join(quote(word) for word in words)) == words


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab1 \t\r\n\u00a0\u2003#=-_.,:;é\\"), max_size=24))
def test_a_command_without_quotes_splits_on_spaces_only(text: str) -> None:
    assert split(text) == [word for word in re.split("[ \t\r\n]+", text) if word]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            'contact add "Sarah O\'Brien" company=Tailspin',
            ["contact", "add", "Sarah O'Brien", "company=Tailspin"],
        ),
        ("contact add 'Sarah O’Brien' x", ["contact", "add", "Sarah O’Brien", "x"]),
        ("comment 38 Robert'); DROP TABLE", ["comment", "38", "Robert');", "DROP", "TABLE"]),
        ("contacts ' OR 1=1 --", ["contacts", "'", "OR", "1=1", "--"]),
        ("log PHONE Jones' car", ["log", "PHONE", "Jones'", "car"]),
        (
            'entries contact="John Smith" from=2026-11-01',
            ["entries", "contact=John Smith", "from=2026-11-01"],
        ),
        ("a “b c” d", ["a", "b c", "d"]),
        ('note "she said \\"yes\\"" C:\\temp', ["note", 'she said "yes"', "C:\\temp"]),
    ],
)
def test_apostrophes_stay_and_quotes_group_words(text: str, words: list[str]) -> None:
    assert split(text) == words


def test_free_text_of_several_words_keeps_its_quotes_as_typed(ctx: Any) -> None:
    words = split('comment 38 Customer said "call me back" — it’s urgent')
    action = grammar.match(ROUTER.actions, words)
    assert action is not None and action.id == "comment_entry"
    assert grammar.read(action, words, ctx).args["text"] == 'Customer said "call me back" — it’s urgent'
