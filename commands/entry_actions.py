"""Interaction log entries: record one, list, show, cancel, restore, evaluate, comment, resume."""

import shlex
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from commands.context import Context
from commands.parsing import (
    Args,
    UsageError,
    entry_numbers,
    minutes,
    money,
    parse,
    parse_date,
    parse_time,
    split,
    yes_no_all,
)
from commands.reply import Button, File, Modal, Reply, Table
from commands.segment_actions import log_segment_reply
from commands.tellme_actions import understood, understood_interaction
from commands.views import entry_item, entry_line, plural
from store.attachments import entry_attachment
from store.cancellation import cancel_entries, restore_entries
from store.contact_search import normalize_name
from store.contacts import CONTACT_NO, find_contact
from store.db import reading
from store.enums import Evaluation, InformationFlow, InitiatedBy
from store.filters import CanceledFilter, EntryFilter, contact_scope
from store.interactions import (
    InteractionInput,
    add_comment,
    comments,
    create_interaction,
    evaluate,
    get_entry,
    resume,
)
from store.models import Contact, InteractionTemplate
from store.queries import list_entries
from store.templates import get_template

E = TypeVar("E", InformationFlow, InitiatedBy, Evaluation)
PAGE = 10
LOG_OPTIONS = frozenset(
    {
        "date",
        "time",
        "cost",
        "duration",
        "evaluation",
        "flow",
        "initiated",
        "segment",
        "description",
        "postpone",
    }
)
FILTER_OPTIONS = frozenset({"contact", "segment", "template", "group", "canceled", "from", "to", "before"})


def interaction_input(
    ctx: Context, template: str, contact: str, description: str, args: Args
) -> InteractionInput:
    """The fields of an interaction from `/crm log` options (also used by the modal and Tell Me)."""
    now = ctx.now()
    option = args.option
    return InteractionInput(
        contact=contact,
        template=template,
        description=description,
        date=parse_date(option("date"), now) if option("date") else now.date(),
        time=parse_time(option("time")) if option("time") else None,
        cost=money(option("cost")) if option("cost") else None,
        duration=minutes(option("duration")) if option("duration") else None,
        information_flow=_choice(InformationFlow, option("flow"), "flow"),
        initiated_by=_choice(InitiatedBy, option("initiated"), "initiated"),
        successful=option("failed") != "yes",
        evaluation=_choice(Evaluation, option("evaluation"), "evaluation") or Evaluation.BLANK,
    )


def _choice(kind: type[E], text: str, name: str) -> E | None:
    if not text:
        return None
    try:
        return kind(text.lower())
    except ValueError:
        values = "|".join(member.value for member in kind if member.value)
        raise UsageError(f"{name}= takes {values}.") from None


def log(ctx: Context, words: list[str]) -> Reply:
    args = parse(words, LOG_OPTIONS, flags=frozenset({"failed", "postpone"}))
    if not args.words and not args.options:
        return Reply("Opening Create Interaction…", modal=Modal("create_interaction"))
    if args.option("segment"):
        return log_segment_reply(ctx, args)
    if len(args.words) < 2:
        raise UsageError('Say which template and which contact, e.g. `/crm log PHONE "John Smith"`.')
    template, rest = args.words[0], args.words[1:]
    with reading(ctx.sessions) as session:
        known = session.get(InteractionTemplate, (ctx.team_id, template.upper())) is not None
    if not known and len(rest) >= 2:
        # "log a call with jon smth" is a sentence, not a template code: Tell Me reads it when it finds
        # both the template and the contact in it.
        match = understood_interaction(ctx, " ".join(["log", *words]))
        if match is not None:
            return understood(ctx, match, log(ctx, split(match.command_text())[1:]))
    with ctx.sessions.begin() as session:
        get_template(session, ctx.team_id, template)
        contact, description = _contact_and_description(ctx, session, rest)
        given = interaction_input(ctx, template, contact, args.option("description") or description, args)
        entry = create_interaction(
            session, ctx.team_id, ctx.user_id, given, postpone=args.option("postpone") == "yes", now=ctx.now()
        )
        line = entry_line(entry, find_contact(session, ctx.team_id, entry.contact_no).name)
    verb = "Saved for later" if entry.postponed else "Recorded"
    return Reply(f"{verb}: interaction log entry {entry.entry_no}.", paragraphs=(line,))


def _contact_and_description(ctx: Context, session: Session, words: list[str]) -> tuple[str, str]:
    """The contact is the longest run of leading words that names one exactly; what follows is the
    description. With no exact name, all the words name the contact (a name given last needs no quotes)."""
    if CONTACT_NO.match(words[0]) or "@" in words[0]:
        return words[0], " ".join(words[1:])
    names = {normalize_name(" ".join(words[:size])): size for size in range(1, len(words) + 1)}
    known = session.scalars(
        select(Contact.search_name).where(Contact.team_id == ctx.team_id, Contact.search_name.in_(names))
    ).all()
    if known:
        size = max(names[name] for name in known)
        return " ".join(words[:size]), " ".join(words[size:])
    return " ".join(words), ""


def entry_filter(ctx: Context, args: Args, session: Session) -> EntryFilter:
    option = args.option
    now = ctx.now()
    scope = contact_scope(find_contact(session, ctx.team_id, option("contact"))) if option("contact") else {}
    return EntryFilter(
        **scope,
        segment_no=option("segment").upper(),
        template_code=option("template").upper(),
        group_code=option("group").upper(),
        canceled=CanceledFilter(yes_no_all(option("canceled") or "all")),
        date_from=parse_date(option("from"), now) if option("from") else None,
        date_to=parse_date(option("to"), now) if option("to") else None,
    )


def entries(ctx: Context, words: list[str], *, postponed: bool = False) -> Reply:
    args = parse(words, FILTER_OPTIONS, options_only=True)
    args.require_no_extra()
    before = int(args.option("before")) if args.option("before").isdigit() else None
    with reading(ctx.sessions) as session:
        given = entry_filter(ctx, args, session)
        if postponed:
            given = EntryFilter(postponed=True, contact_no=given.contact_no, company_no=given.company_no)
        page = list_entries(session, ctx.team_id, given, limit=PAGE, before=before)
    title = "Postponed Interactions" if postponed else "Interaction Log Entries"
    if not page.rows:
        return Reply(f"{title}: none found." if before is None else f"{title}: no more entries.")
    buttons = ()
    if page.next_before is not None:
        kept = [f"{k}={shlex.quote(v)}" for k, v in args.options.items() if k != "before"]
        more = " ".join([*kept, f"before={page.next_before}"])
        buttons = (Button("Next page", f"{'postponed' if postponed else 'entries'} {more}".strip()),)
    return Reply(
        f"{title} ({len(page.rows)} shown, newest first)",
        items=tuple(entry_item(row) for row in page.rows),
        buttons=buttons,
    )


def postponed_list(ctx: Context, words: list[str]) -> Reply:
    return entries(ctx, words, postponed=True)


def entry_details(ctx: Context, words: list[str]) -> Reply:
    (entry_no,) = _one_entry(words)
    with reading(ctx.sessions) as session:
        entry = get_entry(session, ctx.team_id, entry_no)
        contact = find_contact(session, ctx.team_id, entry.contact_no)
        lines = comments(session, ctx.team_id, entry_no)
    fields = (
        ("Contact", f"{contact.name} ({contact.no})"),
        ("Date", f"{entry.date.isoformat()} {entry.time_of_interaction.strftime('%H:%M')}"),
        ("Template", f"{entry.template_code} (group {entry.group_code})"),
        ("Description", entry.description),
        ("Information flow", entry.information_flow or "-"),
        ("Initiated by", entry.initiated_by or "-"),
        ("Cost", f"{entry.cost}"),
        ("Duration", f"{entry.duration} min"),
        ("Evaluation", entry.evaluation or "-"),
        ("Successful", "no (attempt failed)" if entry.attempt_failed else "yes"),
        ("Status", "canceled" if entry.canceled else "postponed" if entry.postponed else "logged"),
        ("Logged by", entry.user_id),
        ("Document", f"{entry.document_type} {entry.document_no}".strip() or "-"),
    )
    buttons = [
        Button(
            "Restore" if entry.canceled else "Cancel",
            f"{'restore' if entry.canceled else 'cancel'} {entry_no}",
        )
    ]
    if entry.attachment_no is not None:
        buttons.append(Button("Show attachment", f"attachment {entry_no}"))
    notes = tuple(f"{line.date.isoformat()} {line.comment}" for line in lines)
    return Reply(
        f"Interaction log entry {entry_no}",
        table=Table(("Field", "Value"), tuple(fields)),
        paragraphs=(("*Comments*", *notes) if notes else ()),
        buttons=tuple(buttons),
    )


def _one_entry(words: list[str]) -> list[int]:
    numbers = entry_numbers(words)
    if len(numbers) != 1:
        raise UsageError("Give one entry number.")
    return numbers


def cancel(ctx: Context, words: list[str]) -> Reply:
    numbers = entry_numbers(words)
    with ctx.sessions.begin() as session:
        changed = cancel_entries(session, ctx.team_id, ctx.user_id, numbers)
    listed = ", ".join(str(e.entry_no) for e in changed)
    return Reply(
        f"Canceled {plural(len(changed), 'entry', 'entries')}: {listed}.",
        buttons=(Button("Undo", f"restore {listed}"),),
        replace_original=ctx.clicked,
    )


def restore(ctx: Context, words: list[str]) -> Reply:
    numbers = entry_numbers(words)
    with ctx.sessions.begin() as session:
        changed = restore_entries(session, ctx.team_id, ctx.user_id, numbers)
    listed = ", ".join(str(e.entry_no) for e in changed)
    return Reply(
        f"Restored {plural(len(changed), 'entry', 'entries')}: {listed}.", replace_original=ctx.clicked
    )


def evaluate_entries(ctx: Context, words: list[str]) -> Reply:
    if len(words) < 2:
        raise UsageError("Give the entry numbers and an evaluation.")
    evaluation = _choice(Evaluation, words[-1], "evaluation")
    assert evaluation is not None
    numbers = entry_numbers(words[:-1])
    with ctx.sessions.begin() as session:
        evaluate(session, ctx.team_id, numbers, evaluation)
    return Reply(f"Evaluated {plural(len(numbers), 'entry', 'entries')} as {evaluation.value}.")


def comment(ctx: Context, words: list[str]) -> Reply:
    if len(words) < 2:
        raise UsageError("Give the entry number, then the comment.")
    (entry_no,) = _one_entry(words[:1])
    with ctx.sessions.begin() as session:
        add_comment(session, ctx.team_id, ctx.user_id, entry_no, " ".join(words[1:]), ctx.today())
    return Reply(f"Comment added to entry {entry_no}.")


def resume_entry(ctx: Context, words: list[str]) -> Reply:
    args = parse(words, LOG_OPTIONS - {"segment", "postpone"}, flags=frozenset({"failed"}))
    (entry_no,) = _one_entry(args.words[:1])
    changes: dict[str, object] = {}
    option = args.option
    if args.words[1:]:
        changes["description"] = " ".join(args.words[1:])
    if option("date"):
        changes["date"] = parse_date(option("date"), ctx.now())
    if option("cost"):
        changes["cost"] = money(option("cost"))
    if option("duration"):
        changes["duration"] = minutes(option("duration"))
    if option("evaluation"):
        changes["evaluation"] = _choice(Evaluation, option("evaluation"), "evaluation")
    if option("failed"):
        changes["successful"] = False
    with ctx.sessions.begin() as session:
        entry = resume(session, ctx.team_id, ctx.user_id, entry_no, changes, now=ctx.now())
    return Reply(
        f"Resumed: interaction log entry {entry.entry_no} is now recorded.", replace_original=ctx.clicked
    )


def attachment(ctx: Context, words: list[str]) -> Reply:
    """The entry's document as a file: Slack uploads it to the user, the console saves it."""
    (entry_no,) = _one_entry(words)
    with reading(ctx.sessions) as session:
        get_entry(session, ctx.team_id, entry_no)
        found = entry_attachment(session, ctx.team_id, entry_no)
    if found is None:
        return Reply(f"Interaction log entry {entry_no} has no attachment.")
    return Reply(
        f"Attachment of entry {entry_no}: {found.file_name}",
        file=File(found.file_name, found.content, found.content_type, found.file_name),
    )
