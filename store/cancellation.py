"""Canceling and restoring log entries and logged segments, and deleting what is canceled.

Deletes test "canceled" in the DELETE statement itself, so on PostgreSQL an entry restored by a
concurrent transaction is re-checked against its committed row and kept; restores lock their rows first,
so a restore that loses the race to a delete says the entry is gone instead of silently doing nothing.

Each cancellation takes the next number of the workspace's "cancellation" series (store.numbering), kept
on what it canceled. A purge's question reads the last number handed out and counts what was canceled up
to it; the purge deletes only what is still canceled by one of those. The series row stays locked until
the cancellation commits, so a number a question read belongs to committed work, and any cancellation
that commits later, a restored entry canceled again included, has a higher one and is kept."""

from dataclasses import replace

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from store import audit
from store.attachments import drop_unused_attachments
from store.db import NO_SYNC, chunks, refresh_statistics
from store.errors import Conflict, NotFound
from store.filters import CanceledFilter, EntryFilter, count_entries
from store.interactions import entries_by_no
from store.models import InteractionLogEntry, LoggedSegment, NumberSeries
from store.numbering import reserve
from store.segments import locked_logged_segment, refuse_while_logging

# Bulk statements: the session need not chase the rows they touch, which may be hundreds of thousands.
SERIES = "cancellation"


def last_cancellation(session: Session, team_id: str) -> int:
    """The number of the workspace's latest committed cancellation (0 before the first)."""
    last = session.scalar(
        select(NumberSeries.last_no).where(NumberSeries.team_id == team_id, NumberSeries.series == SERIES)
    )
    return last or 0


def cancel_entries(
    session: Session, team_id: str, user_id: str, entry_nos: list[int]
) -> list[InteractionLogEntry]:
    entries = entries_by_no(session, team_id, entry_nos, for_update=True)
    postponed = [str(e.entry_no) for e in entries if e.postponed]
    if postponed:
        raise Conflict(
            f"Postponed interactions cannot be canceled ({', '.join(postponed)}): resume them or delete them."
        )
    _all_in_state(entries, canceled=False)
    number = reserve(session, team_id, SERIES)
    for entry in entries:
        entry.canceled = True
        entry.cancellation_no = number
    audit.record(session, team_id, user_id, "cancel_entry", entries=[e.entry_no for e in entries])
    session.flush()
    return entries


def restore_entries(
    session: Session, team_id: str, user_id: str, entry_nos: list[int]
) -> list[InteractionLogEntry]:
    """An entry of a canceled logged segment can only come back with its segment."""
    entries = entries_by_no(session, team_id, entry_nos, for_update=True)
    _all_in_state(entries, canceled=True)
    segments = {e.logged_segment_entry_no for e in entries if e.logged_segment_entry_no is not None}
    canceled_segments = set(
        session.scalars(
            select(LoggedSegment.entry_no).where(
                LoggedSegment.team_id == team_id,
                LoggedSegment.entry_no.in_(segments),
                LoggedSegment.canceled.is_(True),
            )
        )
    )
    blocked = [e for e in entries if e.logged_segment_entry_no in canceled_segments]
    if blocked:
        entry = blocked[0]
        raise Conflict(
            f"Entry {entry.entry_no} belongs to logged segment {entry.logged_segment_entry_no}, "
            "which is canceled: restore the logged segment instead."
        )
    for entry in entries:
        entry.canceled = False
    audit.record(session, team_id, user_id, "restore_entry", entries=[e.entry_no for e in entries])
    session.flush()
    return entries


def _all_in_state(entries: list[InteractionLogEntry], *, canceled: bool) -> None:
    """All or nothing: a cancel takes entries that are not canceled, a restore entries that are."""
    wrong = [str(e.entry_no) for e in entries if e.canceled != canceled]
    if wrong:
        which = f"Entry {wrong[0]} is" if len(wrong) == 1 else f"Entries {', '.join(wrong)} are"
        state = "not canceled" if canceled else "canceled already"
        raise Conflict(f"{which} {state}: nothing changed.")


def set_logged_segment_canceled(
    session: Session, team_id: str, user_id: str, logged_segment_no: int, canceled: bool
) -> int:
    """Cancel or restore a logged segment with all of its entries (restoring also revives entries that
    were canceled one by one). Returns the number of entries changed."""
    logged = locked_logged_segment(session, team_id, logged_segment_no)
    if logged is None:
        raise NotFound(f"Logged segment {logged_segment_no} does not exist.")
    refuse_while_logging(logged, "cancel it" if canceled else "restore it")
    logged.canceled = canceled
    values: dict[str, object] = {"canceled": canceled}
    if canceled:
        logged.cancellation_no = values["cancellation_no"] = reserve(session, team_id, SERIES)
    changed = session.execute(
        update(InteractionLogEntry)
        .where(
            InteractionLogEntry.team_id == team_id,
            InteractionLogEntry.logged_segment_entry_no == logged_segment_no,
            InteractionLogEntry.canceled.is_not(canceled),
        )
        .values(values),
        execution_options=NO_SYNC,
    ).rowcount
    action = "cancel_logged_segment" if canceled else "restore_logged_segment"
    audit.record(session, team_id, user_id, action, logged_segment=logged_segment_no, entries=changed)
    session.flush()
    return changed


def canceled_filter(given: EntryFilter) -> EntryFilter:
    return replace(given, canceled=CanceledFilter.YES, postponed=False)


def count_canceled(session: Session, team_id: str, given: EntryFilter) -> int:
    """How many entries delete_canceled_entries would delete now (up to `given.canceled_through`, when
    set)."""
    return count_entries(session, team_id, canceled_filter(given))


def _canceled_segments(team_id: str, through: int | None) -> list[ColumnElement[bool]]:
    conditions = [LoggedSegment.team_id == team_id, LoggedSegment.canceled.is_(True)]
    if through is not None:
        conditions.append(LoggedSegment.cancellation_no <= through)
    return conditions


def count_canceled_logged_segments(session: Session, team_id: str, through: int | None = None) -> int:
    query = select(func.count()).select_from(LoggedSegment).where(*_canceled_segments(team_id, through))
    return session.scalar(query) or 0


def delete_canceled_entries(session: Session, team_id: str, user_id: str, given: EntryFilter) -> int:
    """Delete the canceled entries the filter selects, with their comment lines (the foreign key cascades)
    and the attachments no remaining entry or template uses. One statement per table (per thousand
    attachments)."""
    condition = canceled_filter(given).where(team_id)
    candidates = (
        select(InteractionLogEntry.attachment_no)
        .where(condition, InteractionLogEntry.attachment_no.is_not(None))
        .distinct()
    )
    attachments = list(session.scalars(candidates))
    deleted = session.execute(
        delete(InteractionLogEntry).where(condition), execution_options=NO_SYNC
    ).rowcount
    # Merged documents give each entry of a segment its own attachment: a purge can free more of them
    # than one statement may name.
    for some in chunks(attachments):
        drop_unused_attachments(session, team_id, some)
    audit.record(
        session, team_id, user_id, "delete_canceled_entries", deleted=deleted, filter=_describe(given)
    )
    refresh_statistics(session)
    return deleted


def delete_canceled_logged_segments(
    session: Session, team_id: str, user_id: str, through: int | None = None
) -> int:
    """Delete canceled logged segments (canceled by cancellation `through` or earlier, when given); their
    entries stay, no longer linked to a logged segment."""
    numbers = list(
        session.scalars(
            select(LoggedSegment.entry_no).where(*_canceled_segments(team_id, through)).with_for_update()
        )
    )
    if not numbers:
        return 0
    session.execute(
        update(InteractionLogEntry)
        .where(
            InteractionLogEntry.team_id == team_id, InteractionLogEntry.logged_segment_entry_no.in_(numbers)
        )
        .values(logged_segment_entry_no=None),
        execution_options=NO_SYNC,
    )
    session.execute(
        delete(LoggedSegment).where(LoggedSegment.team_id == team_id, LoggedSegment.entry_no.in_(numbers)),
        execution_options=NO_SYNC,
    )
    audit.record(session, team_id, user_id, "delete_canceled_segments", logged_segments=numbers)
    return len(numbers)


def _describe(given: EntryFilter) -> dict[str, object]:
    return {name: value for name, value in vars(given).items() if value not in ("", (), None, False)}
