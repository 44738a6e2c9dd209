"""From what a user typed to comparable words: case and accents folded, Business Central's abbreviations
spelled out, and English and Spanish synonyms brought to one concept each."""

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

import snowballstemmer

from commands.tellme.lexicon import ABBREVIATIONS, CONCEPTS, DOTTED_ABBREVIATIONS, STOPWORDS


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


STEMMERS = (snowballstemmer.stemmer("english"), snowballstemmer.stemmer("spanish"))
CLITICS = re.compile(r"(?<=[aeiour])(selos|selas|selo|sela|melo|mela|noslo|los|las|les|nos|lo|la|le|me|te)$")
"""Pronouns Spanish joins to a verb: "anúlalo" is "anula" + "lo", "apúntamelo" is "apunta" + "melo"."""


def _stems(word: str) -> set[str]:
    return {stemmer.stemWord(word) for stemmer in STEMMERS}


def _stem_concepts() -> dict[str, str]:
    """Each stem of a known word, when every known word with that stem means the same."""
    meanings: dict[str, set[str]] = {}
    for surface, meaning in SURFACE.items():
        if len(surface) >= 4:
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
    return word


def concepts(text: str) -> list[str]:
    return [concept(word.text) for word in words(text) if word.text not in STOPWORDS]


__all__ = ["STOPWORDS", "SURFACE", "Word", "concept", "concepts", "fold", "normalize", "words"]
