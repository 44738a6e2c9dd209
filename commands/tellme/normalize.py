"""From what a user typed to comparable words: case and accents folded, Business Central's abbreviations
spelled out, and English and Spanish synonyms brought to one concept each."""

import re
import unicodedata
from dataclasses import dataclass

from commands.tellme.lexicon import ABBREVIATIONS, CONCEPTS, DOTTED_ABBREVIATIONS, STOPWORDS


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


__all__ = ["STOPWORDS", "SURFACE", "Word", "concept", "concepts", "fold", "normalize", "words"]
