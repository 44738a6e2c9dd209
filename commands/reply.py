"""What an action answers, independent of Slack or the terminal. Each adapter has one renderer that turns
a Reply into Block Kit or terminal output.

A button carries the `/crm` command text it runs. Clicking it runs that command through the same router,
so every click is checked again (workspace, permission, current state) like a typed command."""

from dataclasses import dataclass, field
from typing import Literal

Style = Literal["", "primary", "danger"]


@dataclass(frozen=True)
class Button:
    label: str
    command: str
    style: Style = ""
    confirm: str = ""
    """When set, Slack asks this question (a confirm dialog) before the click is sent."""


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Item:
    """One row of a list that has buttons of its own (an entry with Cancel or Restore). An item without
    text is a row of buttons (quick actions); a heading item starts a part of the list (its text plain)."""

    text: str
    buttons: tuple[Button, ...] = ()
    menu: tuple[Button, ...] = ()
    """Offered in a menu beside the item (Slack's overflow menu; numbered choices in the console): at most
    five, each command at most 150 characters, and none that needs a confirm dialog."""
    heading: bool = False


@dataclass(frozen=True)
class File:
    name: str
    content: bytes
    content_type: str
    title: str = ""


@dataclass(frozen=True)
class Modal:
    """Ask the adapter to open a form. `kind` names it ("create_interaction"); `values` pre-fill it."""

    kind: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    text: str
    """The headline; also the plain-text fallback for notifications and screen readers."""
    paragraphs: tuple[str, ...] = ()
    table: Table | None = None
    items: tuple[Item, ...] = ()
    buttons: tuple[Button, ...] = ()
    file: File | None = None
    modal: Modal | None = None
    replace_original: bool = False
    """When answering a button click: the reply takes the place of the message that had the button."""
    error: bool = False
    background: "BackgroundWork | None" = None
    private: bool = False
    """For the asking user's eyes only (it holds a secret): never posted where others can read it, even
    when the question was asked in a channel, and never offered for sharing."""
    header: bool = False
    """The headline is a page's title (help, the App Home): plain text, shown large."""


@dataclass(frozen=True)
class BackgroundWork:
    """Work too long to finish before Slack's 3-second deadline: the adapter answers `reply.text` at once,
    queues this, and posts the result later."""

    kind: str
    payload: dict[str, object]


def error(message: str, *usages: str, paragraphs: tuple[str, ...] = ()) -> Reply:
    """A refusal in one line, with the usage of the command it is about."""
    usage = ("Usage: " + " or ".join(f"`{usage}`" for usage in usages),) if usages else ()
    return Reply(text=message, paragraphs=(*paragraphs, *usage), error=True)
