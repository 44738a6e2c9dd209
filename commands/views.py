"""How entries and other records read in a reply, the same in Slack and the console."""

from commands import marks
from commands.reply import Button, Item
from store.enums import DocumentKind
from store.queries import Entry, EntryRow, entry_title

DOCUMENT_KINDS = frozenset(kind.value for kind in DocumentKind)


def entry_when(entry: Entry) -> str:
    """The entry's date and time, on the clock of whoever logged it: each viewer reads it in their own
    time zone."""
    return marks.local_moment(entry.date, entry.time_of_interaction, entry.timezone)


def document_kind(value: str) -> str:
    """A business document's kind as people name it ("sales-quote": Sales Quote)."""
    return value.replace("-", " ").title() if value in DOCUMENT_KINDS else value


def document_text(entry: Entry) -> str:
    """The kind and number of the business document the entry was logged from ("" when none)."""
    return " ".join(part for part in (document_kind(entry.document_type), entry.document_no) if part)


def entry_line(entry: Entry, contact_name: str) -> str:
    status = []
    if entry.canceled:
        status.append("canceled")
    if entry.postponed:
        status.append("postponed")
    if entry.attempt_failed:
        status.append("attempt failed")
    if entry.evaluation:
        status.append(entry.evaluation)
    title = entry_title(entry, contact_name, marks.person)
    text = (
        f"*{entry.entry_no}*  {entry_when(entry)} · {contact_name or entry.contact_no} · "
        f"{entry.template_code} · {title}"
    )
    if document := document_text(entry):
        text += f" · {document}"
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
