"""Which catalog actions a sentence asks for, scored 0 to 100.

Two scorers, built once from the catalog: a word-alignment score (each word of the query, spelled
right or not, standing for a concept; how much of an action's title or keyword phrase the query
covers, and how much of the query the action explains) and rapidfuzz's WRatio of the whole text
against each title and keyword, which still sees words run together or split apart."""

import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from commands import inputs
from commands.action import Action
from commands.tellme.intent import NEUTRAL, SHOWING, Intent
from commands.tellme.lexicon import ORDINARY
from commands.tellme.normalize import STOPWORDS, SURFACE, Word, concept, fold, words

ALIGNMENT_SHARE = 0.8
UNKNOWN_WORD_WEIGHT = 1.0
ARGUMENT_WEIGHT = 0.8
STOPWORD_WEIGHT = 0.15
GENERIC = "show"
"""Words like "show" or "list" help a phrase match but say little about which action is meant."""
GENERIC_PHRASE = 0.6
ALTERNATIVE = 3.0
"""How close to its best reading another reading of a misspelt word must be to count."""
ARGUMENT_CONCEPTS = {
    "template": "template",
    "contact": "contact",
    "segment": "segment",
    "document_kind": "document",
    "field": "details",
    "criteria": "contact",
    "evaluation": "evaluate",
    "entry_nos": "entry",
    "name": "contact",
    "failed": "call",
}
"""An argument found stands in for the word naming its kind: "add John Smith to SM01" says "contact",
"what's Kim's e-mail?" asks for details."""
THINGS = frozenset({"interaction", "log", "entry", "segment", "logged"})
"""The records the log holds: named by any action on them, they tell none apart."""
SELECTION = "criteria"
"""The argument whose words say which contacts, not which action (a segment step's criteria)."""
MISFIT = {
    "entry_nos": 0.85,
    "task_no": 0.8,
    "contact": 0.92,
    "segment": 0.9,
    "template": 0.9,
    "evaluation": 0.85,
    "document_kind": 0.75,
}
"""How much an action loses for each argument found that it cannot take: an entry number said to an
action that takes none is a strong sign against it; other kinds, by default, a weaker one."""
OTHER_MISFIT = 0.95
NUMBER_MISSING = 0.93
"""An action that needs an entry (or task, or segment) number, when the sentence names none: "interaction
log entries" lists them rather than showing one."""
INTENT_MISFIT = 0.8
"""A sentence asking to be shown something, for an action that changes something; and the other way."""
EXACT_POINTS = 6.0
"""For a sentence that is a title or keyword exactly: "add contacts to segment" is that action, not the
one titled "Add Contacts"."""
AGREEMENT = 0.95
"""Of two actions whose titles say the same words but for the number of their noun ("Add Contact", "Add
Contacts"; "Interaction Log Entry", "Interaction Log Entries"), the one that disagrees with the sentence's
("add a new contact") keeps this share of its score."""
FRECENCY_POINTS = 3.0
"""At most this many points for what the user runs often and lately: enough to settle a near-tie."""
COMPARED = 6
"""Actions whose titles and keywords are compared with the whole text: the best by the other scores (on
the tuning and older sentences, the first and the decision of every one scoring above 30 are the same
with 6 as with 12, and the comparison takes half the time)."""

Resolved = dict[str, float]
"""A query word's possible concepts, each with how sure we are (0-100)."""
Weighed = tuple[str, bool, bool, float, tuple[tuple[str, float], ...]]
"""A query word, whether it is a stopword, whether it is generic, its weight and its concepts."""


@dataclass(frozen=True)
class Phrase:
    action: Action
    text: str
    concepts: tuple[str, ...]
    weight: float
    total: float = 0.0
    """The sum of its concepts' weights."""


def _slip(typed: str, known: str) -> bool:
    """Whether `typed` is `known` with a slip or two of the keyboard: a letter wrong, missing, extra or
    swapped (two in a long word), not another word that shares letters ("contesto" is no "conteo")."""
    slips = 1 if len(known) <= 6 else 2
    return abs(len(typed) - len(known)) <= 1 and DamerauLevenshtein.distance(typed, known) <= slips


def acronym(title: str) -> str:
    initials = [word.text[0] for word in words(title) if word.text not in STOPWORDS]
    return "".join(initials) if len(initials) >= 3 else ""


def reorder(ranked: list[tuple[Action, float]], frecency: Mapping[str, float]) -> list[tuple[Action, float]]:
    """What the user runs often and lately only settles a near-tie: it reorders, it adds no points (a
    sentence that is not clear enough to run does not run because it was run before)."""
    return sorted(ranked, key=lambda pair: -(pair[1] + FRECENCY_POINTS * frecency.get(pair[0].id, 0.0)))


def near_tie(ranked: list[tuple[Action, float]]) -> bool:
    return len(ranked) > 1 and ranked[0][1] - ranked[1][1] < FRECENCY_POINTS


class Ranker:
    def __init__(self, actions: Iterable[Action]) -> None:
        self.actions = tuple(actions)
        self.phrases: list[Phrase] = []
        for action in self.actions:
            for text, weight in self._texts(action):
                found = [word.text for word in words(text)]
                content = [concept(word) for word in found if word not in STOPWORDS]
                if content and all(c == GENERIC for c in content):
                    weight *= GENERIC_PHRASE  # "listado" alone says little about what is listed
                self.phrases.append(Phrase(action, fold(text), tuple(content or found), weight))
        self.phrase_texts = [phrase.text for phrase in self.phrases]
        self.acronyms = {initials for action in self.actions for _, initials in self._initials(action)}
        self.by_action: dict[str, list[Phrase]] = {}
        for phrase in self.phrases:
            self.by_action.setdefault(phrase.action.id, []).append(phrase)
        self.action_concepts = {
            action_id: frozenset(c for phrase in phrases for c in phrase.concepts)
            for action_id, phrases in self.by_action.items()
        }
        actions_with: dict[str, int] = {}
        for known in self.action_concepts.values():
            for c in known:
                actions_with[c] = actions_with.get(c, 0) + 1
        total = len(self.actions)
        self.idf = {c: 1.0 + math.log(total / count) for c, count in actions_with.items()}
        self.phrases = [replace(p, total=sum(self.idf[c] for c in p.concepts)) for p in self.phrases]
        self.by_action = {}
        for phrase in self.phrases:
            self.by_action.setdefault(phrase.action.id, []).append(phrase)
        self.holding: dict[str, list[tuple[int, float]]] = {}
        """Per concept, the phrases that hold it, with its weight in each (a concept said twice in a
        phrase counts twice, as in its total)."""
        for index, phrase in enumerate(self.phrases):
            for c in phrase.concepts:
                self.holding.setdefault(c, []).append((index, self.idf[c]))
        # Whole-text comparison uses titles and keywords, not acronyms (short strings match anything).
        self.compared = sorted(
            {(p.text, p.action.id, p.weight) for p in self.phrases if " " in p.text or p.weight >= 0.96}
        )
        self.exact: dict[str, set[str]] = {}
        for action in self.actions:
            for text, _ in self._texts(action):
                said = " ".join(w.text for w in words(text) if not w.text.isdigit())
                self.exact.setdefault(said, set()).add(action.id)
        self.shows = {
            action.id: action.policy.read_only
            or next((concept(w.text) for w in words(action.title) if w.text not in STOPWORDS), "")
            in (SHOWING, "export")
            for action in self.actions
        }
        self.takes_number = {  # as said: a question pins the number of a purge (its cut-off)
            action.id: any(
                isinstance(arg.kind, inputs.Number | inputs.Numbers) and not arg.pinned for arg in action.args
            )
            for action in self.actions
        }
        self.needs_number = {
            action.id: any(
                arg.required and isinstance(arg.kind, inputs.Number | inputs.Numbers) for arg in action.args
            )
            for action in self.actions
        }
        self.numbers = _title_numbers(self.actions)
        self.reads: dict[str, frozenset[str]] = {}
        """Per action, the arguments whose words it explains: its own; a contact's name too for a list
        searched by it, and for a list of contacts (named as one is)."""
        for action in self.actions:
            takes = set(action.arg_by_name)
            if (self.shows[action.id] and "text" in takes) or "contacts" in takes:
                takes.add("contact")
            self.reads[action.id] = frozenset(takes)
        self._taking: dict[tuple[str, tuple[str, ...]], bool] = {}
        self.one_contact = {  # acts on one contact it needs: a sentence saying "contacts" asks for more
            action.id: any(arg.required and arg.kind is inputs.CONTACT for arg in action.args)
            for action in self.actions
        }
        self.phrases_verb = {  # the concept of the first word of each action's title: "delete"
            action.id: next((concept(w.text) for w in words(action.title) if w.text not in STOPWORDS), "")
            for action in self.actions
        }
        # What a misspelt word may be read as: the lexicon's words, the titles' and one-word keywords'. A
        # word only found inside a longer keyword ("made" of "calls made") is read only as typed, so that
        # "madre" or "water" is not taken for it.
        titles = {fold(title) for action in self.actions for title in (action.title, action.title_es)}
        standing = [p.text for p in self.phrases if p.text in titles or " " not in p.text]
        vocabulary = set(SURFACE) | {word for phrase in standing for word in phrase.split()}
        self.vocabulary = sorted(word for word in vocabulary if word not in STOPWORDS and not word.isdigit())

    @staticmethod
    def _texts(action: Action) -> Iterable[tuple[str, float]]:
        yield action.title, 1.0
        yield action.title_es, 1.0
        for keyword in (*action.keywords, *action.keywords_es):
            yield keyword, 0.96
        for initials, _ in Ranker._initials(action):
            yield initials, 0.95

    @staticmethod
    def _initials(action: Action) -> Iterable[tuple[str, str]]:
        for title in (action.title, action.title_es):
            if initials := acronym(title):
                yield initials, initials

    @lru_cache(maxsize=4096)  # noqa: B019 - one Ranker lives as long as the process
    def resolve(self, word: str) -> Resolved:
        if word in ORDINARY:
            return {}
        known = concept(word)
        if known in self.idf or word in SURFACE:
            return {known: 100.0}
        found: Resolved = {}
        if len(word) >= 4:
            cutoff = 75.0 if len(word) == 4 else 80.0  # about one slip in five letters
            for candidate, score, _ in process.extract(
                word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=6
            ):
                if not _slip(word, candidate):
                    continue
                meaning = concept(candidate)
                found[meaning] = max(found.get(meaning, 0.0), score)
        if len(word) >= 2:
            start = bisect_left(self.vocabulary, word)
            for candidate in self.vocabulary[start : start + 40]:
                if not candidate.startswith(word):
                    break
                if candidate != word and (len(word) >= 5 or len(word) >= 0.6 * len(candidate)):
                    meaning = concept(candidate)
                    score = 70.0 + 25.0 * len(word) / len(candidate)
                    found[meaning] = max(found.get(meaning, 0.0), score)
        known = {meaning: score for meaning, score in found.items() if meaning in self.idf}
        # A misspelt word means what it is closest to; a weaker likeness ("restroe" to "register") is
        # noise that would count for any action with that concept.
        top = max(known.values(), default=0.0)
        return {meaning: score for meaning, score in known.items() if score >= top - ALTERNATIVE}

    def weight(self, resolved: Resolved) -> float:
        if not resolved:
            return UNKNOWN_WORD_WEIGHT
        best = max(resolved, key=resolved.__getitem__)
        return self.idf.get(best, 1.0)

    def rank(
        self,
        query_words: list[str],
        explained: Mapping[str, frozenset[str]] | None = None,
        frecency: Mapping[str, float] | None = None,
        evidence: Iterable[tuple[str, ...]] = (),
        hidden: Mapping[str, frozenset[str]] | None = None,
        intent: Intent = NEUTRAL,
        numbers: Mapping[str, str] | None = None,
    ) -> list[tuple[Action, float]]:
        """Every action with its score, best first.

        `explained` names, per argument, the query words it took (a contact's name, a date): they count
        for actions that take that argument. Each item of `evidence` is an argument found, with the
        argument names that could take it: it counts for the actions that take one of them, against
        those that take none, and stands in for its word in phrases ("add <contact> to segment").
        `hidden` names, per argument, words that mean something else when that argument reads them (the
        "e-mail" of "Kim's e-mail" is no interaction): an action that does not take it does not see them.
        `numbers`: the grammatical number of the nouns the sentence says, by concept (`said_numbers`)."""
        explained = explained or {}
        frecency = frecency or {}
        evidence = list(evidence)
        content = [word for word in query_words if not word.isdigit()]
        only_stopwords = all(word in STOPWORDS for word in content)  # "its": an acronym after all
        resolved = [
            (word, self.resolve(word) if word not in STOPWORDS or word in self.acronyms else {})
            if only_stopwords
            else (word, {} if word in STOPWORDS else self.resolve(word))
            for word in content
        ]
        # A word read as a contact's name says nothing else ("Ana" is no "añade", "Peter" no "meter").
        names_said = explained.get("contact", frozenset()) | explained.get("contacts", frozenset())
        if names_said:
            resolved = [(word, {} if word in names_said else meanings) for word, meanings in resolved]
        stand_in_names = [
            names
            for names in evidence
            if names[0] in ARGUMENT_CONCEPTS and (names[0] != "entry_nos" or content)  # not "42" alone
        ]
        stand_ins = [{ARGUMENT_CONCEPTS[names[0]]: 90.0} for names in stand_in_names]
        hidden = hidden or {}
        # Words read as what to select ("the companies in Sevilla") say nothing of the action to an
        # action that selects nothing: for it they are words it does not explain.
        selection = set(explained.get(SELECTION, ()))
        others = [
            stand_in
            for stand_in, names in zip(stand_ins, stand_in_names, strict=True)
            if names[0] != SELECTION
        ]
        # What an action sees of the sentence: not the words only an argument it lacks reads otherwise
        # (`hidden`), nor the criteria when it selects nothing. Few views, each worked out once.
        views: dict[tuple[frozenset[str], bool], tuple[list[tuple[str, Resolved]], dict[str, float]]] = {}
        exact = self.exact.get(" ".join(content), set())
        said_numbers = numbers or {}
        numbered = any(names[0] in ("entry_nos", "segment_no", "task_no") for names in evidence)
        aligned = []
        taken_by: dict[frozenset[str], set[str]] = {}
        named_one = any(names[0] == "contact" for names in evidence)
        many_contacts = said_numbers.get("contact") == "many" and not named_one
        for action in self.actions:
            unseen = frozenset(w for name, ws in hidden.items() if name not in action.arg_by_name for w in ws)
            selects = SELECTION in action.arg_by_name or not selection
            if (unseen, selects) not in views:
                seen = [
                    (word, meanings if selects or word not in selection else {})
                    for word, meanings in resolved
                    if word not in unseen
                ]
                views[unseen, selects] = (
                    self._weighed(seen),
                    self._coverages(_best(seen, stand_ins if selects else others)),
                )
            weighed, coverages = views[unseen, selects]
            reads = self.reads[action.id]
            if reads not in taken_by:
                taken_by[reads] = {word for arg in reads for word in explained.get(arg, ())}
            usable = sum(ARGUMENT_WEIGHT for names in evidence if self._takes(action, names))
            coverage = coverages.get(action.id, 0.0)
            precision = self._precision(
                self.action_concepts[action.id],
                weighed,
                taken_by[reads],
                usable,
                ARGUMENT_WEIGHT * len(evidence),
            )
            alignment = 100.0 * coverage * (0.3 + 0.7 * precision)
            fit = self._fit(action, evidence, intent, numbered)
            noun = self.numbers.get(action.id)
            said = said_numbers.get(noun[0], "") if noun is not None else ""
            if noun is not None and said and said != noun[1] and (noun[2] or said == "many"):
                fit *= AGREEMENT
            elif many_contacts and self.one_contact[action.id]:
                fit *= AGREEMENT  # "lista de contactos" is no one contact's card
            aligned.append((alignment, fit, action))
        # The whole-text comparison is the slow part: only for the actions that could end up in front
        # (what it adds cannot lift one from further back).
        aligned.sort(key=lambda item: -item[0] * item[1])
        leading = {action.id for _, _, action in aligned[:COMPARED]}
        string_scores = self._string_scores(" ".join(content), leading)
        ranked = []
        for alignment, fit, action in aligned:
            score = ALIGNMENT_SHARE * alignment + (1 - ALIGNMENT_SHARE) * string_scores.get(action.id, 0.0)
            score = min(100.0, score * fit)
            if action.id in exact and only_stopwords:  # "what can you do": Help's own words
                score = 100.0
            if exact:  # the sentence is this action's title or keyword, or another's
                score = (
                    min(100.0, score + EXACT_POINTS) if action.id in exact else min(score, 100 - EXACT_POINTS)
                )
            ranked.append((action, round(score, 1)))
        return reorder(ranked, frecency)

    def said_whole(self, action: Action, query_words: list[str], evidence: Iterable[tuple[str, ...]]) -> bool:
        """Whether the query says every concept of one of the action's titles or keywords, surely, or by
        an argument found standing in for it."""
        said = {
            meaning
            for word in query_words
            if word not in STOPWORDS
            for meaning, sure in self.resolve(word).items()
            if sure >= 80.0
        } | {ARGUMENT_CONCEPTS[names[0]] for names in evidence if names[0] in ARGUMENT_CONCEPTS}
        # A phrase of its own that says more than its verb ("purge") and the records it acts on ("entries",
        # which "delete all my emails" seems to say): what sets it apart ("canceled", "gdpr").
        verb = self.phrases_verb.get(action.id, "")
        return any(
            set(p.concepts) - THINGS - {verb} and set(p.concepts) - THINGS <= said
            for p in self.by_action[action.id]
        )

    def _takes(self, action: Action, names: tuple[str, ...]) -> bool:
        """Whether the action takes an argument found, which any of `names` could be."""
        key = (action.id, names)
        if key not in self._taking:
            self._taking[key] = self._takes_now(action, names)
        return self._taking[key]

    def _takes_now(self, action: Action, names: tuple[str, ...]) -> bool:
        if names[0] == "entry_nos":  # a bare number: only as a number ("segment" may be a code)
            return self.takes_number[action.id]
        takes = action.arg_by_name.keys()
        searched = names[0] == "contact" and self.shows[action.id] and "text" in takes
        return searched or bool(set(names) & takes)

    def _fit(self, action: Action, evidence: list[tuple[str, ...]], intent: Intent, numbered: bool) -> float:
        """1 for an action that takes every argument found and does what the sentence asks (shows or
        changes), less for each that it does not."""
        fit = 1.0
        for names in evidence:
            if not self._takes(action, names):
                fit *= MISFIT.get(names[0], OTHER_MISFIT)
        if self.needs_number[action.id] and not numbered:
            fit *= NUMBER_MISSING
        if (intent.reading and not self.shows[action.id]) or (intent.changing and self.shows[action.id]):
            fit *= INTENT_MISFIT
        return fit

    def _coverages(self, best: Resolved) -> dict[str, float]:
        """Per action, how much of its best-matching title or keyword phrase the query says, 0 to 1:
        summed over the phrases that hold a concept of the query only."""
        said: dict[int, float] = {}
        for c, sure in best.items():
            for index, part in self.holding.get(c, ()):
                said[index] = said.get(index, 0.0) + part * sure
        coverages: dict[str, float] = {}
        for index, amount in said.items():
            phrase = self.phrases[index]
            share = phrase.weight * amount / phrase.total / 100.0
            if share > coverages.get(phrase.action.id, 0.0):
                coverages[phrase.action.id] = share
        return coverages

    def _weighed(self, resolved: list[tuple[str, Resolved]]) -> list[Weighed]:
        """The query's words as `_precision` reads them, worked out once for every action."""
        return [
            (word, word in STOPWORDS, GENERIC in meanings, self.weight(meanings), tuple(meanings.items()))
            for word, meanings in resolved
        ]

    @staticmethod
    def _precision(
        concepts: frozenset[str], weighed: list[Weighed], taken: set[str], usable: float, offered: float
    ) -> float:
        """How much of the query the action (of these concepts) accounts for, 0 to 1."""
        wanted, explained = offered, usable
        for word, stopword, generic, weight, meanings in weighed:
            if word in taken:
                continue
            if stopword or generic:
                # Little weight, but "list" still leans towards the actions that list things.
                wanted += STOPWORD_WEIGHT
                explained += STOPWORD_WEIGHT if stopword or GENERIC in concepts else 0.0
                continue
            wanted += weight
            explained += weight * max((s for c, s in meanings if c in concepts), default=0.0) / 100
        return explained / wanted if wanted else 1.0

    def _string_scores(self, query: str, leading: set[str]) -> dict[str, float]:
        scores: dict[str, float] = {}
        if not query:
            return scores
        compared = [item for item in self.compared if item[1] in leading]
        texts = [text for text, _, _ in compared]
        for _, score, index in process.extract(query, texts, scorer=fuzz.WRatio, limit=None, score_cutoff=50):
            _, action_id, weight = compared[index]
            scores[action_id] = max(scores.get(action_id, 0.0), score * weight)
        return scores


def _best(resolved: list[tuple[str, Resolved]], stand_ins: list[Resolved]) -> Resolved:
    """Each concept the query says, with how surely it says it."""
    best: Resolved = {}
    for meanings in [m for _, m in resolved] + stand_ins:
        for c, score in meanings.items():
            best[c] = max(best.get(c, 0.0), score)
    return best


def grammatical_number(word: str) -> str:
    """ "many" for a plural noun Tell Me knows ("contacts", "entries", "contactos"), "one" for its
    singular, "" for a word with no plural it knows."""
    meaning = concept(word)
    if meaning == word and word not in SURFACE:
        return ""
    if word.endswith("s") and len(word) > 3:
        singular = (word[:-1], word[:-2], word[:-3] + "y" if word.endswith("ies") else "")
        if any(form and form in SURFACE and concept(form) == meaning for form in singular):
            return "many"
    plural = (word + "s", word + "es", word[:-1] + "ies" if word.endswith("y") else "")
    if any(form and form in SURFACE and concept(form) == meaning for form in plural):
        return "one"
    return ""


def said_numbers(found: Iterable[Word]) -> dict[str, str]:
    """The grammatical number of each noun said, by its concept (an expression's, by its last word:
    "log entries" is many entries)."""
    numbers: dict[str, str] = {}
    for word in found:
        typed = fold(word.raw).split()
        number = grammatical_number(typed[-1]) if typed else ""
        if number:
            numbers[concept(word.text)] = number
    return numbers


def _title_numbers(actions: Iterable[Action]) -> dict[str, tuple[str, str, bool]]:
    """For actions whose English titles end in the same noun, some in the singular and some in the
    plural, that noun's concept and number in each, and whether a sentence saying the other number
    counts against it either way (titles otherwise alike: "Add Contact", "Add Contacts") or only when
    the sentence says many ("mis tareas" is no Create Task; "is there a segment for ..." asks for the
    list all the same)."""
    nouns: dict[str, list[tuple[Action, tuple[str, ...], str]]] = {}
    for action in actions:
        said = [word for word in words(action.title) if word.text not in STOPWORDS]
        if said:
            key = tuple(concept(word.text) for word in said)
            number = said_numbers(said[-1:]).get(key[-1], "")
            nouns.setdefault(key[-1], []).append((action, key, number))
    found: dict[str, tuple[str, str, bool]] = {}
    for noun, alike in nouns.items():
        if len({n for _, _, n in alike} - {""}) < 2:
            continue
        for action, key, number in alike:
            twins = [n for other, k, n in alike if k == key and other is not action and n and n != number]
            if number:
                found[action.id] = (noun, number, bool(twins))
    return found
