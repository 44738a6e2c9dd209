"""What the Slack adapter reads from the environment, read once by the serving command (never at import)."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

SLACK_API_URL = "https://slack.com/api/"

BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:history",
    "im:write",
    "app_mentions:read",
    "users:read",
    "users:read.email",
    "files:read",
    "files:write",
    "channels:history",
    "groups:history",
    "mpim:history",
)
"""The bot token scopes: the OAuth install asks for these, and manifest.yml lists the same."""


@dataclass(frozen=True)
class Settings:
    bot_token: str = ""
    signing_secret: str = ""
    app_token: str = ""
    api_url: str = SLACK_API_URL
    database_url: str = ""
    admins: frozenset[str] = field(default_factory=frozenset)
    """Slack user ids allowed to purge and change setup, besides the workspace's admins and owners."""
    port: int = 3000
    client_id: str = ""
    client_secret: str = ""
    webhook_secret: str = ""

    @property
    def oauth_enabled(self) -> bool:
        return bool(self.client_id and self.client_secret)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        api_url = env.get("SLACK_API_URL") or SLACK_API_URL
        return cls(
            bot_token=env.get("SLACK_BOT_TOKEN", ""),
            signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            app_token=env.get("SLACK_APP_TOKEN", ""),
            # WebClient joins method names onto the base URL, so it must end with a slash.
            api_url=api_url if api_url.endswith("/") else api_url + "/",
            database_url=env.get("DATABASE_URL", ""),
            admins=frozenset(u.strip() for u in env.get("CRM_ADMINS", "").split(",") if u.strip()),
            port=int(env.get("PORT") or 3000),
            client_id=env.get("SLACK_CLIENT_ID", ""),
            client_secret=env.get("SLACK_CLIENT_SECRET", ""),
            webhook_secret=env.get("CRM_WEBHOOK_SECRET", ""),
        )
