"""Segment criteria in a sentence, English or Spanish: "add all Spanish companies to SM00003", "add the
people in Madrid to NEWSLETTER", "quita de SM00003 los que ya tuvieron una visita este mes". Read only
when the sentence names a segment, or says "segment" and names the contacts' type or history. Each part
comes from what declares it: the contact types from their kind (commands.inputs), countries from their
names (commands.countries), cities from the workspace's contacts, templates and groups by code or
description, the period from the sentence's dates (commands.tellme.dates), the evaluation and a failed
attempt as the other arguments read them."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from commands import countries, inputs
from commands.tellme.dates import Period
from commands.tellme.normalize import STOPWORDS, Word, concept
from store.enums import ContactType
from store.segment_criteria import Criteria, History, field_values, known_values
from store.templates import list_groups, template_descriptions

SEGMENT_WORDS = {"segment", "segmento", "segments", "segmentos"}
PLACE_WORDS = {"in", "from", "of", "at", "de", "en", "del", "desde"}
"""A country or a city follows one of these ("in Madrid", "empresas de Alemania")."""
ARTICLES = {"the", "el", "la", "los", "las"}
HAD = {"had", "has", "have", "got", "received", "tuvieron", "tuvo", "tenido", "tienen", "recibieron"}
WITHOUT = {"without", "sin"}
"""Said alone, "without a visit" / "sin visita" is had not."""
NOT = {"not", "no", "never", "nunca", "haven", "hasn", "didn", "don", "doesn", "t"} | WITHOUT
EVERYONE = {"everyone", "everybody", "anyone", "quienes", "already", "aquellos", "cualquiera", "todo"}
"""Words that say "the contacts" and nothing more: taken, so that no contact is looked for in them."""
PEOPLE = {"people", "gente"}
LONGEST_CITY = 3

Claim = Callable[[str, Any, list[int]], None]


def _type_words() -> dict[str, ContactType]:
    """The contact type's own words (commands.inputs), in the plural too, and "people"."""
    found: dict[str, ContactType] = dict.fromkeys(PEOPLE, ContactType.PERSON)
    for word, member in inputs.CONTACT_TYPE.words.items():
        plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
        found |= {word: member, plural: member}
    return found


TYPE_WORDS = _type_words()


@dataclass
class Reading:
    found: list[Word]
    free: list[int]
    fields: dict[str, str] = field(default_factory=dict)
    used: list[int] = field(default_factory=list)

    def take(self, positions: list[int]) -> None:
        self.used += positions
        self.free = [i for i in self.free if i not in positions]

    def after_place_word(self, i: int) -> list[int]:
        """The preposition (and article) before word i, when there is one: "in the", "de la"."""
        before = i - 1
        while before >= 0 and self.found[before].text in ARTICLES:
            before -= 1
        if before >= 0 and self.found[before].text in PLACE_WORDS:
            return list(range(before, i))
        return []

    def runs(self, start: int, longest: int) -> list[list[int]]:
        """Free positions from `start` on, 1 to `longest` of them in a row, longest first."""
        run = [start]
        while len(run) < longest and run[-1] + 1 in self.free:
            run.append(run[-1] + 1)
        return [run[:size] for size in range(len(run), 0, -1)]

    def text(self, positions: list[int]) -> str:
        return " ".join(self.found[i].text for i in positions)


def read_criteria(
    found: list[Word],
    free: list[int],
    values: dict[str, Any],
    period: Period | None,
    session: Session,
    team_id: str,
    claim: Claim,
) -> list[str]:
    """Claim `criteria` when the sentence is about a segment and names some; returns the other arguments
    it took into them (the period, the evaluation, a failed attempt), which then mean only that."""
    named = "segment" in values
    if not named and not any(word.text in SEGMENT_WORDS for word in found):
        return []
    reading = Reading(found, list(free))
    _contact_type(reading)
    _country(reading, session, team_id)
    _city(reading, session, team_id)
    history, absorbed = _history(reading, values, period, session, team_id)
    if not reading.fields and history is None:
        return []
    if not named and "type" not in reading.fields and history is None:
        return []  # "a new segment for the Barcelona fair" describes a segment, not its contacts
    reading.take([i for i in reading.free if found[i].text in EVERYONE])
    order = ("type", "country", "city")
    fields = tuple((name, reading.fields[name]) for name in order if name in reading.fields)
    criteria = Criteria(fields=fields, history=(history,) if history else ())
    claim("criteria", criteria, sorted(set(reading.used)))
    return absorbed


def _contact_type(reading: Reading) -> None:
    for i in reading.free:
        member = TYPE_WORDS.get(reading.found[i].text)
        if member is not None:
            reading.fields["type"] = member.value
            reading.take([i])
            return


def _is_contacts_word(word: Word) -> bool:
    return word.text in TYPE_WORDS or concept(word.text) == "contact"


def _country(reading: Reading, session: Session, team_id: str) -> None:
    """A country's name after a place word ("in Spain", "de Alemania"), or a language's adjective next to
    a word for contacts ("Spanish companies", "empresas españolas")."""
    names = countries.names()
    for i in list(reading.free):
        before = reading.after_place_word(i)
        if not before:
            continue
        for run in reading.runs(i, countries.LONGEST_NAME):
            code = names.get(reading.text(run))
            if code:
                reading.fields["country"] = code
                reading.take(before + run)
                return
    adjectives = countries.adjectives()
    for i in list(reading.free):
        language = adjectives.get(reading.found[i].text)
        near = [j for j in (i - 1, i + 1) if 0 <= j < len(reading.found)]
        if language and any(_is_contacts_word(reading.found[j]) for j in near):
            present = field_values(session, team_id, "country")
            code = countries.of_language(language, present)
            if code:
                reading.fields["country"] = code
                reading.take([i])
                return


def _city(reading: Reading, session: Session, team_id: str) -> None:
    """A city of this workspace's contacts after a place word ("in Madrid", "en Sevilla")."""
    starts = [i for i in reading.free if reading.after_place_word(i)]
    candidates = {
        reading.text(run): (i, run)
        for i in starts
        for run in reading.runs(i, LONGEST_CITY)
        if reading.found[run[0]].text not in STOPWORDS
    }
    known = known_values(session, team_id, "city", list(candidates))
    for text, (i, run) in sorted(candidates.items(), key=lambda item: -len(item[1][1])):
        if text in known:
            reading.fields["city"] = known[text]
            reading.take(reading.after_place_word(i) + run)
            return


def _history(
    reading: Reading, values: dict[str, Any], period: Period | None, session: Session, team_id: str
) -> tuple[History | None, list[str]]:
    """Had (or had not) an interaction of a template or group named after the verb ("who had a
    meeting", "los que ya tuvieron una visita", "without a visit"), in the sentence's period."""
    found = reading.found
    cue = next((i for i in reading.free if found[i].text in HAD | WITHOUT), None)
    if cue is None:
        return None, []
    negations = [j for j in range(max(0, cue - 3), cue + 1) if found[j].text in NOT and j in reading.free]
    code_at = _code(reading, cue, session, team_id)
    if code_at is None:
        return None, []
    code, position = code_at
    absorbed: list[str] = []
    history = History(code=code, had=not negations)
    positions = [cue, position, *negations]
    if period is not None:
        history = replace(history, date_from=period.first, date_to=period.last)
        positions += sorted(period.used)
        absorbed += ["from", "to", "due"]
    if values.get("evaluation"):
        history = replace(history, evaluation=str(values["evaluation"]))
        absorbed.append("evaluation")
    if values.get("failed") is True:
        history = replace(history, failed=True)
        absorbed.append("failed")
    reading.take(positions)
    return history, absorbed


def _code(reading: Reading, cue: int, session: Session, team_id: str) -> tuple[str, int] | None:
    """The template or group named after the verb: by its code, else by a word of its description (a
    template before a group)."""
    templates = template_descriptions(session, team_id)
    groups = [(g.code, g.description) for g in list_groups(session, team_id)]
    after = [i for i in reading.free if i > cue and reading.found[i].text not in STOPWORDS]
    for rows in (templates, groups):
        for i in after:
            for code, _ in rows:
                if reading.found[i].text == code.casefold():
                    return code, i
    for rows in (templates, groups):
        for i in after:
            meaning = concept(reading.found[i].text)
            for code, description in rows:
                words = f"{code} {description}".casefold().replace("-", " ").split()
                if meaning in {concept(word) for word in words if word not in STOPWORDS and len(word) > 2}:
                    return code, i
    return None
