"""Whether a sentence asks to be shown something or to change something, from how it opens: a question
("what did we log?", "¿qué comentarios tiene...?") or a verb of showing ("pull up", "échale un ojo")
asks to be shown, even when it names a thing that an action changes ("its comments"); a verb of changing
("kill entry 8", "add ...") asks for the change. Politeness and fillers before it do not count."""

from dataclasses import dataclass

from commands.tellme.lexicon import HOW_TO, NAMING, NOUNS_TOO, OPENERS, QUESTION_WORDS, STOPWORDS, WRITE_VERBS
from commands.tellme.normalize import SURFACE, Word, concept

SHOWING = "show"
HISTORY = "history"
COUNTING = {"cuanto", "cuantos", "cuanta", "cuantas"}
CHANGING = WRITE_VERBS - (NOUNS_TOO - {"log"})
"""Verbs that open a request to change something; "call" or "meeting" may as well open a noun."""


@dataclass(frozen=True)
class Intent:
    reading: bool = False
    changing: bool = False


NEUTRAL = Intent()


WHICH = {"what", "whats", "which", "who", "whose", "where", "when", "que", "cual", "cuales", "quien"}
WHICH |= {"quienes", "donde", "cuando"}
WHEN = {"when", "cuando"}
ANYONE = {"anyone", "anybody", "someone", "somebody", "alguien", "nobody", "nadie", "everyone", "todos"}
ANYONE |= {
    "vos",
    "usted",
    "ustedes",
    "tu",
    "you",
    "we",
    "i",
    "yo",
    "nosotros",
    "he",
    "she",
    "they",
    "el",
    "ella",
}
"""Who did it, before what was done ("did anyone call ...?", "¿vos llamaste a ...?", "¿usted visitó ...?")."""
TOLD = {"call", "visit", "email", "letter", "meeting", "send", "talk", "logged"}
"""What happened with a contact: asked about ("¿le mandamos la carta a Peter?", "called Contoso?"), to be
shown; told, to be logged."""


def intent(found: list[Word], asked: bool = False, fields: frozenset[str] = frozenset()) -> Intent:
    """`asked`: the sentence is a question (it ends with "?" or opens with "¿"); `fields`: the words
    that name a contact's field in it."""
    # A question about what happened asks to be shown it, even as it opens with the verb of doing it
    # ("¿hablamos con Jürgen últimamente?", "¿le mandamos la carta?").
    if asked_what_happened(found, asked, fields):
        return Intent(reading=True)
    return _opening(found)


def asked_what_happened(found: list[Word], asked: bool, fields: frozenset[str] = frozenset()) -> bool:
    """A yes-or-no question that opens with what happened ("¿llamaste a Contoso?", "called them?"); not
    one that asks which ("¿qué teléfono tiene?"), nor for a field ("¿el correo de Jürgen?")."""
    if not asked:
        return False
    if found and found[0].text in WHEN:  # "when did we last visit Adatum?": the entries say when
        return any(concept(word.text) in TOLD and word.text not in fields for word in found[1:])
    for at, word in enumerate(found):
        if word.text in WHICH:
            return False
        if word.text in NAMING and at > 0 and found[at - 1].text in ANYONE:
            return False  # "do we have anyone called Jones?": a name, no call
        if (
            word.text in OPENERS
            or word.text in STOPWORDS
            or word.text in QUESTION_WORDS
            or word.text in ANYONE
        ):
            continue  # "did we call ...?", "¿hay ...?", "did anyone call ...?"
        return word.text not in fields and concept(word.text) in TOLD
    return False


def _noun(found: list[Word], at: int) -> bool:
    """ "registro de ...", "log entries": the word names a thing."""
    following = found[at + 1].text if at + 1 < len(found) else ""
    return following in ("of", "de") or concept(following) == "entry"


def _opening(found: list[Word]) -> Intent:
    for at, word in enumerate(found):
        text = word.text
        following = found[at + 1].text if at + 1 < len(found) else ""
        if text in HOW_TO and following not in ("many", "much"):  # "how do I add ...", "¿cómo creo
            return Intent(changing=True)  # ...?": asks for the doing; "how many ..." asks to be shown
        if text in HOW_TO or text in COUNTING:
            return Intent(reading=True)
        if text in QUESTION_WORDS:
            return Intent(reading=True)
        meaning = concept(text)
        if meaning == SHOWING:
            return Intent(reading=True)
        if meaning in NOUNS_TOO and concept(following) == HISTORY:  # "call history", "email log"
            return Intent(reading=True)
        if meaning in CHANGING and not plural_noun(word):
            return NEUTRAL if _noun(found, at) else Intent(changing=True)
        if text in OPENERS or text in STOPWORDS or text.isdigit():
            continue
        if plural_noun(word):  # "visitas a Jürgen desde el lunes", "calls this week"
            return Intent(reading=True)
        return NEUTRAL
    return NEUTRAL


def plural_noun(word: Word) -> bool:
    """A word that can be a verb or a noun, in the plural: a noun ("comments", "visitas")."""
    text = word.text
    meaning = concept(text)
    if meaning not in NOUNS_TOO or not text.endswith("s") or len(text) < 4:
        return False
    # The singular as it is written ("visita" of "visitas"), not a stem ("visitamos" is a verb).
    return any(form in SURFACE and concept(form) == meaning for form in (text[:-1], text[:-2]))
