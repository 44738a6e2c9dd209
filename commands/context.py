from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker


@dataclass(frozen=True)
class Context:
    """Who asks, in which workspace; adapters build one per request from what Slack (or the console) says."""

    sessions: sessionmaker[Session]
    team_id: str
    user_id: str
    is_admin: bool = False
    timezone: str = "UTC"
    """The user's IANA time zone (Slack's users.info tz): "today" and entry dates are in it."""
    lang: str | None = None
    channel_id: str = ""
    """Where the command was typed (Slack channel id); `/crm link` links that channel."""
    clicked: bool = False
    """True when the command comes from a button the bot offered (or a choice picked in the console). An
    action that asks first (the purges) acts only on a click of its own question's Delete button; one
    that can be undone (cancel) runs when typed, with an Undo button."""

    job: str | None = None
    """The queued job this runs as, by a key no other job ever has (job numbers can be given again on
    SQLite once old jobs are forgotten); None when it runs at once. A job claimed again after its process
    died is the same job, so a segment log it began is picked up where it stopped."""

    fixed_now: datetime | None = None
    """The clock, when it must stand still (benchmarks, tests); the real one otherwise."""

    def now(self) -> datetime:
        return (self.fixed_now or datetime.now(UTC)).astimezone(ZoneInfo(self.timezone))

    def today(self) -> date:
        return self.now().date()
