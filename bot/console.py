"""A local chat in the terminal over the same commands as Slack: type what you would type after `/crm`,
or free text; pick a button by its number."""

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rich.console import Console

from bot.console_render import plain, render
from commands import forms, marks
from commands.context import Context
from commands.reply import Button, Reply
from commands.router import ROUTER

log = logging.getLogger(__name__)
PROMPT = "crm> "
BYE = {"quit", "exit", "bye", "salir"}


class ConsoleChat:
    def __init__(self, ctx: Context, console: Console, ask: Callable[[str], str] = input) -> None:
        self.ctx = ctx
        self.console = console
        self.ask = ask
        self.choices: list[Button] = []

    def loop(self) -> None:
        self.console.print(
            "crm-interactions console. Type [cyan]help[/cyan], a command, or what you want to do; "
            "[cyan]quit[/cyan] to leave."
        )
        while True:
            try:
                line = self.ask(PROMPT).strip()
            except (EOFError, KeyboardInterrupt):
                self.console.print()
                return
            if line.lower() in BYE:
                return
            if line:
                try:
                    self.handle(line)
                except KeyboardInterrupt:  # Ctrl-C in a form or a question leaves it
                    self.console.print("\nLeft; nothing was done.")
                except EOFError:  # the input ended in the middle of a form or a question
                    self.console.print("\nThe input ended before the form was filled; nothing was done.")
                    return
                except Exception:  # the chat goes on; the router already answers user mistakes
                    log.exception("console command failed: %s", line)
                    self.console.print("Something went wrong; nothing was changed.", style="red")

    def handle(self, line: str) -> None:
        line = line.removeprefix("/crm").strip()
        if line.isdigit() and self.choices:
            self.pick(int(line))
            return
        self.show(ROUTER.run(self.ctx, line))

    def pick(self, number: int) -> None:
        if not 1 <= number <= len(self.choices):
            self.console.print(f"Pick a number from 1 to {len(self.choices)}.", style="red")
            return
        button = self.choices[number - 1]
        if button.confirm and self.ask(f"{button.confirm} [y/N] ").strip().lower() not in {
            "y",
            "yes",
            "s",
            "si",
            "sí",
        }:
            self.console.print("Nothing was done.")
            return
        self.show(ROUTER.run(replace(self.ctx, clicked=True), button.command))

    def show(self, reply: Reply) -> None:
        if reply.background is not None:
            self.console.print(marks.plain(reply.text, self.ctx.timezone))
            reply = ROUTER.background(self.ctx, reply.background)
        self.choices = render(self.console, reply, self.ctx.timezone)
        if reply.file is not None:
            path = Path.cwd() / reply.file.name
            path.write_bytes(reply.file.content)
            self.console.print(f"Saved to {path}")
        if reply.modal is not None:
            self.fill_form(reply.modal.kind, dict(reply.modal.values))

    def fill_form(self, kind: str, values: dict[str, str]) -> None:
        """Ask for each field in turn; Enter keeps the value shown. The field that pre-fills the others
        (the template) is asked first, then the form is read again with its defaults."""
        form = ROUTER.form(kind, self.ctx, values)
        self.console.print(f"[bold]{form.title}[/bold] (Enter keeps the value in brackets)")
        if form.intro:
            self.console.print(plain(form.intro, self.ctx.timezone))
        for field in form.fields:
            if field.dispatch:
                values[field.name] = self._ask_field(field)
        form = ROUTER.form(kind, self.ctx, values)
        for field in form.fields:
            if not field.dispatch:
                values[field.name] = self._ask_field(field)
        if form.note:
            self.console.print(form.note, style="dim", markup=False)
        try:
            self.show(ROUTER.submit(kind, self.ctx, values))
        except forms.FormErrors as failure:
            for name, message in failure.errors.items():
                self.console.print(f"{name}: {message}", style="red")

    def _ask_field(self, field: forms.Field) -> str:
        if field.options and len(field.options) <= 30:
            listed = ", ".join(value or "-" for value, _ in field.options)
            self.console.print(f"  [dim]{field.label}: {listed}[/dim]")
        answer = self.ask(f"{field.label} [{field.value}]: ").strip()
        return answer or field.value
