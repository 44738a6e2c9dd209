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

from commands.action import Action
from commands.tellme.normalize import STOPWORDS, SURFACE, concept, fold, words

ALIGNMENT_SHARE = 0.8
UNKNOWN_WORD_WEIGHT = 1.0
ARGUMENT_WEIGHT = 0.8
STOPWORD_WEIGHT = 0.15
GENERIC = "show"
"""Words like "show" or "list" help a phrase match but say little about which action is meant."""
ARGUMENT_CONCEPTS = {
    "template": "template",
    "contact": "contact",
    "segment": "segment",
    "document_kind": "document",
    "field": "details",
    "criteria": "contact",
}
"""An argument found stands in for the word naming its kind: "add John Smith to SM01" says "contact",
"what's Kim's e-mail?" asks for details."""
SELECTION = "criteria"
"""The argument whose words say which contacts, not which action (a segment step's criteria)."""
FRECENCY_POINTS = 3.0
"""At most this many points for what the user runs often and lately: enough to settle a near-tie."""

Resolved = dict[str, float]
"""A query word's possible concepts, each with how sure we are (0-100)."""


@dataclass(frozen=True)
class Phrase:
    action: Action
    text: str
    concepts: tuple[str, ...]
    weight: float
    total: float = 0.0
    """The sum of its concepts' weights."""


def acronym(title: str) -> str:
    initials = [word.text[0] for word in words(title) if word.text not in STOPWORDS]
    return "".join(initials) if len(initials) >= 3 else ""


class Ranker:
    def __init__(self, actions: Iterable[Action]) -> None:
        self.actions = tuple(actions)
        self.phrases: list[Phrase] = []
        for action in self.actions:
            for text, weight in self._texts(action):
                found = [word.text for word in words(text)]
                content = [concept(word) for word in found if word not in STOPWORDS]
                self.phrases.append(Phrase(action, fold(text), tuple(content or found), weight))
        self.phrase_texts = [phrase.text for phrase in self.phrases]
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
        # Whole-text comparison uses titles and keywords, not acronyms (short strings match anything).
        self.compared = sorted(
            {(p.text, p.action.id, p.weight) for p in self.phrases if " " in p.text or p.weight >= 0.96}
        )
        vocabulary = set(SURFACE) | {word for phrase in self.phrase_texts for word in phrase.split()}
        self.vocabulary = sorted(word for word in vocabulary if word not in STOPWORDS and not word.isdigit())

    @staticmethod
    def _texts(action: Action) -> Iterable[tuple[str, float]]:
        yield action.title, 1.0
        yield action.title_es, 1.0
        for keyword in (*action.keywords, *action.keywords_es):
            yield keyword, 0.96
        for title in (action.title, action.title_es):
            if initials := acronym(title):
                yield initials, 0.95

    @lru_cache(maxsize=4096)  # noqa: B019 - one Ranker lives as long as the process
    def resolve(self, word: str) -> Resolved:
        known = concept(word)
        if known in self.idf or word in SURFACE:
            return {known: 100.0}
        found: Resolved = {}
        if len(word) >= 4:
            cutoff = 75.0 if len(word) == 4 else 80.0  # about one slip in five letters
            for candidate, score, _ in process.extract(
                word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=6
            ):
                meaning = concept(candidate)
                found[meaning] = max(found.get(meaning, 0.0), score)
        if len(word) >= 2:
            start = bisect_left(self.vocabulary, word)
            for candidate in self.vocabulary[start : start + 40]:
                if not candidate.startswith(word):
                    break
                if candidate != word:
                    meaning = concept(candidate)
                    score = 70.0 + 25.0 * len(word) / len(candidate)
                    found[meaning] = max(found.get(meaning, 0.0), score)
        return {meaning: score for meaning, score in found.items() if meaning in self.idf}

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
    ) -> list[tuple[Action, float]]:
        """Every action with its score, best first.

        `explained` names, per argument, the query words it took (a contact's name, a date): they count
        for actions that take that argument. Each item of `evidence` is an argument found, with the
        argument names that could take it: it counts for the actions that take one of them, against
        those that take none, and stands in for its word in phrases ("add <contact> to segment").
        `hidden` names, per argument, words that mean something else when that argument reads them (the
        "e-mail" of "Kim's e-mail" is no interaction): an action that does not take it does not see them."""
        explained = explained or {}
        frecency = frecency or {}
        evidence = list(evidence)
        content = [word for word in query_words if not word.isdigit()]
        only_stopwords = all(word in STOPWORDS for word in content)  # "its": an acronym after all
        resolved = [
            (word, {} if word in STOPWORDS and not only_stopwords else self.resolve(word)) for word in content
        ]
        stand_in_names = [names for names in evidence if names[0] in ARGUMENT_CONCEPTS]
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
        views: dict[tuple[frozenset[str], bool], tuple[list[tuple[str, Resolved]], Resolved]] = {}
        string_scores = self._string_scores(" ".join(content))
        ranked = []
        for action in self.actions:
            unseen = frozenset(w for name, ws in hidden.items() if name not in action.arg_by_name for w in ws)
            selects = SELECTION in action.arg_by_name or not selection
            if (unseen, selects) not in views:
                seen = [
                    (word, meanings if selects or word not in selection else {})
                    for word, meanings in resolved
                    if word not in unseen
                ]
                views[unseen, selects] = (seen, _best(seen, stand_ins if selects else others))
            seen, best = views[unseen, selects]
            taken = {word for arg in action.arg_by_name for word in explained.get(arg, ())}
            usable = sum(ARGUMENT_WEIGHT for names in evidence if set(names) & action.arg_by_name.keys())
            coverage = self._coverage(action, best)
            precision = self._precision(action, seen, taken, usable, ARGUMENT_WEIGHT * len(evidence))
            alignment = 100.0 * coverage * (0.3 + 0.7 * precision)
            score = ALIGNMENT_SHARE * alignment + (1 - ALIGNMENT_SHARE) * string_scores.get(action.id, 0.0)
            score = min(100.0, score + FRECENCY_POINTS * frecency.get(action.id, 0.0))
            ranked.append((action, round(score, 1)))
        ranked.sort(key=lambda pair: -pair[1])
        return ranked

    def _coverage(self, action: Action, best: Resolved) -> float:
        """How much of the action's best-matching title or keyword phrase the query says, 0 to 1."""
        return max(
            phrase.weight
            * sum(self.idf[c] * best.get(c, 0.0) for c in phrase.concepts)
            / phrase.total
            / 100.0
            for phrase in self.by_action[action.id]
        )

    def _precision(
        self,
        action: Action,
        resolved: list[tuple[str, Resolved]],
        taken: set[str],
        usable: float,
        offered: float,
    ) -> float:
        """How much of the query the action accounts for, 0 to 1."""
        concepts = self.action_concepts[action.id]
        wanted, explained = offered, usable
        for word, meanings in resolved:
            if word in taken:
                continue
            if word in STOPWORDS or GENERIC in meanings:
                # Little weight, but "list" still leans towards the actions that list things.
                wanted += STOPWORD_WEIGHT
                explained += STOPWORD_WEIGHT if word in STOPWORDS or GENERIC in concepts else 0.0
                continue
            weight = self.weight(meanings)
            wanted += weight
            explained += weight * max((s for c, s in meanings.items() if c in concepts), default=0.0) / 100
        return explained / wanted if wanted else 1.0

    def _string_scores(self, query: str) -> dict[str, float]:
        scores: dict[str, float] = {}
        if not query:
            return scores
        texts = [text for text, _, _ in self.compared]
        for _, score, index in process.extract(query, texts, scorer=fuzz.WRatio, limit=None, score_cutoff=50):
            _, action_id, weight = self.compared[index]
            scores[action_id] = max(scores.get(action_id, 0.0), score * weight)
        return scores


def _best(resolved: list[tuple[str, Resolved]], stand_ins: list[Resolved]) -> Resolved:
    """Each concept the query says, with how surely it says it."""
    best: Resolved = {}
    for meanings in [m for _, m in resolved] + stand_ins:
        for c, score in meanings.items():
            best[c] = max(best.get(c, 0.0), score)
    return best
