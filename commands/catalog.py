"""Every action the product offers, declared once: `/crm help`, Tell Me and the console all read it.

Titles follow Business Central's captions; the Spanish ones are those of its Spanish edition where it
has one. Keywords are what users type instead of the caption (synonyms, the docs' phrasing, jargon)."""

import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Action:
    id: str
    title: str
    title_es: str
    usage: str
    summary: str
    command: tuple[str, ...]
    """How the `/crm` text is built: literal words, and `{arg}` where an argument goes; arguments not
    placed here follow as `name=value` options."""
    keywords: tuple[str, ...] = ()
    keywords_es: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    destructive: bool = False
    admin_only: bool = False

    def title_for(self, lang: str | None) -> str:
        return self.title_es if lang == "es" else self.title

    def command_text(self, args: Mapping[str, Any] | None = None) -> str:
        """The `/crm` command (without `/crm`) that runs this action with these arguments."""
        values = {name: value for name, value in (args or {}).items() if not _absent(value)}
        unknown = set(values) - set(self.args)
        if unknown:
            raise ValueError(f"{self.id} takes no argument {', '.join(sorted(unknown))}")
        words: list[str] = []
        placed: set[str] = set()
        for part in self.command:
            if part.startswith("{"):
                name = part[1:-1]
                placed.add(name)
                if name in values:
                    words.append(_render(values[name]))
            else:
                words.append(part)
        for name in self.args:
            if name in values and name not in placed:
                value = values[name]
                words.append(name if value is True else f"{name}={_render(value)}")
        return " ".join(words)


def _absent(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, str | list | tuple) and not value)


def _render(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_render(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return shlex.quote(text) if any(ch.isspace() or ch in "'\"" for ch in text) else text


ENTRY_FILTERS = ("contact", "segment", "template", "canceled", "from", "to")

ACTIONS: tuple[Action, ...] = (
    Action(
        id="log_entries",
        title="Interaction Log Entries",
        title_es="Movs. log. interacción",
        usage="/crm entries [contact=..] [segment=..] [template=..] [canceled=yes|no|all] "
        "[from=<date>] [to=<date>]",
        summary="List the interactions recorded, filtered by contact, segment, template or date.",
        command=("entries",),
        keywords=(
            "interactions",
            "history",
            "activity",
            "timeline",
            "entries",
            "interaction log",
            "what happened",
            "list calls",
            "calls made",
            "list interactions",
            "show interactions",
        ),
        keywords_es=(
            "historial",
            "actividad",
            "movimientos",
            "registro de interacciones",
            "movimientos de registro de interacción",
            "interacciones",
            "listado",
        ),
        args=ENTRY_FILTERS,
    ),
    Action(
        id="create_interaction",
        title="Create Interaction",
        title_es="Crear interacción",
        usage="/crm log <template> <contact> [<description>] [date=..] [cost=..] [duration=..] [failed] "
        "[evaluation=..]",
        summary="Record a call, meeting, e-mail or letter with a contact.",
        command=("log", "{template}", "{contact}", "{description}"),
        keywords=(
            "log interaction",
            "record interaction",
            "new interaction",
            "log a call",
            "call",
            "phone call",
            "meeting",
            "email",
            "visit",
            "letter",
            "note a call",
            "send email",
            "sent an email",
            "register",
        ),
        keywords_es=(
            "registrar interacción",
            "nueva interacción",
            "llamada",
            "registrar llamada",
            "reunión",
            "correo",
            "visita",
            "carta",
            "anotar",
            "enviar correo",
        ),
        args=("template", "contact", "description", "date", "cost", "duration", "failed", "evaluation"),
    ),
    Action(
        id="templates",
        title="Interaction Templates",
        title_es="Plantillas de interacción",
        usage="/crm templates",
        summary="List the interaction templates and their defaults.",
        command=("templates",),
        keywords=("templates", "interaction types", "kinds of interaction"),
        keywords_es=("plantillas", "tipos de interacción"),
    ),
    Action(
        id="groups",
        title="Interaction Groups",
        title_es="Grupos de interacción",
        usage="/crm groups",
        summary="List the interaction groups that templates belong to.",
        command=("groups",),
        keywords=("groups", "categories", "interaction categories"),
        keywords_es=("grupos", "categorías"),
    ),
    Action(
        id="template_setup",
        title="Interaction Template Setup",
        title_es="Configuración de plantilla de interacción",
        usage="/crm setup",
        summary="Show which template records each kind of business document.",
        command=("setup",),
        keywords=(
            "setup",
            "settings",
            "configuration",
            "document templates",
            "automatic logging",
            "which template is used for",
        ),
        keywords_es=("configuración", "ajustes", "plantillas de documentos", "registro automático"),
    ),
    Action(
        id="template_setup_change",
        title="Change Interaction Template Setup",
        title_es="Cambiar configuración de plantilla de interacción",
        usage="/crm setup <document kind> <template>",
        summary="Choose the template that records a kind of business document.",
        command=("setup", "{document_kind}", "{template}"),
        keywords=(
            "change setup",
            "set template for",
            "map document",
            "assign template",
            "use template for document",
        ),
        keywords_es=("cambiar configuración", "asignar plantilla"),
        args=("document_kind", "template"),
        admin_only=True,
    ),
    Action(
        id="contacts",
        title="Contacts",
        title_es="Contactos",
        usage="/crm contacts [text]",
        summary="Find contacts by name, number or e-mail.",
        command=("contacts", "{text}"),
        keywords=("contacts", "people", "customers", "companies", "address book", "find contact"),
        keywords_es=("contactos", "clientes", "empresas", "personas", "agenda", "buscar contacto"),
        args=("text",),
    ),
    Action(
        id="add_contact",
        title="Add Contact",
        title_es="Añadir contacto",
        usage="/crm contact add <name> [type=company|person] [company=<name>] [email=..] [phone=..]",
        summary="Add a person or a company to the contacts.",
        command=("contact", "add", "{name}"),
        keywords=("new contact", "create contact", "add person", "add company", "new customer"),
        keywords_es=("nuevo contacto", "crear contacto", "añadir cliente", "alta de contacto"),
        args=("name", "type", "company", "email", "phone"),
    ),
    Action(
        id="segments",
        title="Segments",
        title_es="Segmentos",
        usage="/crm segments",
        summary="List the segments: groups of contacts to log an interaction with at once.",
        command=("segments",),
        keywords=("segments", "mailing lists", "contact lists", "target groups"),
        keywords_es=("segmentos", "listas de contactos", "listas de correo"),
    ),
    Action(
        id="add_segment",
        title="Add Segment",
        title_es="Crear segmento",
        usage="/crm segment add <code> <description>",
        summary="Create a segment.",
        command=("segment", "add", "{code}", "{description}"),
        keywords=("new segment", "create segment", "new mailing list"),
        keywords_es=("nuevo segmento", "crear segmento"),
        args=("code", "description"),
    ),
    Action(
        id="add_contacts_to_segment",
        title="Add Contacts to Segment",
        title_es="Añadir contactos al segmento",
        usage="/crm segment <code> add <contact>[, <contact>...]",
        summary="Put contacts on a segment.",
        command=("segment", "{segment}", "add", "{contacts}"),
        keywords=("add to segment", "add contacts to list", "segment lines"),
        keywords_es=("añadir al segmento", "agregar contactos al segmento", "líneas de segmento"),
        args=("segment", "contacts"),
    ),
    Action(
        id="log_segment",
        title="Log Segment",
        title_es="Grabar segmento",
        usage="/crm log <template> segment=<code>",
        summary="Record one interaction for every contact of a segment.",
        command=("log", "{template}"),
        keywords=("log segment", "send to segment", "mass log", "log for all contacts", "mailing"),
        keywords_es=("grabar segmento", "registrar segmento", "registrar", "envío masivo"),
        args=("template", "segment"),
    ),
    Action(
        id="logged_segments",
        title="Logged Segments",
        title_es="Segmentos grabados",
        usage="/crm logged-segments",
        summary="List the segments already logged.",
        command=("logged-segments",),
        keywords=("logged segments", "segment history", "sent segments"),
        keywords_es=("segmentos grabados", "segmentos registrados", "historial de segmentos"),
    ),
    Action(
        id="cancel_logged_segment",
        title="Cancel Logged Segment",
        title_es="Cancelar segmento grabado",
        usage="/crm cancel segment=<no>",
        summary="Cancel a logged segment and all its interaction log entries.",
        command=("cancel",),
        keywords=("cancel segment", "void segment"),
        keywords_es=("cancelar segmento", "anular segmento"),
        args=("segment",),
        destructive=True,
    ),
    Action(
        id="restore_logged_segment",
        title="Restore Logged Segment",
        title_es="Restaurar segmento grabado",
        usage="/crm restore segment=<no>",
        summary="Restore a canceled logged segment, with all its entries.",
        command=("restore",),
        keywords=("restore segment", "uncancel segment", "reactivate segment"),
        keywords_es=("restaurar segmento", "recuperar segmento", "reactivar segmento"),
        args=("segment",),
    ),
    Action(
        id="postponed",
        title="Postponed Interactions",
        title_es="Interacciones aplazadas",
        usage="/crm postponed",
        summary="List the interactions saved to finish later.",
        command=("postponed",),
        keywords=("postponed", "drafts", "unfinished interactions", "pending", "saved for later", "on hold"),
        keywords_es=("aplazadas", "pendientes", "borradores", "pospuestas", "sin terminar"),
    ),
    Action(
        id="resume_interaction",
        title="Resume Interaction",
        title_es="Reanudar interacción",
        usage="/crm resume <no>",
        summary="Finish a postponed interaction.",
        command=("resume", "{entry_nos}"),
        keywords=("resume", "continue", "finish interaction", "complete draft", "finish later"),
        keywords_es=("reanudar", "continuar", "terminar interacción", "completar"),
        args=("entry_nos",),
    ),
    Action(
        id="entry_details",
        title="Interaction Log Entry",
        title_es="Movimiento de registro de interacción",
        usage="/crm entry <no>",
        summary="Show one entry with its comments and attachments.",
        command=("entry", "{entry_nos}"),
        keywords=("entry details", "show entry", "open entry", "attachments", "entry info"),
        keywords_es=("detalle del movimiento", "ver movimiento", "adjuntos", "detalles"),
        args=("entry_nos",),
    ),
    Action(
        id="show_attachment",
        title="Show Attachment",
        title_es="Mostrar datos adjuntos",
        usage="/crm attachment <no>",
        summary="Send yourself the document of an entry (a merged letter, a quote).",
        command=("attachment", "{entry_nos}"),
        keywords=("attachment", "document", "open document", "download", "merged letter", "file"),
        keywords_es=("adjunto", "documento", "descargar", "archivo"),
        args=("entry_nos",),
    ),
    Action(
        id="link_channel",
        title="Link Channel to Contact",
        title_es="Vincular canal a contacto",
        usage="/crm link <contact>   /crm unlink",
        summary="Log every message of this channel as an interaction with the contact.",
        command=("link", "{contact}"),
        keywords=(
            "link channel",
            "connect channel",
            "slack connect",
            "log channel messages",
            "shared channel",
        ),
        keywords_es=("vincular canal", "canal compartido", "registrar mensajes"),
        args=("contact",),
    ),
    Action(
        id="comment_entry",
        title="Comment on Interaction Log Entry",
        title_es="Comentar mov. log. interacción",
        usage="/crm comment <no> <text>",
        summary="Add a comment line to an entry.",
        command=("comment", "{entry_nos}", "{text}"),
        keywords=("comment", "add note", "annotate", "remark"),
        keywords_es=("comentario", "comentar", "añadir nota", "nota"),
        args=("entry_nos", "text"),
    ),
    Action(
        id="cancel_entry",
        title="Cancel Interaction Log Entry",
        title_es="Cancelar mov. log. interacción",
        usage="/crm cancel <no>[, <no>...]",
        summary="Mark entries as canceled: they stay listed but leave the totals.",
        command=("cancel", "{entry_nos}"),
        keywords=("cancel", "cancel entry", "void", "mark canceled"),
        keywords_es=("cancelar", "anular", "cancelar movimiento", "deshacer interacción"),
        args=("entry_nos",),
        destructive=True,
    ),
    Action(
        id="restore_entry",
        title="Restore Interaction Log Entry",
        title_es="Restaurar mov. log. interacción",
        usage="/crm restore <no>[, <no>...]",
        summary="Take the canceled mark off entries.",
        command=("restore", "{entry_nos}"),
        keywords=("restore", "uncancel", "reactivate", "undo cancel", "bring back"),
        keywords_es=("restaurar", "recuperar", "reactivar", "deshacer cancelación"),
        args=("entry_nos",),
    ),
    Action(
        id="delete_canceled_entries",
        title="Delete Canceled Interaction Log Entries",
        title_es="Eliminar mov. cancel. reg. inter.",
        usage="/crm delete-canceled [contact=..] [from=..] [to=..]",
        summary="Delete canceled entries for good, with their comments and own attachments.",
        command=("delete-canceled",),
        keywords=(
            "delete canceled entries",
            "purge",
            "remove canceled",
            "clean up",
            "gdpr",
            "erase",
            "delete interaction log entries",
            "delete interactions",
        ),
        keywords_es=(
            "eliminar movimientos cancelados",
            "borrar cancelados",
            "purgar",
            "limpiar",
            "borrar interacciones",
            "eliminar interacciones",
        ),
        args=("contact", "from", "to"),
        destructive=True,
        admin_only=True,
    ),
    Action(
        id="delete_canceled_segments",
        title="Delete Canceled Logged Segments",
        title_es="Eliminar segmentos grabados cancelados",
        usage="/crm delete-canceled-segments",
        summary="Delete canceled logged segments; their entries are kept.",
        command=("delete-canceled-segments",),
        keywords=("delete logged segments", "purge segments", "remove canceled segments"),
        keywords_es=("borrar segmentos cancelados", "eliminar segmentos", "purgar segmentos"),
        destructive=True,
        admin_only=True,
    ),
    Action(
        id="evaluate",
        title="Evaluate Interaction",
        title_es="Evaluar interacción",
        usage="/crm evaluate <no>[, <no>...] very-positive|positive|neutral|negative|very-negative",
        summary="Rate how interactions went.",
        command=("evaluate", "{entry_nos}", "{evaluation}"),
        keywords=(
            "evaluate",
            "rate",
            "evaluation",
            "rating",
            "how did it go",
            "score",
            "feedback",
            "mark as positive",
            "very positive",
            "positive",
            "neutral",
            "negative",
            "very negative",
        ),
        keywords_es=(
            "evaluar",
            "valorar",
            "calificar",
            "evaluación",
            "puntuar",
            "muy positiva",
            "positiva",
            "neutra",
            "negativa",
            "muy negativa",
        ),
        args=("entry_nos", "evaluation"),
    ),
    Action(
        id="statistics",
        title="Interaction Statistics",
        title_es="Estadísticas de interacciones",
        usage="/crm stats [contact=..|template=..|group=..]",
        summary="Count, cost and duration of interactions per contact, template or group.",
        command=("stats",),
        keywords=(
            "statistics",
            "stats",
            "totals",
            "report",
            "how many",
            "cost",
            "duration",
            "kpi",
            "summary",
            "dashboard",
        ),
        keywords_es=("estadísticas", "totales", "informe", "cuántas", "coste", "duración", "resumen"),
        args=("contact", "template", "group"),
    ),
    Action(
        id="import_contacts",
        title="Import Contacts",
        title_es="Importar contactos",
        usage="/crm import contacts",
        summary="How to load contacts from a CSV file.",
        command=("import", "contacts"),
        keywords=("import", "upload contacts", "load contacts", "csv", "bulk add contacts"),
        keywords_es=("importar", "cargar contactos", "subir contactos"),
        admin_only=True,
    ),
    Action(
        id="export_entries",
        title="Export Interaction Log Entries",
        title_es="Exportar movs. log. interacción",
        usage="/crm export entries [filters]",
        summary="Download the entries as a CSV file.",
        command=("export", "entries"),
        keywords=("export", "download", "csv", "excel", "spreadsheet", "backup"),
        keywords_es=("exportar", "descargar", "hoja de cálculo", "copia"),
        args=ENTRY_FILTERS,
    ),
    Action(
        id="add_group",
        title="Add Interaction Group",
        title_es="Crear grupo de interacción",
        usage="/crm group add <code> <description>",
        summary="Create an interaction group.",
        command=("group", "add", "{code}", "{description}"),
        keywords=("new group", "create group", "new category"),
        keywords_es=("nuevo grupo", "crear grupo"),
        args=("code", "description"),
    ),
    Action(
        id="add_template",
        title="Add Interaction Template",
        title_es="Crear plantilla de interacción",
        usage="/crm template add <code> <description> group=<g> [cost=..] [duration=<min>] "
        "[flow=inbound|outbound] [initiated=us|them] [type=hard-copy|email]",
        summary="Create an interaction template.",
        command=("template", "add", "{code}", "{description}"),
        keywords=("new template", "create template", "new interaction type"),
        keywords_es=("nueva plantilla", "crear plantilla"),
        args=("code", "description", "group", "cost", "duration", "flow", "initiated", "type"),
    ),
    Action(
        id="attach_template_file",
        title="Attach File to Interaction Template",
        title_es="Adjuntar archivo a plantilla de interacción",
        usage="/crm template attach <code> [lang]",
        summary="Give a template a document (a Word letter with merge fields, say), per language.",
        command=("template", "attach", "{template}", "{language}"),
        keywords=("attach file", "template document", "word template", "mail merge", "upload letter"),
        keywords_es=(
            "adjuntar archivo",
            "documento de plantilla",
            "combinar correspondencia",
            "plantilla word",
        ),
        args=("template", "language"),
    ),
    Action(
        id="help",
        title="Help",
        title_es="Ayuda",
        usage="/crm help",
        summary="List every command.",
        command=("help",),
        keywords=("help", "commands", "what can you do", "how to", "usage", "manual"),
        keywords_es=("ayuda", "comandos", "qué puedes hacer", "cómo"),
    ),
    Action(
        id="tellme",
        title="Tell Me",
        title_es="Dígame",
        usage="/crm tellme <text>",
        summary="Describe what you want in your own words, in English or Spanish.",
        command=("tellme", "{text}"),
        args=("text",),
    ),
)

BY_ID: dict[str, Action] = {action.id: action for action in ACTIONS}
SEARCHABLE: tuple[Action, ...] = tuple(action for action in ACTIONS if action.id != "tellme")


def action(action_id: str) -> Action:
    return BY_ID[action_id]


def action_for(words: list[str]) -> Action | None:
    """The action a `/crm` command runs: of those whose literal words it spells in their places, the one
    whose arguments its options, then its other words, fill best. ["cancel", "segment=4"] -> Cancel
    Logged Segment; ["cancel", "4"] -> Cancel Interaction Log Entry."""
    typed = [word.lower() for word in words if "=" not in word]
    options = {word.split("=", 1)[0].lower() for word in words if "=" in word}
    best: tuple[tuple[int, int, int], Action] | None = None
    for candidate in ACTIONS:
        places = list(enumerate(candidate.command))
        literal = [(i, part) for i, part in places if not part.startswith("{")]
        if not all(i < len(typed) and typed[i] == part for i, part in literal):
            continue
        filled = sum(1 for i, part in places if part.startswith("{") and i < len(typed))
        key = (len(literal), len(options & set(candidate.args)), filled)
        if best is None or key > best[0]:
            best = (key, candidate)
    return best[1] if best else None


def command_text(action_id: str, args: Mapping[str, Any] | None = None) -> str:
    """E.g. ("cancel_entry", {"entry_nos": [12, 13]}) -> "cancel 12, 13"."""
    return BY_ID[action_id].command_text(args)
