"""Interaction Templates and Interaction Groups: list and add them, give a template its documents, delete
a template."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from commands import inputs
from commands.action import Action, Arg, Args, FormSpec, Policy, Question
from commands.context import Context
from commands.forms import Field, Form, code_form, group_options, read_fields, text_field
from commands.pages.interactions import FLOWS, INITIATED
from commands.reply import Reply, Table
from store.attachments import (
    FILE_KINDS,
    MAX_ATTACHMENT_SIZE,
    attach_to_template,
    check_size,
    delete_template,
    human_size,
    template_attachments,
)
from store.db import reading
from store.enums import CorrespondenceType, InformationFlow, InitiatedBy
from store.mailmerge import DOCX, fields_in
from store.templates import (
    TemplateDefaults,
    add_group,
    add_template,
    get_template,
    list_groups,
    list_templates,
)

TEMPLATE = Arg("template", inputs.TEMPLATE, required=True)
LANGUAGE = Arg("language", inputs.LANGUAGE)


def groups(ctx: Context, args: Args) -> Reply:
    with reading(ctx.sessions) as session:
        found = list_groups(session, ctx.team_id)
    if not found:
        return Reply("No interaction groups yet.", paragraphs=(f"Create one with `{ADD_GROUP.usage}`.",))
    rows = tuple((g.code, g.description) for g in found)
    return Reply(f"Interaction Groups ({len(found)})", table=Table(("Code", "Description"), rows))


def create_group(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        group = add_group(session, ctx.team_id, args["code"], args.get("description", ""))
    return Reply(f"Interaction group {group.code} created.")


def group_form(ctx: Context, values: dict[str, str]) -> Form:
    return code_form(ADD_GROUP.id, "Add Interaction Group", inputs.GROUP, values)


def read_group_form(ctx: Context, values: dict[str, str]) -> dict[str, Any]:
    kinds = {"code": inputs.GROUP, "description": inputs.DESCRIPTION}
    return read_fields(ctx, values, kinds, required=("code",))


def templates(ctx: Context, args: Args) -> Reply:
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


def create_template(ctx: Context, args: Args) -> Reply:
    defaults = TemplateDefaults(
        description=args.get("description", ""),
        unit_cost=args.get("cost", TemplateDefaults.unit_cost),
        unit_duration=args.get("duration", 0),
        information_flow=args.get("flow", InformationFlow.BLANK),
        initiated_by=args.get("initiated", InitiatedBy.BLANK),
        correspondence_type=args.get("type", CorrespondenceType.EMAIL),
        language_code=args.get("language", ""),
    )
    with ctx.sessions.begin() as session:
        template = add_template(session, ctx.team_id, args["code"], args.get("group", ""), defaults)
    return Reply(f"Interaction template {template.code} created in group {template.group_code}.")


CORRESPONDENCE = (
    (CorrespondenceType.EMAIL.value, "E-mail"),
    (CorrespondenceType.HARD_COPY.value, "Hard copy"),
)
TEMPLATE_FIELDS = {
    "code": inputs.TEMPLATE,
    "description": inputs.DESCRIPTION,
    "group": inputs.GROUP,
    "cost": inputs.MONEY,
    "duration": inputs.MINUTES,
    "flow": inputs.FLOW,
    "initiated": inputs.INITIATED,
    "type": inputs.CORRESPONDENCE,
    "language": inputs.LANGUAGE,
}


def template_form(ctx: Context, values: dict[str, str]) -> Form:
    """A new template and its defaults: what an interaction logged with it starts with."""
    value = values.get
    return code_form(
        ADD_TEMPLATE.id,
        "Add Template",
        inputs.TEMPLATE,
        values,
        Field("group", "Interaction group", "select", value("group", "").upper(), group_options(ctx)),
        Field("cost", "Unit cost", "number", value("cost", ""), optional=True),
        Field("duration", "Unit duration (minutes)", "integer", value("duration", ""), optional=True),
        Field("flow", "Information flow", "select", value("flow", ""), FLOWS, optional=True),
        Field("initiated", "Initiated by", "select", value("initiated", ""), INITIATED, optional=True),
        Field("type", "Correspondence type", "select", value("type") or "email", CORRESPONDENCE),
        text_field("language", "Language code", inputs.LANGUAGE, value("language", ""), optional=True),
    )


def read_template_form(ctx: Context, values: dict[str, str]) -> dict[str, Any]:
    return read_fields(ctx, values, TEMPLATE_FIELDS, required=("code", "group"))


def check_groups(ctx: Context, args: Mapping[str, Any]) -> None:
    """A template belongs to a group: with none yet, the form would have nothing to choose."""
    with reading(ctx.sessions) as session:
        if not list_groups(session, ctx.team_id):
            raise inputs.UsageError(
                "There are no interaction groups yet: create one first with "
                "`/crm group add <code> <description>`."
            )


ATTACH_USAGE = "attach <template> [language]"


@dataclass(frozen=True)
class SharedFile:
    """A file a user shared with the bot: what its chat platform says about it, and how to fetch it."""

    name: str
    size: int
    content_type: str
    read: Callable[[], bytes]
    """Fetches the bytes; called only once the size and the template are known to be fine."""


def how_to_attach(ctx: Context, args: Args) -> Reply:
    """Files travel in a direct message, not in a slash command: say what to send (nothing is stored)."""
    kinds = f"Files up to {human_size(MAX_ATTACHMENT_SIZE)}: {', '.join(FILE_KINDS)}."
    merge = "A .docx can hold merge fields such as {{contact.name}}."
    if "template" not in args:
        return Reply(
            f"To attach a document to a template, share the file with me in a direct message with the "
            f"text `{ATTACH_USAGE}`.",
            paragraphs=(kinds, merge),
        )
    language = args.get("language", "").upper()
    with reading(ctx.sessions) as session:
        template = get_template(session, ctx.team_id, args["template"])
    typed = " ".join(("attach", template.code, language)).strip()
    return Reply(
        f"To attach a document to template {template.code}, share the file with me in a direct message "
        f"with the text `{typed}`.",
        paragraphs=(f"It replaces the template's document for {_language(language)}.", kinds, merge),
    )


def attach_target(words: list[str]) -> tuple[str, str]:
    """(template code, language code) from `<template> [language]`, the words sent with a shared file."""
    if not 1 <= len(words) <= 2:
        raise inputs.UsageError(
            f"Name the template, and a language if it is not the template's own: `{ATTACH_USAGE}`."
        )
    code = inputs.TEMPLATE.parse(words[0], None, "template")
    return code, inputs.LANGUAGE.parse(words[1], None, "language").upper() if len(words) == 2 else ""


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


def delete_question(ctx: Context, args: Args) -> Question:
    with reading(ctx.sessions) as session:
        template = get_template(session, ctx.team_id, args["template"])
        files = template_attachments(session, ctx.team_id, template.code)
    documents = f", with its {len(files)} attachment(s)" if files else ""
    return Question(
        f"Delete interaction template {template.code} ({template.description}){documents}?",
        "Entries logged with it stay as they are; documents set up to log with it will no longer be logged.",
        f"Delete template {template.code}?",
    )


def remove_template(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        template = delete_template(session, ctx.team_id, ctx.user_id, args["template"])
    return Reply(f"Deleted interaction template {template.code}.", replace_original=True)


GROUPS = Action(
    id="groups",
    title="Interaction Groups",
    title_es="Grupos de interacción",
    usage="/crm groups",
    summary="List the interaction groups that templates belong to.",
    summary_es="Lista los grupos de interacción a los que pertenecen las plantillas.",
    command=("groups|group",),
    handler=groups,
    keywords=("groups", "categories", "interaction categories"),
    keywords_es=("grupos", "categorías"),
    policy=Policy(read_only=True),
)
ADD_GROUP = Action(
    id="add_group",
    title="Add Interaction Group",
    title_es="Crear grupo de interacción",
    usage="/crm group add <code> <description>",
    summary="Create an interaction group.",
    summary_es="Crea un grupo de interacción.",
    command=("group", "add", "{code}", "{description}"),
    handler=create_group,
    args=(Arg("code", inputs.GROUP, required=True), Arg("description", inputs.DESCRIPTION)),
    keywords=("new group", "create group", "new category"),
    keywords_es=("nuevo grupo", "crear grupo"),
    form=FormSpec(group_form, read_group_form, subject="code"),
)
TEMPLATES = Action(
    id="templates",
    title="Interaction Templates",
    title_es="Plantillas de interacción",
    usage="/crm templates",
    summary="List the interaction templates and their defaults.",
    summary_es="Lista las plantillas de interacción y sus valores por defecto.",
    command=("templates|template",),
    handler=templates,
    keywords=("templates", "interaction types", "kinds of interaction"),
    keywords_es=("plantillas", "tipos de interacción"),
    policy=Policy(read_only=True),
)
ADD_TEMPLATE = Action(
    id="add_template",
    title="Add Interaction Template",
    title_es="Crear plantilla de interacción",
    usage="/crm template add <code> <description> group=<g> [cost=..] [duration=<min>] "
    "[flow=inbound|outbound] [initiated=us|them] [type=hard-copy|email]",
    summary="Create an interaction template.",
    summary_es="Crea una plantilla de interacción.",
    command=("template", "add", "{code}", "{description}"),
    handler=create_template,
    args=(
        Arg("code", inputs.TEMPLATE, required=True),
        Arg("description", inputs.DESCRIPTION),
        Arg("group", inputs.GROUP, required=True),
        Arg("cost", inputs.MONEY),
        Arg("duration", inputs.MINUTES),
        Arg("flow", inputs.FLOW),
        Arg("initiated", inputs.INITIATED),
        Arg("type", inputs.CORRESPONDENCE),
        LANGUAGE,
    ),
    keywords=("new template", "create template", "new interaction type"),
    keywords_es=("nueva plantilla", "crear plantilla"),
    form=FormSpec(template_form, read_template_form, check=check_groups, subject="code"),
)
ATTACH_TEMPLATE_FILE = Action(
    id="attach_template_file",
    title="Attach File to Interaction Template",
    title_es="Adjuntar archivo a plantilla de interacción",
    usage="/crm template attach <code> [lang]",
    summary="Give a template a document (a Word letter with merge fields, say), per language.",
    summary_es="Da a una plantilla un documento (una carta Word con campos combinados), por idioma.",
    command=("template", "attach", "{template}", "{language}"),
    handler=how_to_attach,
    args=(Arg("template", inputs.TEMPLATE), LANGUAGE),
    keywords=("attach file", "template document", "word template", "mail merge", "upload letter"),
    keywords_es=("adjuntar archivo", "documento de plantilla", "combinar correspondencia", "plantilla word"),
)
DELETE_TEMPLATE = Action(
    id="delete_template",
    title="Delete Interaction Template",
    title_es="Eliminar plantilla de interacción",
    usage="/crm template delete <code>",
    summary="Delete a template with its documents; entries logged with it stay.",
    summary_es="Elimina una plantilla con sus documentos; los movimientos registrados con ella se quedan.",
    command=("template", "delete", "{template}"),
    handler=remove_template,
    args=(TEMPLATE,),
    keywords=("delete template", "remove template", "drop template"),
    keywords_es=("eliminar plantilla", "borrar plantilla", "quitar plantilla"),
    policy=Policy(admin_only=True, destructive="ask"),
    question=delete_question,
)

ACTIONS = (TEMPLATES, GROUPS, ADD_GROUP, ADD_TEMPLATE, ATTACH_TEMPLATE_FILE, DELETE_TEMPLATE)
