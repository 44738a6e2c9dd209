"""From what a user typed to comparable words: case and accents folded, Business Central's abbreviations
spelled out, and English and Spanish synonyms brought to one concept each."""

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

import snowballstemmer

from commands.tellme.lexicon import (
    ABBREVIATIONS,
    ACCIDENT,
    COMPOUNDS,
    CONCEPTS,
    DOTTED_ABBREVIATIONS,
    ENTRY_NOUNS,
    INTENTIONS,
    INVERSE,
    NAMED_THINGS,
    NAMING,
    PARTICIPLES,
    PARTICLE_VERBS,
    PLAN,
    PLANNED,
    RECORDS,
    RELATIVE,
    REVERSAL,
    REVERSAL_STEMS,
    STOPWORDS,
    WORD_FORMS_ONLY,
)


@dataclass(frozen=True)
class Word:
    text: str
    """Folded: lowercase, no accents, abbreviation spelled out."""
    raw: str
    """As typed, case kept (codes such as PHONE, descriptions)."""
    start: int
    end: int
    possessive: bool = False
    """Followed by 's: "Kim Akers's e-mail" is Kim Akers's, and the e-mail is one of theirs."""


WORD = re.compile(r"[\w@.+-]*\w", re.UNICODE)
DOTTED = re.compile(r"\b(" + "|".join(DOTTED_ABBREVIATIONS) + r")\.", re.IGNORECASE)


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def words(text: str) -> list[Word]:
    """The words of `text` with their positions; e-mail addresses and dates stay whole, an expression
    of several words ("get rid of", "dar de baja") is one word standing for its concept, and a reversal
    word turns the concept after it round ("undo the cancel" is "restore")."""
    tokens = _plans(_tokens(text))
    return _reverse(
        _noted(_entries(_records(_particles(_where_to(_counted(_marked(_expressions(tokens))))))))
    )


def _tokens(text: str) -> list[Word]:
    typed = re.sub(r"(?i)\be-mail", "email", unicodedata.normalize("NFC", text))
    plain = _strip_accents(typed)
    found = _plain_tokens(plain)
    if len(plain) != len(typed):
        return found
    # Folded for reading, but as typed for what is kept: "Lucía Torres" is a new contact's name.
    return [replace(w, raw=typed[w.start : w.end]) for w in found]


def _plain_tokens(plain: str) -> list[Word]:
    found: list[Word] = []
    for match in WORD.finditer(plain):
        raw = match.group().strip(".-+")
        if not raw:
            continue
        if match.group().startswith("+") and raw.isdigit():
            raw = "+" + raw  # a phone's country code: "+34 600 123 456"
        elif match.group().startswith("-") and raw.isdigit():
            raw = "-" + raw  # "-1": a number below zero, never an entry's
        if raw.lower() == "s" and found and plain[match.start() - 1 : match.start()] in ("'", "’"):
            found[-1] = replace(found[-1], possessive=True)
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
        start = match.start() + len(match.group()) - len(match.group().lstrip(".-+")) - (raw[:1] in "+-")
        before = plain[start - 1 : start] if start else ""
        after = plain[start + len(raw) : start + len(raw) + 1]
        if raw[:1].isdigit() and before and before in CURRENCY_SIGNS:
            raw, start = before + raw, start - 1  # "$15": an amount, no entry number
        elif raw[:1].isdigit() and after and after in CURRENCY_SIGNS + "%":
            raw += after  # "40€"; "15%" is a share, no entry number either
        found.append(_word(raw, start, start + len(raw), dotted))
    return [_spanish_del(word, i) for i, word in enumerate(found)]


CURRENCY_SIGNS = "€$£"


def _spanish_del(word: Word, i: int) -> Word:
    """ "del" abbreviates "delete" only where a command's verb stands, first ("del entry 5"); after that
    it is Spanish ("movimientos del mes pasado")."""
    return replace(word, text="del") if i > 0 and word.raw.casefold() == "del" else word


def _word(raw: str, start: int, end: int, dotted: bool) -> Word:
    folded = raw.casefold()
    if dotted and folded in DOTTED_ABBREVIATIONS:
        folded = DOTTED_ABBREVIATIONS[folded]
    else:
        folded = ABBREVIATIONS.get(folded, folded)
    return Word(text=folded, raw=raw, start=start, end=end)


PLAN_FILLERS = frozenset({"a", "de", "to", "le", "les", "me", "i", "we", "that", "que", "also", "tambien"})
"""Between a plan's opening and its verb: "acuérdate de llamar", "tengo que ir a ...", "need to also call"."""


def _plans(found: list[Word]) -> list[Word]:
    """An intention followed by something to do with a contact says "remind" (`INTENTIONS`); any other is
    left as typed ("tengo que exportar ...": the export)."""
    planned = list(found)
    i = 0
    while i < len(planned):
        for opening in INTENTIONS_BY_FIRST.get(planned[i].text, ()):
            typed = [word.text for word in planned[i : i + len(opening)]]
            if tuple(typed) != opening:
                continue
            after = i + len(opening)
            while after < len(planned) and planned[after].text in PLAN_FILLERS:
                after += 1
            if after < len(planned) and concept(planned[after].text) in PLANNED:
                first, last = planned[i], planned[after - 1]
                raw = " ".join(word.raw for word in planned[i:after])
                planned[i:after] = [Word(PLAN, raw, first.start, last.end)]
            break
        i += 1
    return planned


def normalize(text: str) -> str:
    return " ".join(word.text for word in words(text))


SURFACE: dict[str, str] = {concept: concept for concept in CONCEPTS} | {
    surface: concept
    for concept, surfaces in CONCEPTS.items()
    for surface in surfaces
    if len(_tokens(surface)) == 1
}
EXPRESSIONS: dict[tuple[str, ...], tuple[str, ...]] = {
    tuple(word.text for word in _tokens(surface)): (concept,)
    for concept, surfaces in CONCEPTS.items()
    for surface in surfaces
    if len(_tokens(surface)) > 1
} | {tuple(word.text for word in _tokens(surface)): said for surface, said in COMPOUNDS.items()}
LONGEST = max(len(words) for words in EXPRESSIONS)
INTENTION_WORDS = sorted((tuple(w.text for w in _tokens(said)) for said in INTENTIONS), key=len, reverse=True)
INTENTIONS_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
"""The intentions by their first word, longest first: looked up at each word of a sentence."""
for _opening in INTENTION_WORDS:
    INTENTIONS_BY_FIRST.setdefault(_opening[0], []).append(_opening)

STEMMERS = (snowballstemmer.stemmer("english"), snowballstemmer.stemmer("spanish"))
CLITICS = re.compile(r"(?<=[aeiour])(selos|selas|selo|sela|melo|mela|noslo|los|las|les|nos|lo|la|le|me|te)$")
"""Pronouns Spanish joins to a verb: "anúlalo" is "anula" + "lo", "apúntamelo" is "apunta" + "melo"."""


@lru_cache(maxsize=100_000)
def _stems(word: str) -> frozenset[str]:
    return frozenset(stemmer.stemWord(word) for stemmer in STEMMERS)


def _same_word(typed: str, known: str) -> bool:
    """An expression's word as typed: itself, its plural, or another form with the same stem."""
    if typed == known or typed == known + "s":
        return True
    return len(known) >= 4 and len(typed) >= 4 and bool(_stems(typed) & _stems(known))


def _keys(word: str) -> set[str]:
    keys = {word, word[:-1]} if word.endswith("s") else {word}
    return keys | _stems(word) if len(word) >= 4 else keys


_STARTING: dict[str, list[tuple[str, ...]]] = {}


def _starting(word: str) -> list[tuple[str, ...]]:
    """The expressions that may start with this word, longest first."""
    if not _STARTING:
        for known in sorted(EXPRESSIONS, key=len, reverse=True):
            for key in _keys(known[0]):
                _STARTING.setdefault(key, []).append(known)
    found = {known for key in _keys(word) for known in _STARTING.get(key, ())}
    return sorted(found, key=lambda known: (-len(known), known[0] != word, known))  # the same every run


def _expressions(found: list[Word]) -> list[Word]:
    merged: list[Word] = []
    i = 0
    while i < len(found):
        for known in _starting(found[i].text):
            typed = [word.text for word in found[i : i + len(known)]]
            coded = any(len(word.raw) >= 3 and word.raw.isupper() for word in found[i : i + len(known)])
            if len(typed) == len(known) and all(map(_same_word, typed, known)) and not coded:
                first, last = found[i], found[i + len(known) - 1]
                raw = " ".join(word.raw for word in found[i : i + len(known)])
                merged += [
                    Word(meaning, raw, first.start, last.end, last.possessive)
                    for meaning in EXPRESSIONS[known]
                ]
                i += len(known)
                break
        else:
            merged.append(found[i])
            i += 1
    return merged


COUNTS = {
    word: n
    for n, spelled in enumerate(
        (
            "",
            "",
            "two dos",
            "three tres",
            "four cuatro",
            "five cinco",
            "six seis",
            "seven siete",
            "eight ocho",
            "nine nueve",
            "ten diez",
            "eleven once",
            "twelve doce",
        )
    )
    for word in spelled.split()
} | {"fifteen": 15, "quince": 15, "twenty": 20, "veinte": 20, "thirty": 30, "treinta": 30}
DURATION_UNITS = frozenset(
    [
        "min",
        "mins",
        "minute",
        "minutes",
        "minuto",
        "minutos",
        "m",
        "h",
        "hr",
        "hrs",
        "hour",
        "hours",
        "hora",
        "horas",
    ]
)
"""What a duration is counted in ("20 min", "1 h", "media hora")."""
UNITS = DURATION_UNITS - {"m", "h", "hr", "hrs"} | frozenset(
    [
        "day",
        "days",
        "dia",
        "dias",
        "week",
        "weeks",
        "semana",
        "semanas",
        "month",
        "months",
        "mes",
        "meses",
        "year",
        "years",
        "ano",
        "anos",
    ]
)
"""What a number spelled out counts when it is a number ("two hours", "hace dos días"; "one" and "un" are
articles as often)."""


def _counted(found: list[Word]) -> list[Word]:
    """A number spelled out before a unit of time is that number: "two hours" is "2 hours"."""
    return [
        replace(word, text=str(COUNTS[word.text]))
        if word.text in COUNTS and i + 1 < len(found) and found[i + 1].text in UNITS
        else word
        for i, word in enumerate(found)
    ]


def _entries(found: list[Word]) -> list[Word]:
    """A kind of interaction followed by a number is that log entry: "la reunión 8" is entry 8."""
    return [
        replace(word, text="entry")
        if i + 1 < len(found)
        and found[i + 1].text.isdigit()
        and not _dialled(found, i + 1)
        and (word.text in ENTRY_NOUNS or concept(word.text) in ENTRY_NOUNS)
        else word
        for i, word in enumerate(found)
    ]


def _dialled(found: list[Word], i: int) -> bool:
    """A number as phones are written, not an entry's: with a leading zero or a plus, long, or in groups
    ("phone 020 7946 0018", "tel +34 600 123 456")."""
    digits = found[i].raw
    grouped = i + 1 < len(found) and found[i + 1].text.isdigit() and len(found[i + 1].text) >= 3
    return digits.startswith(("0", "+")) or len(digits) >= 7 or grouped


def _names(found: list[Word], i: int) -> bool:
    """The naming word names a thing: "a company called ...", "segment WINTER26 called ..." (its code)."""
    if concept(found[i - 1].text) in NAMED_THINGS:
        return True
    code = found[i - 1].raw
    return i > 1 and concept(found[i - 2].text) in NAMED_THINGS and code[:1].isalpha() and code.isupper()


def _particles(found: list[Word]) -> list[Word]:
    """A verb and its particle a few words on ("bring entry 9 back") are one word for their concept; a
    word that names a thing after it ("a company called Northwind") is left out."""
    joined = list(found)
    for i in range(len(joined) - 1, -1, -1):
        if i >= len(joined):
            continue
        if joined[i].text in NAMING and i > 0 and _names(joined, i):
            del joined[i]
            continue
        if joined[i].text in SE_NAMING and i > 0 and joined[i - 1].text == "se":
            del joined[i - 1 : i + 1]  # "los que se llaman Smith": a name, no call
            continue
        meaning = concept(joined[i].text)
        before = [word.text for word in joined[max(0, i - 2) : i]]
        if (
            meaning in PARTICIPLES
            and before
            and before[-1] in RELATIVE
            and {"que", "that", "which"} & set(before)
        ):
            joined[i] = replace(joined[i], text=PARTICIPLES[meaning])
            continue
        for j in range(i + 2, min(i + 7, len(joined))):
            verb = joined[i].text
            meaning = PARTICLE_VERBS.get((verb, joined[j].text)) or PARTICLE_VERBS.get(
                (concept(verb), joined[j].text)
            )
            if meaning is not None:
                joined[i] = replace(joined[i], text=meaning)
                del joined[j]
                break
    return joined


SE_NAMING = frozenset({"llama", "llaman", "llamaba", "llamaban"})
ARTICLES = {"a", "an", "the", "un", "una", "el", "la", "los", "las", "unos", "unas", "this", "este", "esta"}
WHERE = {"where", "donde"}
ASKING_SELF = {"do", "can", "i", "puedo", "se", "tengo", "podemos"}


def _where_to(found: list[Word]) -> list[Word]:
    """ "Where do I ...", "¿dónde puedo ...?" asks how to do something (not where a contact is, nor the
    "where" of segment criteria)."""
    return [
        replace(word, text="how")
        if word.text in WHERE and i + 1 < len(found) and found[i + 1].text in ASKING_SELF
        else word
        for i, word in enumerate(found)
    ]


AS = {"as", "como"}


def _records(found: list[Word]) -> list[Word]:
    """ "Log" said of a record to create (the next word that is no article or "new" names one) is
    creating it: "registra un contacto nuevo", "register a new company"."""
    made = list(found)
    for i, word in enumerate(found):
        if concept(word.text) != "log":
            continue
        after = [w for w in found[i + 1 : i + 4] if w.text not in ARTICLES and concept(w.text) != "create"]
        # ... or a record it is logged as: "registra a Marta Gil como contacto", "log Jane as a contact"
        said_as = any(
            found[j].text in AS and concept(next_word.text) in RECORDS
            for j in range(i + 1, len(found) - 1)
            for next_word in [w for w in found[j + 1 : j + 3] if w.text not in ARTICLES][:1]
        )
        if (after and concept(after[0].text) in RECORDS) or said_as:
            made[i] = replace(word, text="create")
    return made


NOTED_ON = {"en", "on", "in", "a", "al", "la", "el", "the", "entry", "to"}
SAYING_THAT = {"que", "that", "saying", "diciendo"}


def _noted(found: list[Word]) -> list[Word]:
    """ "Log" said on an entry's number, with what to note after it ("apunta en la 88 que quieren
    descuento", "note on 12 that they called back"): a comment on that entry."""
    noted = list(found)
    for i, word in enumerate(found):
        if concept(word.text) != "log":
            continue
        j = i + 1
        while j < len(found) and found[j].text in NOTED_ON and j - i <= 3:
            j += 1
        if j + 1 < len(found) and j > i + 1 and found[j].text.isdigit() and found[j + 1].text in SAYING_THAT:
            noted[i] = replace(word, text="comment")
    return noted


def _marked(found: list[Word]) -> list[Word]:
    """ "Marcar ... como ..." is marking, not dialling ("marca la tarea 3 como hecha", "márcala como
    negativa"; "le marqué a Peter" is a call)."""
    marked = list(found)
    for i, word in enumerate(found):
        dialled = fold(word.raw).startswith(("marc", "marq")) and concept(word.text) == "call"
        if dialled and any(w.text == "como" for w in found[i + 1 : i + 6]):
            marked[i] = replace(word, text="mark")
    return marked


def _reverse(found: list[Word]) -> list[Word]:
    turned = list(found)
    for i in range(len(turned) - 1, -1, -1):
        if turned[i].text == ACCIDENT:
            for j in range(i - 1, max(-1, i - 5), -1):
                meaning = concept(turned[j].text)
                if meaning in INVERSE:
                    turned[j] = replace(turned[j], text=INVERSE[meaning])
                    break
            del turned[i]
            continue
        if turned[i].text not in REVERSAL and not turned[i].text.startswith(REVERSAL_STEMS):
            continue
        for j in range(i + 1, min(i + 6, len(turned))):
            meaning = concept(turned[j].text)
            if meaning in INVERSE:
                turned[j] = replace(turned[j], text=INVERSE[meaning])
                del turned[i]
                break
            if meaning in ENTRY_NOUNS and j + 1 < len(turned) and turned[j + 1].text.isdigit():
                turned[i] = replace(turned[i], text="cancel")  # "undo entry 14": what was logged
                break
    return turned


def _stem_concepts() -> dict[str, str]:
    """Each stem of a known word, when every known word with that stem means the same."""
    meanings: dict[str, set[str]] = {}
    for surface, meaning in SURFACE.items():
        if len(surface) >= 4 and meaning not in WORD_FORMS_ONLY:
            for stem in _stems(surface):
                meanings.setdefault(stem, set()).add(meaning)
    return {stem: found.pop() for stem, found in meanings.items() if len(found) == 1 and len(stem) >= 3}


STEMS: dict[str, str] = _stem_concepts()


@lru_cache(maxsize=100_000)
def concept(word: str) -> str:
    """The concept a known word stands for, also in another form of it (a plural, a conjugation, a verb
    with its pronoun); unknown words stand for themselves."""
    if word in SURFACE:
        return SURFACE[word]
    for suffix in ("es", "s"):
        if len(word) > 4 and word.endswith(suffix) and word[: -len(suffix)] in SURFACE:
            return SURFACE[word[: -len(suffix)]]
    if len(word) < 4 or not word.isalpha():
        return word
    for form in (word, CLITICS.sub("", word)):
        if form in SURFACE:
            return SURFACE[form]
        for stem in _stems(form):
            if stem in STEMS:
                return STEMS[stem]
    for prefix in UNDOING:  # "desanula", "uncancel", "undelete": the action turned round
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) >= 4 and word not in REVERSAL and concept(rest) in INVERSE:
            return INVERSE[concept(rest)]
    return word


UNDOING = ("des", "un")
"""A prefix that turns a verb round, as a reversal word does (`REVERSAL`)."""


def concepts(text: str) -> list[str]:
    return [concept(word.text) for word in words(text) if word.text not in STOPWORDS]


__all__ = ["STOPWORDS", "SURFACE", "Word", "concept", "concepts", "fold", "normalize", "words"]
