"""Whether a sentence asks to be shown something or to change something, from how it opens: a question
("what did we log?", "¿qué comentarios tiene...?") or a verb of showing ("pull up", "échale un ojo")
asks to be shown, even when it names a thing that an action changes ("its comments"); a verb of changing
("kill entry 8", "add ...") asks for the change. Politeness and fillers before it do not count."""

from dataclasses import dataclass

from commands.tellme.lexicon import HOW_TO, NOUNS_TOO, OPENERS, QUESTION_WORDS, STOPWORDS, WRITE_VERBS
from commands.tellme.normalize import SURFACE, Word, concept

SHOWING = "show"
COUNTING = {"cuanto", "cuantos", "cuanta", "cuantas"}
CHANGING = WRITE_VERBS - (NOUNS_TOO - {"log"})
"""Verbs that open a request to change something; "call" or "meeting" may as well open a noun."""


@dataclass(frozen=True)
class Intent:
    reading: bool = False
    changing: bool = False


NEUTRAL = Intent()


def intent(found: list[Word]) -> Intent:
    return _opening(found)


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
