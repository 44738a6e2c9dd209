"""The arguments in a sentence: entry numbers, dates, a contact's name, a template, a segment, an
evaluation, a description. Read once per query; each action then takes the ones it accepts."""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from commands import inputs
from commands.action import Action
from commands.tellme.dates import find_period
from commands.tellme.normalize import STOPWORDS, Word, concept, fold
from commands.tellme.ranking import Ranker
from store.contact_search import search_contacts
from store.enums import DocumentKind, Evaluation
from store.segments import segment_descriptions
from store.templates import template_descriptions

MIN_CONTACT_SCORE = 75.0
TEMPLATE_KINDS = ("call", "meeting", "email", "visit", "letter")
RATED = {
    **dict.fromkeys(("great", "genial", "excelente", "excellent", "maravilla"), Evaluation.VERY_POSITIVE),
    **dict.fromkeys(("terrible", "disaster", "desastre"), Evaluation.VERY_NEGATIVE),
    **dict.fromkeys(("fine", "bien", "bueno"), Evaluation.POSITIVE),
    **dict.fromkeys(("mal", "malo"), Evaluation.NEGATIVE),
    **dict.fromkeys(("meh", "regular"), Evaluation.NEUTRAL),
}
"""How a sentence says how it went ("it went great"), beyond the evaluation's own words."""
VERY = {"very", "muy"}
VERY_OF = {Evaluation.POSITIVE: Evaluation.VERY_POSITIVE, Evaluation.NEGATIVE: Evaluation.VERY_NEGATIVE}
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
}
UNANSWERED = ("contest", "respond", "answer", "atend", "cog")
"""After "no": "no contestó", "no answer" say the attempt failed."""
FORMATS = {"csv", "json"}
ABOUT = {"about", "regarding", "re", "sobre", "acerca", "concerning"}
NEXT = {"next", "coming", "proximo", "proxima", "próximo", "próxima"}
SEGMENT_WORDS = {"segment", "segmento", "segments", "segmentos"}
KIND_WORDS = {
    "factura": "invoice",
    "facturas": "invoice",
    "invoices": "invoice",
    "oferta": "quote",
    "ofertas": "quote",
    "presupuesto": "quote",
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


@dataclass
class Arguments:
    values: dict[str, Any] = field(default_factory=dict)
    used: dict[str, frozenset[str]] = field(default_factory=dict)
    """Per argument, the query words it took, so ranking does not count them against an action."""
    numbers: list[int] = field(default_factory=list)
    segment_no: int | None = None
    after_first_number: str = ""
    tail: frozenset[str] = frozenset()
    """The words after the first number: a comment's text, for actions that take one."""
    leftover: str = ""

    def take(self, name: str, value: Any, found: list[Word]) -> None:
        self.values[name] = value
        self.used[name] = self.used.get(name, frozenset()) | {word.text for word in found}

    def evidence(self) -> list[tuple[str, ...]]:
        """Per argument found, the argument names an action must take to make use of it."""
        found: list[tuple[str, ...]] = []
        if self.numbers or self.segment_no is not None:
            found.append(
                ("entry_nos", "entry_no", "segment", "task_no", "entry")
                if self.segment_no is None
                else ("segment_no", "segment")
            )
        for names in (
            ("contact", "contacts"),
            ("from", "to", "date", "due"),
            ("template",),
            ("segment",),
            ("evaluation",),
            ("document_kind",),
        ):
            name = names[0] if names[0] in self.values else "to" if names[0] == "from" else ""
            if name not in self.values:
                continue
            if name in ("from", "to") and self.values.get("from") != self.values.get("to"):
                names = ("from", "to")  # a period, or since or until a day: not one date
            in_text = self.tail and self.used.get(name, frozenset()) <= self.tail
            found.append((*names, "text") if in_text else names)
        return found

    def for_action(self, action: Action) -> dict[str, Any]:
        """The arguments this action takes, each chosen by its kind."""
        chosen: dict[str, Any] = {}
        places = action.placeholders()
        for arg in action.args:
            name, kind = arg.name, arg.kind
            if kind is inputs.ENTRY_NOS and self.numbers:
                chosen[name] = list(self.numbers)
            elif kind is inputs.ENTRY_NO and self.numbers:
                chosen[name] = self.numbers[0]
            elif kind is inputs.LOGGED_SEGMENT_NO:
                number = self.segment_no if self.segment_no is not None else next(iter(self.numbers), None)
                if number is not None:
                    chosen[name] = number
            elif kind is inputs.DATE and name == "date" and "from" in self.values:
                if self.values["from"] == self.values.get("to"):
                    chosen[name] = self.values["from"]
            elif kind is inputs.CONTACTS and "contact" in self.values:
                chosen[name] = [self.values["contact"]]
            elif _follows_a_number(action, places, name) and self.after_first_number:
                chosen[name] = self.after_first_number
            elif name in ("text", "name") and name not in self.values and self.leftover:
                chosen[name] = self.leftover
            elif name in self.values and not (
                kind is inputs.TEXT and _follows_a_number(action, places, name)
            ):
                chosen[name] = self.values[name]
        return chosen


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
    if period := find_period(found, today):
        if period.first:
            claim("from", period.first.isoformat(), sorted(period.used))
        if period.last:
            claim("to", period.last.isoformat(), sorted(period.used))
        _due(found, period.used, claim)
    for i, word in enumerate(found):
        if i not in free:
            continue
        if word.text.isdigit() and len(word.text) <= 7:
            previous = found[i - 1].text if i else ""
            if previous in SEGMENT_WORDS or (previous in {"logged", "grabado"} and args.segment_no is None):
                args.segment_no = int(word.text)
            else:
                args.numbers.append(int(word.text))
            if not args.after_first_number and i + 1 < len(found):
                args.after_first_number = " ".join(w.raw for w in found[i + 1 :])
                args.take("text", args.after_first_number, found[i + 1 :])
                args.tail = frozenset(w.text for w in found[i + 1 :])
            free.remove(i)
    _evaluation(found, free, claim)
    for i in list(free):
        meaning = concept(found[i].text)
        after_no = i > 0 and found[i - 1].text == "no" and found[i].text.startswith(UNANSWERED)
        if found[i].text in FAILED or after_no:
            claim("failed", True, [i])
        elif found[i].text in FORMATS:
            claim("format", found[i].text, [i])
        elif meaning in ("template", "group") and i > 0 and found[i - 1].text in ("by", "por"):
            claim("by", meaning, [i - 1, i])
        elif meaning == "canceled":
            args.take("canceled", "yes", [found[i]])
    if session is not None and team_id is not None:
        _template(found, free, ranker, session, team_id, claim)
        _segment(found, free, session, team_id, claim)
    _document_kind(found, free, claim)
    _contact(found, free, ranker, session, team_id, args, claim)
    return args


def _due(found: list[Word], used: frozenset[int], claim: Any) -> None:
    """The same words as a due date, read forward when the task's action reads them ("next tuesday",
    "el lunes": the period above reads a bare weekday as the last one)."""
    at = sorted(used)
    if at[0] > 0 and found[at[0] - 1].text in NEXT:
        at.insert(0, at[0] - 1)
    claim("due", " ".join(found[i].raw for i in at), at)


def _about(found: list[Word], args: Arguments, claim: Any) -> None:
    for i, word in enumerate(found):
        if word.text in ABOUT and i + 1 < len(found):
            claim("description", " ".join(w.raw for w in found[i + 1 :]), list(range(i, len(found))))
            return


def _evaluation(found: list[Word], free: list[int], claim: Any) -> None:
    for i in list(free):
        value = inputs.EVALUATION.words.get(found[i].text) or RATED.get(found[i].text)
        if value is None:
            continue
        stronger = VERY_OF.get(value)
        if stronger is not None and i > 0 and found[i - 1].text in VERY:
            claim("evaluation", stronger.value, [i - 1, i])
        else:
            claim("evaluation", value.value, [i])
        return


def _template(
    found: list[Word], free: list[int], ranker: Ranker, session: Session, team_id: str, claim: Any
) -> None:
    rows = template_descriptions(session, team_id)
    if not rows:
        return
    by_code = {code.casefold(): code for code, _ in rows}
    # A code typed in capitals ("INVOICE") is the surest sign; then any exact code; then a kind of
    # interaction ("call", "llamada") that a template's code or description also names.
    for i in sorted(free, key=lambda i: (not found[i].raw.isupper(), -i)):
        if found[i].text in by_code:
            claim("template", by_code[found[i].text], [i])
            return
    kinds = {}
    for code, description in rows:
        for word in f"{code} {description}".casefold().replace("-", " ").split():
            kinds.setdefault(concept(word), code)
    for i in free:
        meanings = ranker.resolve(found[i].text) if found[i].text not in STOPWORDS else {}
        for kind in TEMPLATE_KINDS:
            if meanings.get(kind, 0.0) >= 80.0 and kind in kinds:
                claim("template", kinds[kind], [i])
                return


def _segment(found: list[Word], free: list[int], session: Session, team_id: str, claim: Any) -> None:
    rows = segment_descriptions(session, team_id)
    by_no = {no.casefold(): no for no, _ in rows}
    for i in free:
        if found[i].text in by_no:
            claim("segment", by_no[found[i].text], [i])
            return
    wanted = {found[i].text: i for i in free if found[i].text not in STOPWORDS and len(found[i].text) > 2}
    for no, description in rows:
        words = {w for w in fold(description).split() if w not in STOPWORDS and len(w) > 2}
        hits = [wanted[w] for w in words if w in wanted]
        if hits and len(hits) >= min(2, len(words)):
            claim("segment", no, hits)
            return


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
    session: Session | None,
    team_id: str | None,
    args: Arguments,
    claim: Any,
) -> None:
    names = [
        i
        for i in free
        if found[i].text not in STOPWORDS
        and (CODE.match(found[i].text) or not _is_action_word(ranker, found[i]))
    ]
    if not names:
        return
    args.leftover = " ".join(found[i].raw for i in names)
    if session is None or team_id is None:
        return
    for i in names:  # a contact number or an e-mail address settles it
        if CODE.match(found[i].text) or "@" in found[i].text:
            exact = search_contacts(session, team_id, found[i].raw, limit=1)
            if exact and exact[0].score == 100.0:
                claim("contact", exact[0].no, [i])
                return
    matches = search_contacts(session, team_id, args.leftover, limit=1)
    if matches and matches[0].score >= MIN_CONTACT_SCORE:
        claim("contact", matches[0].no, names)


def _is_action_word(ranker: Ranker, word: Word) -> bool:
    return max(ranker.resolve(word.text).values(), default=0.0) >= 85.0
