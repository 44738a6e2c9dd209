"""How entries and other records read in a reply, the same in Slack and the console."""

from commands.reply import Button, Item
from store.models import InteractionLogEntry
from store.queries import EntryRow, entry_title


def entry_line(entry: InteractionLogEntry, contact_name: str) -> str:
    status = []
    if entry.canceled:
        status.append("canceled")
    if entry.postponed:
        status.append("postponed")
    if entry.attempt_failed:
        status.append("attempt failed")
    if entry.evaluation:
        status.append(entry.evaluation)
    title = entry_title(entry, contact_name)
    when = f"{entry.date.isoformat()} {entry.time_of_interaction.strftime('%H:%M')}"
    text = (
        f"*{entry.entry_no}*  {when} · {contact_name or entry.contact_no} · {entry.template_code} · {title}"
    )
    if status:
        text += f"  _({', '.join(status)})_"
    return text


def entry_item(row: EntryRow) -> Item:
    entry = row.entry
    if entry.postponed:
        buttons = (Button("Resume", f"resume {entry.entry_no}", "primary"),)
    elif entry.canceled:
        buttons = (Button("Restore", f"restore {entry.entry_no}"),)
    else:
        buttons = (Button("Cancel", f"cancel {entry.entry_no}"), follow_up(entry.entry_no))
    return Item(entry_line(entry, row.contact_name), buttons)


def follow_up(entry_no: int) -> Button:
    """Opens the Create Task form pre-filled from the entry (see commands.pages.tasks)."""
    return Button("Follow up", f"task add entry={entry_no}")


def plural(count: int, noun: str, nouns: str = "") -> str:
    return f"{count:,} {noun if count == 1 else (nouns or noun + 's')}"
