"""One entry point for every adapter: the text after `/crm` in, a Reply out. User mistakes come back as
a one-line reason with the usage of the command; they never raise and never change anything."""

import logging
from collections.abc import Callable

from commands import (
    channel_actions,
    contact_actions,
    entry_actions,
    help,
    purge_actions,
    report_actions,
    segment_actions,
    setup_actions,
    tellme_actions,
)
from commands.catalog import ACTIONS, action_for
from commands.context import Context
from commands.parsing import UsageError, split
from commands.reply import Button, Modal, Reply, error
from store.errors import Ambiguous, DomainError
from store.frecency import record_use

log = logging.getLogger(__name__)
Handler = Callable[[Context, list[str]], Reply]


def _cancel(ctx: Context, words: list[str]) -> Reply:
    segment = _segment_option(words)
    if segment is not None:
        return segment_actions.set_canceled(ctx, segment, True)
    return entry_actions.cancel(ctx, words)


def _restore(ctx: Context, words: list[str]) -> Reply:
    segment = _segment_option(words)
    if segment is not None:
        return segment_actions.set_canceled(ctx, segment, False)
    return entry_actions.restore(ctx, words)


def _segment_option(words: list[str]) -> str | None:
    if len(words) == 1 and words[0].lower().startswith("segment="):
        return words[0].split("=", 1)[1]
    return None


def _form(kind: str) -> Handler:
    def open_form(ctx: Context, words: list[str]) -> Reply:
        values = dict(word.split("=", 1) for word in words if "=" in word)
        return Reply("Opening the form…", modal=Modal(kind, values))

    return open_form


ROUTES: dict[str, Handler] = {
    "help": help.help_reply,
    "contacts": contact_actions.contacts,
    "contact": contact_actions.contact,
    "segments": segment_actions.segments,
    "segment": segment_actions.segments,
    "groups": setup_actions.groups,
    "group": setup_actions.groups,
    "templates": setup_actions.templates,
    "template": setup_actions.templates,
    "log": entry_actions.log,
    "log-form": _form("create_interaction"),
    "tellme-form": _form("tellme"),
    "entries": entry_actions.entries,
    "entry": entry_actions.entry_details,
    "cancel": _cancel,
    "restore": _restore,
    "delete-canceled": purge_actions.delete_canceled,
    "keep": purge_actions.keep,
    "postponed": entry_actions.postponed_list,
    "resume": entry_actions.resume_entry,
    "evaluate": entry_actions.evaluate_entries,
    "comment": entry_actions.comment,
    "logged-segments": segment_actions.logged_segments,
    "delete-canceled-segments": purge_actions.delete_canceled_segments,
    "export": report_actions.export,
    "setup": setup_actions.setup,
    "stats": report_actions.stats,
    "tellme": tellme_actions.tellme,
    "import": contact_actions.import_contacts,
    "attachment": entry_actions.attachment,
    "link": channel_actions.link,
    "unlink": channel_actions.unlink,
}


def usage(name: str) -> str:
    lines = [action.usage for action in ACTIONS if action.command and action.command[0] == name]
    aliases = {"segment": "segments", "group": "groups", "template": "templates", "contact": "contacts"}
    if not lines and name in aliases:
        return usage(aliases[name])
    if name in {"segment", "group", "template", "contact"}:
        lines += [action.usage for action in ACTIONS if action.command[:1] == (name,)]
    return "   ".join(dict.fromkeys(lines))


def run(ctx: Context, text: str) -> Reply:
    name = ""
    try:
        words = split(text.strip())
        if not words:
            return help.help_reply(ctx, [])
        name = words[0].lower()
        handler = ROUTES.get(name)
        if handler is None:
            return tellme_actions.tellme(ctx, words)
        reply = handler(ctx, words[1:])
        used = action_for(words)
        if not reply.error and used is not None and used.id != "tellme":
            # What the user ran, for Tell Me's "recently and often used" ranking.
            with ctx.sessions.begin() as session:
                record_use(session, ctx.team_id, ctx.user_id, used.id)
        return reply
    except Ambiguous as failure:
        return Reply(
            failure.message,
            buttons=tuple(
                Button(label, _with_choice(text, failure.query, number))
                for number, label in failure.choices[:5]
            ),
            error=True,
        )
    except (UsageError, DomainError) as failure:
        return error(failure.message, usage(name))
    except Exception:
        log.exception("/crm %s failed", text)
        return error("Something went wrong on our side; nothing was changed. Please try again.")


def _with_choice(text: str, query: str, number: str) -> str:
    """The same command with the ambiguous contact replaced by the number of the one picked."""
    lowered = text.lower()
    for typed in (f'"{query}"', f"“{query}”", f"'{query}'", query):
        start = lowered.find(typed.lower()) if typed else -1
        if start >= 0:
            return text[:start] + number + text[start + len(typed) :]
    return text
