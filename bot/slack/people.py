"""Who is asking: a Context per request, from the ids in the payload and what users.info says about the
user. Slack is asked at most once a minute per user; when it cannot answer, the user is not an admin (unless
listed in CRM_ADMINS) and works in UTC."""

import logging
import threading
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from commands.context import Context

log = logging.getLogger(__name__)


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
        key = (team_id, user_id)
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        profile = self._ask(client, user_id)
        if profile is None:  # not cached: the next request asks Slack again
            return Profile()
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = (now, profile)
        return profile

    def _ask(self, client: WebClient, user_id: str) -> Profile | None:
        try:
            user = client.users_info(user=user_id, include_locale=True)["user"]
        except Exception:  # a profile is a nicety: any failure falls back to the safe defaults
            log.warning("users.info failed for %s; using UTC and no admin rights", user_id, exc_info=True)
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
