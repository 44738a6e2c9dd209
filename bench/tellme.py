"""Tell Me quality and speed on labelled sentences (bench/tellme/: a held-out half no keyword was added for,
a tuning half, and the older partly tuned set), against a workspace of 100,000 contacts in a temporary
SQLite database, beside a plain substring search over titles. For each sentence: the action ranked first,
the top three, the arguments read, and what typing it after /crm does (the action run, asked about or
whose form opens; the sentences run for real, in the benchmark's own workspace).

    python bench/tellme.py [--contacts N | --quick] [--set tuning|held-out|legacy] [--verbose] [--since LINE]

--quick is 10,000 contacts, enough to iterate in seconds; the figures to quote are at 100,000. --verbose
prints each miss, but never a held-out sentence (only its aggregate figures count): restrict it with
--set tuning or --set legacy. --since LINE measures only the tuning sentences from that line on (a round's
new ones, before and after its changes).
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run as a script, bench/ comes first on the path, and bench/store.py would hide the store package.
sys.path[:] = [str(HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from datetime import time as clock  # noqa: E402
from typing import Any  # noqa: E402

from sqlalchemy import insert  # noqa: E402

from commands import grammar  # noqa: E402
from commands.context import Context  # noqa: E402
from commands.inputs import split  # noqa: E402
from commands.router import ROUTER  # noqa: E402
from commands.tellme import decide, search  # noqa: E402
from store.cancellation import cancel_entries  # noqa: E402
from store.contact_search import normalize_name  # noqa: E402
from store.db import make_engine, reading, session_factory  # noqa: E402
from store.enums import Evaluation  # noqa: E402
from store.interactions import InteractionInput, add_comment, create_interaction  # noqa: E402
from store.migrate import upgrade  # noqa: E402
from store.models import (  # noqa: E402
    Contact,
    InteractionGroup,
    InteractionTemplate,
    NumberSeries,
    Segment,
    Workspace,
)
from store.segment_criteria import Criteria  # noqa: E402
from store.segments import add_segment, add_segment_lines, log_segment  # noqa: E402
from store.tasks import NewTask, add_task  # noqa: E402

TEAM = "T0BENCH"
USER = "U0BENCH"
TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
CONTACTS = 100_000
QUICK_CONTACTS = 10_000
KNOWN_CONTACTS = [
    ("John Smith", "person"),
    ("María García", "person"),
    ("Contoso Ltd", "company"),
    ("Fabrikam Inc", "company"),
    ("Peter Jones", "person"),
    ("Ana Martínez", "person"),
    ("Jürgen Müller", "person"),
    ("Adatum Corporation", "company"),
    ("Laura Fernández", "person"),
    ("Carlos Ruiz", "person"),
]
PLACES = [
    ("ES", "Madrid"),
    ("ES", "Barcelona"),
    ("DE", "Berlin"),
    ("GB", "London"),
    ("PT", "Lisboa"),
    ("FR", "Paris"),
]
"""Where the contacts are, in turn (segment criteria sentences name countries and cities)."""
TEMPLATES = [
    ("PHONE", "CALLS", "Phone call"),
    ("EMAIL", "MAIL", "E-mail"),
    ("MEETING", "MEET", "Meeting"),
    ("LETTER", "MAIL", "Letter"),
    ("VISIT", "MEET", "Customer visit"),
    ("INVOICE", "SALES", "Sales invoice"),
    ("QUOTE", "SALES", "Sales quote"),
]
SEGMENTS = [("SM00001", "Spring newsletter"), ("SM00002", "Trade fair Madrid"), ("SM00003", "Key accounts")]
LOGGED_SEGMENT = ("SM00004", "Summer price mailing")
"""Logged already (with its own entries), as a segment whose mailing went out."""
HISTORY = 300
"""Log entries written over the last months, most with the known contacts (a sentence names an entry,
as "resume 9" or "comment on 9", only if the workspace has one)."""
HISTORY_DAYS = 180
SUBJECTS = [
    "Follow-up on the offer",
    "Renewal of the support contract",
    "Seguimiento de la oferta",
    "Presentación del producto",
    "Price list for next year",
    "Complaint about a late delivery",
    "Reunión para revisar el contrato",
    "Quarterly business review",
    "Pedido de muestras",
    "Questions about the invoice",
]
COMMENTS = ["Call back next week.", "Quiere una oferta antes del viernes.", "Sent the brochure again."]
FIRST_TEXT = (
    "james mary robert patricia michael jennifer william linda david elizabeth richard barbara "
    "joseph susan thomas jessica charles sarah christopher karen daniel lisa matthew nancy anthony "
    "betty mark sandra donald ashley steven kimberly paul emily andrew donna joshua michelle kenneth "
    "carol kevin amanda brian melissa george deborah timothy stephanie jose lucia antonio carmen "
    "manuel pilar francisco dolores juan isabel javier teresa rafael rosa miguel cristina pedro "
    "marta alejandro paula fernando elena luis raquel sergio beatriz pablo silvia jorge nuria "
    "alberto irene hans petra klaus sabine wolfgang monika"
)
FIRST = FIRST_TEXT.split()
SYLLABLES_TEXT = (
    "al an ar ba be bo ca co da de di do el en er fa fe ga go ha he in ka la le li lo ma me mi "
    "mo na ne no or pa pe pi ra re ri ro sa se si so ta te ti to va ve vi za"
)
SYLLABLES = SYLLABLES_TEXT.split()
ENDINGS_TEXT = "son sen ez es man mann er ton ley ford berg stein ini elli ov ova ski ska dez"
ENDINGS = ENDINGS_TEXT.split()
COMPANY_TEXT = "Ltd Inc GmbH SL SA Corp Group Partners Trading Systems Logistics Foods"
COMPANY = COMPANY_TEXT.split()


def made_up_surname(rng: random.Random) -> str:
    return ("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2))) + rng.choice(ENDINGS)).title()


def fill_workspace(sessions, contacts: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(42)
    rows = []
    taken = {name.casefold() for name, _ in KNOWN_CONTACTS}
    for name, kind in KNOWN_CONTACTS:
        rows.append((name, kind))
    while len(rows) < contacts:
        if rng.random() < 0.3:
            name, kind = f"{made_up_surname(rng)} {rng.choice(COMPANY)}", "company"
        else:
            name, kind = f"{rng.choice(FIRST).title()} {made_up_surname(rng)}", "person"
        if name.casefold() not in taken:
            rows.append((name, kind))
    with sessions.begin() as session:
        session.add(Workspace(team_id=TEAM, name="Bench", contacts_version=1))
        session.flush()
        session.execute(
            insert(Contact),
            [
                {
                    "team_id": TEAM,
                    "no": f"CT{n:06d}",
                    "type": kind,
                    "name": name,
                    "search_name": normalize_name(name),
                    "company_no": f"CT{n:06d}",
                    "email": f"contact{n}@example.com",
                    "country": PLACES[n % len(PLACES)][0],
                    "city": PLACES[n % len(PLACES)][1],
                }
                for n, (name, kind) in enumerate(rows, 1)
            ],
        )
        # The numbers are taken as an import takes them, so a contact added later gets the next one at
        # once (rather than stepping over 100,000 numbers in use, one at a time).
        session.add(NumberSeries(team_id=TEAM, series="contact", last_no=len(rows)))
        for group in sorted({group for _, group, _ in TEMPLATES}):
            session.add(InteractionGroup(team_id=TEAM, code=group, description=group.title()))
        session.flush()
        for code, group, description in TEMPLATES:
            session.add(
                InteractionTemplate(team_id=TEAM, code=code, group_code=group, description=description)
            )
        for no, description in SEGMENTS:
            session.add(Segment(team_id=TEAM, no=no, description=description))
        session.flush()
        fill_history(session, rng, len(rows))


def fill_history(session, rng: random.Random, contacts: int) -> None:  # type: ignore[no-untyped-def]
    """Months of a team's log, oldest first so entry numbers follow the dates: some entries canceled, some
    postponed (saved to finish later), a few commented, a logged segment halfway and a few tasks."""
    evaluations = list(Evaluation)
    logged_at = HISTORY // 2
    canceled: list[int] = []
    made: list[int] = []
    for n in range(HISTORY):
        if n == logged_at:
            no, description = LOGGED_SEGMENT
            add_segment(session, TEAM, no, description)
            add_segment_lines(session, TEAM, no, [f"CT{k:06d}" for k in range(1, len(KNOWN_CONTACTS) + 1)])
            day = TODAY - timedelta(days=HISTORY_DAYS * (HISTORY - n) // HISTORY)
            log_segment(
                session, TEAM, USER, no, "EMAIL", description, now=datetime.combine(day, clock(8), UTC)
            )
        known = rng.random() < 0.8
        contact = rng.randint(1, len(KNOWN_CONTACTS)) if known else rng.randint(1, contacts)
        postponed = rng.random() < 0.1
        entry = create_interaction(
            session,
            TEAM,
            USER,
            InteractionInput(
                contact=f"CT{contact:06d}",
                template=rng.choice(TEMPLATES)[0],
                description=rng.choice(SUBJECTS),
                date=TODAY - timedelta(days=HISTORY_DAYS * (HISTORY - n) // HISTORY),
                time=clock(rng.randint(8, 18), rng.choice((0, 15, 30, 45))),
                successful=rng.random() > 0.1,
                evaluation=Evaluation.BLANK if postponed else rng.choice(evaluations),
            ),
            postpone=postponed,
        )
        if postponed:
            continue
        made.append(entry.entry_no)
        if rng.random() < 0.08:
            canceled.append(entry.entry_no)
        elif rng.random() < 0.1:
            add_comment(session, TEAM, USER, entry.entry_no, rng.choice(COMMENTS), entry.date)
    cancel_entries(session, TEAM, USER, canceled)
    for n, entry_no in enumerate(rng.sample(made, 6)):
        add_task(
            session,
            TEAM,
            USER,
            NewTask(
                contact=f"CT{1 + n % len(KNOWN_CONTACTS):06d}",
                description=rng.choice(SUBJECTS),
                due_date=TODAY + timedelta(days=1 + n),
                owner_id=USER,
                entry_no=entry_no,
            ),
            now=NOW,
        )


def baseline(query: str) -> list[str]:
    """Lowercase substring match over the English and Spanish titles, shortest title first."""
    wanted = query.lower().strip()
    hits = [
        a
        for a in ROUTER.ranker.actions
        if wanted and (wanted in a.title.lower() or wanted in a.title_es.lower())
    ]
    return [a.id for a in sorted(hits, key=lambda a: len(a.title))]


@dataclass
class Tally:
    top1: int = 0
    top3: int = 0
    labelled: int = 0
    nothing: int = 0
    false_offers: int = 0
    false_runs: int = 0
    with_args: int = 0
    args_right: int = 0
    typed_right: int = 0
    typed_nothing_ran: int = 0

    def line(self, name: str) -> str:
        labelled, nothing = max(self.labelled, 1), max(self.nothing, 1)
        parts = [
            f"{name:<22} top-1 {100 * self.top1 / labelled:5.1f} %",
            f"top-3 {100 * self.top3 / labelled:5.1f} %",
            f"typed runs it {100 * self.typed_right / labelled:5.1f} %",
            f"args {100 * self.args_right / max(self.with_args, 1):5.1f} % of {self.with_args}",
            f"no-match ({self.nothing}): {100 * self.false_runs / nothing:4.1f} % run, "
            f"{100 * self.false_offers / nothing:4.1f} % offered, typed ran {self.typed_nothing_ran}",
        ]
        return " | ".join(parts)


SETS = {
    "held-out": HERE / "tellme" / "heldout.jsonl",
    "tuning": HERE / "tellme" / "tuning.jsonl",
    "legacy (partly tuned)": HERE / "tellme" / "legacy.jsonl",
}
"""No keyword is added for a held-out sentence: it is read only here, to measure."""
SHORT = {"held-out": "held-out", "tuning": "tuning", "legacy": "legacy (partly tuned)"}


class Recorder:
    """What a sentence typed after /crm makes the router do: the action it runs (or asks about)."""

    def __init__(self) -> None:
        self.ran: list[str] = []
        self.dispatch = ROUTER.dispatch

        def dispatch(ctx: Context, action: Any, args: Any, **kwargs: Any) -> Any:
            self.ran.append(action.id)
            return self.dispatch(ctx, action, args, **kwargs)

        ROUTER.dispatch = dispatch  # type: ignore[method-assign]

    def typed(self, ctx: Context, text: str) -> str:
        """The action run, asked about (a destructive one) or whose form opened; "" for none."""
        self.ran.clear()
        reply = ROUTER.run(ctx, text)
        if self.ran:
            return self.ran[-1]
        if reply.modal is not None:
            return reply.modal.kind
        asked = [b.command for b in reply.buttons]
        if reply.text.startswith("Did you mean") and asked:
            match = grammar.match(ROUTER.actions, split(asked[0]))
            return match.id if match is not None else ""
        return ""


def main(contacts: int, chosen: list[str], verbose: bool, since: int = 1) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        upgrade(engine)
        sessions = session_factory(engine)
        started = time.perf_counter()
        fill_workspace(sessions, contacts)
        print(f"workspace of {contacts:,} contacts filled in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        ROUTER.warm(sessions)  # as a server does when it starts
        print(f"contact index built at start: {1000 * (time.perf_counter() - started):.0f} ms")
        recorder = Recorder()
        ctx = Context(sessions, TEAM, USER, is_admin=True, timezone="UTC", fixed_now=NOW)
        latencies: list[float] = []
        timed = "held-out" if "held-out" in chosen else chosen[0]
        with reading(sessions) as session:
            started = time.perf_counter()
            search(
                "warm up john smith", ROUTER.ranker, session=session, team_id=TEAM, user_id=USER, today=TODAY
            )
            print(f"first search: {1000 * (time.perf_counter() - started):.0f} ms")
            for name in chosen:
                path = SETS[name]
                lines = path.read_text("utf-8").splitlines()[since - 1 if name == "tuning" else 0 :]
                queries = [json.loads(line) for line in lines if line.strip()]
                ours, plain = Tally(), Tally()
                for _ in range(2 if name == timed else 0):
                    ROUTER.ranker.resolve.cache_clear()  # every pass meets its words for the first time
                    for item in queries:
                        started = time.perf_counter()
                        decide(
                            search(
                                item["q"],
                                ROUTER.ranker,
                                session=session,
                                team_id=TEAM,
                                user_id=USER,
                                today=TODAY,
                            )
                        )
                        latencies.append(1000 * (time.perf_counter() - started))
                shown = verbose and name != "held-out"  # its sentences are never looked at
                started = time.perf_counter()
                for item in queries:
                    matches = search(
                        item["q"], ROUTER.ranker, session=session, team_id=TEAM, user_id=USER, today=TODAY
                    )
                    decision = decide(matches)
                    ids = [m.action.id for m in matches]
                    typed = recorder.typed(ctx, item["q"])
                    judge(
                        ours,
                        item,
                        ids,
                        decision.kind,
                        matches[0].args if matches else {},
                        typed,
                        shown,
                        matches,
                    )
                    found = baseline(item["q"])
                    judge(
                        plain,
                        item,
                        found[:3],
                        "run" if found else "nothing",
                        {},
                        found[0] if found else "",
                        False,
                        [],
                    )
                took = time.perf_counter() - started
                print(f"{name}: {len(queries)} sentences (read and typed into the chat in {took:.1f} s)")
                print("  " + ours.line("Tell Me"))
                print("  " + plain.line("baseline (substring)"))
        engine.dispose()
    if not latencies:  # the held-out half was not asked for
        return
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    print(
        f"ranking latency on the {timed} half (search + decide, {len(latencies)} runs, "
        f"{contacts:,} contacts): median {statistics.median(latencies):.2f} ms, p99 {p99:.2f} ms"
    )


def judge(
    tally: Tally, item: dict, ids: list[str], kind: str, args: dict, typed: str, verbose: bool, matches: list
) -> None:  # type: ignore[type-arg]
    expected = item["expect"]
    if expected is None:
        tally.nothing += 1
        wrong_offer = kind != "nothing"
        tally.false_offers += wrong_offer
        tally.false_runs += kind in ("run", "confirm")
        tally.typed_nothing_ran += bool(typed)
        if verbose and (wrong_offer or typed):
            found = [(m.action.id, m.score) for m in matches]
            print(f"  OFFERED  {item['q']!r}: {kind} typed ran {typed!r} {found}")
        return
    tally.labelled += 1
    tally.top1 += bool(ids) and ids[0] == expected
    tally.top3 += expected in ids[:3]
    tally.typed_right += typed == expected
    if verbose and (not ids or ids[0] != expected):
        print(f"  MISS     {item['q']!r} wanted {expected}: {[(m.action.id, m.score) for m in matches]}")
    elif verbose and typed != expected:
        print(f"  TYPED    {item['q']!r} wanted {expected}: ran {typed!r}")
    if item.get("args"):
        tally.with_args += 1
        got = {k: v for k, v in args.items()}
        right = (
            bool(ids) and ids[0] == expected and all(_same(got.get(k), v) for k, v in item["args"].items())
        )
        tally.args_right += right
        if verbose and ids and ids[0] == expected and not right:
            print(f"  ARGS     {item['q']!r} wanted {item['args']} got {args}")


def _same(got: Any, wanted: Any) -> bool:
    if isinstance(got, Criteria):  # criteria as typed after `where`, in any order
        return isinstance(wanted, str) and sorted(got.describe().split()) == sorted(wanted.split())
    if isinstance(wanted, str) and isinstance(got, str):
        return got.casefold() == wanted.casefold()
    return got == wanted


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Tell Me quality and speed on labelled sentences.")
    parser.add_argument("--contacts", type=int, default=CONTACTS, help="contacts in the workspace")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_CONTACTS:,} contacts")
    parser.add_argument("--set", choices=[*SHORT, "all"], default="all", help="one set of sentences")
    parser.add_argument("-v", "--verbose", action="store_true", help="each miss (never a held-out one)")
    parser.add_argument(
        "--since", type=int, default=1, help="the tuning sentences from this line on (a round's new ones)"
    )
    return parser.parse_args()


if __name__ == "__main__":
    chosen = options()
    main(
        QUICK_CONTACTS if chosen.quick else max(len(KNOWN_CONTACTS), chosen.contacts),
        list(SETS) if chosen.set == "all" else [SHORT[chosen.set]],
        chosen.verbose,
        chosen.since,
    )
