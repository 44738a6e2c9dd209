"""Help from the declarations: a heading per section of the catalog, a short line of commands under each,
example buttons that run or open a form, and a topic's page in full."""

from collections import Counter
from dataclasses import replace

from commands import grammar
from commands.catalog import PAGES, SECTIONS
from commands.inputs import split
from commands.router import ROUTER, run


def test_every_page_action_is_under_exactly_one_heading():
    placed = Counter(action.id for section in SECTIONS for action in section.actions)
    assert placed == Counter(action.id for action in PAGES)


def test_the_overview_is_a_heading_and_a_short_line_per_section(ctx):
    reply = run(ctx, "help")
    assert reply.header and reply.text == "crm-interactions"
    headings = [item.text for item in reply.items if item.heading]
    assert headings == [section.title for section in SECTIONS]
    lines = [item for item in reply.items if not item.heading]
    assert all(len(item.text) < 600 and item.buttons[-1].label == "More…" for item in lines)
    assert [b.command for b in reply.buttons] == ["tellme"]


def test_every_example_runs_its_own_action_and_none_changes_anything_on_a_click(ctx):
    reply = run(ctx, "help")
    examples = [b for item in reply.items for b in item.buttons if b.label != "More…"]
    assert {"log", "entries", "comment", "segment add", "template add", "task add"} <= {
        b.command for b in examples
    }
    for example in examples:
        action = grammar.match(ROUTER.actions, split(example.command))
        assert action is not None and action.title == example.label
        assert action.policy.read_only or action.form is not None
        assert not action.policy.destructive


def test_a_seller_is_not_shown_what_only_admins_may_run(user):
    everything = " ".join(
        i.text for t in ("help", "help entries", "help templates") for i in run(user, t).items
    )
    for admins_only in ("delete-canceled", "webhook", "setup <document kind>"):
        assert admins_only not in everything


def test_a_topic_is_found_by_its_name_a_command_word_or_its_start(ctx):
    for word, title in (
        ("segments", "Segments"),
        ("task", "Follow-ups"),
        ("log", "Logging"),
        ("temp", "Templates & setup"),
    ):
        page = run(ctx, f"help {word}")
        assert page.header and page.text == title, word
    page = run(ctx, "help entries")
    assert any("`/crm delete-canceled" in item.text and "_(admins)_" in item.text for item in page.items)
    unknown = run(ctx, "help weather")
    assert unknown.error and [b.command for b in unknown.buttons][:2] == ["help logging", "help entries"]


def test_help_speaks_the_users_language(ctx):
    reply = run(replace(ctx, lang="es"), "help")
    assert [item.text for item in reply.items if item.heading][:2] == ["Registrar", "Movimientos"]
