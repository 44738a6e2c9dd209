"""Countries by their names in English and Spanish, from the CLDR data Babel ships: `country=Spain`,
`country=España` and `country=ES` are one criterion, and Tell Me reads "Spanish companies" or "empresas de
Alemania". A contact's country is its ISO code (as Business Central's Country/Region Code); a value that
names no country is kept as typed, so a workspace's own codes still work."""

import unicodedata
from collections.abc import Collection
from functools import cache
from typing import Any

from babel import Locale
from babel.core import get_global
from babel.languages import get_official_languages

from commands.context import Context
from commands.kind import Kind

LANGUAGES = ("en", "es")
LONGEST_NAME = 4
"""Words in the longest name read from a sentence ("República Dominicana", "United Arab Emirates")."""


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


@cache
def names() -> dict[str, str]:
    """Every country's name, folded, in both languages -> its code."""
    found: dict[str, str] = {}
    for language in LANGUAGES:
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                found.setdefault(fold(name), code)
    return found


@cache
def adjectives() -> dict[str, str]:
    """A language's name as an adjective ("Spanish", "españolas", "alemanes") -> the language's code."""
    found: dict[str, str] = {}
    for language in LANGUAGES:
        for code, name in Locale(language).languages.items():
            if "_" in code or len(code) != 2:
                continue
            for form in _forms(fold(name), language):
                found.setdefault(form, code)
    return found


def _forms(name: str, language: str) -> set[str]:
    """The forms of a language's name as an adjective: Spanish inflects it by gender and number."""
    if " " in name or language != "es":
        return {name}
    if name.endswith("o"):
        stem = name[:-1]
        return {stem + ending for ending in ("o", "a", "os", "as")}
    return {name, name + "a", name + "as", name + "es"}


@cache
def _official() -> dict[str, tuple[str, ...]]:
    """Language code -> the countries where it is an official language."""
    found: dict[str, list[str]] = {}
    for code in names().values():
        for language in get_official_languages(code, de_facto=True):
            found.setdefault(language, []).append(code)
    return {language: tuple(dict.fromkeys(codes)) for language, codes in found.items()}


def of_language(language: str, present: Collection[str] = ()) -> str:
    """The country a language's adjective means: of the countries that speak it officially, the one the
    workspace's contacts are in ("Portuguese" is Portugal where the contacts are there); else the
    language's most likely country (CLDR's likely subtags: Spanish -> ES)."""
    likely = str(get_global("likely_subtags").get(language, "")).split("_")[-1]
    speaking = [code for code in _official().get(language, ()) if code in present]
    if likely in speaking or (not speaking and len(likely) == 2):
        return likely
    return speaking[0] if speaking else ""


def country_code(text: str, present: Collection[str] = ()) -> str:
    """The code of the country `text` names (a code, a name in English or Spanish, or a language's
    adjective), or "" when it names none."""
    folded = fold(text)
    if len(folded) == 2 and folded.isalpha() and folded.upper() in names().values():
        return folded.upper()
    if folded in names():
        return names()[folded]
    if folded in adjectives():
        return of_language(adjectives()[folded], present)
    return ""


def country_name(code: str, language: str | None) -> str:
    territories = Locale(language if language in LANGUAGES else "en").territories
    return str(territories.get(code.upper(), code))


class Country(Kind):
    label = "a country: its code (ES) or its name (Spain, España)"
    spaced = True

    def parse(self, text: str, ctx: Context | None, name: str) -> str:
        return country_code(text) or text.strip()

    def render(self, value: Any) -> str:
        return str(value)


COUNTRY = Country()
