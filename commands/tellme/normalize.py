"""From what a user typed to comparable words: case and accents folded, Business Central's abbreviations
spelled out, and English and Spanish synonyms brought to one concept each."""

import re
import unicodedata
from dataclasses import dataclass

# Written with a full stop, as Business Central's captions abbreviate ("Eliminar mov. cancel. reg. inter.").
DOTTED_ABBREVIATIONS = {
    "mov": "movimiento",
    "movs": "movimientos",
    "reg": "registro",
    "inter": "interaccion",
    "int": "interaction",
    "cancel": "cancelados",
    "log": "log",
    "cod": "codigo",
    "config": "configuracion",
    "conf": "configuracion",
    "tmpl": "template",
    "stats": "statistics",
    "ent": "entries",
}
# Also understood without the full stop.
ABBREVIATIONS = {
    "mov": "movimiento",
    "movs": "movimientos",
    "reg": "registro",
    "inter": "interaction",
    "int": "interaction",
    "interacc": "interaccion",
    "ent": "entries",
    "canc": "canceled",
    "del": "delete",
    "tmpl": "template",
    "config": "configuration",
    "info": "details",
    "seg": "segment",
    "segs": "segments",
    "msg": "message",
    "w": "with",
}

# One concept per line: every word on it means the same thing to Tell Me.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "interaction": ("interaction", "interactions", "interaccion", "interacciones", "interact"),
    "entry": (
        "entry",
        "entries",
        "movimiento",
        "movimientos",
        "movement",
        "movements",
        "entrada",
        "entradas",
    ),
    "log": ("log", "registro", "logs", "journal", "register", "registrar", "record it", "anotar", "apuntar"),
    "history": (
        "history",
        "historial",
        "activity",
        "activities",
        "actividad",
        "actividades",
        "timeline",
        "historia",
    ),
    "add": ("add", "create", "new", "crear", "nuevo", "nueva", "anadir", "agregar", "alta", "make"),
    "delete": (
        "delete",
        "remove",
        "purge",
        "erase",
        "borrar",
        "eliminar",
        "suprimir",
        "quitar",
        "purgar",
        "limpiar",
        "cleanup",
        "clean",
        "wipe",
        "deleting",
    ),
    "canceled": (
        "canceled",
        "cancelled",
        "cancelados",
        "canceladas",
        "cancelado",
        "cancelada",
        "anulados",
        "anuladas",
        "voided",
    ),
    "cancel": ("cancel", "cancelar", "anular", "void", "annul"),
    "restore": (
        "restore",
        "restaurar",
        "uncancel",
        "reactivate",
        "reactivar",
        "recuperar",
        "revive",
        "reinstate",
        "undelete",
    ),
    "postponed": (
        "postponed",
        "aplazadas",
        "aplazada",
        "aplazados",
        "aplazado",
        "pospuestas",
        "pospuesta",
        "drafts",
        "draft",
        "borradores",
        "borrador",
        "pending",
        "pendientes",
        "pendiente",
        "unfinished",
        "deferred",
        "postpone",
        "aplazar",
    ),
    "resume": ("resume", "reanudar", "continue", "continuar", "finish", "terminar", "completar", "complete"),
    "evaluate": (
        "evaluate",
        "evaluar",
        "evaluation",
        "evaluacion",
        "rate",
        "rating",
        "valorar",
        "calificar",
        "puntuar",
        "score",
        "feedback",
    ),
    "statistics": (
        "statistics",
        "stats",
        "estadisticas",
        "estadistica",
        "statistic",
        "totals",
        "totales",
        "kpi",
        "kpis",
        "dashboard",
        "figures",
        "cifras",
        "metrics",
        "metricas",
    ),
    "import": ("import", "importar", "upload", "cargar", "subir", "load"),
    "export": ("export", "exportar", "download", "descargar", "extract"),
    "help": ("help", "ayuda", "commands", "comandos", "usage", "manual", "ayudame"),
    "template": ("template", "templates", "plantilla", "plantillas", "tmpl"),
    "group": ("group", "groups", "grupo", "grupos", "category", "categories", "categoria", "categorias"),
    "setup": (
        "setup",
        "configuration",
        "configuracion",
        "settings",
        "ajustes",
        "config",
        "configurar",
        "set up",
    ),
    "change": ("change", "cambiar", "modify", "modificar", "assign", "asignar", "map", "set", "use", "usar"),
    "contact": (
        "contact",
        "contacts",
        "contacto",
        "contactos",
        "people",
        "person",
        "persona",
        "personas",
        "customer",
        "customers",
        "cliente",
        "clientes",
        "company",
        "companies",
        "empresa",
        "empresas",
        "lead",
        "leads",
    ),
    "segment": ("segment", "segments", "segmento", "segmentos", "mailing list", "mailing lists"),
    "logged": (
        "logged",
        "grabado",
        "grabados",
        "grabada",
        "grabadas",
        "registrados",
        "registradas",
        "sent",
        "enviados",
    ),
    "call": (
        "call",
        "calls",
        "called",
        "phone",
        "llamada",
        "llamadas",
        "llamar",
        "llame",
        "telefono",
        "telefonear",
        "rang",
        "phoned",
        "calling",
    ),
    "meeting": ("meeting", "meetings", "reunion", "reuniones", "met", "meet"),
    "email": ("email", "emails", "mail", "mails", "correo", "correos", "emailed"),
    "visit": ("visit", "visita", "visited", "visitas"),
    "letter": ("letter", "carta", "letters", "cartas"),
    "details": ("details", "detail", "detalle", "detalles", "informacion", "information"),
    "comment": (
        "comment",
        "comments",
        "comentario",
        "comentarios",
        "comentar",
        "note",
        "notes",
        "nota",
        "notas",
        "annotate",
        "remark",
    ),
    "show": (
        "show",
        "list",
        "view",
        "see",
        "display",
        "ver",
        "mostrar",
        "muestrame",
        "listar",
        "lista",
        "listado",
        "find",
        "search",
        "buscar",
        "lookup",
    ),
    "document": ("document", "documents", "documento", "documentos"),
    "attachment": ("attachment", "attachments", "adjunto", "adjuntos", "adjunto"),
}

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "for",
        "with",
        "of",
        "on",
        "in",
        "at",
        "by",
        "my",
        "me",
        "i",
        "please",
        "pls",
        "open",
        "get",
        "all",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "what",
        "which",
        "who",
        "can",
        "you",
        "do",
        "did",
        "we",
        "our",
        "us",
        "just",
        "some",
        "any",
        "as",
        "el",
        "la",
        "los",
        "las",
        "un",
        "una",
        "unos",
        "unas",
        "de",
        "del",
        "al",
        "con",
        "para",
        "por",
        "en",
        "y",
        "o",
        "mi",
        "mis",
        "todos",
        "todas",
        "que",
        "cual",
        "quiero",
        "hacer",
        "ese",
        "esa",
        "este",
        "esta",
        "lo",
        "le",
        "les",
        "su",
        "sus",
        "se",
        "ya",
        "had",
        "have",
        "has",
        "got",
        "want",
        "need",
        "would",
        "like",
        "could",
        "should",
        "will",
        "how",
    ]
)


@dataclass(frozen=True)
class Word:
    text: str
    """Folded: lowercase, no accents, abbreviation spelled out."""
    raw: str
    """As typed, case kept (codes such as PHONE, descriptions)."""
    start: int
    end: int


WORD = re.compile(r"[\w@.+-]*\w", re.UNICODE)
DOTTED = re.compile(r"\b(" + "|".join(DOTTED_ABBREVIATIONS) + r")\.", re.IGNORECASE)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def words(text: str) -> list[Word]:
    """The words of `text` with their positions; e-mail addresses and dates stay whole."""
    plain = re.sub(r"(?i)\be-mail", "email", _strip_accents(text))
    found: list[Word] = []
    for match in WORD.finditer(plain):
        raw = match.group().strip(".-+")
        if not raw:
            continue
        dotted = plain[match.end() : match.end() + 1] == "."
        folded = raw.casefold()
        if "@" not in folded and not any(ch.isdigit() for ch in folded):
            parts = re.findall(r"[a-z0-9]+", folded)
            if len(parts) > 1:
                offset = match.start()
                for part in re.finditer(r"[A-Za-z0-9]+", match.group()):
                    found.append(_word(part.group(), offset + part.start(), offset + part.end(), False))
                continue
        found.append(_word(raw, match.start(), match.start() + len(raw), dotted))
    return found


def _word(raw: str, start: int, end: int, dotted: bool) -> Word:
    folded = raw.casefold()
    if dotted and folded in DOTTED_ABBREVIATIONS:
        folded = DOTTED_ABBREVIATIONS[folded]
    else:
        folded = ABBREVIATIONS.get(folded, folded)
    return Word(text=folded, raw=raw, start=start, end=end)


def normalize(text: str) -> str:
    return " ".join(word.text for word in words(text))


SURFACE: dict[str, str] = {
    surface: concept for concept, surfaces in CONCEPTS.items() for surface in surfaces if " " not in surface
}


def concept(word: str) -> str:
    """The concept a known word stands for; unknown words stand for themselves (plural folded)."""
    if word in SURFACE:
        return SURFACE[word]
    for suffix in ("es", "s"):
        if len(word) > 4 and word.endswith(suffix) and word[: -len(suffix)] in SURFACE:
            return SURFACE[word[: -len(suffix)]]
    return word


def concepts(text: str) -> list[str]:
    return [concept(word.text) for word in words(text) if word.text not in STOPWORDS]
