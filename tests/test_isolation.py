"""No API reads or changes another workspace's rows, whatever numbers it is given."""

import pytest

from store.cancellation import cancel_entries, delete_canceled_entries, restore_entries
from store.contacts import find_contact
from store.errors import NotFound
from store.filters import EntryFilter
from store.interactions import InteractionInput, create_interaction, get_entry
from store.queries import list_entries, statistics
from store.segments import log_segment

OTHER = "TOTHERTEAM"


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
