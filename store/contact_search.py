"""Fuzzy lookup of a workspace's contacts by name, number or e-mail, fast enough for 100,000 contacts.

Each process keeps an index of name tokens per workspace: built from the database once (at start, by
`warm_contact_indexes`, or on first use), then kept up to date. `Workspace.contacts_version` moves on with
every add or rename (the contact service bumps it), and each contact written carries the version that wrote
it (`Contact.search_version`); so checking freshness costs one small query, and catching up with what this
or any other process changed reads only the contacts newer than the index. The database stays the only
authority. Misspelt tokens are found through their one-deletion variants (a symmetric-delete index), which
covers one wrong, missing, extra or swapped letter without comparing against every name."""

import heapq
import re
import threading
import unicodedata
from bisect import bisect_left, insort
from collections.abc import Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, sessionmaker

from store.models import Contact, Workspace

TOKEN = re.compile(r"[a-z0-9]+")
MIN_TOKEN_SCORE = 70.0
MAX_POSTINGS_PER_TOKEN = 2_000
BROAD_TOKEN = 1_000
RERANKED = 40


@dataclass(frozen=True)
class ContactMatch:
    no: str
    name: str
    score: float


def normalize_name(name: str) -> str:
    """Lowercased, accent-stripped, single-spaced: the form kept in `Contact.search_name`."""
    if name.isascii():  # the same result, without decomposing (an import normalizes ~4 times a row)
        return " ".join(name.lower().split())
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.split())


def name_tokens(name: str) -> list[str]:
    return TOKEN.findall(normalize_name(name))


def _deletions(token: str) -> Iterator[str]:
    for i in range(len(token)):
        yield token[:i] + token[i + 1 :]


MAX_NAME_WORDS = 4
SPOTTED = 5
FUZZY_SPOT = 85.0


@dataclass(frozen=True)
class Spotted:
    start: int
    end: int
    """The words [start, end) that named it."""
    nos: list[str]
    """One contact; several when the words fit several equally (to choose from)."""
    exact: bool


@dataclass
class ContactIndex:
    version: int | None
    nos: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)
    tokens: list[tuple[str, ...]] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    by_no: dict[str, int] = field(default_factory=dict)
    by_email: dict[str, int] = field(default_factory=dict)
    by_plain: dict[str, list[int]] = field(default_factory=dict)
    postings: dict[str, list[int]] = field(default_factory=dict)
    variants: dict[str, list[str]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)
    sealed: bool = False

    def add(self, no: str, name: str, email: str) -> None:
        """A contact, new or with a new name or e-mail address (it then replaces what was indexed)."""
        position = self.by_no.get(no.upper())
        tokens = name_tokens(name)
        email = email.strip().lower()
        if position is None:
            position = len(self.nos)
            self.nos.append(no)
            self.names.append(name)
            self.plain.append(" ".join(tokens))
            self.tokens.append(tuple(tokens))
            self.emails.append(email)
            self.by_no[no.upper()] = position
            self.by_plain.setdefault(self.plain[position], []).append(position)
        else:
            for token in dict.fromkeys(self.tokens[position]):
                self._unpost(token, position)
            if self.by_email.get(self.emails[position]) == position:
                del self.by_email[self.emails[position]]
            same = self.by_plain.get(self.plain[position], [])
            if position in same:
                same.remove(position)
            self.names[position] = name
            self.plain[position] = " ".join(tokens)
            self.tokens[position] = tuple(tokens)
            self.emails[position] = email
            self.by_plain.setdefault(self.plain[position], []).append(position)
        if email:
            self.by_email[email] = position
        for token in dict.fromkeys(tokens):
            posted = self.postings.get(token)
            if posted is None:
                self.postings[token] = [position]
                if self.sealed:
                    self._word(token)
            else:
                posted.append(position)

    def _unpost(self, token: str, position: int) -> None:
        posted = self.postings.get(token, [])
        if position in posted:
            posted.remove(position)
        if not posted and token in self.postings:
            del self.postings[token]
            at = bisect_left(self.vocabulary, token)
            if at < len(self.vocabulary) and self.vocabulary[at] == token:
                del self.vocabulary[at]
            for variant in _deletions(token) if len(token) >= 3 else ():
                spelt = self.variants.get(variant, [])
                if token in spelt:
                    spelt.remove(token)

    def _word(self, token: str) -> None:
        """A token no indexed name had before."""
        insort(self.vocabulary, token)
        if len(token) >= 3:
            for variant in _deletions(token):
                self.variants.setdefault(variant, []).append(token)

    def seal(self) -> None:
        """After the first load: the sorted vocabulary and the misspelling index, built once."""
        self.vocabulary = sorted(self.postings)
        for token in self.vocabulary:
            if len(token) < 3:
                continue
            for variant in _deletions(token):
                self.variants.setdefault(variant, []).append(token)
        self.sealed = True

    def similar_tokens(self, token: str) -> dict[str, float]:
        """Index tokens close to `token`: equal, one edit away, or starting with it."""
        found: dict[str, float] = {}
        if token in self.postings:
            found[token] = 100.0
        if len(token) >= 3:
            for key in (token, *_deletions(token)):
                # `key` may itself be a name (one letter too many typed) or one letter short of names.
                extra = (key,) if key != token and key in self.postings else ()
                for candidate in (*extra, *self.variants.get(key, ())):
                    score = fuzz.ratio(token, candidate)
                    if score >= MIN_TOKEN_SCORE and score > found.get(candidate, 0.0):
                        found[candidate] = score
            if token in self.postings:
                for candidate in self.variants.get(token, ()):
                    found.setdefault(candidate, fuzz.ratio(token, candidate))
        if len(token) >= 2:
            start = bisect_left(self.vocabulary, token)
            for candidate in self.vocabulary[start : start + 50]:
                if not candidate.startswith(token):
                    break
                score = 80.0 + 20.0 * len(token) / len(candidate)
                if score > found.get(candidate, 0.0):
                    found[candidate] = score
        return found

    def search(self, text: str, limit: int) -> list[ContactMatch]:
        exact = self.by_no.get(text.strip().upper())
        if exact is None:
            exact = self.by_email.get(text.strip().lower())
        if exact is not None:
            return [self._match(exact, 100.0)]
        tokens = name_tokens(text)
        if not tokens:
            return []
        similar = [self.similar_tokens(token) for token in dict.fromkeys(tokens)]
        sizes = [sum(len(self.postings.get(t, ())) for t in found) for found in similar]
        totals: dict[int, float] = {}
        # Rare words first: a common first name then only scores the contacts the rarer words found.
        for size, found in sorted(zip(sizes, similar, strict=True), key=lambda pair: pair[0]):
            if totals and size > BROAD_TOKEN:
                for position in totals:
                    totals[position] += max((found.get(t, 0.0) for t in self.tokens[position]), default=0.0)
                continue
            best: dict[int, float] = {}
            seen = 0
            for candidate, score in sorted(found.items(), key=lambda kv: -kv[1]):
                posted = self.postings.get(candidate, ())  # gone if renamed while this search ran
                for position in posted:
                    if score > best.get(position, 0.0):
                        best[position] = score
                seen += len(posted)
                if seen > MAX_POSTINGS_PER_TOKEN:
                    break
            for position, score in best.items():
                totals[position] = totals.get(position, 0.0) + score
        wanted = " ".join(tokens)
        ranked = []
        for position in heapq.nlargest(RERANKED, totals, key=totals.__getitem__):
            ranked.append((self._score(wanted, position, totals[position] / len(similar)), position))
        ranked.sort(key=lambda item: (-item[0], self.nos[item[1]]))
        return [self._match(position, score) for score, position in ranked[:limit] if score >= 50.0]

    def spot(self, words: list[str], capitalized: list[bool]) -> Spotted | None:
        """The contact named somewhere in a run of words (each one name token, as `name_tokens` gives):
        a contact's whole name, longest first; else words that all are words of contact names ("Adatum"
        is Adatum Corporation; "Peter", said as a name, is any of the Peters, to choose from); else a
        misspelt name ("jon smth"). None when no words name one."""
        spans = [
            (start, start + size)
            for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1)
            for start in range(len(words) - size + 1)
        ]
        for start, end in spans:
            found = self.by_plain.get(" ".join(words[start:end]))
            if found:
                return Spotted(start, end, [self.nos[p] for p in sorted(found)[:SPOTTED]], exact=True)
        for start, end in spans:
            wanted = words[start:end]
            inside = (start > 0 and capitalized[start - 1]) or (end < len(words) and capitalized[end])
            if any(len(word) < 3 for word in wanted) or (capitalized[start] and inside):
                continue  # "Emily" of "Emily Clarke", a name of its own, is not any Emily
            postings = sorted((self.postings.get(word, []) for word in wanted), key=len)
            lone = end - start == 1 and not capitalized[start]
            if lone and (len(postings[0]) > 1 or len(wanted[0]) < 4):
                continue  # a lowercase common word is no name, even if some contact is called so
            if not postings[0] or len(postings[0]) > BROAD_TOKEN:
                continue
            common = set(postings[0]).intersection(*postings[1:])
            if common:
                fewest = min(len(self.tokens[p]) for p in common)
                best = sorted(p for p in common if len(self.tokens[p]) == fewest)
                return Spotted(start, end, [self.nos[p] for p in best[:SPOTTED]], exact=len(best) == 1)
        for start, end in spans:
            text = " ".join(words[start:end])
            inside = (start > 0 and capitalized[start - 1]) or (end < len(words) and capitalized[end])
            lone = end - start == 1
            if len(text) < 5 or (capitalized[start] and inside) or (lone and text in self.postings):
                continue
            if lone and not capitalized[start] and len(text) < 7:
                continue  # "madre" is no misspelt Madrez
            matches = self.search(text, SPOTTED)
            if not matches or matches[0].score < FUZZY_SPOT:
                continue
            if lone:  # one word: a slip of a letter in a word of the name, not just its first letters
                name = self.tokens[self.by_no[matches[0].no.upper()]]
                if not any(DamerauLevenshtein.distance(text, token) <= 1 for token in name):
                    continue
            tied = [match.no for match in matches if match.score == matches[0].score]  # two John Smiths
            return Spotted(start, end, tied, exact=False)
        return None

    def _score(self, wanted: str, position: int, token_score: float) -> float:
        plain = self.plain[position]
        if plain == wanted:
            return 100.0
        # Token scores say every word was found; the whole-name ratio prefers names without extra words.
        return min(99.0, 0.7 * token_score + 0.3 * fuzz.token_sort_ratio(wanted, plain))

    def _match(self, position: int, score: float) -> ContactMatch:
        return ContactMatch(no=self.nos[position], name=self.names[position], score=round(score, 1))


_indexes: dict[tuple[str, str], ContactIndex] = {}
_building = threading.Lock()


VERSION = select(Workspace.contacts_version).where(Workspace.team_id == bindparam("team"))


def contacts_version(session: Session, team_id: str) -> int | None:
    return session.scalar(VERSION, {"team": team_id})


def contact_index(session: Session, team_id: str) -> ContactIndex:
    """The workspace's index as of the version the database says now: built once, then brought up to date
    with the contacts added or renamed since (by this process or any other)."""
    return index_at(session, team_id, contacts_version(session, team_id))


def index_at(session: Session, team_id: str, version: int | None) -> ContactIndex:
    """The index as of `version`, read by the caller in this transaction (with other things, in one round
    trip: see store.vocabulary.workspace_codes)."""
    key = (str(session.get_bind().url), team_id)
    index = _indexes.get(key)
    if index is not None and _current(index, version):
        return index
    with _building:
        index = _indexes.get(key)
        if index is not None and _current(index, version):
            return index
        rows = select(Contact.no, Contact.name, Contact.email).where(Contact.team_id == team_id)
        if index is None or index.version is None or version is None:
            index = ContactIndex(version)
            for no, name, email in session.execute(rows):
                index.add(no, name, email or "")
            index.seal()
            _indexes[key] = index
        else:
            # A version committed after `version` was read may show up here too: reading it twice is
            # harmless, as adding a contact again replaces it.
            for no, name, email in session.execute(rows.where(Contact.search_version > index.version)):
                index.add(no, name, email or "")
            index.version = version
    return index


def _current(index: ContactIndex, version: int | None) -> bool:
    """Whether the index holds what a reader at `version` sees. A reader whose transaction began before
    the latest change sees an older version: the index, already past it, serves it as it is (rebuilding it
    back, then forward again, for each such reader cost seconds with 100,000 contacts)."""
    return index.version == version or (
        version is not None and index.version is not None and version < index.version
    )


def warm_contact_indexes(sessions: sessionmaker[Session]) -> int:
    """Build the index of every workspace that has contacts, so that no user's first query waits for it
    (a server calls this as it starts). How many were built."""
    with sessions() as session:
        teams = session.scalars(select(Contact.team_id).distinct()).all()
        for team_id in teams:
            contact_index(session, team_id)
    return len(teams)


def search_contacts(session: Session, team_id: str, text: str, limit: int = 5) -> list[ContactMatch]:
    """Best matches first; an exact contact number or e-mail, or the exact name, scores 100."""
    if not text.strip():
        return []
    return contact_index(session, team_id).search(text, limit)


def forget_indexes() -> None:
    """Drop every cached index (tests that recreate databases under the same team ids use it)."""
    _indexes.clear()
