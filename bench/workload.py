"""The benchmark workspace, shared by bench/store.py and bench/load.py: templates, a segment of every
contact, `Scale.contacts` contacts and `Scale.entries` log entries over three years, written by bulk SQL
(SQLite's recursive CTEs, PostgreSQL's generate_series) rather than row by row. Both databases get the same
rows, so their figures compare."""

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from store.db import make_engine, session_factory
from store.enums import CorrespondenceType, InformationFlow, InitiatedBy
from store.migrate import upgrade
from store.models import Attachment, InteractionTemplateLanguage
from store.numbering import reserve
from store.segments import add_segment
from store.templates import TemplateDefaults, add_group, add_template

TEAM = "TBENCH0001"
USER = "UBENCH"
SEGMENT = "EVERYONE"
OLD_SEGMENT = "MAILING23"
OLD_LOGGED_SEGMENT = 1
MAIL_TEMPLATE = "T01"
TEMPLATES = 10
HISTORY_START = date(2023, 1, 1)
HISTORY_DAYS = 3 * 365
LOGGED_AT = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
SETUP_CACHE_KIB = 512 * 1024

ENTRY_COLUMNS = (
    "team_id",
    "entry_no",
    "contact_no",
    "contact_company_no",
    "date",
    "time_of_interaction",
    "created_at",
    "description",
    "subject",
    "information_flow",
    "initiated_by",
    "cost",
    "duration",
    "user_id",
    "salesperson",
    "group_code",
    "template_code",
    "segment_no",
    "logged_segment_entry_no",
    "campaign_no",
    "opportunity_no",
    "task_no",
    "evaluation",
    "attempt_failed",
    "canceled",
    "postponed",
    "delivery_status",
    "correspondence_type",
    "language_code",
    "attachment_no",
    "document_type",
    "document_no",
    "version_no",
    "doc_no_occurrence",
    "contact_via",
)


@dataclass(frozen=True)
class Scale:
    contacts: int
    """Contacts in the workspace; the segment holds every one of them."""
    entries: int
    """Interaction log entries before the bulk work; exactly half are canceled."""
    page_runs: int
    repeat: int = 2

    @property
    def companies(self) -> int:
        return self.contacts // 10

    @property
    def key_accounts(self) -> int:
        """Companies CT000001... that get a fifth of all entries, so a contact's page holds 50 rows."""
        return max(self.entries // 1000, 1)

    @property
    def old_segment(self) -> range:
        """Entry numbers of a mailing logged about two years before the newest entry."""
        first = self.entries // 4 + 1
        return range(first, first + self.contacts // 2)


FULL = Scale(contacts=100_000, entries=1_000_000, page_runs=50)
QUICK = Scale(contacts=10_000, entries=100_000, page_runs=50)


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def raw_connect(path: Path) -> sqlite3.Connection:
    """A plain connection with the PRAGMAs store.db sets; transactions are issued by hand."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def build_workspace(path: Path, scale: Scale) -> None:
    """Schema, setup and contacts: templates in three groups, the mail template with a document per
    language, a segment of every contact."""
    engine = make_engine(url(path))
    build_setup(engine)
    engine.dispose()
    build_sqlite_contacts(path, scale)


def build_setup(engine: Engine) -> None:
    """The schema, and the setup through the store: groups, templates, documents, segments."""
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        for code, description in (("MAIL", "Mailings"), ("CALLS", "Phone calls"), ("MEET", "Meetings")):
            add_group(session, TEAM, code, description)
        add_template(
            session,
            TEAM,
            MAIL_TEMPLATE,
            "MAIL",
            TemplateDefaults(
                description="Newsletter",
                unit_cost=Decimal("0.35"),
                unit_duration=1,
                information_flow=InformationFlow.OUTBOUND,
                initiated_by=InitiatedBy.US,
                correspondence_type=CorrespondenceType.EMAIL,
                language_code="ENU",
            ),
        )
        for number in range(2, TEMPLATES + 1):
            add_template(
                session,
                TEAM,
                f"T{number:02d}",
                ("MAIL", "CALLS", "MEET")[number % 3],
                TemplateDefaults(
                    description=f"Interaction kind {number}",
                    unit_cost=Decimal(number) / 4,
                    unit_duration=5 * number,
                    information_flow=(InformationFlow.OUTBOUND, InformationFlow.INBOUND)[number % 2],
                    initiated_by=(InitiatedBy.US, InitiatedBy.THEM)[number % 2],
                    correspondence_type=(CorrespondenceType.EMAIL, CorrespondenceType.HARD_COPY)[number % 2],
                ),
            )
        for language in ("ENU", "ESP", "DEU"):
            content = f"Newsletter ({language})".encode()
            attachment_no = reserve(session, TEAM, "attachment")
            session.add(
                Attachment(
                    team_id=TEAM,
                    no=attachment_no,
                    file_name=f"newsletter-{language.lower()}.txt",
                    content_type="text/plain",
                    size=len(content),
                    content=content,
                )
            )
            session.flush()
            session.add(
                InteractionTemplateLanguage(
                    team_id=TEAM,
                    template_code=MAIL_TEMPLATE,
                    language_code=language,
                    description=f"Newsletter ({language})",
                    attachment_no=attachment_no,
                )
            )
        segment = add_segment(session, TEAM, SEGMENT, "Every contact")
        segment.template_code = MAIL_TEMPLATE
        add_segment(session, TEAM, OLD_SEGMENT, "Autumn 2023 mailing")


def build_sqlite_contacts(path: Path, scale: Scale) -> None:
    with closing(raw_connect(path)) as connection:
        connection.execute(f"PRAGMA cache_size=-{SETUP_CACHE_KIB}")
        connection.execute("BEGIN IMMEDIATE")
        # Companies first (a company is its own company), then people, each at one of the companies.
        connection.execute(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :contacts)
            INSERT INTO contacts (team_id, no, type, name, search_name, company_no, email, phone, address,
                city, post_code, country, language_code, salesperson, correspondence_type, created_at)
            SELECT :team, printf('CT%06d', i),
                CASE WHEN i <= :companies THEN 'company' ELSE 'person' END,
                CASE WHEN i <= :companies THEN 'Company ' ELSE 'Person ' END || i,
                CASE WHEN i <= :companies THEN 'company ' ELSE 'person ' END || i,
                printf('CT%06d', CASE WHEN i <= :companies THEN i ELSE 1 + i % :companies END),
                CASE WHEN i % 7 = 0 THEN '' ELSE 'contact' || i || '@example.com' END,
                CASE WHEN i % 3 = 0 THEN printf('+34 600 %06d', i) ELSE '' END,
                'Street ' || i, 'Madrid', '28001', 'ES',
                CASE i % 10 WHEN 0 THEN 'ESP' WHEN 1 THEN 'DEU' WHEN 2 THEN 'FRA' ELSE '' END,
                CASE WHEN i % 4 = 0 THEN '' ELSE 'SP' || (i % 12) END,
                CASE i % 5 WHEN 0 THEN 'hard-copy' WHEN 1 THEN 'email' ELSE '' END,
                '2024-01-01 00:00:00.000000'
            FROM n
            """,
            {"team": TEAM, "contacts": scale.contacts, "companies": scale.companies},
        )
        connection.execute(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :contacts)
            INSERT INTO segment_lines (team_id, segment_no, line_no, contact_no)
            SELECT :team, :segment, 10000 * i, printf('CT%06d', i) FROM n
            """,
            {"team": TEAM, "segment": SEGMENT, "contacts": scale.contacts},
        )
        connection.execute(
            "INSERT INTO number_series (team_id, series, last_no) VALUES (?, 'contact', ?)",
            (TEAM, scale.contacts),
        )
        connection.execute("UPDATE workspaces SET contacts_version = 1 WHERE team_id = ?", (TEAM,))
        connection.execute("COMMIT")


def build_history(path: Path, scale: Scale) -> None:
    """`scale.entries` entries over three years, in date order: templates round robin, a fifth of them
    on the key accounts and the rest spread over every contact by a multiplicative hash; every second run
    of ten entries canceled (exactly half of each template's, about half of each contact's); one entry in
    five with a comment line; the mail template's entries with its English document; one stretch logged
    as segment OLD_SEGMENT, two years before the newest entry."""
    with closing(raw_connect(path)) as connection:
        connection.execute(f"PRAGMA cache_size=-{SETUP_CACHE_KIB}")
        (english_document,) = connection.execute(
            "SELECT attachment_no FROM interaction_template_languages "
            "WHERE team_id = ? AND template_code = ? AND language_code = 'ENU'",
            (TEAM, MAIL_TEMPLATE),
        ).fetchone()
        connection.execute("BEGIN IMMEDIATE")
        old = scale.old_segment
        connection.execute(
            "INSERT INTO logged_segments (team_id, entry_no, segment_no, description, creation_date,"
            " user_id, canceled) VALUES (?, ?, ?, 'Autumn 2023 mailing', ?, 'U01', 0)",
            (TEAM, OLD_LOGGED_SEGMENT, OLD_SEGMENT, entry_date(old.start, scale).isoformat()),
        )
        connection.execute(
            f"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :entries),
            hashed(i, h) AS (SELECT i, (i * 2654435761) % 4294967291 FROM n),
            planned(i, c, t, d, clock) AS (
                SELECT i,
                    CASE WHEN h % 5 = 0 THEN 1 + (h / 5) % :key_accounts ELSE 1 + (h / 5) % :contacts END,
                    printf('T%02d', 1 + i % {TEMPLATES}),
                    date(:start, '+' || ((i - 1) * :days / :entries) || ' days'),
                    printf('%02d:%02d:00.000000', 8 + i % 10, i % 60)
                FROM hashed
            )
            INSERT INTO interaction_log_entries ({", ".join(ENTRY_COLUMNS)})
            SELECT :team, i, printf('CT%06d', c),
                printf('CT%06d', CASE WHEN c <= :companies THEN c ELSE 1 + c % :companies END),
                d, clock, d || ' ' || clock, tp.description, tp.description, tp.information_flow,
                tp.initiated_by, tp.unit_cost, tp.unit_duration, printf('U%02d', i % 20), 'SP' || (i % 12),
                tp.group_code, tp.code,
                CASE WHEN i BETWEEN :old_first AND :old_last THEN :old_segment ELSE '' END,
                CASE WHEN i BETWEEN :old_first AND :old_last THEN :old_logged END,
                '', '', '',
                CASE i % 4 WHEN 0 THEN 'positive' WHEN 1 THEN 'neutral' ELSE '' END,
                CASE WHEN i % 17 = 0 THEN 1 ELSE 0 END,
                ((i - 1) / 10) % 2, 0, '', tp.correspondence_type, tp.language_code,
                CASE WHEN tp.code = :mail THEN :document END,
                CASE WHEN tp.code = 'T04' THEN 'sales-invoice' ELSE '' END,
                CASE WHEN tp.code = 'T04' THEN printf('SI%07d', i) ELSE '' END,
                0, 0, ''
            FROM planned CROSS JOIN interaction_templates AS tp
            WHERE tp.team_id = :team AND tp.code = planned.t
            """,
            {
                "team": TEAM,
                "entries": scale.entries,
                "contacts": scale.contacts,
                "companies": scale.companies,
                "key_accounts": scale.key_accounts,
                "start": HISTORY_START.isoformat(),
                "days": HISTORY_DAYS,
                "mail": MAIL_TEMPLATE,
                "document": english_document,
                "old_first": old.start,
                "old_last": old.stop - 1,
                "old_segment": OLD_SEGMENT,
                "old_logged": OLD_LOGGED_SEGMENT,
            },
        )
        connection.execute(
            """
            INSERT INTO inter_log_entry_comment_lines
                (team_id, entry_no, line_no, date, comment, user_id, last_modified_at)
            SELECT team_id, entry_no, 10000, date, 'Call back next week', user_id, created_at
            FROM interaction_log_entries WHERE team_id = ? AND entry_no % 5 = 0
            """,
            (TEAM,),
        )
        connection.executemany(
            "INSERT INTO number_series (team_id, series, last_no) VALUES (?, ?, ?)",
            [(TEAM, "interaction_log_entry", scale.entries), (TEAM, "logged_segment", OLD_LOGGED_SEGMENT)],
        )
        connection.execute("COMMIT")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def entry_date(entry_no: int, scale: Scale) -> date:
    """The date build_history gives an entry."""
    return HISTORY_START + timedelta(days=(entry_no - 1) * HISTORY_DAYS // scale.entries)


# -- PostgreSQL ---------------------------------------------------------------------------------------------


def build_postgres(engine: Engine, scale: Scale) -> None:
    """The same workspace as build_workspace and build_history, on the (empty) PostgreSQL schema of
    `engine`. The rows are built consistent, so foreign keys are not checked while they are written
    (session_replication_role); VACUUM ANALYZE leaves the planner its figures."""
    build_setup(engine)
    parameters = _parameters(engine, scale)
    with engine.begin() as connection:
        raw: Any = connection.connection.driver_connection
        with raw.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            for statement in PG_FILL:
                cursor.execute(statement, parameters)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def _parameters(engine: Engine, scale: Scale) -> dict[str, Any]:
    with engine.connect() as connection:
        document = connection.exec_driver_sql(
            "SELECT attachment_no FROM interaction_template_languages "
            "WHERE team_id = %(team)s AND template_code = %(mail)s AND language_code = 'ENU'",
            {"team": TEAM, "mail": MAIL_TEMPLATE},
        ).scalar_one()
    old = scale.old_segment
    return {
        "team": TEAM,
        "segment": SEGMENT,
        "contacts": scale.contacts,
        "companies": scale.companies,
        "entries": scale.entries,
        "key_accounts": scale.key_accounts,
        "start": HISTORY_START,
        "days": HISTORY_DAYS,
        "mail": MAIL_TEMPLATE,
        "document": document,
        "old_first": old.start,
        "old_last": old.stop - 1,
        "old_date": entry_date(old.start, scale),
        "old_segment": OLD_SEGMENT,
        "old_logged": OLD_LOGGED_SEGMENT,
    }


PG_FILL = (
    """
    INSERT INTO contacts (team_id, no, type, name, search_name, company_no, email, phone, address,
        city, post_code, country, language_code, salesperson, correspondence_type, created_at)
    SELECT %(team)s, 'CT' || lpad(i::text, 6, '0'),
        CASE WHEN i <= %(companies)s THEN 'company' ELSE 'person' END,
        CASE WHEN i <= %(companies)s THEN 'Company ' ELSE 'Person ' END || i,
        CASE WHEN i <= %(companies)s THEN 'company ' ELSE 'person ' END || i,
        'CT' || lpad((CASE WHEN i <= %(companies)s THEN i ELSE 1 + i %% %(companies)s END)::text, 6, '0'),
        CASE WHEN i %% 7 = 0 THEN '' ELSE 'contact' || i || '@example.com' END,
        CASE WHEN i %% 3 = 0 THEN '+34 600 ' || lpad(i::text, 6, '0') ELSE '' END,
        'Street ' || i, 'Madrid', '28001', 'ES',
        CASE i %% 10 WHEN 0 THEN 'ESP' WHEN 1 THEN 'DEU' WHEN 2 THEN 'FRA' ELSE '' END,
        CASE WHEN i %% 4 = 0 THEN '' ELSE 'SP' || (i %% 12) END,
        CASE i %% 5 WHEN 0 THEN 'hard-copy' WHEN 1 THEN 'email' ELSE '' END,
        timestamptz '2024-01-01 00:00:00+00'
    FROM generate_series(1, %(contacts)s) AS i
    """,
    """
    INSERT INTO segment_lines (team_id, segment_no, line_no, contact_no)
    SELECT %(team)s, %(segment)s, 10000 * i, 'CT' || lpad(i::text, 6, '0')
    FROM generate_series(1, %(contacts)s) AS i
    """,
    "INSERT INTO number_series (team_id, series, last_no) VALUES (%(team)s, 'contact', %(contacts)s)",
    "UPDATE workspaces SET contacts_version = 1 WHERE team_id = %(team)s",
    """
    INSERT INTO logged_segments (team_id, entry_no, segment_no, description, creation_date, user_id,
        canceled)
    VALUES (%(team)s, %(old_logged)s, %(old_segment)s, 'Autumn 2023 mailing', %(old_date)s, 'U01', false)
    """,
    f"""
    WITH hashed AS (
        SELECT i, (i * 2654435761) %% 4294967291 AS h FROM generate_series(1::bigint, %(entries)s) AS i
    ), planned AS (
        SELECT i,
            CASE WHEN h %% 5 = 0 THEN 1 + (h / 5) %% %(key_accounts)s ELSE 1 + (h / 5) %% %(contacts)s END
                AS c,
            'T' || lpad((1 + i %% {TEMPLATES})::text, 2, '0') AS t,
            %(start)s::date + ((i - 1) * %(days)s / %(entries)s)::int AS d,
            make_time(8 + (i %% 10)::int, (i %% 60)::int, 0) AS clock
        FROM hashed
    )
    INSERT INTO interaction_log_entries ({", ".join(ENTRY_COLUMNS)})
    SELECT %(team)s, i, 'CT' || lpad(c::text, 6, '0'),
        'CT' || lpad((CASE WHEN c <= %(companies)s THEN c ELSE 1 + c %% %(companies)s END)::text, 6, '0'),
        d, clock, (d + clock) AT TIME ZONE 'UTC', tp.description, tp.description, tp.information_flow,
        tp.initiated_by, tp.unit_cost, tp.unit_duration, 'U' || lpad((i %% 20)::text, 2, '0'),
        'SP' || (i %% 12), tp.group_code, tp.code,
        CASE WHEN i BETWEEN %(old_first)s AND %(old_last)s THEN %(old_segment)s ELSE '' END,
        CASE WHEN i BETWEEN %(old_first)s AND %(old_last)s THEN %(old_logged)s END,
        '', '', '',
        CASE i %% 4 WHEN 0 THEN 'positive' WHEN 1 THEN 'neutral' ELSE '' END,
        i %% 17 = 0, ((i - 1) / 10) %% 2 = 1, false, '', tp.correspondence_type, tp.language_code,
        CASE WHEN tp.code = %(mail)s THEN %(document)s END,
        CASE WHEN tp.code = 'T04' THEN 'sales-invoice' ELSE '' END,
        CASE WHEN tp.code = 'T04' THEN 'SI' || lpad(i::text, 7, '0') ELSE '' END,
        0, 0, ''
    FROM planned JOIN interaction_templates AS tp ON tp.team_id = %(team)s AND tp.code = planned.t
    """,
    """
    INSERT INTO inter_log_entry_comment_lines
        (team_id, entry_no, line_no, date, comment, user_id, last_modified_at)
    SELECT team_id, entry_no, 10000, date, 'Call back next week', user_id, created_at
    FROM interaction_log_entries WHERE team_id = %(team)s AND entry_no %% 5 = 0
    """,
    """
    INSERT INTO number_series (team_id, series, last_no)
    VALUES (%(team)s, 'interaction_log_entry', %(entries)s), (%(team)s, 'logged_segment', %(old_logged)s)
    """,
)
