"""Interaction groups, interaction templates (and their documents) and the template setup."""

from collections.abc import Callable
from dataclasses import dataclass

from commands.context import Context
from commands.parsing import UsageError, minutes, money, parse
from commands.permissions import require_admin
from commands.reply import Reply, Table
from store.attachments import FILE_KINDS, MAX_ATTACHMENT_SIZE, attach_to_template, check_size, human_size
from store.db import reading
from store.enums import CorrespondenceType, DocumentKind, InformationFlow, InitiatedBy
from store.mailmerge import DOCX, fields_in
from store.templates import (
    TemplateDefaults,
    add_group,
    add_template,
    get_setup,
    get_template,
    list_groups,
    list_templates,
    set_setup,
)

TEMPLATE_OPTIONS = frozenset({"group", "cost", "duration", "flow", "initiated", "type", "language"})


def groups(ctx: Context, words: list[str]) -> Reply:
    if words and words[0].lower() == "add":
        if len(words) < 2:
            raise UsageError("Give the group a code and a description.")
        with ctx.sessions.begin() as session:
            group = add_group(session, ctx.team_id, words[1], " ".join(words[2:]))
        return Reply(f"Interaction group {group.code} created.")
    parse(words).require_no_extra()
    with reading(ctx.sessions) as session:
        found = list_groups(session, ctx.team_id)
    if not found:
        return Reply(
            "No interaction groups yet.",
            paragraphs=("Create one with `/crm group add <code> <description>`.",),
        )
    rows = tuple((g.code, g.description) for g in found)
    return Reply(f"Interaction Groups ({len(found)})", table=Table(("Code", "Description"), rows))


def templates(ctx: Context, words: list[str]) -> Reply:
    if words and words[0].lower() == "add":
        return add(ctx, words[1:])
    if words and words[0].lower() == "attach":
        return how_to_attach(ctx, words[1:])
    parse(words).require_no_extra()
    with reading(ctx.sessions) as session:
        found = list_templates(session, ctx.team_id)
    if not found:
        return Reply(
            "No interaction templates yet.", paragraphs=("Create one with `/crm template add ...`.",)
        )
    rows = tuple(
        (
            t.code,
            t.description,
            t.group_code,
            f"{t.unit_cost}",
            f"{t.unit_duration} min",
            t.information_flow or "-",
            t.initiated_by or "-",
            t.correspondence_type or "-",
        )
        for t in found
    )
    columns = ("Code", "Description", "Group", "Cost", "Duration", "Flow", "Initiated by", "Type")
    return Reply(f"Interaction Templates ({len(found)})", table=Table(columns, rows))


def add(ctx: Context, words: list[str]) -> Reply:
    args = parse(words, TEMPLATE_OPTIONS)
    if not args.words:
        raise UsageError("Give the template a code and a description.")
    option = args.option
    try:
        defaults = TemplateDefaults(
            description=" ".join(args.words[1:]),
            unit_cost=money(option("cost")) if option("cost") else TemplateDefaults.unit_cost,
            unit_duration=minutes(option("duration")) if option("duration") else 0,
            information_flow=InformationFlow(option("flow").lower()),
            initiated_by=InitiatedBy(option("initiated").lower()),
            correspondence_type=CorrespondenceType(option("type", "email").lower()),
            language_code=option("language"),
        )
    except ValueError as error:
        raise UsageError(
            "flow= takes inbound|outbound, initiated= us|them, type= hard-copy|email."
        ) from error
    with ctx.sessions.begin() as session:
        template = add_template(session, ctx.team_id, args.words[0], option("group"), defaults)
    return Reply(f"Interaction template {template.code} created in group {template.group_code}.")


ATTACH_USAGE = "attach <template> [language]"


@dataclass(frozen=True)
class SharedFile:
    """A file a user shared with the bot: what its chat platform says about it, and how to fetch it."""

    name: str
    size: int
    content_type: str
    read: Callable[[], bytes]
    """Fetches the bytes; called only once the size and the template are known to be fine."""


def attach_target(words: list[str]) -> tuple[str, str]:
    """(template code, language code) from `<template> [language]`."""
    if not 1 <= len(words) <= 2:
        raise UsageError(
            f"Name the template, and a language if it is not the template's own: `{ATTACH_USAGE}`."
        )
    return words[0].upper(), words[1].upper() if len(words) == 2 else ""


def how_to_attach(ctx: Context, words: list[str]) -> Reply:
    """Files travel in a direct message, not in a slash command: say what to send (nothing is stored)."""
    kinds = f"Files up to {human_size(MAX_ATTACHMENT_SIZE)}: {', '.join(FILE_KINDS)}."
    if not words:
        return Reply(
            f"To attach a document to a template, share the file with me in a direct message with the "
            f"text `{ATTACH_USAGE}`.",
            paragraphs=(kinds, "A .docx can hold merge fields such as {{contact.name}}."),
        )
    code, language = attach_target(words)
    with reading(ctx.sessions) as session:
        template = get_template(session, ctx.team_id, code)
    typed = " ".join(("attach", template.code, language)).strip()
    return Reply(
        f"To attach a document to template {template.code}, share the file with me in a direct message "
        f"with the text `{typed}`.",
        paragraphs=(
            f"It replaces the template's document for {_language(language)}.",
            kinds,
            "A .docx can hold merge fields such as {{contact.name}}.",
        ),
    )


def attach_file(ctx: Context, words: list[str], file: SharedFile) -> Reply:
    """Give a template its document for a language, from a shared file. The size and the template are
    checked before the file is fetched."""
    code, language = attach_target(words)
    check_size(file.name, file.size)
    with reading(ctx.sessions) as session:
        get_template(session, ctx.team_id, code)
    content = file.read()
    with ctx.sessions.begin() as session:
        attachment = attach_to_template(
            session, ctx.team_id, code, file.name, content, file.content_type, language
        )
    paragraphs: tuple[str, ...] = ()
    if attachment.content_type == DOCX:
        fields = fields_in(content)
        paragraphs = (f"Merge fields: {', '.join(fields)}." if fields else "It has no merge fields.",)
    return Reply(
        f"Attached {attachment.file_name} ({human_size(attachment.size)}) to template {code} for "
        f"{_language(language)}, as attachment {attachment.no}.",
        paragraphs=paragraphs,
    )


def _language(code: str) -> str:
    return f"language {code}" if code else "the template's default language"


def setup(ctx: Context, words: list[str]) -> Reply:
    if words:
        if len(words) != 2:
            raise UsageError("Give a document kind and a template code (or `none`).")
        require_admin(ctx, "change the interaction template setup")
        try:
            kind = DocumentKind(words[0].lower())
        except ValueError:
            raise UsageError(
                f"{words[0]} is not a document kind. Kinds: {', '.join(k.value for k in DocumentKind)}."
            ) from None
        code = "" if words[1].lower() == "none" else words[1]
        with ctx.sessions.begin() as session:
            set_setup(session, ctx.team_id, ctx.user_id, kind, code)
        return Reply(
            f"{kind.value} documents now log with template {code.upper()}."
            if code
            else f"{kind.value} documents are no longer logged."
        )
    with reading(ctx.sessions) as session:
        mapping = get_setup(session, ctx.team_id)
    rows = tuple((kind.value, mapping.get(kind, "")) for kind in DocumentKind)
    return Reply(
        "Interaction Template Setup",
        paragraphs=(
            "Documents of a kind with no template are not logged.",
            "Change one with `/crm setup <kind> <template>`.",
        ),
        table=Table(("Document kind", "Template"), rows),
    )
