"""What the Slack adapter needs from `commands/`, in one place. Tests may pass their own (a router that
fails, slow background work); by default these are the router's."""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from commands import charts, reminders
from commands.context import Context
from commands.forms import Form
from commands.pages.interactions import ChatMessage, message_form
from commands.pages.templates import SharedFile, attach_file
from commands.reply import BackgroundWork, Reply


@dataclass(frozen=True)
class Commands:
    run: Callable[[Context, str], Reply]
    home: Callable[[Context], Reply]
    background: Callable[[Context, BackgroundWork], Reply]
    form: Callable[[str, Context, dict[str, str]], Form]
    submit: Callable[[str, Context, dict[str, str]], Reply]
    """Raises commands.forms.FormErrors for invalid fields."""
    options: Callable[[Context, str, str], list[tuple[str, str]]]
    """(context, field name, typed text) -> the choices of an external select."""
    read_only: Callable[[str], bool]
    """Whether a command only shows data: its answer may be shared with the channel, re-run as of then."""
    attach: Callable[[Context, list[str], SharedFile], Reply] = attach_file
    """(context, `<template> [language]`, the file) -> the answer; raises DomainError or UsageError."""
    background_kinds: Collection[str] | None = None
    """The kinds of queued work `background` runs; the job worker claims no other (None: any). A process
    of an older release then leaves a new kind of work to the processes that know it."""
    due_notices: Callable[[sessionmaker[Session], datetime], list[reminders.Notice]] = reminders.due
    """(sessions, now) -> the reminders this process is to send now, claimed for it."""
    notice_sent: Callable[[sessionmaker[Session], reminders.Notice, datetime], bool] = reminders.sent
    message_form: Callable[[Context, ChatMessage], Reply] = message_form
    """(context, a message to log) -> the Create Interaction form pre-filled from it."""
    warm_up: Callable[[], None] = charts.warm_up
    """Slow first work done in the background once the server runs (matplotlib, for the first chart)."""
    warm: Callable[[sessionmaker[Session]], object] = lambda sessions: None
    """(sessions) -> builds what the first query would otherwise wait for (Tell Me's contact indexes)."""


def default_commands() -> Commands:
    from commands import forms, home
    from commands.router import ROUTER

    return Commands(
        ROUTER.run,
        home.home,
        ROUTER.background,
        ROUTER.form,
        ROUTER.submit,
        forms.options,
        ROUTER.is_read_only,
        attach_file,
        background_kinds=ROUTER.background_kinds(),
        warm=ROUTER.warm,
    )
