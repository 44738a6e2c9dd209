"""`crm record-document --batch`: each line of a JSON-lines file is recorded on its own, so a bad line
(a huge number, deep nesting, a NUL, anything) costs only itself; the summary names the bad lines, the
first 20, and counts the rest. Property-based too, on SQLite and PostgreSQL."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from store.enums import DocumentKind
from store.models import InteractionLogEntry
from store.templates import set_setup
from tests.conftest import Workspace


@pytest.fixture
def setup(sessions, workspace: Workspace) -> Workspace:
    with sessions.begin() as s:
        set_setup(s, workspace.team, "U1", DocumentKind.SALES_INVOICE, "LETTER")
        set_setup(s, workspace.team, "U1", DocumentKind.SALES_QUOTE, "LETTER")
    return workspace


def batch(workdir, team: str, lines: list[str]):
    (workdir / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    return CliRunner().invoke(app, ["record-document", "--batch", "batch.jsonl", "--team", team])


def good(setup: Workspace, no: str) -> str:
    return json.dumps({"document_type": "sales-invoice", "document_no": no, "contact": setup.john})


def quote(setup: Workspace, no: str, version: str) -> str:
    """A quote whose version is written as given: Python will not write a number of 10,000 digits."""
    fields = {"document_type": "sales-quote", "document_no": no, "contact": setup.john}
    return json.dumps(fields | {"version_no": "<version>"}).replace('"<version>"', version)


def document_nos(sessions, team: str) -> list[str]:
    with sessions() as s:
        query = select(InteractionLogEntry.document_no).where(InteractionLogEntry.team_id == team)
        return list(s.scalars(query.order_by(InteractionLogEntry.entry_no)))


def test_a_bad_line_costs_only_itself(workdir, sessions, setup):
    lines = [
        good(setup, "INV-1"),
        quote(setup, "Q-1", "9" * 30),
        good(setup, "INV-2"),
        '{"document_type": "sales-invoice", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
        good(setup, "INV-3"),
        json.dumps({"document_type": "sales-invoice", "document_no": "INV-4", "contact": "John\x00Smith"}),
        good(setup, "INV-5"),
        json.dumps({"document_type": "sales-invoice", "document_no": "I\ud800", "contact": setup.john}),
        quote(setup, "Q-2", "9" * 10_000),
        json.dumps(
            {"document_type": "sales-quote", "document_no": "Q-3", "contact": setup.john, "version_no": 2**31}
        ),
        good(setup, "INV-6"),
    ]
    result = batch(workdir, setup.team, lines)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert document_nos(sessions, setup.team) == ["INV-1", "INV-2", "INV-3", "INV-5", "INV-6"]
    assert "batch.jsonl: 5 logged, 0 duplicates, 0 skipped (no template set up, or previews), 6 errors." in (
        result.output
    )
    for expected in (
        "line 2: version_no: out of range",
        "line 4: nested too deeply",
        "line 6: contact: contains a NUL character",
        "line 8: document_no: is not valid Unicode text",
        "line 9: version_no: out of range",
        "line 10: version_no: out of range",
    ):
        assert expected in result.output


def test_the_summary_names_the_first_twenty_bad_lines_and_counts_the_rest(workdir, sessions, setup):
    lines = [good(setup, "INV-1"), *(["{"] * 25), good(setup, "INV-2")]
    result = batch(workdir, setup.team, lines)
    assert result.exit_code == 1
    assert "line 21: not valid JSON." in result.output and "line 22:" not in result.output
    assert "  ... and 5 more bad lines." in result.output and "25 errors." in result.output
    assert document_nos(sessions, setup.team) == ["INV-1", "INV-2"]


LINE = st.one_of(
    st.just("good"),
    st.sampled_from(["{", "[]", "null", "1e999", '"\\u0000"', "[" * 5000, '{"document_type": 1}']),
    st.text(st.characters(exclude_categories=()), max_size=40),
    st.dictionaries(
        st.sampled_from(["document_type", "document_no", "contact", "version_no", "date", "event_id"]),
        st.one_of(st.integers(), st.text(max_size=10), st.sampled_from(["\x00", "\ud800", "sales-invoice"])),
        max_size=6,
    ),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(LINE, min_size=1, max_size=12))
def test_any_batch_logs_its_good_lines_and_says_what_is_wrong_with_the_others(
    workdir, sessions, setup, kinds
):
    before = len(document_nos(sessions, setup.team))
    lines, good_lines = [], 0
    for number, kind in enumerate(kinds):
        if kind == "good":
            lines.append(good(setup, f"P-{before}-{number}"))
            good_lines += 1
        else:
            lines.append(kind if isinstance(kind, str) else json.dumps(kind))
    result = batch(workdir, setup.team, lines)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    logged = len(document_nos(sessions, setup.team)) - before
    assert logged >= good_lines  # a random line may be a good document too
    assert f"{logged} logged" in result.output


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--contact", "John\udcffSmith", "contact: is not valid Unicode text"),
        ("--no", "I" * 41, "document_no: at most 40 characters"),
        ("--version", str(2**31), "version_no: out of range"),
    ],
)
def test_one_document_from_the_options_is_checked_as_the_webhook_checks_it(
    workdir, sessions, setup, option, value, message
):
    """A lone surrogate is what Python makes of bytes in an argument that are not UTF-8."""
    args = {"--kind": "sales-quote", "--no": "Q-1", "--contact": setup.john} | {option: value}
    result = CliRunner().invoke(
        app, ["record-document", *(word for pair in args.items() for word in pair), "--team", setup.team]
    )
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output
    assert document_nos(sessions, setup.team) == []
