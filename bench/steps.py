"""Section 4 of bench/store.py: a segment of every contact built step by step (Add, Reduce, Refine
Contacts), each step once through store.segment_steps.run_step and once as the same statements written
by hand, on SQLite (raw sqlite3, on byte-identical copies of one database) or on PostgreSQL (raw psycopg,
in a schema of the bench's own, dropped at the end; the two sides take turns on one database, which is put
back between runs). Both sides must leave the same lines and step records, or the run stops."""

import re
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, make_url

from store.db import make_engine, session_factory
from store.segment_criteria import Criteria, History
from store.segment_steps import MANY_LINES, StepKind, run_step
from store.segments import add_segment

BUILT = "BUILT"
RECENT = date(2025, 7, 1)
TABLES = ("segment_lines", "segment_step_lines", "segment_steps")


@dataclass(frozen=True)
class StepCase:
    key: str
    name: str
    kind: StepKind
    criteria: Criteria
    sql: tuple[str, ...]
    """The same step by hand on SQLite: its record, its lines (and their record), the counts (`:name`
    parameters; TRUE and FALSE, which SQLite reads as 1 and 0)."""
    postgres: tuple[str, ...]
    """The same on PostgreSQL, where a DELETE ... RETURNING feeds the record of the lines taken off."""


@dataclass(frozen=True)
class StepFigure:
    key: str
    name: str
    changed: int
    ours: float
    raw: float
    """Best seconds of each side."""
    note: str


def step_cases() -> list[StepCase]:
    """Every contact added (country=ES holds for all), then those with a T02 entry since RECENT reduced,
    then refined to the Spanish-speaking people; each as the store records it and as raw SQL."""
    record = (
        "INSERT INTO segment_steps (team_id, segment_no, step_no, kind, criteria, people, duplicates,"
        " added, removed, user_id, created_at) VALUES (:team, :segment, :step, :kind, '{}', FALSE, FALSE,"
        " 0, 0, :user, '2026-01-15 09:30:00.000000')"
    )
    add = (
        "INSERT INTO segment_lines (team_id, segment_no, line_no, contact_no)"
        " SELECT c.team_id, CAST(:segment AS VARCHAR(20)), 10000 * row_number() OVER (ORDER BY c.no), c.no"
        " FROM contacts AS c WHERE c.team_id = :team AND lower(c.country) = 'es' AND c.no NOT IN"
        " (SELECT contact_no FROM segment_lines WHERE team_id = :team AND segment_no = :segment)"
    )
    added = (
        "UPDATE segment_steps SET (added, first_line, last_line) = (SELECT count(*), min(line_no),"
        " max(line_no) FROM segment_lines WHERE team_id = :team AND segment_no = :segment)"
        " WHERE team_id = :team AND segment_no = :segment AND step_no = :step"
    )
    record_removed = (
        "INSERT INTO segment_step_lines (team_id, segment_no, step_no, line_no, contact_no, added)"
        " SELECT team_id, segment_no, :step, line_no, contact_no, FALSE FROM segment_lines AS l"
        " WHERE l.team_id = :team AND l.segment_no = :segment AND {where}"
    )
    delete = (
        "DELETE FROM segment_lines WHERE team_id = :team AND segment_no = :segment AND line_no IN"
        " (SELECT line_no FROM segment_step_lines WHERE team_id = :team AND segment_no = :segment"
        " AND step_no = :step)"
    )
    move = (
        "WITH gone AS (DELETE FROM segment_lines AS l WHERE l.team_id = :team AND l.segment_no = :segment"
        " AND {where} RETURNING l.team_id, l.segment_no, l.line_no, l.contact_no)"
        " INSERT INTO segment_step_lines (team_id, segment_no, step_no, line_no, contact_no, added)"
        " SELECT team_id, segment_no, :step, line_no, contact_no, FALSE FROM gone"
    )
    removed = (
        "UPDATE segment_steps SET removed = (SELECT count(*) FROM segment_step_lines AS h"
        " WHERE h.team_id = :team AND h.segment_no = :segment AND h.step_no = :step)"
        " WHERE team_id = :team AND segment_no = :segment AND step_no = :step"
    )
    # A correlated EXISTS here takes minutes on SQLite: it walks T02's entries once per line.
    had = (
        "l.contact_no IN (SELECT contact_no FROM interaction_log_entries WHERE team_id = :team"
        " AND canceled = FALSE AND template_code = 'T02' AND date >= :recent)"
    )
    spanish_people = (
        "l.contact_no NOT IN (SELECT no FROM contacts WHERE team_id = :team AND lower(type) = 'person'"
        " AND lower(language_code) = 'esp')"
    )
    return [
        StepCase(
            "4a",
            "add where country=ES",
            StepKind.ADD,
            Criteria(fields=(("country", "ES"),)),
            (record, add, added),
            (record, add, added),
        ),
        StepCase(
            "4b",
            f"reduce where had=T02 from={RECENT.isoformat()}",
            StepKind.REDUCE,
            Criteria(history=(History("T02", date_from=RECENT),)),
            (record, record_removed.format(where=had), delete, removed),
            (record, move.format(where=had), removed),
        ),
        StepCase(
            "4c",
            "refine where type=person language=ESP",
            StepKind.REFINE,
            Criteria(fields=(("type", "person"), ("language", "ESP"))),
            (record, record_removed.format(where=spanish_people), delete, removed),
            (record, move.format(where=spanish_people), removed),
        ),
    ]


def _parameters(case: StepCase, number: int, team: str, user: str) -> dict[str, Any]:
    return {
        "team": team,
        "segment": BUILT,
        "step": number,
        "kind": case.kind.value,
        "user": user,
        "recent": RECENT,
    }


def steps_with_store(
    engine: Engine, cases: Sequence[StepCase], team: str, user: str
) -> list[tuple[float, int]]:
    """Each step in a transaction of its own, as `/crm segment BUILT add where …` runs it."""
    done = []
    sessions = session_factory(engine)
    for case in cases:
        start = time.perf_counter()
        with sessions.begin() as session:
            step = run_step(session, team, user, BUILT, case.kind, case.criteria)
            changed = step.added + step.removed if step else 0
        done.append((time.perf_counter() - start, changed))
    return done


def _used(sql: str, parameters: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in parameters.items() if f":{name}" in sql}


# -- SQLite -------------------------------------------------------------------------------------------------


def steps_with_sqlite(
    connect: Callable[[Path], Any], path: Path, cases: Sequence[StepCase], team: str, user: str
) -> list[tuple[float, int]]:
    done = []
    with closing(connect(path)) as connection:
        for number, case in enumerate(cases, start=1):
            parameters = _parameters(case, number, team, user) | {"recent": RECENT.isoformat()}
            start = time.perf_counter()
            connection.execute("BEGIN IMMEDIATE")
            for sql in case.sql:
                connection.execute(sql, _used(sql, parameters))
            connection.execute("COMMIT")
            elapsed = time.perf_counter() - start
            (changed,) = connection.execute(
                "SELECT added + removed FROM segment_steps"
                " WHERE team_id = ? AND segment_no = ? AND step_no = ?",
                (team, BUILT, number),
            ).fetchone()
            done.append((elapsed, changed))
    return done


# -- PostgreSQL ---------------------------------------------------------------------------------------------


def psycopg_sql(sql: str) -> str:
    """`:name` parameters as psycopg writes them (the times' `:30` are not parameters)."""
    return re.sub(r":([a-z]\w*)", r"%(\1)s", sql)


def steps_with_psycopg(url: str, cases: Sequence[StepCase], team: str, user: str) -> list[tuple[float, int]]:
    """The same statements over a plain psycopg connection, each step in a transaction of its own."""
    done = []
    with psycopg.connect(libpq_url(url), autocommit=True) as connection:
        for number, case in enumerate(cases, start=1):
            start = time.perf_counter()
            connection.execute("BEGIN")
            changed, _ = _psycopg_step(connection, case, number, team, user)
            connection.execute("COMMIT")
            done.append((time.perf_counter() - start, changed))
    return done


def _psycopg_step(
    connection: psycopg.Connection[Any],
    case: StepCase,
    number: int,
    team: str,
    user: str,
    explain: bool = False,
) -> tuple[int, str]:
    """One step's statements, the planner statistics refreshed after a large step as the store does
    (otherwise the next step is planned for the segment as it was); with `explain`, its lines' statement
    runs under EXPLAIN ANALYZE, whose plan is returned."""
    parameters = _parameters(case, number, team, user)
    plan = ""
    for index, sql in enumerate(case.postgres):
        if explain and index == 1:
            rows = connection.execute("EXPLAIN (ANALYZE) " + psycopg_sql(sql), _used(sql, parameters))
            plan = "\n".join(row[0] for row in rows)
        else:
            connection.execute(psycopg_sql(sql), _used(sql, parameters))
    row = connection.execute(
        "SELECT added + removed FROM segment_steps WHERE team_id = %s AND segment_no = %s AND step_no = %s",
        (team, BUILT, number),
    ).fetchone()
    assert row is not None
    if row[0] >= MANY_LINES:  # the tables the step changed
        connection.execute("ANALYZE segment_lines")
        if case.kind is not StepKind.ADD:
            connection.execute("ANALYZE segment_step_lines")
    return int(row[0]), plan


TRIGGER = re.compile(r"Trigger for constraint (\S+)(?: on \S+)?: time=([\d.]+) calls=(\d+)")
EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")


def foreign_key_checks(url: str, cases: Sequence[StepCase], team: str, user: str) -> dict[str, str]:
    """Per step, what EXPLAIN ANALYZE says of its lines' statement: its time, and how much of it went on
    checking foreign keys (PostgreSQL checks them one row at a time). In a transaction rolled back."""
    said: dict[str, str] = {}
    with psycopg.connect(libpq_url(url), autocommit=True) as connection:
        connection.execute("BEGIN")
        for number, case in enumerate(cases, start=1):
            _, plan = _psycopg_step(connection, case, number, team, user, explain=True)
            total = float(m.group(1)) if (m := EXECUTION.search(plan)) else 0.0
            checks = [
                f"{name.removeprefix('fk_')} {float(ms):.0f} ms" for name, ms, _ in TRIGGER.findall(plan)
            ]
            said[case.key] = f"EXPLAIN ANALYZE {total:.0f} ms" + (
                f", of which foreign key checks {', '.join(checks)}" if checks else ""
            )
        connection.execute("ROLLBACK")
    return said


def libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def built(url: str, team: str) -> dict[str, list[tuple[Any, ...]]]:
    """Segment BUILT's lines, recorded step lines and steps, in order: what both sides must agree on."""
    queries = {
        "segment_lines": "SELECT line_no, contact_no FROM segment_lines WHERE team_id = %(t)s"
        " AND segment_no = %(s)s ORDER BY line_no",
        "segment_step_lines": "SELECT step_no, line_no, contact_no, added FROM segment_step_lines"
        " WHERE team_id = %(t)s AND segment_no = %(s)s ORDER BY step_no, line_no",
        "segment_steps": "SELECT step_no, kind, added, removed, first_line, last_line FROM segment_steps"
        " WHERE team_id = %(t)s AND segment_no = %(s)s ORDER BY step_no",
    }
    with psycopg.connect(libpq_url(url)) as connection:
        return {
            table: connection.execute(sql, {"t": team, "s": BUILT}).fetchall()
            for table, sql in queries.items()
        }


def reset(url: str, team: str) -> None:
    """Segment BUILT empty again, without the dead rows of the last run: the next side starts alike."""
    with psycopg.connect(libpq_url(url), autocommit=True) as connection:
        for table in TABLES:
            connection.execute(f"DELETE FROM {table} WHERE team_id = %s AND segment_no = %s", (team, BUILT))
        connection.execute(f"VACUUM ANALYZE {', '.join(TABLES)}")


def bench_postgres(
    url: str, team: str, user: str, repeat: int, progress: Callable[[str], Any]
) -> list[StepFigure]:
    """The steps on the (filled) PostgreSQL schema of `url`, each side `repeat` times, taking turns."""
    cases = step_cases()
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        add_segment(session, team, BUILT, "Built step by step")
    sides: list[tuple[str, Callable[[], list[tuple[float, int]]], list[list[tuple[float, int]]]]] = [
        ("store.segment_steps.run_step", lambda: steps_with_store(engine, cases, team, user), []),
        ("psycopg INSERT/DELETE ... SELECT", lambda: steps_with_psycopg(url, cases, team, user), []),
    ]
    results: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
    try:
        for turn in range(repeat):
            for label, run, runs in sides if turn % 2 == 0 else sides[::-1]:
                reset(url, team)
                start = time.perf_counter()
                runs.append(run())
                progress(f"  {label} ... {time.perf_counter() - start:.1f} s")
                results.setdefault(label, built(url, team))
        reset(url, team)
        explained = foreign_key_checks(url, cases, team, user)
    finally:
        engine.dispose()
    (ours_label, _, ours_runs), (raw_label, _, raw_runs) = sides
    if results[ours_label] != results[raw_label]:
        raise SystemExit("the store and psycopg left different segment lines or step records")
    figures = _figures(cases, ours_runs, raw_runs, repeat, "psycopg")
    return [replace(f, note=f"{f.note}; {explained[f.key]}") if f.key in explained else f for f in figures]


def _figures(
    cases: Sequence[StepCase],
    ours_runs: list[list[tuple[float, int]]],
    raw_runs: list[list[tuple[float, int]]],
    repeat: int,
    raw_name: str,
) -> list[StepFigure]:
    if any([c for _, c in run] != [c for _, c in ours_runs[0]] for run in ours_runs + raw_runs):
        raise SystemExit(f"the steps changed different numbers of lines: {ours_runs} vs {raw_runs}")
    figures = []
    for index, case in enumerate(cases):
        ours = min(run[index][0] for run in ours_runs)
        raw = min(run[index][0] for run in raw_runs)
        changed = ours_runs[0][index][1]
        note = (
            f"{case.key}: {changed:,} lines, store {1000 * ours:.0f} ms, {raw_name} {1000 * raw:.0f} ms "
            f"(best of {repeat}); the same lines and step records on both sides"
        )
        figures.append(StepFigure(case.key, f"{case.name} ({changed:,} lines)", changed, ours, raw, note))
    return figures
