"""Interaction Template Setup: which template records each kind of business document."""

from commands import inputs
from commands.action import Action, Arg, Args, Policy
from commands.context import Context
from commands.reply import Reply, Table
from store.db import reading
from store.enums import DocumentKind
from store.templates import get_setup, set_setup

NONE = "NONE"
"""The template word that stops a kind of document from being logged."""


def setup(ctx: Context, args: Args) -> Reply:
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


def change(ctx: Context, args: Args) -> Reply:
    kind: DocumentKind = args["document_kind"]
    code = "" if args["template"] == NONE else args["template"]
    with ctx.sessions.begin() as session:
        set_setup(session, ctx.team_id, ctx.user_id, kind, code)
    if code:
        return Reply(f"{kind.value} documents now log with template {code}.")
    return Reply(f"{kind.value} documents are no longer logged.")


TEMPLATE_SETUP = Action(
    id="template_setup",
    title="Interaction Template Setup",
    title_es="Configuración de plantilla de interacción",
    usage="/crm setup",
    summary="Show which template records each kind of business document.",
    summary_es="Muestra qué plantilla registra cada tipo de documento comercial.",
    command=("setup",),
    handler=setup,
    keywords=(
        "setup",
        "settings",
        "configuration",
        "document templates",
        "automatic logging",
        "which template is used for",
    ),
    keywords_es=("configuración", "ajustes", "plantillas de documentos", "registro automático"),
    policy=Policy(read_only=True),
)
TEMPLATE_SETUP_CHANGE = Action(
    id="template_setup_change",
    title="Change Interaction Template Setup",
    title_es="Cambiar configuración de plantilla de interacción",
    usage="/crm setup <document kind> <template>",
    summary="Choose the template that records a kind of business document (`none`: no longer log it).",
    summary_es="Elige la plantilla que registra un tipo de documento comercial.",
    command=("setup", "{document_kind}", "{template}"),
    handler=change,
    args=(
        Arg("document_kind", inputs.DOCUMENT_KIND, required=True),
        Arg("template", inputs.TEMPLATE, required=True),
    ),
    keywords=(
        "change setup",
        "set template for",
        "map document",
        "assign template",
        "use template for document",
    ),
    keywords_es=("cambiar configuración", "asignar plantilla"),
    policy=Policy(admin_only=True),
)

ACTIONS = (TEMPLATE_SETUP, TEMPLATE_SETUP_CHANGE)
