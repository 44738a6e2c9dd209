"""Replies as terminal output: tables for lists, numbered choices for buttons."""

import re

from rich.console import Console
from rich.table import Table as RichTable

from commands import marks
from commands.reply import Button, Reply

BOLD = re.compile(r"(?<!\w)\*([^*\n]+)\*(?!\w)")
ITALIC = re.compile(r"(?<!\w)_([^_\n]+)_(?!\w)")
CODE = re.compile(r"`([^`\n]+)`")


def plain(mrkdwn: str, timezone: str = "UTC") -> str:
    """Slack's *bold*, _italic_ and `code` as rich markup; people as their user ids, moments in the
    console user's time zone, labelled."""
    text = marks.plain(mrkdwn, timezone).replace("[", r"\[")
    text = BOLD.sub(r"[bold]\1[/bold]", text)
    text = ITALIC.sub(r"[italic]\1[/italic]", text)
    return CODE.sub(r"[cyan]\1[/cyan]", text)


def render(console: Console, reply: Reply, timezone: str = "UTC") -> list[Button]:
    """Print the reply; return its buttons in the order they were numbered."""
    console.print(plain(reply.text, timezone), style="bold red" if reply.error else "bold")
    for paragraph in reply.paragraphs:
        console.print(plain(paragraph, timezone))
    if reply.table is not None:
        table = RichTable(*reply.table.columns, show_lines=False, header_style="bold")
        for row in reply.table.rows:
            table.add_row(*(marks.plain(cell, timezone).replace("[", r"\[") for cell in row))
        console.print(table)
    choices: list[Button] = []
    for item in reply.items:
        if item.heading:
            console.print(f"\n{item.text}".replace("[", r"\["), style="bold underline")
            continue
        labels = []
        for button in (*item.buttons, *item.menu):
            choices.append(button)
            labels.append(f"[{len(choices)}] {button.label}")
        console.print(f"{plain(item.text, timezone)}  [dim]{'  '.join(labels)}[/dim]".lstrip())
    if reply.buttons:
        for button in reply.buttons:
            choices.append(button)
        numbered = (f"[{choices.index(b) + 1}] {b.label}" for b in reply.buttons)
        console.print("  ".join(numbered).replace("[", r"\["), style="cyan")
    return choices
