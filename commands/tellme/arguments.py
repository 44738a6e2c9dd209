"""The arguments in a sentence: entry numbers, dates, a contact's name, a template, a segment, an
evaluation, a description. Read once per query; each action then takes the ones it accepts."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from commands import inputs
from commands.action import Action
from commands.tellme.criteria import SEGMENT_WORDS, read_criteria
from commands.tellme.dates import find_period
from commands.tellme.lexicon import OPENERS, QUESTION_WORDS, VERBS
from commands.tellme.normalize import DURATION_UNITS, STOPWORDS, SURFACE, Word, concept, fold
from commands.tellme.ranking import Ranker
from store.contact_search import ContactIndex, index_at, name_tokens
from store.enums import DocumentKind, Evaluation
from store.vocabulary import Codes, workspace_codes

MIN_CONTACT_SCORE = 75.0
TEMPLATE_KINDS = ("call", "meeting", "email", "visit", "letter")
RATED = {
    **dict.fromkeys(
        (
            "great",
            "genial",
            "excelente",
            "excellent",
            "maravilla",
            "amazing",
            "awesome",
            "fantastic",
            "brilliant",
            "superb",
            "perfect",
            "wonderful",
            "perfecto",
            "perfecta",
            "estupendo",
            "estupenda",
            "fenomenal",
            "increible",
            "barbaro",
            "buenisimo",
            "buenisima",
            "espectacular",
            "exito",
            "success",
            "exitosa",
            "exitoso",
        ),
        Evaluation.VERY_POSITIVE,
    ),
    **dict.fromkeys(
        (
            "terrible",
            "disaster",
            "desastre",
            "awful",
            "horrible",
            "dreadful",
            "nightmare",
            "pesadilla",
            "pesimo",
            "pesima",
            "malisimo",
            "malisima",
            "catastrofe",
            "fatal",
        ),
        Evaluation.VERY_NEGATIVE,
    ),
    **dict.fromkeys(
        ("fine", "bien", "bueno", "well", "nicely"),
        Evaluation.POSITIVE,
    ),
    **dict.fromkeys(
        (
            "mal",
            "malo",
            "badly",
            "poorly",
            "flojo",
            "floja",
            "disappointing",
            "decepcionante",
            "rough",
        ),
        Evaluation.NEGATIVE,
    ),
    **dict.fromkeys(
        (
            "happy",
            "satisfied",
            "satisfecho",
            "satisfecha",
            "contento",
            "contenta",
            "encantado",
            "encantada",
            "feliz",
            "felices",
            "pleased",
            "glad",
            "delighted",
        ),
        Evaluation.POSITIVE,
    ),
    **dict.fromkeys(
        ("unhappy", "upset", "angry", "annoyed", "enfadado", "enfadada", "enojado", "enojada", "molesto"),
        Evaluation.NEGATIVE,
    ),
    **dict.fromkeys(("meh", "regular", "average", "normalito", "normalita"), Evaluation.NEUTRAL),
}
"""How a sentence says how it went ("it went great"), beyond the evaluation's own words."""
OK = {"ok", "okay", "oki", "okey", "okis"}
OK_AFTER = {"todo", "all", "everything", "went", "was", "fue", "salio", "esta", "ta", "estuvo", "quedo"}
"""Before "ok", how it went ("todo ok", "it went ok"); "ok" alone only agrees."""
VERY = {"very", "muy", "re", "super", "really", "so", "bastante", "tan", "realmente", "total"}
THUMBS = {
    "thumbs": {"up": Evaluation.POSITIVE, "down": Evaluation.NEGATIVE},
    "thumb": {"up": Evaluation.POSITIVE, "down": Evaluation.NEGATIVE},
    "pulgar": {"arriba": Evaluation.POSITIVE, "abajo": Evaluation.NEGATIVE},
}
AFTER_VERY = {"total", "absoluto", "absoluta", "completo", "completa", "indeed"}
VERY_OF = {Evaluation.POSITIVE: Evaluation.VERY_POSITIVE, Evaluation.NEGATIVE: Evaluation.VERY_NEGATIVE}
DENIED = {
    Evaluation.VERY_POSITIVE: Evaluation.NEGATIVE,
    Evaluation.POSITIVE: Evaluation.NEGATIVE,
    Evaluation.NEGATIVE: Evaluation.NEUTRAL,
    Evaluation.VERY_NEGATIVE: Evaluation.NEUTRAL,
}
"""How it went, said with a "not" before ("not great", "no fue bien", "wasn't a disaster")."""
WENT = {
    "went",
    "was",
    "go",
    "going",
    "fue",
    "salio",
    "estuvo",
    "ha",
    "sido",
    "been",
    "a",
    "un",
    "una",
    "that",
}
"""Between a "not" and how it went: "didn't go well", "no salió bien", "wasn't a disaster"."""
ARTICLES = {"a", "un", "una", "that"}
FAILED = {
    "failed",
    "fallida",
    "fallido",
    "unsuccessful",
    "unanswered",
    "missed",
    "perdida",
    "nobody",
    "nadie",
    "voicemail",
    "buzon",
    "busy",
    "comunicaba",
    "ocupado",
    "unreachable",
    "ilocalizable",
    "bounced",
    "undelivered",
    "rebotado",
    "rebotada",
    "reboto",
    "devuelto",
    "devuelta",
}
UNANSWERED = ("contest", "respond", "answer", "atend", "cog", "pick", "reach", "pill", "got")
"""After a "no" ("no contestó", "didn't pick up", "no me cogió"): the attempt failed."""
NOT = {"no", "not", "didn", "didnt", "never", "nunca", "couldn", "couldnt", "wasn", "t", "nobody", "nadie"}
COMPANY_AT = {"at", "from", "of", "de", "del", "en", "@"}
"""Before a company in a new contact's name: "Jane Doe at Fabrikam", "Diego Castro, de Adatum"."""
CODE_WORDS = {"code", "codigo"}
CALLED = {"called", "named", "llamado", "llamada", "nombre", "name"}
"""... before a new code in capitals ("a template called LUNCH"); "called María" is a call."""
EMAIL_WORDS = {"email", "mail", "correo", "e"}
PHONE_WORDS = {"tel", "tlf", "phone", "telefono", "movil", "mobile", "cell", "celular", "cel"}
GROUP_WORDS = {"group", "grupo", "groups", "grupos"}
LABEL_ARTICLES = {"the", "a", "el", "un", "este", "this"}
"""Before the word "comment" that labels what follows ("añade a la 45 el comentario: ...")."""
SAYING = {"que", "diga", "saying", "says", "that", "reads", "text", "texto", "with"}
"""Before a comment's words: "a comment on 31 saying ...", "que diga ..."."""
CONTACT_TYPES = {"company": "company", "empresa": "company", "person": "person", "persona": "person"}
FORMATS = {"csv", "json"}
BY = {"by", "por", "per", "each", "cada"}
"""Before "template" or "group": what statistics are counted by ("stats per template")."""
ABOUT = {"about", "regarding", "sobre", "acerca", "concerning"}
NEXT = {"next", "coming", "proximo", "proxima", "próximo", "próxima"}
BEFORE_A_DUE_DATE = {"until", "till", "hasta", "by", "before", "de", "del", "on", "for", "para", "to", "al"}
"""Words a date is said after that are no part of it as a due date."""
HOURS = {"hour": 60, "hora": 60}
THROUGH = {"to", "through", "thru", "al", "hasta"}
"""Between two entry numbers, every one from the first to the last..."""
RANGE = 100
"""... of a range up to this long (longer, the two numbers only)."""
AT_A_TIME = {"a", "de", "desde", "hasta"}
"""Before "las" and a number up to 24, these make it a time of day ("a las 5"), not entries."""
AN = {"an", "a", "one", "una", "un"}
HALF = {"half", "media"}
KIND_WORDS = {
    "factura": "invoice",
    "facturas": "invoice",
    "invoices": "invoice",
    "oferta": "quote",
    "ofertas": "quote",
    "presupuesto": "quote",
    "presupuestos": "quote",
    "cotizacion": "quote",
    "cotizaciones": "quote",
    "quotes": "quote",
    "pedido": "order",
    "pedidos": "order",
    "orders": "order",
    "venta": "sales",
    "ventas": "sales",
    "sale": "sales",
    "compra": "purchase",
    "compras": "purchase",
    "purchases": "purchase",
    "abono": "credit",
    "llamadas": "call",
    "calls": "call",
    "salientes": "outgoing",
    "saliente": "outgoing",
    "correos": "emails",
    "email": "emails",
    "recordatorio": "reminder",
    "servicio": "service",
    "contrato": "contract",
}
CODE = re.compile(r"^[a-z]+[-_]?\d+$")
FIELD_WORDS = {"number", "address", "numero", "direccion"}
"""After (or, in Spanish, before) "phone" or "e-mail", these make it a contact's field, not an interaction."""
ASKING = {"what", "cual", "que"}
DOING = {"log", "send", "create", "add", "talk", "call", "visit", "meeting", "letter", "logged"}
"""Said in a sentence, a verb of these makes "the e-mail of ..." one sent or received, not an address."""
BEING = {"is", "es"}
NEW_CODE = re.compile(r"^[A-Z][A-Z0-9_-]{1,19}$")


@dataclass
class Arguments:
    values: dict[str, Any] = field(default_factory=dict)
    used: dict[str, frozenset[str]] = field(default_factory=dict)
    """Per argument, the query words it took, so ranking does not count them against an action."""
    numbers: list[int] = field(default_factory=list)
    segment_no: int | None = None
    task_numbered: bool = False
    """The number follows "task" ("la tarea 3"): a task's number, no entry's."""
    after_first_number: str = ""
    after_positions: list[int] = field(default_factory=list)
    described_after: str = ""
    """Of the words after the first number, those no other argument read ("resume 20 as a call, 10
    minutes, about the renewal"): an interaction's description."""
    tail: frozenset[str] = frozenset()
    """The words after the first number: a comment's text, for actions that take one."""
    hidden: dict[str, frozenset[str]] = field(default_factory=dict)
    """Per argument, words that do not mean here what they usually do ("e-mail" in "Kim's e-mail" is no
    interaction): they count only for the actions that take that argument."""
    leftover: str = ""
    contacts: list[str] = field(default_factory=list)
    sought: bool = False
    """The words left for a name are written as a name, after a verb ("search for Mueller", "add Olivia
    Brown"), and not after "to" or "a" (a place: "vuelos a Roma"): a name to search for or to give; not
    in a command's own place (`contact Zebedee Quux` is the contact asked for, and nobody's)."""
    contact_words: str = ""
    """The words that named the contact, as typed: what a search for contacts looks for."""
    """Every contact named, in order (to add several to a segment)."""

    def take(self, name: str, value: Any, found: list[Word]) -> None:
        self.values[name] = value
        self.used[name] = self.used.get(name, frozenset()) | {word.text for word in found}

    def forget(self, name: str) -> None:
        """An argument read into another (a period into segment criteria) means only that one."""
        self.values.pop(name, None)
        self.used.pop(name, None)

    def evidence(self) -> list[tuple[str, ...]]:
        """Per argument found, the argument names an action must take to make use of it."""
        found: list[tuple[str, ...]] = []
        if self.numbers or self.segment_no is not None:
            found.append(
                ("segment_no", "segment")
                if self.segment_no is not None
                else ("task_no",)
                if self.task_numbered
                else ("entry_nos", "entry_no", "segment", "task_no", "entry")
            )
        for names in (
            ("contact", "contacts"),
            ("from", "to", "date", "due", "until"),
            ("template",),
            ("segment",),
            ("evaluation",),
            ("document_kind",),
            ("field",),
            ("criteria",),
            ("failed",),
        ):
            name = names[0] if names[0] in self.values else "to" if names[0] == "from" else ""
            if name not in self.values:
                continue
            if name in ("from", "to") and self.values.get("from") != self.values.get("to"):
                names = ("from", "to")  # a period, or since or until a day: not one date
            in_text = self.tail and self.used.get(name, frozenset()) <= self.tail
            found.append((*names, "text") if in_text else names)
        if proper_name(self.values.get("name")) and ("email" in self.values or "phone" in self.values):
            found.append(("name", "email", "phone"))  # "add Raj Patel, raj@example.org": a new contact
        elif self.sought:
            found.append(("name", "text"))  # "search for Mueller", "add Olivia Brown": a name, no contact's
        return found

    def for_action(self, action: Action) -> dict[str, Any]:
        """The arguments this action takes, each chosen by its kind."""
        chosen: dict[str, Any] = {}
        places = action.placeholders()
        for arg in action.args:
            name, kind = arg.name, arg.kind
            if kind in (inputs.ENTRY_NOS, inputs.ENTRY_NO) and self.task_numbered:
                continue  # "la tarea 3": no entry of that number
            if kind is inputs.ENTRY_NOS and self.numbers:
                chosen[name] = list(self.numbers)
            elif kind is inputs.ENTRY_NO and self.numbers:
                chosen[name] = self.numbers[0]
            elif (
                isinstance(kind, inputs.Number)
                and kind is not inputs.LOGGED_SEGMENT_NO
                and arg.required
                and self.numbers
                and name not in self.values
            ):
                chosen[name] = self.numbers[0]  # "mark task 3 as done", "la tarea 4"
            elif kind is inputs.LOGGED_SEGMENT_NO:
                number = self.segment_no if self.segment_no is not None else next(iter(self.numbers), None)
                if number is not None:
                    chosen[name] = number
            elif kind is inputs.DATE and name == "date" and "from" in self.values:
                if self.values["from"] == self.values.get("to"):
                    chosen[name] = self.values["from"]
            elif kind is inputs.WHEN and name != "due" and "due" in self.values:
                chosen[name] = self.values["due"]  # "snooze task 4 to friday": until then
            elif kind is inputs.CONTACTS and self.contacts:
                chosen[name] = list(self.contacts)
            elif kind is inputs.CONTACT_TYPE and "contact_type" in self.values:
                chosen[name] = self.values["contact_type"]
            elif (
                _follows_a_number(action, places, name)
                and self.after_first_number
                and kind is not inputs.DESCRIPTION
            ):
                chosen[name] = self.after_first_number  # a comment, as typed
            elif _follows_a_number(action, places, name) and self.described_after and name not in self.values:
                chosen[name] = self.described_after
            elif name == "text" and self.contact_words and not {"contact", "entry_no"} & places_of(action):
                chosen[name] = self.contact_words
            elif name in ("text", "name") and name not in self.values and self.leftover:
                chosen[name] = self.leftover
            elif name in self.values and not (
                kind is inputs.TEXT and _follows_a_number(action, places, name)
            ):
                chosen[name] = self.values[name]
        return chosen


def proper_name(name: Any) -> bool:
    """Written as names are, each word capitalised ("Raj Patel"), not words Tell Me does not know."""
    return isinstance(name, str) and bool(name.split()) and all(part[:1].isupper() for part in name.split())


def places_of(action: Action) -> set[str]:
    return set(action.arg_by_name)


def _follows_a_number(action: Action, places: list[str], name: str) -> bool:
    """A text placed after an entry number (`comment <no> <text>`) is what the sentence says after it."""
    at = places.index(name) if name in places else 0
    return at > 0 and action.arg_by_name[places[at - 1]].kind is inputs.ENTRY_NO


def read_arguments(
    found: list[Word], ranker: Ranker, today: date, session: Session | None, team_id: str | None
) -> Arguments:
    args = Arguments()
    free = list(range(len(found)))

    def claim(name: str, value: Any, positions: list[int]) -> None:
        args.take(name, value, [found[i] for i in positions])
        for i in positions:
            if i in free:
                free.remove(i)

    _about(found, args, claim)
    period = find_period(found, today)
    if period:
        if period.first:
            claim("from", period.first.isoformat(), sorted(period.used))
        if period.last:
            claim("to", period.last.isoformat(), sorted(period.used))
        _due(found, period.used, claim)
    _phone(found, free, claim)
    _cost(found, free, args, claim)
    _numbers(found, free, args, claim)
    _evaluation(found, free, args, claim)
    _field(found, free, args, claim)
    for i in list(free):
        meaning = concept(found[i].text)
        said_no = any(found[j].text in NOT for j in range(max(0, i - 3), i))
        as_typed = fold(found[i].raw)  # "nobody picks up": the expression read as "resume" is no resuming
        if found[i].text in FAILED or (said_no and as_typed.startswith(UNANSWERED)):
            if meaning in TEMPLATE_KINDS:  # "left a voicemail": a call that failed, its kind still said
                args.take("failed", True, [found[i]])
            else:
                claim("failed", True, [i])
                args.hidden["failed"] = frozenset({found[i].text})
        elif found[i].text in FORMATS:
            claim("format", found[i].text, [i])
        elif meaning in ("template", "group") and i > 0 and found[i - 1].text in BY:
            claim("by", meaning, [i - 1, i])
        elif meaning == "canceled":
            args.take("canceled", "yes", [found[i]])
        elif typed := [w for w in fold(found[i].raw).split() if w in CONTACT_TYPES]:
            # The word still says "contact" (as "company record" does, read as one).
            args.values["contact_type"] = CONTACT_TYPES[typed[0]]
    if session is not None and team_id is not None:
        codes = workspace_codes(session, team_id)
        _code_to_create(found, free, claim)  # "create template WEBINAR": its code, even one taken already
        _segment(found, free, codes.segments, claim)
        for name in read_criteria(found, free, args.values, period, session, team_id, claim):
            args.forget(name)
        _group(found, free, codes.groups, claim)  # "the MEET group" is no meeting
        _template(found, free, ranker, codes.templates, claim)
        _new_code(found, free, codes, args, claim)  # "new segment NEWS2 Newsletter": no known segment
    _language(found, free, claim)  # after the criteria: "the Spanish companies" are in Spain
    _document_kind(found, free, claim)
    _described(found, free, args, claim)
    index = None
    if session is not None and team_id is not None:
        index = index_at(session, team_id, codes.contacts_version)  # one version for the whole sentence
    _contact(found, free, ranker, index, args, claim)
    _located(found, free, args, claim)
    _number_of(found, free, args, claim)
    left = [i for i in args.after_positions if i in free]
    while left and (found[left[0]].text in STOPWORDS or found[left[0]].text in SAYING):
        left.pop(0)
    while left and found[left[-1]].text in STOPWORDS:
        left.pop()
    args.described_after = " ".join(found[i].raw for i in left)
    return args


CURRENCY = {
    "euro",
    "euros",
    "eur",
    "dollar",
    "dollars",
    "dolar",
    "dolares",
    "usd",
    "pound",
    "pounds",
    "libras",
}
COST_WORDS = {
    "cost",
    "costs",
    "costed",
    "coste",
    "costo",
    "costaron",
    "cuesta",
    "costar",
    "spent",
    "gastamos",
}
"""Before an amount ("cost 5 euros", "costó 30"), or after it ("30 euros", "$15", "40€"): what it cost."""


def _cost(found: list[Word], free: list[int], args: Arguments, claim: Any) -> None:
    for i in list(free):
        text = found[i].text
        symbol = text[:1] in "€$£" or text[-1:] in "€$£"
        amount = text.strip("€$£")
        if not amount.replace(".", "", 1).isdigit():
            continue
        following = found[i + 1].text if i + 1 < len(found) else ""
        previous = found[i - 1].text if i else ""
        said = [i]
        if following in CURRENCY:
            said.append(i + 1)
        if previous in COST_WORDS or concept(previous) in COST_WORDS:
            said.insert(0, i - 1)
        if symbol or len(said) > 1:
            claim("cost", Decimal(amount), said)
            args.hidden["cost"] = frozenset(found[j].text for j in said)  # no statistic of costs
            return


LANGUAGES = {
    **dict.fromkeys(("english", "ingles"), "EN"),
    **dict.fromkeys(("spanish", "espanol", "castellano"), "ES"),
    **dict.fromkeys(("german", "aleman"), "DE"),
    **dict.fromkeys(("french", "frances"), "FR"),
    **dict.fromkeys(("portuguese", "portugues"), "PT"),
    **dict.fromkeys(("italian", "italiano"), "IT"),
    **dict.fromkeys(("dutch", "holandes", "neerlandes"), "NL"),
}
"""A language said by name ("the Spanish file", "en inglés"): its code, as templates' documents and
contacts are kept by."""


def _language(found: list[Word], free: list[int], claim: Any) -> None:
    for i in free:
        code = LANGUAGES.get(found[i].text)
        if code is not None:
            claim("language", code, [i])
            return


def _phone(found: list[Word], free: list[int], claim: Any) -> None:
    """A phone number after "tel", "phone", "teléfono": its digits, groups and all ("55 1234 5678")."""
    for i, word in enumerate(found[:-1]):
        if word.text in PHONE_WORDS:
            digits = []
            for j in range(i + 1, len(found)):
                if not found[j].text.lstrip("+").replace("-", "").isdigit():
                    break
                digits.append(j)
            if digits:
                claim("phone", " ".join(found[j].raw for j in digits), [i, *digits])
                return


def _numbers(found: list[Word], free: list[int], args: Arguments, claim: Any) -> None:
    """Entry (or logged segment) numbers, and a duration ("15 min", "an hour", "media hora"); the words
    after the first number are what a comment says."""
    for i, word in enumerate(found):
        if word.text in HOURS and i > 0 and found[i - 1].text in AN | HALF and i in free:
            half = found[i - 1].text in HALF or (i > 1 and found[i - 2].text in HALF)
            start = i - 2 if i > 1 and found[i - 2].text in HALF else i - 1
            claim("duration", HOURS[word.text] // (2 if half else 1), list(range(start, i + 1)))
    for i, word in enumerate(found):
        if i not in free or not word.text.isdigit() or len(word.text) > 7:
            continue
        following = found[i + 1].text if i + 1 < len(found) else ""
        if following in DURATION_UNITS:
            minutes = int(word.text) * (60 if following.startswith("h") else 1)
            claim("duration", minutes, [i, i + 1])
            continue
        previous = found[i - 1].text if i else ""
        before = found[i - 2].text if i > 1 else ""
        if int(word.text) <= 24 and (previous == "at" or (previous == "las" and before in AT_A_TIME)):
            free.remove(i)  # "a las 5", "de las 5", "at 5": a time of day; "las 4 y 5" are entries
            continue
        if previous in SEGMENT_WORDS or (previous in {"logged", "grabado"} and args.segment_no is None):
            args.segment_no = int(word.text)
        elif concept(previous) == "task" and not args.numbers:
            args.task_numbered = True
            args.numbers.append(int(word.text))
        elif previous in THROUGH and before.isdigit() and args.numbers and args.numbers[-1] == int(before):
            # "entries 30 to 33", "del 30 al 33": every number between
            first, last = args.numbers[-1], int(word.text)
            if first < last <= first + RANGE:
                args.numbers.extend(range(first + 1, last + 1))
            else:
                args.numbers.append(last)
        else:
            args.numbers.append(int(word.text))
        if not args.after_first_number and i + 1 < len(found):
            rest = found[i + 1 :]
            while rest and rest[0].text in SAYING:  # "a comment on 31 saying ...", "que diga ..."
                rest = rest[1:]
            labelled = len(rest) > 1 and rest[0].text in LABEL_ARTICLES and concept(rest[1].text) == "comment"
            rest = rest[2:] if labelled else rest[1:] if rest and concept(rest[0].text) == "comment" else rest
            args.after_positions = list(range(len(found) - len(rest), len(found)))
            if rest:
                args.after_first_number = " ".join(w.raw for w in rest)
                args.take("text", args.after_first_number, found[i + 1 :])
                args.tail = frozenset(w.text for w in found[i + 1 :])
        free.remove(i)


def _due(found: list[Word], used: frozenset[int], claim: Any) -> None:
    """The same words as a due date, read forward when the task's action reads them ("next tuesday",
    "el lunes": the period above reads a bare weekday as the last one)."""
    at = sorted(used)
    if at[0] > 0 and found[at[0] - 1].text in NEXT:
        at.insert(0, at[0] - 1)
    said = [i for i in at]
    while len(said) > 1 and found[said[0]].text in BEFORE_A_DUE_DATE:  # "until monday", "de hoy"
        said.pop(0)
    parts = [found[i].text for i in said]
    if parts[-2:] == ["la", "manana"] and "manana" not in parts[:-2]:
        claim("due", "today", at)  # "por la mañana": this morning ("mañana por la mañana": tomorrow's)
        return
    claim("due", " ".join(found[i].raw for i in said), at)


def _about(found: list[Word], args: Arguments, claim: Any) -> None:
    for i, word in enumerate(found):
        if word.text in ABOUT and i + 1 < len(found):
            claim("description", " ".join(w.raw for w in found[i + 1 :]), list(range(i, len(found))))
            return


def _rated(text: str) -> Evaluation | None:
    """A rating word in any of its Spanish forms ("contentos", "encantadas" of "contento", "encantada")."""
    if text in RATED:
        return RATED[text]
    if len(text) > 4 and text.endswith(("os", "as")):
        return RATED.get(text[:-1])
    return None


def _evaluation(found: list[Word], free: list[int], args: Arguments, claim: Any) -> None:
    """How it went, by the evaluation's own words (misspelt too), the words sentences rate with ("it went
    great", "fue un desastre") and "very" or "re" before them; "so-so" is neutral."""
    for i in list(free):
        text = found[i].text
        if text == "so" and i + 1 < len(found) and found[i + 1].text == "so":
            claim("evaluation", Evaluation.NEUTRAL.value, [i, i + 1])
            return
        if text in THUMBS and i + 1 < len(found) and found[i + 1].text in THUMBS[text]:
            claim("evaluation", THUMBS[text][found[i + 1].text].value, [i, i + 1])  # "thumbs up"
            return
        if text in OK and i > 0 and found[i - 1].text in OK_AFTER:
            claim("evaluation", Evaluation.POSITIVE.value, [i - 1, i])  # "todo ok", "it went ok"
            args.hidden["evaluation"] = frozenset({found[i - 1].text, text})
            return
        value = inputs.EVALUATION.words.get(text) or _rated(text) or _misspelt_rating(text)
        if value is None:
            continue
        stronger = VERY_OF.get(value)
        start = i
        if stronger is not None and i > 0 and found[i - 1].text in VERY:
            value, start = stronger, i - 1
        said = start
        while said > 0 and start - said < 2 and found[said - 1].text in WENT - ARTICLES and said - 1 in free:
            said -= 1  # "went badly", "salió muy bien": how it went, said with it
        end = i + 1
        if end < len(found) and found[end].text in AFTER_VERY:
            value, end = stronger or value, end + 1  # "un desastre total", "un éxito absoluto"
        if _denied(found, start):
            value = DENIED[value]
        claim("evaluation", value.value, list(range(said, end)))
        # To an action that takes no evaluation these words say nothing ("un desastre total" is no total).
        args.hidden["evaluation"] = frozenset(found[j].text for j in range(said, end))
        return


def _denied(found: list[Word], at: int) -> bool:
    """Whether a "not" comes before how it went, with only "went", "was" or "very" between."""
    j = at - 1
    while j >= 0 and (found[j].text in WENT or found[j].text in VERY) and at - j <= 3:
        j -= 1
    return j >= 0 and found[j].text in NOT - {"nobody", "nadie"}


RATINGS = {word: value for word, value in {**inputs.EVALUATION.words, **RATED}.items() if len(word) >= 6}


def _misspelt_rating(text: str) -> Evaluation | None:
    """A slip of a rating word, unless the word is one Tell Me knows otherwise ("contestó" is no
    "contento")."""
    if len(text) < 6 or text in STOPWORDS or text.startswith(UNANSWERED) or concept(text) != text:
        return None
    found = process.extractOne(text, list(RATINGS), scorer=fuzz.ratio, score_cutoff=80)
    return RATINGS[found[0]] if found else None


BY_MEDIUM = {"by", "via", "por", "through"}


def _template(
    found: list[Word], free: list[int], ranker: Ranker, rows: list[tuple[str, str]], claim: Any
) -> None:
    """A code typed in capitals ("INVOICE") is the surest sign; then a kind of interaction said as a
    verb or noun ("called", "llamada", "presupuesto") that a template's code or description names; then
    a code in lower case."""
    if not rows:
        return
    # "email mia@wong.example": the word labels the address that follows, it is no kind of interaction.
    free = [i for i in free if not (i + 1 < len(found) and "@" in found[i + 1].text)]
    by_code = {code.casefold(): code for code, _ in rows}
    for i in free:
        if found[i].raw.isupper() and found[i].text in by_code:
            claim("template", by_code[found[i].text], [i])
            return
    kinds = {}
    for code, description in rows:
        for word in f"{code} {description}".casefold().replace("-", " ").split():
            kinds.setdefault(concept(word), code)
            kinds.setdefault(word, code)
    about = [i for i, word in enumerate(found) if concept(word.text) == "template"]
    if about:
        # A sentence about templates ("a template for video calls") names one by its code, or by a kind
        # said right with the word: "the visit template", "la plantilla de visitas" (not a new one's).
        new = any(concept(word.text) in ("add", "create") for word in found)
        beside = {i - 1 for i in about} | {
            i + 2 for i in about if i + 1 < len(found) and found[i + 1].text in ("de", "of")
        }
        free = [i for i in free if i in beside and not new]
    # The medium a thing went by is the kind of interaction: "mandé el presupuesto por correo" is an
    # e-mail (the quote is what it carried).
    free = sorted(free, key=lambda i: not (i > 0 and found[i - 1].text in BY_MEDIUM))
    for i in free:
        if found[i].text in STOPWORDS or _named(found, i):
            continue
        meanings = ranker.resolve(found[i].text)
        for kind in TEMPLATE_KINDS:
            if meanings.get(kind, 0.0) >= 80.0 and kind in kinds:
                claim("template", kinds[kind], [i])
                return
        said = KIND_WORDS.get(found[i].text)
        if said in kinds and said not in ("sales", "purchase", "emails", "call"):
            claim("template", kinds[said], [i])
            return
    for i in free:
        if found[i].text in by_code:
            claim("template", by_code[found[i].text], [i])
            return


def _a_field(found: list[Word], i: int) -> bool:
    """Whether "phone", "e-mail" (or "address") names a contact's field here rather than a kind of
    interaction: "Kim's e-mail", "phone number", "número de teléfono", "qué teléfono tiene", "what is the
    e-mail of", "cuál es el correo de"."""
    if i + 1 < len(found) and found[i + 1].text in FIELD_WORDS:
        return True
    following = found[i + 1].text if i + 1 < len(found) else ""
    if found[i].text in ("address", "direccion") and following != "book":  # no kind of interaction
        return True
    if following in ("of", "de", "for", "para") and not any(
        concept(w.text) in DOING for j, w in enumerate(found) if j != i
    ):
        return True  # "email of Laura", "¿el correo de Jürgen?": no verb makes it one sent
    before = found[max(0, i - 3) : i]
    if before and (before[-1].possessive or before[-1].text in FIELD_WORDS | {"que", "cual"}):
        return True
    if len(before) >= 2 and before[-1].text == "de" and before[-2].text in FIELD_WORDS:
        return True
    asks = any(w.text in ASKING for w in before)
    return asks and any(w.text in BEING or (w.text == "what" and w.possessive) for w in before)


def _field(found: list[Word], free: list[int], args: Arguments, claim: Any) -> None:
    """The contact's field a question asks for, with the word that makes it one ("number")."""
    for i in list(free):
        field = inputs.CONTACT_FIELD.words.get(found[i].text)
        if field is None or not _a_field(found, i):
            continue
        near = [j for j in (i - 1, i + 1) if j in free and found[j].text in FIELD_WORDS]
        claim("field", field.value, [i, *near])
        args.hidden["field"] = frozenset(found[j].text for j in (i, *near))
        return


NUMBER_WORDS = {"number", "numero", "num"}
OF = {"of", "de", "del", "for"}


def _number_of(found: list[Word], free: list[int], args: Arguments, claim: Any) -> None:
    """ "el número de María García", "the number of Peter Jones": a contact's number is its phone (read once
    the contact is; "número de interacciones de Contoso" counts them)."""
    if "contact" not in args.values or "field" in args.values:
        return
    named = args.used.get("contact", frozenset())
    for i in free:
        if found[i].text in NUMBER_WORDS and i + 2 < len(found) and found[i + 1].text in OF:
            if found[i + 2].text in named:
                claim("field", "phone", [i, i + 1])
                args.hidden["field"] = frozenset({found[i].text})
            return


WHERE = {"where", "donde"}
LOCATED = {
    "is",
    "are",
    "esta",
    "queda",
    "quedan",
    "estan",
    "located",
    "based",
    "situated",
    "ubicado",
    "ubicada",
}
"""After "where" (or "¿dónde ...?"): asked where a contact is, its address ("where is Adatum based?")."""


def _located(found: list[Word], free: list[int], args: Arguments, claim: Any) -> None:
    """ "Where is Adatum?", "¿dónde queda Contoso?": a contact's address (read once the contact is)."""
    if "contact" not in args.values or "field" in args.values:
        return
    for i in free:
        asked_where = found[i].text in WHERE and i + 1 < len(found)
        if asked_where and any(found[j].text in LOCATED for j in range(i + 1, min(i + 4, len(found)))):
            if found[i + 1].text in LOCATED and found[i + 1].text in args.used.get("template", ()):
                args.forget("template")  # "¿dónde queda ...?" is no "quedada"
                free.append(i + 1)
            asked = LOCATED | WHERE
            said = [j for j in range(i, len(found)) if j in free and found[j].text in asked]
            claim("field", "address", said)
            args.hidden["field"] = frozenset(found[j].text for j in said)
            return


def _group(found: list[Word], free: list[int], rows: list[tuple[str, str]], claim: Any) -> None:
    """A group by its code: in capitals, or after "group"/"grupo" ("stats for the SALES group")."""
    by_code = {code.casefold(): code for code, _ in rows}
    for i in free:
        near = {found[j].text for j in (i - 1, i + 1) if 0 <= j < len(found)}
        if found[i].text in by_code and (found[i].raw.isupper() or near & GROUP_WORDS):
            said = [j for j in (i - 1, i + 1) if 0 <= j < len(found) and found[j].text in GROUP_WORDS]
            claim("group", by_code[found[i].text], [i, *said[:1]])  # "group MEET" says the group
            return


GLOSSARY = (
    "account cuenta",
    "accounts cuentas",
    "key clave",
    "customer cliente",
    "customers clientes",
    "client cliente",
    "clients clientes",
    "fair feria",
    "fairs ferias",
    "event evento",
    "events eventos",
    "campaign campana",
    "newsletter boletin",
    "mailing envio",
    "spring primavera",
    "summer verano",
    "autumn otono",
    "fall otono",
    "winter invierno",
    "christmas navidad",
    "price precio",
    "prices precios",
    "partner socio",
    "partners socios",
    "supplier proveedor",
    "suppliers proveedores",
    "new nuevo",
    "old antiguo",
    "lost perdido",
    "lost perdidos",
    "prospects potenciales",
    "launch lanzamiento",
    "product producto",
    "products productos",
    "invitation invitacion",
    "invitations invitaciones",
    "survey encuesta",
    "training formacion",
    "webinar seminario",
)
"""Words of a workspace's own descriptions (segments') in the other language: "el segmento de cuentas
clave" is Key accounts."""
TRANSLATED: dict[str, tuple[str, ...]] = {}
for pair in GLOSSARY:
    english, spanish = pair.split()
    TRANSLATED[english] = (*TRANSLATED.get(english, ()), spanish)
    TRANSLATED[spanish] = (*TRANSLATED.get(spanish, ()), english)


def _segment(found: list[Word], free: list[int], rows: list[tuple[str, str]], claim: Any) -> None:
    by_no = {no.casefold(): no for no, _ in rows}
    for i in free:
        if found[i].text in by_no:
            claim("segment", by_no[found[i].text], [i])
            return
    wanted = {found[i].text: i for i in free if found[i].text not in STOPWORDS and len(found[i].text) > 2}
    said_segment = any(concept(word.text) == "segment" for word in found)
    best: tuple[int, str, list[int]] | None = None
    for no, description in rows:
        words = {w for w in fold(description).split() if w not in STOPWORDS and len(w) > 2}
        hits = []
        for word in words:
            said = next((w for w in (word, *TRANSLATED.get(word, ())) if w in wanted), None)
            if said is not None:
                hits.append(wanted[said])
            elif len(word) >= 5:  # "newsleter", "trade fiar"
                close = process.extractOne(word, list(wanted), scorer=fuzz.ratio, score_cutoff=80)
                if close:
                    hits.append(wanted[close[0]])
        distinctive = len(hits) == 1 and len(found[hits[0]].text) >= 6 and said_segment
        if (
            hits
            and (len(hits) >= min(2, len(words)) or distinctive)
            and (best is None or len(hits) > best[0])
        ):
            best = (len(hits), no, hits)
    if best is not None:
        claim("segment", best[1], best[2])


def _new_code(found: list[Word], free: list[int], codes: Codes, args: Arguments, claim: Any) -> None:
    """The code of something new (a group, template or segment to create): a word in capitals that is
    no known code ("create group EVENTS Trade events"), or the word after "code"/"llamado"; what follows
    it, up to "in group ...", describes it."""
    if "code" in args.values:
        return
    known = {code.casefold() for rows in (codes.templates, codes.groups, codes.segments) for code, _ in rows}
    for i in list(free):
        word = found[i]
        capitals = bool(NEW_CODE.match(word.raw)) and not word.raw.isdigit()
        before = found[i - 1].text if i else ""
        after_called = (before in CODE_WORDS and word.text not in STOPWORDS) or (
            before in CALLED and capitals
        )
        if word.text in known or not (capitals or after_called or CODE.match(word.text)):
            continue
        lower_code = CODE.match(word.text) and not capitals and not after_called
        if lower_code and not any(concept(w.text) == "segment" for w in found):
            continue  # "creat segmnet sm00005" is a new segment's code; "ct000123" is not
        taken = [i - 1, i] if after_called else [i]
        claim("code", word.raw.upper(), taken)
        # What follows the new code describes it, whatever else its words may name (the "Newsletter" of
        # a segment, the year in "Newsletter 2026"); "called ..." names it.
        _describe_after(found, i + 1, claim)
        return


BETWEEN_CREATE_AND_THING = {"a", "an", "the", "un", "una", "el", "la", "new", "nuevo", "nueva", "interaction"}
BETWEEN_CREATE_AND_THING |= {"interaccion", "de"}


def _code_to_create(found: list[Word], free: list[int], claim: Any) -> None:
    """A code in capitals right after "create"/"new" and the thing it names ("create template WEBINAR",
    "nuevo grupo EVENTOS"): the code to create, though one exists already (the command then says so),
    not the existing thing to act on."""
    for i, word in enumerate(found[:-1]):
        if concept(word.text) != "create":
            continue
        j = i + 1
        while j < len(found) and (
            found[j].text in BETWEEN_CREATE_AND_THING or concept(found[j].text) == "create"
        ):
            j += 1
        if j + 1 >= len(found) or concept(found[j].text) not in NEW_THINGS:
            continue
        code = found[j + 1]
        if j + 1 in free and NEW_CODE.match(code.raw) and not code.raw.isdigit() and len(code.raw) >= 2:
            claim("code", code.raw.upper(), [j + 1])
            _describe_after(found, j + 2, claim)
        return


def _describe_after(found: list[Word], start: int, claim: Any) -> None:
    """What follows a new code describes it, up to "in group ..."."""
    while start < len(found) and found[start].text in CALLED:
        start += 1
    rest = []
    for j in range(start, len(found)):
        if found[j].text in GROUP_WORDS or found[j].text in ("in", "en"):
            break
        rest.append(j)
    if rest:
        claim("description", " ".join(found[j].raw for j in rest), rest)


NEW_THINGS = {"template", "segment", "group"}
FOR = {"for", "de", "para", "of", "about", "sobre"}


DESCRIBED_ARTICLES = {"the", "a", "an", "our", "el", "la", "los", "las", "un", "una", "nuestra", "nuestro"}


def _described(found: list[Word], free: list[int], args: Arguments, claim: Any) -> None:
    """What a new template, segment or group is for describes it ("a new template for video calls",
    "un segmento nuevo para la feria"): those words ask for no action of their own, so only the actions
    that create something with a code see them."""
    if "description" in args.values or not any(concept(word.text) in ("add", "create") for word in found):
        return
    for i, word in enumerate(found[:-2]):
        if concept(word.text) in NEW_THINGS and found[i + 1].text in FOR and i + 1 in free:
            rest = [j for j in range(i + 2, len(found)) if j in free and found[j].text not in OPENERS]
            while len(rest) > 1 and found[rest[0]].text in DESCRIBED_ARTICLES:
                rest.pop(0)  # "for the Christmas campaign", "para la feria": the campaign, the fair
            if rest:
                claim("description", " ".join(found[j].raw for j in rest), [i + 1, *rest])
                args.hidden["code"] = frozenset(found[j].text for j in rest)
            return


def _named(found: list[Word], i: int) -> bool:
    """Typed like a name: capitalized, not in capitals, not opening the sentence, and no word Tell Me
    knows as it is ("Emily", "Lucía"; not "Llamadas", though "Emily" has the stem of "emilio")."""
    raw, text = found[i].raw, found[i].text
    known = text in SURFACE or (text.endswith("s") and text[:-1] in SURFACE)
    return i > 0 and raw[:1].isupper() and not raw.isupper() and not known


KIND_PARTS = {part for kind in DocumentKind for part in kind.value.split("-")}


def _kind_word(word: str) -> str:
    if word in KIND_PARTS:
        return word
    return KIND_WORDS.get(word, word.rstrip("s"))


def _document_kind(found: list[Word], free: list[int], claim: Any) -> None:
    said = {_kind_word(found[i].text): i for i in free}
    best: tuple[int, str, list[int]] | None = None
    for kind in DocumentKind:
        parts = kind.value.split("-")
        if all(part in said for part in parts) and (best is None or len(parts) > best[0]):
            best = (len(parts), kind.value, [said[part] for part in parts])
    if best is not None and best[0] >= 2:
        claim("document_kind", best[1], best[2])


def _contact(
    found: list[Word],
    free: list[int],
    ranker: Ranker,
    index: ContactIndex | None,
    args: Arguments,
    claim: Any,
) -> None:
    """Contacts named anywhere in the sentence: by number or e-mail address; else by the runs of words
    that are no action's (see store.contact_search.ContactIndex.spot: a whole name first, then words of
    names, then a misspelt name). Several that fit equally are named by the words typed, for the
    command to ask which one. A contact after "at", "from" or "de" is also a new contact's company; the
    words left are a new contact's name or a search."""
    names = [
        i
        for i in free
        if found[i].text not in STOPWORDS
        and not found[i].text.isdigit()
        and (found[i].text not in QUESTION_WORDS or _named(found, i))  # "¿dónde ...?" names nobody
        and (CODE.match(found[i].text) or _named(found, i) or not _is_action_word(ranker, found[i]))
    ]
    if not names:
        return
    spotted: list[tuple[int, int]] = []
    if index is not None:
        for i in names:  # a contact number or an e-mail address settles it
            if CODE.match(found[i].text) or "@" in found[i].text:
                exact = index.search(found[i].raw, 1) if found[i].raw.strip() else []
                if exact and exact[0].score == 100.0:
                    claim("contact", exact[0].no, [i])
                    args.contacts.append(exact[0].no)
                    spotted.append((i, i + 1))
                elif "@" in found[i].text:  # nobody's yet: a new contact's address, and its label
                    label = [i - 1] if i > 0 and found[i - 1].text in EMAIL_WORDS else []
                    claim("email", found[i].raw, [*label, i])
                    args.hidden["email"] = frozenset(found[j].text for j in label)
        for run in _runs([i for i in names if i in free]):
            while run:
                tokens = ["".join(name_tokens(found[i].raw)) for i in run]
                capitalized = [_named(found, i) for i in run]
                seen = index.spot(tokens, capitalized) if tokens else None
                if seen is None:
                    break
                at = run[seen.start : seen.end]
                if len(seen.nos) == 1:
                    at = _whole_name(found, free, at, index, seen.nos[0])
                value = seen.nos[0] if len(seen.nos) == 1 else " ".join(found[i].raw for i in at)
                if "contact" not in args.values:
                    claim("contact", value, at)
                    args.contact_words = " ".join(found[i].raw for i in at)
                else:
                    args.take("contact", args.values["contact"], [found[i] for i in at])
                    for i in at:
                        free.remove(i)
                args.contacts.append(value)
                if at[0] > 0 and found[at[0] - 1].text in COMPANY_AT:
                    args.values.setdefault("company", value)
                    spotted.append((at[0] - 1, at[-1] + 1))
                else:
                    spotted.append((at[0], at[-1] + 1))
                run = run[seen.end :]
    taken = {i for start, end in spotted for i in range(start, end)}
    rest = _joined(found, [i for i in names if i in free and i not in taken], taken)
    if rest:
        before = found[rest[0] - 1].text if rest[0] > 0 else ""
        # "vuelos a Roma" is a place; "busca a Herrera", right after the verb, is a person.
        personal = before == "a" and rest[0] > 1 and concept(found[rest[0] - 2].text) in ("find", "show")
        to_place = before in TO_PLACE and not personal
        verb = any(concept(found[j].text) in VERBS for j in range(rest[0]))
        args.leftover = _name_text(found, rest)
        args.take("name", args.leftover, [found[i] for i in rest])
        args.sought = verb and not to_place and not spotted and proper_name(args.leftover)


def _whole_name(found: list[Word], free: list[int], at: list[int], index: ContactIndex, no: str) -> list[int]:
    """The words next to a contact's that are words of its name too, though Tell Me knows them otherwise
    ("ana martinez": "ana" is read as "añade" alone): the whole name names it."""
    own = set(index.tokens[index.by_no[no.upper()]])
    at = list(at)

    def of_the_name(i: int) -> bool:
        return 0 <= i < len(found) and i in free and i not in at and "".join(name_tokens(found[i].raw)) in own

    while of_the_name(at[0] - 1):
        at.insert(0, at[0] - 1)
    while of_the_name(at[-1] + 1):
        at.append(at[-1] + 1)
    return at


TO_PLACE = {"to", "a", "al", "in", "en", "into", "hacia"}
NAME_JOINERS = {"de", "del", "la", "las", "los", "y", "and", "of", "the", "van", "von", "da", "do", "dos"}
"""Small words inside a name written as names are: "Tostadas del Sur", "Bank of Lisbon", "Van der Berg"."""


def _joined(found: list[Word], rest: list[int], taken: set[int]) -> list[int]:
    """The words left for a new name, with the small words between two capitalised ones kept."""
    joined: list[int] = []
    for i in rest:
        gap = range(joined[-1] + 1, i) if joined else range(0)
        if (
            gap
            and len(gap) <= 2
            and found[joined[-1]].raw[:1].isupper()
            and found[i].raw[:1].isupper()
            and all(found[j].text in NAME_JOINERS and j not in taken and found[j].raw.islower() for j in gap)
        ):
            joined.extend(gap)
        if _elided(found, i - 1) and i - 1 not in taken and (not joined or joined[-1] < i - 1):
            joined.append(i - 1)  # "O'Brien": the "O" is no stopword
        joined.append(i)
    return joined


def _elided(found: list[Word], i: int) -> bool:
    """A capital letter and an apostrophe before a capitalised word, in one name: "O'Brien", "D'Angelo"."""
    if i < 0 or i + 1 >= len(found):
        return False
    letter, rest = found[i], found[i + 1]
    return (
        len(letter.raw) == 1
        and letter.raw.isupper()
        and rest.start == letter.end + 1
        and rest.raw[:1].isupper()
    )


def _name_text(found: list[Word], positions: list[int]) -> str:
    """The words of a name as typed, an elided letter kept on its word ("O'Brien")."""
    text = found[positions[0]].raw if positions else ""
    for previous, i in pairwise(positions):
        text += ("'" if previous == i - 1 and _elided(found, previous) else " ") + found[i].raw
    return text


def _runs(positions: list[int]) -> list[list[int]]:
    """Positions next to each other, in runs: "log a call with John Smith today" has one, "John Smith"."""
    runs: list[list[int]] = []
    for i in positions:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _is_action_word(ranker: Ranker, word: Word) -> bool:
    return max(ranker.resolve(word.text).values(), default=0.0) >= 85.0
