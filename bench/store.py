"""How the interaction store does against raw sqlite3 on the same SQLite database (and, with a PostgreSQL
URL, its pages and segment steps against raw psycopg).

    python bench/store.py            # 100,000-contact segment, 1,000,000 entries (2-3 minutes)
    python bench/store.py --quick    # ten times smaller, to smoke-test
    python bench/store.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
                                     # pages and segment steps (sections 3, 4) on PostgreSQL

Every database is a temporary file made by store.migrate.upgrade, so both sides run against the real
schema with its indexes and foreign keys, and with the PRAGMAs of store.db.make_engine (foreign_keys=ON,
journal_mode=WAL, synchronous=NORMAL). Bulk work runs on byte-identical copies of one database, so the
store and raw sqlite3 start from the same state. Setup is not timed; each timed section includes its
transaction's BEGIN and COMMIT. Bulk work is repeated (--repeat, store and raw taking turns to go first)
and the best run of each side counts; a page is the median of --runs runs after one warm-up.

Both sides must agree (the same entries written, the same rows deleted, the same pages, the same segment
lines and step records) or the run stops. The exit status is 1 when a target is missed: bulk rate at
least half of raw sqlite3's, a page under 20 ms, a segment step under a second.
"""

import sys
from pathlib import Path

# Run as `python bench/store.py`, this folder leads sys.path and this very file would shadow the `store`
# package it measures; bench/workload.py is loaded by its path instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from contextlib import closing, contextmanager  # noqa: E402
from dataclasses import dataclass, field, replace  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from datetime import time as clock  # noqa: E402
from importlib.util import module_from_spec, spec_from_file_location  # noqa: E402
from types import ModuleType  # noqa: E402
from typing import Any  # noqa: E402

import psycopg  # noqa: E402
import sqlalchemy  # noqa: E402
from rich import box  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import Engine, event  # noqa: E402

from store.cancellation import delete_canceled_entries  # noqa: E402
from store.db import make_engine, postgres_schema, reading, refresh_statistics, session_factory  # noqa: E402
from store.enums import CorrespondenceType  # noqa: E402
from store.filters import CanceledFilter, EntryFilter  # noqa: E402
from store.interactions import local_now  # noqa: E402
from store.queries import list_entries  # noqa: E402
from store.segments import add_segment, log_segment  # noqa: E402


def _load(name: str) -> ModuleType:
    """A module of this folder, by its path (the folder is off sys.path, see above)."""
    spec = spec_from_file_location(name, _HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules[name] = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_load("workload")
steps = _load("steps")
from workload import (  # noqa: E402
    ENTRY_COLUMNS,
    FULL,
    LOGGED_AT,
    OLD_SEGMENT,
    QUICK,
    SEGMENT,
    TEAM,
    USER,
    Scale,
    build_history,
    build_postgres,
    build_workspace,
    entry_date,
    raw_connect,
    url,
)

PAGE = 50
progress = Console(stderr=True, highlight=False)
BULK_TARGET = 0.5
PAGE_TARGET_MS = 20.0
STEP_TARGET_S = 1.0


@dataclass
class Result:
    key: str
    name: str
    ours: float
    raw: float
    unit: str  # "rows/s" or "ms"
    seconds: float = 0.0
    """For a segment step: the store's best time, which must also stay under STEP_TARGET_S."""

    @property
    def ratio(self) -> float:
        """ours/raw for rates, raw/ours for latencies: above 1 means the store is faster either way."""
        return self.ours / self.raw if self.unit == "rows/s" else self.raw / self.ours

    @property
    def met(self) -> bool:
        if self.unit == "ms":
            return self.ours < PAGE_TARGET_MS
        return self.ratio >= BULK_TARGET and self.seconds < STEP_TARGET_S


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    engine: str = f"SQLite {sqlite3.sqlite_version}"
    raw: str = "raw sqlite3"


# -- SQLite as the store writes it ------------------------------------------------------------------------


def sql_date(value: date) -> str:
    """Dates, times and timestamps as SQLAlchemy stores them in SQLite."""
    return value.isoformat()


def sql_time(value: clock) -> str:
    return value.strftime("%H:%M:%S.%f")


def sql_datetime(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def copy_database(source: Path, target: Path) -> Path:
    """A byte-identical copy; the source must be closed and checkpointed (no -wal file)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def drop_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def checkpoint(path: Path) -> None:
    with closing(raw_connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@contextmanager
def stopwatch(label: str) -> Iterator[None]:
    progress.print(f"  {label} ...", end="")
    start = time.perf_counter()
    yield
    progress.print(f" {time.perf_counter() - start:.1f} s")


@contextmanager
def store_engine(path: Path) -> Iterator[Engine]:
    engine = make_engine(url(path))
    with engine.connect():  # open the pooled connection now, outside any timing
        pass
    try:
        yield engine
    finally:
        engine.dispose()


# -- Data -------------------------------------------------------------------------------------------------


def refresh(path: Path) -> None:
    with store_engine(path) as engine, session_factory(engine).begin() as session:
        refresh_statistics(session)


def count(path: Path, sql: str, *parameters: object) -> int:
    with closing(raw_connect(path)) as connection:
        return int(connection.execute(sql, parameters).fetchone()[0])


# -- 1. Logging a segment ---------------------------------------------------------------------------------


def log_segment_with_store(path: Path) -> tuple[float, int]:
    with store_engine(path) as engine:
        sessions = session_factory(engine)
        start = time.perf_counter()
        with sessions.begin() as session:
            logged = log_segment(session, TEAM, USER, SEGMENT, now=LOGGED_AT)
            logged_no = logged.entry_no
        elapsed = time.perf_counter() - start
    rows = count(
        path,
        "SELECT count(*) FROM interaction_log_entries WHERE team_id = ? AND logged_segment_entry_no = ?",
        TEAM,
        logged_no,
    )
    return elapsed, rows


def log_segment_with_sqlite(path: Path) -> tuple[float, int]:
    """The same work by hand: the segment, template and language rows, the segment's contacts with one
    SELECT, one log entry per line built in Python as log_segment builds it, and one executemany."""
    insert = (
        f"INSERT INTO interaction_log_entries ({', '.join(ENTRY_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(ENTRY_COLUMNS))})"
    )
    today, time_now = local_now(LOGGED_AT)
    with closing(raw_connect(path)) as connection:
        start = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        segment = connection.execute(
            "SELECT template_code, interaction_description, cost, duration, information_flow, initiated_by,"
            " correspondence_type, ignore_contact_corres_type, language_code, salesperson"
            " FROM segments WHERE team_id = ? AND no = ?",
            (TEAM, SEGMENT),
        ).fetchone()
        (
            template_code,
            segment_description,
            segment_cost,
            segment_duration,
            segment_flow,
            segment_initiated,
            segment_type,
            segment_ignores,
            segment_language,
            segment_salesperson,
        ) = segment
        template = connection.execute(
            "SELECT code, group_code, description, unit_cost, unit_duration, information_flow, initiated_by,"
            " correspondence_type, ignore_contact_corres_type, language_code"
            " FROM interaction_templates WHERE team_id = ? AND code = ?",
            (TEAM, template_code),
        ).fetchone()
        (
            template_code,
            group_code,
            template_description,
            unit_cost,
            unit_duration,
            template_flow,
            template_initiated,
            template_type,
            template_ignores,
            template_language,
        ) = template
        languages: dict[str, int | None] = dict(
            connection.execute(
                "SELECT language_code, attachment_no FROM interaction_template_languages"
                " WHERE team_id = ? AND template_code = ?",
                (TEAM, template_code),
            ).fetchall()
        )
        description = (segment_description or template_description).strip()[:100]
        default_language = segment_language or template_language
        default_document = languages.get(default_language)
        chosen_type = segment_type or template_type
        ignore_contact = bool(segment_ignores or template_ignores)
        fallback_salesperson = segment_salesperson or USER

        logged_no = (
            1
            + connection.execute(
                "SELECT coalesce(max(entry_no), 0) FROM logged_segments WHERE team_id = ?", (TEAM,)
            ).fetchone()[0]
        )
        connection.execute(
            "INSERT INTO logged_segments (team_id, entry_no, segment_no, description, creation_date,"
            " user_id, canceled) VALUES (?, ?, ?, ?, ?, ?, 0)",
            (TEAM, logged_no, SEGMENT, description, sql_date(today), USER),
        )
        entry_no = connection.execute(
            "SELECT coalesce(max(entry_no), 0) FROM interaction_log_entries WHERE team_id = ?", (TEAM,)
        ).fetchone()[0]

        lines = connection.execute(
            "SELECT c.no, c.company_no, c.email, c.phone, c.language_code, c.salesperson,"
            " c.correspondence_type FROM segment_lines AS l"
            " JOIN contacts AS c ON c.team_id = l.team_id AND c.no = l.contact_no"
            " WHERE l.team_id = ? AND l.segment_no = ? ORDER BY l.line_no",
            (TEAM, SEGMENT),
        ).fetchall()
        on_date, at_time, created_at = sql_date(today), sql_time(time_now), sql_datetime(datetime.now(UTC))
        flow = segment_flow or template_flow
        initiated = segment_initiated or template_initiated
        cost = segment_cost if segment_cost is not None else unit_cost
        duration = segment_duration if segment_duration is not None else unit_duration
        rows = []
        for no, company_no, email, phone, language, salesperson, preferred in lines:
            entry_no += 1
            kind = chosen_type if ignore_contact or not preferred else preferred
            if kind == CorrespondenceType.EMAIL.value and not email:
                kind = ""
            document = languages.get(language)
            rows.append(
                (
                    TEAM,
                    entry_no,
                    no,
                    company_no,
                    on_date,
                    at_time,
                    created_at,
                    description,
                    description,
                    flow,
                    initiated,
                    cost,
                    duration,
                    USER,
                    salesperson or fallback_salesperson,
                    group_code,
                    template_code,
                    SEGMENT,
                    logged_no,
                    "",
                    "",
                    "",
                    "",
                    0,
                    0,
                    0,
                    "",
                    kind,
                    language if language in languages else default_language,
                    document if document is not None else default_document,
                    "",
                    "",
                    0,
                    0,
                    phone or email,
                )
            )
        connection.executemany(insert, rows)
        connection.execute("COMMIT")
        elapsed = time.perf_counter() - start
    return elapsed, len(rows)


def differing_entries(ours: Path, raw: Path) -> int:
    """Entries (all columns but created_at) one run wrote and the other did not."""
    compared = ", ".join(column for column in ENTRY_COLUMNS if column != "created_at")
    with closing(raw_connect(ours)) as connection:
        connection.execute("ATTACH DATABASE ? AS other", (str(raw),))
        query = (
            f"SELECT count(*) FROM (SELECT {compared} FROM main.interaction_log_entries"
            f" WHERE segment_no = :s EXCEPT SELECT {compared} FROM other.interaction_log_entries"
            f" WHERE segment_no = :s) UNION ALL SELECT count(*) FROM (SELECT {compared}"
            f" FROM other.interaction_log_entries WHERE segment_no = :s EXCEPT SELECT {compared}"
            " FROM main.interaction_log_entries WHERE segment_no = :s)"
        )
        return sum(n for (n,) in connection.execute(query, {"s": SEGMENT}))


def bench_segment(history: Path, work: Path, scale: Scale, report: Report) -> None:
    progress.print(f"1. logging a segment of {scale.contacts:,} contacts into {scale.entries:,} entries")
    ours_db, raw_db = work / "segment-store.db", work / "segment-sqlite.db"
    ours_runs: list[float] = []
    raw_runs: list[float] = []
    for turn in range(scale.repeat):
        copy_database(history, ours_db)
        copy_database(history, raw_db)
        sides = [
            ("store.segments.log_segment", log_segment_with_store, ours_db, ours_runs),
            ("sqlite3 executemany", log_segment_with_sqlite, raw_db, raw_runs),
        ]
        for label, run, database, runs in sides if turn % 2 == 0 else sides[::-1]:
            with stopwatch(label):
                seconds, rows = run(database)
            if rows != scale.contacts:
                raise SystemExit(f"{label} wrote {rows:,} entries, not {scale.contacts:,}")
            runs.append(seconds)
        if turn == 0:
            checkpoint(ours_db)
            checkpoint(raw_db)
            differences = differing_entries(ours_db, raw_db)
            if differences:
                raise SystemExit(f"the store and sqlite3 wrote different entries ({differences:,} differ)")
        drop_database(ours_db)
        drop_database(raw_db)
    report.results.append(
        Result(
            "1",
            f"log a segment of {scale.contacts:,} contacts",
            scale.contacts / min(ours_runs),
            scale.contacts / min(raw_runs),
            "rows/s",
        )
    )
    report.notes.append(
        f"1: {scale.contacts:,} entries written into a log of {scale.entries:,}, the same in both (every "
        f"column but created_at compared); {timings(ours_runs, raw_runs)}"
    )


def timings(ours: Sequence[float], raw: Sequence[float]) -> str:
    def listed(runs: Sequence[float]) -> str:
        return ", ".join(f"{seconds:.2f}" for seconds in runs)

    return f"store runs {listed(ours)} s, sqlite3 runs {listed(raw)} s, best counted"


# -- 2. Deleting canceled entries -------------------------------------------------------------------------


def delete_with_store(path: Path) -> tuple[float, int]:
    with store_engine(path) as engine:
        sessions = session_factory(engine)
        start = time.perf_counter()
        with sessions.begin() as session:
            deleted = delete_canceled_entries(session, TEAM, USER, EntryFilter())
        return time.perf_counter() - start, deleted


def delete_with_sqlite(path: Path) -> tuple[float, int]:
    with closing(raw_connect(path)) as connection:
        start = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        deleted = connection.execute(
            "DELETE FROM interaction_log_entries WHERE team_id = ? AND canceled = 1 AND postponed = 0",
            (TEAM,),
        ).rowcount
        connection.execute("COMMIT")
        return time.perf_counter() - start, deleted


def bench_delete(history: Path, work: Path, scale: Scale, report: Report) -> None:
    canceled = scale.entries // 2
    progress.print(f"2. deleting {canceled:,} canceled entries out of {scale.entries:,}")
    comments = count(history, "SELECT count(*) FROM inter_log_entry_comment_lines")
    database = work / "delete.db"
    sides: list[tuple[str, Callable[[Path], tuple[float, int]], list[float]]] = [
        ("store.cancellation.delete_canceled_entries", delete_with_store, []),
        ("sqlite3 DELETE", delete_with_sqlite, []),
    ]
    comments_left: set[int] = set()
    for turn in range(scale.repeat):
        for label, run, runs in sides if turn % 2 == 0 else sides[::-1]:
            copy_database(history, database)
            with stopwatch(label):
                seconds, deleted = run(database)
            if deleted != canceled:
                raise SystemExit(f"{label} deleted {deleted:,} entries, not {canceled:,}")
            comments_left.add(count(database, "SELECT count(*) FROM inter_log_entry_comment_lines"))
            drop_database(database)
            runs.append(seconds)
    if len(comments_left) != 1:
        raise SystemExit(f"the runs left different numbers of comment lines: {sorted(comments_left)}")
    ours_runs, raw_runs = sides[0][2], sides[1][2]
    report.results.append(
        Result(
            "2",
            f"delete {canceled:,} canceled of {scale.entries:,}",
            canceled / min(ours_runs),
            canceled / min(raw_runs),
            "rows/s",
        )
    )
    report.notes.append(
        f"2: {comments - comments_left.pop():,} of {comments:,} comment lines went with them by the "
        f"cascade; {timings(ours_runs, raw_runs)}"
    )


# -- 3. A filtered page -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageCase:
    key: str
    name: str
    given: EntryFilter
    sql: str
    parameters: tuple[object, ...]


ENTRY_SELECT = (
    f"SELECT {', '.join('e.' + column for column in ENTRY_COLUMNS)}, c.name"
    " FROM interaction_log_entries AS e"
    " LEFT JOIN contacts AS c ON c.team_id = e.team_id AND c.no = e.contact_no"
    " WHERE e.team_id = ? AND e.postponed = 0"
)
NEWEST_FIRST = f" ORDER BY e.entry_no DESC LIMIT {PAGE + 1}"
NEWEST_DATE_FIRST = f" ORDER BY e.date DESC, e.entry_no DESC LIMIT {PAGE + 1}"
"""What the store orders a page of a date range by (store.queries.list_entries)."""


def page_cases(scale: Scale) -> list[PageCase]:
    """A key account (about 100 entries not canceled of 200); the template filter with the last 30 days
    and with a month half-way back; that month alone; the segment logged two years ago."""
    contact, template = "CT000042", "T05"
    newest = entry_date(scale.entries, scale)
    recent = newest - timedelta(days=30)
    month_from = entry_date(scale.entries // 2, scale)
    month_to = month_from + timedelta(days=30)
    return [
        PageCase(
            "3a",
            f"page of {PAGE}: contact, not canceled",
            EntryFilter(contact_no=contact, canceled=CanceledFilter.NO),
            ENTRY_SELECT + " AND e.canceled = 0 AND e.contact_no = ?" + NEWEST_FIRST,
            (TEAM, contact),
        ),
        PageCase(
            "3b",
            f"page of {PAGE}: template, last 30 days",
            EntryFilter(template_code=template, date_from=recent),
            ENTRY_SELECT + " AND e.template_code = ? AND e.date >= ?" + NEWEST_DATE_FIRST,
            (TEAM, template, sql_date(recent)),
        ),
        PageCase(
            "3c",
            f"page of {PAGE}: template, a month 18 months back",
            EntryFilter(template_code=template, date_from=month_from, date_to=month_to),
            ENTRY_SELECT + " AND e.template_code = ? AND e.date >= ? AND e.date <= ?" + NEWEST_DATE_FIRST,
            (TEAM, template, sql_date(month_from), sql_date(month_to)),
        ),
        PageCase(
            "3d",
            f"page of {PAGE}: a month 18 months back",
            EntryFilter(date_from=month_from, date_to=month_to),
            ENTRY_SELECT + " AND e.date >= ? AND e.date <= ?" + NEWEST_DATE_FIRST,
            (TEAM, sql_date(month_from), sql_date(month_to)),
        ),
        PageCase(
            "3e",
            f"page of {PAGE}: segment logged 2 years back",
            EntryFilter(segment_no=OLD_SEGMENT),
            ENTRY_SELECT + " AND e.segment_no = ?" + NEWEST_FIRST,
            (TEAM, OLD_SEGMENT),
        ),
    ]


def median_ms(run: Callable[[], list[int]], runs: int) -> tuple[float, list[int]]:
    result = run()  # warm-up: statement caches, pages in the page cache
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), result


def entries_plan(connection: sqlite3.Connection, sql: str, parameters: Sequence[Any]) -> str:
    """How SQLite reaches the log entries for a query: the index and its constraints, and any sort."""
    steps = [row[-1] for row in connection.execute("EXPLAIN QUERY PLAN " + sql, tuple(parameters))]
    reach = next(step for step in steps if step.split(" ")[1] in ("e", "interaction_log_entries"))
    how = reach.split(" ", 2)[2].removeprefix("USING INDEX ").removeprefix("USING ")
    how = how.replace("sqlite_autoindex_interaction_log_entries_1", "primary key")
    return how + (", then a sort" if any("TEMP B-TREE" in step for step in steps) else "")


def store_page(sessions: Any, case: PageCase) -> list[int]:
    with reading(sessions) as session:
        page = list_entries(session, TEAM, case.given, limit=PAGE)
        return [row.entry.entry_no for row in page.rows]


def time_page(
    case: PageCase, ours: Callable[[], list[int]], raw: Callable[[], list[int]], runs: int, against: str
) -> tuple[float, float, list[int]]:
    """The median milliseconds of the store's page and of the raw one, which must be the same full page."""
    with stopwatch(f"{case.key} {case.name}"):
        ours_ms, ours_nos = median_ms(ours, runs)
        raw_ms, raw_nos = median_ms(raw, runs)
    if ours_nos != raw_nos or len(ours_nos) != PAGE:
        raise SystemExit(f"{case.key}: the store's and {against}'s pages differ, or are not full")
    return ours_ms, raw_ms, ours_nos


def bench_pages(history: Path, scale: Scale, report: Report) -> None:
    progress.print(f"3. pages of {PAGE} out of {scale.entries:,} entries, median of {scale.page_runs} runs")
    statements: list[tuple[str, Sequence[Any]]] = []

    def remember(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    with store_engine(history) as engine, closing(raw_connect(history)) as connection:
        sessions = session_factory(engine)
        for case in page_cases(scale):

            def ours(case: PageCase = case) -> list[int]:
                return store_page(sessions, case)

            def raw(case: PageCase = case) -> list[int]:
                rows = connection.execute(case.sql, case.parameters).fetchall()
                return [row[1] for row in rows[:PAGE]]

            ours_ms, raw_ms, ours_nos = time_page(case, ours, raw, scale.page_runs, "sqlite3")

            statements.clear()
            event.listen(engine, "before_cursor_execute", remember)
            ours()
            event.remove(engine, "before_cursor_execute", remember)
            store_sql, store_parameters = next(s for s in statements if "interaction_log_entries" in s[0])
            store_plan = entries_plan(connection, store_sql, store_parameters)
            raw_plan = entries_plan(connection, case.sql, case.parameters)
            plans = (
                f"both via {store_plan}"
                if store_plan == raw_plan
                else f"store via {store_plan}; sqlite3 via {raw_plan}"
            )
            report.results.append(Result(case.key, case.name, ours_ms, raw_ms, "ms"))
            report.notes.append(f"{case.key}: entries {ours_nos[0]:,} down to {ours_nos[-1]:,}; {plans}")


def bench_pages_postgres(database: str, scale: Scale, report: Report) -> None:
    """Section 3 on PostgreSQL: the same pages through the store and over plain psycopg, with the plan
    PostgreSQL chose for the store's statement."""
    progress.print(
        f"3. pages of {PAGE} out of {scale.entries:,} entries on PostgreSQL, median of {scale.page_runs}"
    )
    engine = make_engine(database)
    sessions = session_factory(engine)
    with psycopg.connect(steps.libpq_url(database), autocommit=True) as connection:
        for case in page_cases(scale):

            def ours(case: PageCase = case) -> list[int]:
                return store_page(sessions, case)

            sql = case.sql.replace("?", "%s").replace(" = 0", " = false")

            def raw(case: PageCase = case, sql: str = sql) -> list[int]:
                rows = connection.execute(sql, case.parameters).fetchall()
                return [row[1] for row in rows[:PAGE]]

            ours_ms, raw_ms, ours_nos = time_page(case, ours, raw, scale.page_runs, "psycopg")
            plan = connection.execute("EXPLAIN " + sql, case.parameters).fetchall()
            reach = next((row[0].strip() for row in plan if "interaction_log_entries" in row[0]), "?")
            report.results.append(Result(case.key, case.name, ours_ms, raw_ms, "ms"))
            report.notes.append(f"{case.key}: entries {ours_nos[0]:,} down to {ours_nos[-1]:,}; {reach}")
    engine.dispose()


# -- 4. Building a segment step by step (bench/steps.py) ------------------------------------------------


def differing_lines(ours: Path, raw: Path) -> int:
    """Segment lines and recorded step lines that one side has and the other has not."""
    with closing(raw_connect(ours)) as connection:
        connection.execute("ATTACH DATABASE ? AS other", (str(raw),))
        differences = 0
        for table, columns in (
            ("segment_lines", "segment_no, line_no, contact_no"),
            ("segment_step_lines", "segment_no, step_no, line_no, contact_no, added"),
            ("segment_steps", "segment_no, step_no, kind, added, removed, first_line, last_line"),
        ):
            for first, second in (("main", "other"), ("other", "main")):
                (n,) = connection.execute(
                    f"SELECT count(*) FROM (SELECT {columns} FROM {first}.{table} WHERE segment_no = ?"
                    f" EXCEPT SELECT {columns} FROM {second}.{table} WHERE segment_no = ?)",
                    (steps.BUILT, steps.BUILT),
                ).fetchone()
                differences += n
        return differences


def bench_steps(history: Path, work: Path, scale: Scale, report: Report) -> None:
    progress.print(f"4. building a segment of {scale.contacts:,} contacts: add, reduce, refine")
    cases = steps.step_cases()
    ours_db, raw_db = work / "steps-store.db", work / "steps-sqlite.db"
    ours_runs: list[list[tuple[float, int]]] = []
    raw_runs: list[list[tuple[float, int]]] = []
    for turn in range(scale.repeat):
        for database in (ours_db, raw_db):
            copy_database(history, database)
            with store_engine(database) as engine, session_factory(engine).begin() as session:
                add_segment(session, TEAM, steps.BUILT, "Built step by step")

        def ours(database: Path) -> list[tuple[float, int]]:
            with store_engine(database) as engine:
                return steps.steps_with_store(engine, cases, TEAM, USER)

        def raw(database: Path) -> list[tuple[float, int]]:
            return steps.steps_with_sqlite(raw_connect, database, cases, TEAM, USER)

        sides = [
            ("store.segment_steps.run_step", ours, ours_db, ours_runs),
            ("sqlite3 INSERT/DELETE ... SELECT", raw, raw_db, raw_runs),
        ]
        for label, run, database, runs in sides if turn % 2 == 0 else sides[::-1]:
            with stopwatch(label):
                runs.append(run(database))
        if turn == 0:
            checkpoint(ours_db)
            checkpoint(raw_db)
            differences = differing_lines(ours_db, raw_db)
            if differences:
                raise SystemExit(
                    f"the store and sqlite3 left different segment lines ({differences:,} differ)"
                )
        drop_database(ours_db)
        drop_database(raw_db)
    add_step_figures(report, steps._figures(cases, ours_runs, raw_runs, scale.repeat, "sqlite3"))


def add_step_figures(report: Report, figures: Sequence[Any]) -> None:
    for figure in figures:
        report.results.append(
            Result(
                figure.key,
                figure.name,
                figure.changed / figure.ours,
                figure.changed / figure.raw,
                "rows/s",
                figure.ours,
            )
        )
        report.notes.append(figure.note)


def bench_steps_postgres(given: str, scale: Scale, report: Report) -> float:
    """Sections 3 and 4 on PostgreSQL, in a schema of its own; returns the setup's seconds."""
    with postgres_schema(given, "crm_bench") as database:
        engine = make_engine(database)
        began = time.perf_counter()
        with stopwatch(f"PostgreSQL: schema, {scale.contacts:,} contacts and {scale.entries:,} entries"):
            build_postgres(engine, scale)
        version = engine.dialect.server_version_info or ()
        report.engine = f"PostgreSQL {'.'.join(str(part) for part in version)}"
        engine.dispose()
        setup = time.perf_counter() - began
        bench_pages_postgres(database, scale, report)
        progress.print(f"4. building a segment of {scale.contacts:,} contacts: add, reduce, refine")
        figures = steps.bench_postgres(database, TEAM, USER, scale.repeat, progress.print)
    add_step_figures(report, figures)
    return setup


# -- Report -----------------------------------------------------------------------------------------------


def render(report: Report, scale: Scale, setup_seconds: float, total_seconds: float) -> None:
    width = max(shutil.get_terminal_size((120, 24)).columns, 120)
    console = Console(width=width, highlight=False)
    console.print(
        f"{report.engine}, Python {platform.python_version()}, "
        f"SQLAlchemy {sqlalchemy.__version__}, {os.cpu_count()} CPUs; "
        f"{scale.entries:,} entries, {scale.contacts:,} contacts"
    )
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("")
    table.add_column("benchmark", no_wrap=True)
    table.add_column("store", justify="right")
    table.add_column(report.raw, justify="right")
    table.add_column("ratio", justify="right")
    table.add_column("target", justify="right")
    table.add_column("")
    for result in sorted(report.results, key=lambda result: result.key):
        if result.unit == "rows/s":
            ours, raw = f"{result.ours:,.0f} rows/s", f"{result.raw:,.0f} rows/s"
            target = f"ratio >= {BULK_TARGET}" + (f", < {STEP_TARGET_S:.0f} s" if result.seconds else "")
        else:
            ours, raw = f"{result.ours:.2f} ms", f"{result.raw:.2f} ms"
            target = f"< {PAGE_TARGET_MS:.0f} ms"
        verdict = "ok" if result.met else "MISSED"
        table.add_row(result.key, result.name, ours, raw, f"{result.ratio:.2f}", target, verdict)
    console.print(table)
    console.print(
        "ratio: bulk = store rows/s / raw rows/s; pages = raw ms / store ms. Either way above 1 means the "
        f"store is faster than {report.raw}, below 1 slower."
    )
    for note in sorted(report.notes):
        console.print(f"{note}", soft_wrap=True)
    console.print(f"setup {setup_seconds:.0f} s, whole run {total_seconds:.0f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a 10x smaller run, to smoke-test")
    parser.add_argument("--runs", type=int, help="runs per page to take the median of (default 50)")
    parser.add_argument("--repeat", type=int, help="runs of each bulk operation, best counted (default 2)")
    parser.add_argument("--dir", type=Path, help="where to put the temporary databases")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a PostgreSQL server (postgresql+psycopg://...; default $DATABASE_URL): the pages and the\n"
        "segment steps (sections 3 and 4) run there, in a schema of their own, against raw psycopg",
    )
    args = parser.parse_args(argv)
    scale = QUICK if args.quick else FULL
    scale = replace(scale, page_runs=args.runs or scale.page_runs, repeat=args.repeat or scale.repeat)

    began = time.perf_counter()
    report = Report()
    if args.database_url.startswith("postgres"):
        report.raw = "raw psycopg"
        setup_seconds = bench_steps_postgres(args.database_url, scale, report)
        render(report, scale, setup_seconds, time.perf_counter() - began)
        return 0 if all(result.met for result in report.results) else 1
    with tempfile.TemporaryDirectory(prefix="crm-bench-", dir=args.dir) as folder:
        work = Path(folder)
        history = work / "history.db"
        progress.print(f"setup in {work}")
        with stopwatch(f"schema, setup and {scale.contacts:,} contacts"):
            build_workspace(history, scale)
        with stopwatch(f"{scale.entries:,} log entries"):
            build_history(history, scale)
        with stopwatch("planner statistics, as the store refreshes them after bulk work"):
            refresh(history)
        setup_seconds = time.perf_counter() - began
        bench_segment(history, work, scale, report)
        bench_delete(history, work, scale, report)
        bench_pages(history, scale, report)
        bench_steps(history, work, scale, report)
    render(report, scale, setup_seconds, time.perf_counter() - began)
    return 0 if all(result.met for result in report.results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
