"""Who is asking: a Context per request, from the ids in the payload and what users.info says about the
user. Slack is asked at most once a minute per user, with one quick try (PROFILE_TIMEOUT, no retry): the
request does not wait for a throttled or failing Slack. When Slack is throttling or failing, what it said
about the user in the last STALE_FOR seconds stands in; when it said nothing lately, or says the user is
unknown, the user is not an admin (unless listed in CRM_ADMINS) and works in UTC. After a 429, the
workspace's profiles are not asked for again until its Retry-After is over."""

import logging
import threading
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.slack.deliver import Refused, Undelivered, quick, web_api
from commands.context import Context
from commands.marks import USER_ID

log = logging.getLogger(__name__)

PROFILE_TIMEOUT = 2.0
STALE_FOR = 600.0
LONGEST_QUIET = 300.0
"""At most this long without asking, whatever Retry-After said."""


@dataclass(frozen=True)
class Profile:
    is_admin: bool = False
    timezone: str = "UTC"
    lang: str | None = None
    email: str = ""
    """The address in the user's Slack profile (with the users:read.email scope)."""


class People:
    def __init__(self, sessions: sessionmaker[Session], admins: frozenset[str], ttl: float = 60.0) -> None:
        self.sessions = sessions
        self.admins = admins
        self.ttl = ttl
        self._cache: dict[tuple[str, str], tuple[float, Profile]] = {}
        self._quiet_until: dict[str, float] = {}
        """Per workspace: Slack asked us (429) not to call before then."""
        self._lock = threading.Lock()

    def context(
        self, client: WebClient, team_id: str, user_id: str, *, channel_id: str = "", clicked: bool = False
    ) -> Context:
        profile = self.profile(client, team_id, user_id)
        return Context(
            self.sessions,
            team_id,
            user_id,
            is_admin=profile.is_admin or user_id in self.admins,
            timezone=profile.timezone,
            lang=profile.lang,
            channel_id=channel_id,
            clicked=clicked,
        )

    def profile(self, client: WebClient, team_id: str, user_id: str) -> Profile:
        if not USER_ID.fullmatch(user_id):  # no Slack user (an odd payload): Slack would refuse it anyway
            return Profile()
        key = (team_id, user_id)
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        try:
            profile = self._ask(client, team_id, user_id, now)
        except Undelivered:  # Slack is throttling or failing: what it said lately still holds
            if cached is not None and now - cached[0] < STALE_FOR:
                return cached[1]
            return Profile()
        if profile is None:  # not cached: the next request asks Slack again
            return Profile()
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = (now, profile)
        return profile

    def _ask(self, client: WebClient, team_id: str, user_id: str, now: float) -> Profile | None:
        """The profile; None when Slack refuses (an unknown user); Undelivered when it cannot answer now."""
        with self._lock:
            if now < self._quiet_until.get(team_id, 0.0):
                raise Undelivered("throttled: waiting for Retry-After")
        asking = quick(client, PROFILE_TIMEOUT)
        try:
            user = web_api(lambda: asking.users_info(user=user_id, include_locale=True))["user"]
        except Undelivered as failure:
            log.warning("users.info for %s did not answer (%s)", user_id, failure.reason)
            if failure.retry_after:
                with self._lock:
                    self._quiet_until[team_id] = now + min(failure.retry_after, LONGEST_QUIET)
            raise
        except Refused as refused:
            log.warning("users.info refused %s (%s); using UTC and no admin rights", user_id, refused)
            return None
        except Exception as failure:  # a profile is a nicety: any other failure falls back to the defaults
            log.warning("users.info for %s failed (%s); using UTC and no admin rights", user_id, failure)
            return None
        if not isinstance(user, dict):
            return None
        return Profile(
            is_admin=bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")),
            timezone=_zone(user.get("tz")),
            lang=(user.get("locale") or "")[:2].lower() or None,
            email=_email(user.get("profile")),
        )


def _zone(name: object) -> str:
    if not isinstance(name, str) or not name:
        return "UTC"
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return "UTC"
    return name


def _email(profile: object) -> str:
    email = profile.get("email") if isinstance(profile, dict) else None
    return email.strip() if isinstance(email, str) and len(email) <= 254 else ""
