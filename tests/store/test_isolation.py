"""No API reads or changes another workspace's rows, whatever numbers it is given."""

from datetime import date

import pytest

from store.cancellation import (
    cancel_entries,
    delete_canceled_entries,
    delete_canceled_logged_segments,
    restore_entries,
    set_logged_segment_canceled,
)
from store.contacts import change_contact, find_contact
from store.enums import Evaluation
from store.errors import NotFound
from store.filters import EntryFilter
from store.interactions import (
    InteractionInput,
    add_comment,
    comments,
    create_interaction,
    delete_postponed,
    evaluate,
    get_entry,
    resume,
)
from store.queries import list_entries, statistics
from store.segments import add_segment_lines, get_segment, list_logged_segments, log_segment, segment_contacts
from store.templates import get_template


def test_another_workspace_cannot_touch_our_entries(sessions, team, workspace):
    with sessions.begin() as s:
        ours = create_interaction(s, team, "U1", InteractionInput(workspace.john, "PHONE")).entry_no
        cancel_entries(s, team, "U1", [ours])
    other = team + "B"
    with sessions() as s:
        with pytest.raises(NotFound):
            get_entry(s, other, ours)
        with pytest.raises(NotFound):
            find_contact(s, other, workspace.john)
        with pytest.raises(NotFound):
            find_contact(s, other, "John Smith")
        assert list_entries(s, other, EntryFilter()).rows == []
        assert statistics(s, other, "template") == []
    for action in (restore_entries, cancel_entries):
        with pytest.raises(NotFound), sessions.begin() as s:
            action(s, other, "U9", [ours])
    with sessions.begin() as s:
        assert delete_canceled_entries(s, other, "U9", EntryFilter()) == 0
        with pytest.raises(NotFound):
            log_segment(s, other, "U9", "NEWSLETTER", "PHONE")
    with sessions() as s:
        assert get_entry(s, team, ours).canceled


def test_another_workspace_cannot_touch_our_segments_templates_comments_or_postponed(
    sessions, team, workspace
):
    with sessions.begin() as s:
        logged = log_segment(s, team, "U1", "NEWSLETTER", "LETTER").entry_no
        set_logged_segment_canceled(s, team, "U1", logged, True)
        postponed = create_interaction(
            s, team, "U1", InteractionInput(workspace.john, "PHONE"), postpone=True
        )
        add_comment(s, team, "U1", 1, "ours", date(2026, 11, 24))
    other = team + "B"
    refused = [
        lambda s: set_logged_segment_canceled(s, other, "U9", logged, False),
        lambda s: evaluate(s, other, [1], Evaluation.NEGATIVE),
        lambda s: add_comment(s, other, "U9", 1, "theirs", date(2026, 11, 24)),
        lambda s: resume(s, other, "U9", postponed.entry_no),
        lambda s: delete_postponed(s, other, postponed.entry_no),
        lambda s: change_contact(s, other, workspace.john, name="Renamed"),
        lambda s: get_template(s, other, "LETTER"),
        lambda s: get_segment(s, other, "NEWSLETTER"),
        lambda s: add_segment_lines(s, other, "NEWSLETTER", [workspace.adatum]),
    ]
    for action in refused:
        with pytest.raises(NotFound), sessions.begin() as s:
            action(s)
    with sessions.begin() as s:
        assert delete_canceled_logged_segments(s, other, "U9") == 0
        assert list_logged_segments(s, other) == [] and segment_contacts(s, other, "NEWSLETTER") == []
        assert comments(s, other, 1) == []
    with sessions() as s:
        assert [c.comment for c in comments(s, team, 1)] == ["ours"]
        assert get_entry(s, team, postponed.entry_no).postponed
        assert get_entry(s, team, 1).canceled and get_entry(s, team, 1).evaluation == ""
        assert find_contact(s, team, workspace.john).name == "John Smith"
        assert [logged_segment.canceled for logged_segment, _ in list_logged_segments(s, team)] == [True]
