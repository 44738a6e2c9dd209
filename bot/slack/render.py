"""Reply -> Block Kit, always within Slack's limits: what does not fit is left out with a note saying so,
never an error from Slack. Blocks are built as plain dicts, each text clipped to its limit here: building
them with slack_sdk.models, whose validators re-check every limit, took a quarter of a request's CPU. The
tests still pass every block through those validators."""

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from commands import marks
from commands.reply import Button, Item, Modal, Reply, Table

log = logging.getLogger(__name__)

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_CHARS = 3000
# Slack has refused messages well below the documented block limits (msg_blocks_too_long), so the text
# of one message is kept to a few sections' worth.
MESSAGE_CHARS = 12_000
ACTIONS_PER_BLOCK = 25
LABEL_CHARS = 75
HEADER_CHARS = 150
SHORT_LINES = 6
"""Lines of plain items one section takes: Slack folds a tall section behind "Show more"."""
VALUE_CHARS = 2000
CELL_CHARS = 40
FALLBACK_CHARS = 3000

OPTIONS_PER_MENU = 5
OPTION_VALUE_CHARS = 150

RUN_ACTION = "crm:run:"
MENU_ACTION = "crm:menu:"
SHARE_ACTION = "crm:share"
OPEN_FORM_ACTION = "crm:open"

Block = dict[str, Any]
"""A block or an element, as Slack's JSON has it."""


def plain_text(text: str) -> Block:
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn(text: str) -> Block:
    return {"type": "mrkdwn", "text": text}


def button_element(
    text: str, action_id: str, value: str, style: str | None = None, confirm: Block | None = None
) -> Block:
    element: Block = {"type": "button", "text": plain_text(text), "action_id": action_id, "value": value}
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element


def header(text: str) -> Block:
    return {"type": "header", "text": plain_text(clip(text.strip() or "-", HEADER_CHARS))}


def section(text: str, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory:
        block["accessory"] = accessory
    return block


def actions(elements: list[Block]) -> list[Block]:
    return [
        {"type": "actions", "elements": elements[i : i + ACTIONS_PER_BLOCK]}
        for i in range(0, len(elements), ACTIONS_PER_BLOCK)
    ]


@dataclass(frozen=True)
class Message:
    text: str
    """The plain-text fallback: notifications, and clients that cannot show blocks."""
    blocks: list[dict[str, Any]]
    private: bool = False
    """It holds a secret (Reply.private): sent straight to Slack, never kept in the outbox."""


def _literal(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


@lru_cache(maxsize=4096)
def date_token(when: datetime) -> str:
    """Slack writes the moment in each viewer's own time zone; the fallback (old clients, some
    notifications) says it in UTC. Kept for the moments last written: a page writes each twice (its
    blocks and its fallback), and writing one cost more than the rest of its line."""
    fallback = f"{when.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    return f"<!date^{int(when.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def escape(text: str) -> str:
    """Slack reads <, > and & as markup (links, mentions, @channel): the router's text means them
    literally. Only the people and moments a page marked (commands.marks) become Slack's own tokens."""
    return marks.write(text, _literal, mention, date_token)


def unescape(text: str) -> str:
    """What the user typed, from the text Slack sends (it escapes &, < and > in messages and commands)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


SLACK_MARKUP = re.compile(r"<([^<>\n]{1,3000})>")


def _as_read(found: re.Match[str]) -> str:
    target, _, label = found.group(1).partition("|")
    if target.startswith(("@", "#")):  # <@U1|kim>, <#C1|sales>
        return target[0] + (label or target[1:])
    if target.startswith("!"):  # <!here>, <!subteam^S1|@sales>, <!date^…|fallback>
        return label or "@" + target[1:].split("^")[0]
    return label or target.removeprefix("mailto:")  # a link, by its label


def readable(text: str) -> str:
    """A message's text as people read it in Slack: mentions, channels and links by their names, and
    Slack's escaping of &, < and > undone."""
    return unescape(SLACK_MARKUP.sub(_as_read, text))


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clip_markup(text: str, limit: int) -> str:
    """Clip escaped mrkdwn without cutting one of our tokens (`<@U…>`, `<!date…>`) in two: the user's
    own < are escaped, so an unclosed < is the start of a token and goes with what is cut off."""
    if len(text) <= limit:
        return text
    kept = text[: limit - 1]
    opened = kept.rfind("<")
    if opened > kept.rfind(">"):
        kept = kept[:opened]
    return kept + "…"


def message(reply: Reply, *, share: str | None = None, form_button: bool = False) -> Message:
    """`share`: the command to re-run when the user shares the reply with the channel. `form_button`: the
    reply asks for a modal but there is no trigger to open one (an event), so offer a button instead."""
    extra: list[Block] = []
    if form_button and reply.modal is not None:
        extra.append(open_form_button(reply.modal))
    if share and not reply.error and not reply.private:
        extra.append(button_element("Share in channel", SHARE_ACTION, clip(share, VALUE_CHARS)))
    return Message(fallback(reply), _Layout(MESSAGE_BLOCKS).build(reply, extra), reply.private)


def view_blocks(reply: Reply) -> list[dict[str, Any]]:
    """For the App Home tab, which takes twice as many blocks as a message."""
    return _Layout(VIEW_BLOCKS, chars=4 * MESSAGE_CHARS).build(reply, [])


def fallback(reply: Reply) -> str:
    lines = [reply.text, *reply.paragraphs]
    if reply.table is not None:
        lines.append(" | ".join(reply.table.columns))
        lines.extend(" | ".join(row) for row in reply.table.rows)
    lines.extend(item.text for item in reply.items)
    return clip_markup(escape("\n".join(line for line in lines if line)), FALLBACK_CHARS)


def open_form_button(modal: Modal) -> Block:
    """The button's value carries the form and its pre-filled values as JSON. Clipping it would break the
    JSON, so a value that does not fit (a long description) is left out for the user to fill in."""
    spec: dict[str, Any] = {"kind": modal.kind, "values": {}}
    for name, value in modal.values.items():
        spec["values"][name] = value
        if len(json.dumps(spec)) > VALUE_CHARS:
            del spec["values"][name]
    return button_element("Open the form", OPEN_FORM_ACTION, json.dumps(spec), "primary")


def button(spec: Button, action_id: str) -> Block | None:
    if len(spec.command) > VALUE_CHARS:
        log.warning("button %r dropped: its command is longer than Slack allows", spec.label)
        return None
    confirm = None
    if spec.confirm:
        confirm = {
            "title": plain_text("Are you sure?"),
            "text": mrkdwn(clip_markup(escape(spec.confirm), 300)),
            "confirm": plain_text(clip(spec.label, 30)),
            "deny": plain_text("Cancel"),
        }
        if spec.style == "danger":
            confirm["style"] = "danger"
    label = clip(marks.plain(spec.label), LABEL_CHARS)
    return button_element(label, action_id, spec.command, spec.style or None, confirm)


def overflow(specs: tuple[Button, ...], action_id: str) -> Block | None:
    """An overflow menu whose options carry the commands they run, as a button's value does. An option
    whose command Slack could not carry is left out, and options beyond Slack's five."""
    options = []
    for spec in specs:
        if len(spec.command) > OPTION_VALUE_CHARS:
            log.warning("menu option %r dropped: its command is longer than Slack allows", spec.label)
            continue
        options.append({"text": plain_text(clip(spec.label, LABEL_CHARS)), "value": spec.command})
    if len(options) > OPTIONS_PER_MENU:
        log.warning("menu cut to %d options: %d given", OPTIONS_PER_MENU, len(options))
    if not options:
        return None
    return {"type": "overflow", "action_id": action_id, "options": options[:OPTIONS_PER_MENU]}


def sections(text: str, limit: int = SECTION_CHARS) -> list[str]:
    """Split on line breaks where possible so each piece fits one section."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        if current and len(current) + 1 + len(line) > limit:
            pieces.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        pieces.append(current)
    return pieces


def table_lines(table: Table) -> list[str]:
    rows = [
        # A code block shows Slack's tokens as typed: people and moments go in plain words there.
        tuple(_literal(clip(marks.plain(cell), CELL_CHARS)) for cell in row)
        for row in (table.columns, *table.rows)
    ]
    widths = [
        max((len(row[i]) for row in rows if i < len(row)), default=0) for i in range(len(table.columns))
    ]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


@dataclass
class _Layout:
    """Fills a budget of blocks and characters in reading order; what does not fit is counted for the note
    at the end. The headline and the reply's own buttons always fit."""

    max_blocks: int
    chars: int = MESSAGE_CHARS
    blocks: list[Block] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    counter: int = 0

    def build(self, reply: Reply, extra: list[Block]) -> list[Block]:
        buttons = [b for b in (self._button(spec) for spec in reply.buttons) if b is not None] + extra
        trailing = actions(buttons)
        headline = (":warning: " if reply.error else "") + escape(reply.text)
        self.max_blocks -= len(trailing) + 1  # room for the buttons and the note
        if reply.header:
            self.blocks.append(header(reply.text))
        else:
            for piece in sections(headline)[:2]:
                self._section(piece, force=True)
        if reply.paragraphs:  # a line each, sharing sections: a help page must not use up the blocks
            self._text("\n".join(escape(p) for p in reply.paragraphs), "paragraph")
        if reply.table is not None:
            self._table(reply.table)
        self._items(reply.items)
        self.blocks.extend(trailing)
        if self.left_out:
            note = clip("Not shown, to fit in one Slack message: " + ", ".join(self.left_out) + ".", 3000)
            self.blocks.append({"type": "context", "elements": [mrkdwn(note)]})
        return self.blocks

    def _fits(self, text: str, blocks: int = 1) -> bool:
        return len(self.blocks) + blocks <= self.max_blocks and len(text) <= self.chars

    def _section(self, text: str, force: bool = False, accessory: Block | None = None) -> bool:
        if not force and not self._fits(text):
            return False
        self.blocks.append(section(text, accessory))
        self.chars -= len(text)
        return True

    def _text(self, text: str, what: str) -> None:
        pieces = sections(text)
        for number, piece in enumerate(pieces):
            if not self._section(piece):
                self.left_out.append(f"{len(pieces) - number} more {what} section(s)")
                return

    def _table(self, table: Table) -> None:
        lines = [clip(line, SECTION_CHARS - 8) for line in table_lines(table)]
        shown = 0
        for piece in sections("\n".join(lines), SECTION_CHARS - 8):
            if not self._section(f"```{piece}```"):
                break
            shown += piece.count("\n") + 1
        hidden = len(table.rows) - max(0, shown - 2)  # the header and its rule come first
        if hidden > 0:
            self.left_out.append(f"{hidden} table row(s)")

    def _items(self, items: tuple[Item, ...]) -> None:
        plain: list[str] = []
        for index, item in enumerate(items):
            if not item.buttons and not item.menu and not item.heading:
                plain.append(clip_markup(escape(item.text), SECTION_CHARS))
                continue
            if not self._flush(plain) or not self._item(item):
                self.left_out.append(f"{len(plain) + len(items) - index} item(s)")
                return
        if not self._flush(plain):
            self.left_out.append(f"{len(plain)} item(s)")

    def _flush(self, lines: list[str]) -> bool:
        """Items without buttons share sections, a line each, a few lines to a section; the lines not
        shown stay in `lines`."""
        while lines:
            piece, taken = lines[0], 1
            while (
                taken < len(lines)
                and len(piece) + 1 + len(lines[taken]) <= SECTION_CHARS
                and piece.count("\n") + lines[taken].count("\n") + 2 <= SHORT_LINES
            ):
                piece += "\n" + lines[taken]
                taken += 1
            if not self._section(piece):
                return False
            del lines[:taken]
        return True

    def _item(self, item: Item) -> bool:
        """The item's section, with its menu (else its one button) beside it; other buttons below. A
        heading is a header block; an item without text, a row of buttons."""
        if item.heading:
            if not self._fits(item.text):
                return False
            self.blocks.append(header(item.text))
            return True
        text = clip_markup(escape(item.text), SECTION_CHARS)
        elements = [b for b in (self._button(spec) for spec in item.buttons) if b is not None]
        menu = self._menu(item.menu) if item.menu else None
        if not item.text.strip():  # a row of buttons
            rows = actions(elements)
            if not self._fits("", len(rows)):
                return False
            self.blocks.extend(rows)
            return True
        if menu is None and len(elements) <= 1:
            return self._section(text, accessory=elements[0] if elements else None)
        rows = actions(elements)
        if not self._fits(text, 1 + len(rows)):
            return False
        self._section(text, accessory=menu)
        self.blocks.extend(rows)
        return True

    def _button(self, spec: Button) -> Block | None:
        self.counter += 1
        return button(spec, f"{RUN_ACTION}{self.counter}")

    def _menu(self, specs: tuple[Button, ...]) -> Block | None:
        self.counter += 1
        return overflow(specs, f"{MENU_ACTION}{self.counter}")
