"""Tell Me: find the action a sentence asks for, in English or Spanish, typos and all, with the
arguments it names, and say whether to run it, confirm it, or offer a choice.

    matches = search("log a call with jon smth", Ranker(actions), session=s, team_id=t, user_id=u)
    decision = decide(matches)   # kind "run": Create Interaction, template PHONE, contact CT000002
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy.orm import Session

from commands import inputs
from commands.action import Action
from commands.tellme.arguments import Arguments, proper_name, read_arguments
from commands.tellme.intent import TOLD, asked_what_happened, intent, plural_noun
from commands.tellme.lexicon import ENTRY_NOUNS, NEGATIONS, NOUNS_TOO, OPENERS, QUESTION_WORDS, VERBS
from commands.tellme.normalize import STOPWORDS, Word, concept, words
from commands.tellme.ranking import Ranker, grammatical_number, near_tie, reorder, said_numbers
from store.frecency import frecency_scores

RUN_SCORE = 68.0
"""A winner at least this good, and far enough ahead of the next, runs (or asks to confirm) at once.
Calibrated on bench/tellme/tuning.jsonl: the lowest values at which no sentence that should match
nothing runs, and a wrong action runs for at most one sentence in fifty."""
RUN_MARGIN = 4.0
ALONE_SCORE = 56.0
"""... or one this good with nothing else near it."""
ALONE_MARGIN = 20.0
UNDERSTOOD = 0.4
"""Nothing runs from a sentence with less than this share of words Tell Me knows ("cancela mi vuelo")."""
OFFER_SCORE = 58.0
"""Below this nothing is offered; the closest actions are still listed."""
READ_SCORE = 48.0
"""A read-only winner below the scores above still runs when the sentence is all known words and names two
of its arguments or more ("anything logged w/ carlos ruiz yesterday?", "¿qué llamadas le hicimos a Laura
en octubre?"): what to show is said, only the verb is loose. Calibrated on bench/tellme/tuning.jsonl."""
READ_ARGUMENTS = 2
LEAD = 10.0
"""Of the actions offered, the first is suggested ("Did you mean ...?") when it leads the others by this
much: not clear enough to run, but no even choice either..."""
LEAD_UNDERSTOOD = 0.7
"""... and Tell Me knows this share of the sentence's words at least (of "reserva una sala para las 4" it
knows too little for that; of "cancela la alarma de mañana", "restore factory settings", two words in
three: on the tuning half, four sentences that should match nothing were suggested at two in three, and
no right suggestion lay between three in five and seven in ten)."""

COUNTED = "statistics"
SENT = "send"
LOGGED = "log"
OTHER_RECORDS = frozenset({"task", "remind", "segment", "template", "group", "setup", "find", "show"})
"""Said with a contact and a kind of interaction, these ask for something else than to log one."""
FUNCTION_WORDS = OPENERS | QUESTION_WORDS | NEGATIONS
DecisionKind = Literal["run", "confirm", "choose", "nothing"]


@dataclass(frozen=True)
class Match:
    action: Action
    score: float
    """0 to 100."""
    args: dict[str, Any] = field(default_factory=dict)
    understood: float = 1.0
    """The share of the sentence's words Tell Me knows: words of its vocabulary, or arguments read."""
    named: bool = True
    """Whether the sentence says what to act on (a thing, or an argument), not just a verb: "sube el
    volumen" says only "upload", and what to upload is no word Tell Me knows."""
    whole: bool = True
    """Whether the sentence says every word of one of the action's titles or keywords (by concept, or by
    an argument standing in): a purge is asked about only then ("delete all my emails" does not say
    "canceled", so it is no purge of canceled entries)."""
    elsewhere: bool = False
    """Whether the sentence is about something of the user's that is no record of the CRM ("my spotify
    account", "mi madre", "a reminder on my phone"): another app's request."""

    def command_text(self) -> str:
        return self.action.command_text(self.args)

    def complete(self) -> bool:
        """Whether the sentence gave every argument the action requires."""
        return all(arg.name in self.args for arg in self.action.args if arg.required)

    def lacks_only_text(self) -> bool:
        """Whether all the action still needs is free text, which words Tell Me does not know may well be
        ("recuérdame enviar la oferta a Jane Doe el lunes": the task's description); a contact is not."""
        missing = [arg for arg in self.action.args if arg.required and arg.name not in self.args]
        return bool(missing) and all(isinstance(arg.kind, inputs.Text) for arg in missing)


@dataclass(frozen=True)
class Decision:
    kind: DecisionKind
    matches: tuple[Match, ...]
    """run/confirm: the winner alone; choose: up to three to offer as buttons; nothing: the closest."""
    leads: bool = False
    """Of a choice: the first is offered alone, or well ahead of every other action found."""

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    @property
    def leader(self) -> Match | None:
        """Of a choice, the one well ahead of the others: suggested first."""
        return self.matches[0] if self.leads and self.matches else None


def search(
    query: str,
    engine: Ranker,
    *,
    session: Session | None = None,
    team_id: str | None = None,
    user_id: str | None = None,
    lang: str | None = None,
    limit: int = 3,
    today: date | None = None,
) -> list[Match]:
    """The `limit` best actions for `query`, best first, each with the arguments read from it.

    With a session and team, contact names, template and segment codes are looked up in that
    workspace; with a user too, what that user runs often and lately breaks near-ties. `lang` only
    changes which title the caller shows: both languages are always understood."""
    found = words(query)
    if not found:
        return []
    args = read_arguments(found, engine, today or date.today(), session, team_id)
    asked = query.rstrip().endswith("?") or "¿" in query
    fields = args.hidden.get("field", frozenset())
    reading = intent(found, asked, fields)
    happened = asked_what_happened(found, asked, fields)
    # "meetings with Adatum", "las llamadas de hoy", "¿le mandamos la carta?": log entries of that kind.
    counting = any(word.text == COUNTED for word in found)  # "how many calls ...?": statistics, not a list
    # ... and a template said in the plural, as a kind of them ("which quotes did we send?", "las facturas
    # de octubre"), not in capitals as a code.
    kinds = [
        "entry"
        for word in found
        if ((concept(word.text) in ENTRY_NOUNS and (plural_noun(word) or happened)) or _kinds_of(word, args))
        and not counting
    ]
    # "how many calls did we make?", "¿cuántas visitas...?", "how many times did we talk to ...?": a count
    # of interactions is their statistics.
    counted_things = ENTRY_NOUNS | TOLD
    counts = [COUNTED] if counting and any(concept(word.text) in counted_things for word in found) else []
    # "sent Adatum the invoice", "le mandé la factura a Fabrikam": sent to a contact, told, is something
    # done with it (to log), not the sending of a segment.
    told = "contact" in args.values and not asked and not reading.reading and not happened
    said = [SENT if told and concept(w.text) == "logged" else w.text for w in found] + kinds[:1] + counts
    # What was done with a contact, told with its kind ("sent Adatum the invoice", "le mandé la cotización
    # a Contoso"): an interaction to log, whatever document it was.
    other = any(concept(w.text) in OTHER_RECORDS for w in found)  # "set a to-do: visit Fabrikam ..."
    said += [LOGGED] if told and "template" in args.values and not (kinds or counts or other) else []
    numbers = said_numbers(found)
    # A name written as names are, that is no contact's, is what a search looks for ("search for Mueller").
    proper = proper_name(args.values.get("name"))
    explained = dict(args.used)
    if args.sought and "text" not in explained:
        explained["text"] = args.used.get("name", frozenset())
    ranked = engine.rank(said, explained, {}, args.evidence(), args.hidden, reading, numbers)
    if session is not None and team_id is not None and user_id is not None and near_tie(ranked):
        ranked = reorder(ranked, frecency_scores(session, team_id, user_id))  # read only when it matters
    share = understood(found, engine, args)
    counted = understood(found, engine, args, numbers=True)
    # A new contact's name written as names are ("add Raj Patel, raj@example.org") is understood as its
    # name; in lower case it may as well be words Tell Me does not know ("add zzqx wobble").
    with_name = understood(found, engine, args, numbers=True, name=True) if proper else counted
    # What the sentence names to act on: an argument (not a template its verb says: "call an uber"), or
    # a word of a thing.
    said_of = {
        name
        for name, used in args.used.items()
        if name not in ("name", "evaluation")  # how it went names nothing to act on ("¿todo bien?")
        and not (name == "template" and all(concept(w) in NOUNS_TOO for w in used))
    }
    named = bool(said_of) or any(
        meaning not in VERBS and meaning not in NOUNS_TOO
        for word in found
        if word.text not in STOPWORDS
        for meaning, sure in engine.resolve(word.text).items()
        if sure >= 80.0
    )
    named = named and not unknown_object(found, engine, args)
    elsewhere = owned_elsewhere(found, engine, args) or rated_only(found, engine, args)
    return [
        Match(
            action,
            score,
            args.for_action(action),
            share
            if engine.takes_number[action.id]
            else with_name
            if "name" in action.arg_by_name
            or (args.sought and engine.shows[action.id] and "text" in action.arg_by_name)
            else counted,
            named,
            engine.said_whole(action, said, args.evidence()) if _purge(action) else True,
            elsewhere,
        )
        for action, score in ranked[:limit]
    ]


def _purge(action: Action) -> bool:
    """A destructive action that needs no argument to act on: what it removes, its title says."""
    return bool(action.policy.destructive) and not any(arg.required for arg in action.args)


def _kinds_of(word: Word, args: Arguments) -> bool:
    """Whether the word read as the template is its kind in the plural ("quotes", "facturas")."""
    typed = word.raw
    return (
        word.text in args.used.get("template", ())
        and concept(word.text) == word.text  # no word of the lexicon: those are read as above
        and not typed.isupper()
        and len(typed) > 4
        and typed.casefold().endswith("s")
    )


POSSESSIVES = frozenset({"my", "mi", "mis", "our", "nuestro", "nuestra", "nuestros", "nuestras"})
DEVICES = frozenset({"phone", "telefono", "mobile"})
"""What a user owns that Tell Me knows as another thing ("phone": a call), when nothing follows it."""
SHARED = frozenset({"contact", "segment", "template", "group"})
"""Records the team shares: one of them said as the user's own, in the singular and with nothing after it
("delete my account", "borra mi cuenta"), is the user's account elsewhere; "my accounts", "mis clientes"
are the team's customers the user looks after."""


def owned_elsewhere(found: list[Word], engine: Ranker, args: Arguments) -> bool:
    """A possessive followed by a word Tell Me does not know, nor read as an argument ("my dentist", "mi
    contraseña"), or by a device ("to my phone"; not "my phone calls"): the user's own things are their
    tasks, entries or contacts ("my tasks", "mis llamadas"), words it knows."""
    taken = {word for name, words in args.used.items() if name not in ("name", "text") for word in words}
    codes = {  # the shared records' codes, said in lower case as any word
        found[at].text
        for at in range(len(found))
        if found[at].text in taken
        and not found[at].raw.isupper()
        and any(found[at].text in args.used.get(name, ()) for name in ("template", "segment", "group"))
    }
    for at, word in enumerate(found[:-1]):
        if word.text not in POSSESSIVES:
            continue
        owned = found[at + 1].text
        following = found[at + 2].text if at + 2 < len(found) else ""
        alone = not following or following in STOPWORDS
        if owned in DEVICES and alone:
            return True
        if alone and concept(owned) in SHARED and grammatical_number(owned) != "many":
            return True
        if owned in codes and max(engine.resolve(owned).values(), default=0.0) < 80.0:
            return True  # "cancel my lunch" with a template LUNCH: a word, not a code typed as one
        if owned in taken or owned.isdigit():
            continue
        if max(engine.resolve(owned).values(), default=0.0) < 80.0:
            return True  # a word Tell Me does not know ("my status", "my iphone"); "my entires" is a typo
    return False


ARTICLES = frozenset({"a", "an", "the", "un", "una", "el", "la", "los", "las", "unos", "unas", "some"})
RECIPIENTS = frozenset({"me", "us", "nos", "le", "les"})
QUANTIFIERS = frozenset({"every", "all", "each", "any", "todos", "todas", "cada", "cualquier"})


def unknown_object(found: list[Word], engine: Ranker, args: Arguments) -> bool:
    """Whether what the first verb acts on is a word Tell Me does not know, nor reads as an argument
    ("add a column to the spreadsheet", "exporta la presentación a pdf", "restore factory settings"):
    then the sentence asks something of another app, whatever else it names."""
    free = () if proper_name(args.values.get("name")) else ("name", "text")  # "add Olivia Brown ..."
    taken = {word for name, words in args.used.items() if name not in free for word in words}
    for at, word in enumerate(found):
        if word.text in taken or not any(
            meaning in VERBS and sure >= 80.0 for meaning, sure in engine.resolve(word.text).items()
        ):
            continue
        for thing in found[at + 1 :]:
            if thing.text in ARTICLES or thing.text in POSSESSIVES or thing.text in QUANTIFIERS:
                continue
            if thing.text in RECIPIENTS:
                continue  # "show me ...", "dame ...": to whom, not what
            if thing.text.endswith(("mente", "ly")) and len(thing.text) > 5:
                continue  # an adverb: "borro definitivamente ...", "quickly add ..."
            if thing.text in STOPWORDS or thing.text in FUNCTION_WORDS or thing.text.isdigit():
                return False  # "add to ...", "cancel 14"
            return thing.text not in taken and max(engine.resolve(thing.text).values(), default=0.0) < 80.0
        return False
    return False


def rated_only(found: list[Word], engine: Ranker, args: Arguments) -> bool:
    """Whether all the sentence says is how something went ("¿todo bien?", "great!"): no argument but the
    evaluation, and no word of an action besides its words. Small talk, not a request."""
    if set(args.values) != {"evaluation"}:
        return False
    rated = args.used.get("evaluation", frozenset())
    return not any(
        max(engine.resolve(word.text).values(), default=0.0) >= 80.0
        for word in found
        if word.text not in STOPWORDS and word.text not in FUNCTION_WORDS and word.text not in rated
    )


def understood(
    found: list[Word], engine: Ranker, args: Arguments, *, numbers: bool = False, name: bool = False
) -> float:
    """The share of the sentence's words Tell Me knows. Words left over for a new name or a search are
    not known ("entries zzqx wobble"); fillers and question words ("che", "porfa", "¿hay ...?") ask for
    nothing either way. `numbers`: numbers count too, known only when an argument read them (a date's
    day): for an action that takes no number ("¿cuánto es 12 por 8?" is no statistic)."""
    free = ("name", "text") if numbers else ("name",)  # "text": the words after a number it does not take
    free = tuple(arg for arg in free if not (name and arg == "name"))
    taken = {word for name, words in args.used.items() if name not in free for word in words}
    content = [
        word.text
        for word in found
        if word.text not in STOPWORDS
        and word.text not in FUNCTION_WORDS
        and (numbers or not word.text.isdigit())
    ]
    known = [
        word for word in content if word in taken or max(engine.resolve(word).values(), default=0.0) >= 80.0
    ]
    return len(known) / len(content) if content else 1.0


def decide(matches: list[Match]) -> Decision:
    if matches and not matches[0].elsewhere:
        lead = matches[0].score - (matches[1].score if len(matches) > 1 else 0.0)
        if _says_what_to_show(matches[0], lead):
            return Decision("run", (matches[0],))
    if not matches or matches[0].score < OFFER_SCORE or matches[0].understood < UNDERSTOOD:
        return Decision("nothing", tuple(matches[:3]))
    if matches[0].elsewhere:
        return Decision("nothing", tuple(matches[:3]))
    if not matches[0].named and matches[0].understood < 1.0:
        # A verb alone among words Tell Me does not know ("cancela mi vuelo", "sube el volumen") asks
        # another app for something.
        return Decision("nothing", tuple(matches[:3]))
    best = matches[0]
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    lead = best.score - runner_up
    clear = (best.score >= RUN_SCORE and lead >= RUN_MARGIN) or (
        best.score >= ALONE_SCORE and lead >= ALONE_MARGIN
    )
    # A purge the sentence does not name in full is offered, never asked about at once.
    sure = best.understood >= UNDERSTOOD and (best.named or best.understood == 1.0) and best.whole
    # Missing what the action needs, every other word must be known, or be the text it still needs: "log a
    # call" opens the form, "call my mom" does not.
    if clear and sure and (best.complete() or best.understood == 1.0 or best.lacks_only_text()):
        if best.action.policy.destructive != "undo":
            return Decision("run", (best,))
        if best.complete():  # "cancel entry 7?" is asked; "cancel my flight" names nothing to cancel
            return Decision("confirm", (best,))
        if best.understood == 1.0 and best.action.form_spec is not None:
            return Decision("run", (best,))  # "cancel an entry": its form asks which
    offered = tuple(m for m in matches[:3] if m.score >= OFFER_SCORE)
    # One offered is asked about as such; of several, one well ahead of every other found.
    leads = best.understood >= LEAD_UNDERSTOOD and (len(offered) == 1 or lead >= LEAD)
    return Decision("choose", offered, leads)


def _says_what_to_show(best: Match, lead: float) -> bool:
    named = {"from" if name == "to" else name for name in best.args if name not in ("text", "description")}
    return (
        best.action.policy.read_only
        and best.score >= READ_SCORE
        and lead >= RUN_MARGIN
        and best.understood == 1.0
        and best.named
        and best.whole
        and len(named) >= READ_ARGUMENTS
        and best.complete()
    )


__all__ = ["OFFER_SCORE", "Decision", "DecisionKind", "Match", "Ranker", "decide", "search"]
