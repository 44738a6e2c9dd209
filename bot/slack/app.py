"""The Bolt app, built from settings by a factory: nothing is read from the environment or opened at
import time, so tests build their own against a fake Slack Web API."""

from dataclasses import dataclass

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.slack import listeners, middleware
from bot.slack.deliver import retry_handlers
from bot.slack.ports import Commands, default_commands
from bot.slack.runtime import Runtime
from bot.slack.settings import BOT_SCOPES, Settings


@dataclass(frozen=True)
class SlackBot:
    app: App
    runtime: Runtime

    def start_worker(self) -> None:
        """Each serving process runs queued background work and delivers what Slack did not take at
        once; call once per process, after any fork."""
        self.runtime.start_workers()

    def warm(self) -> None:
        """Before serving: the contact indexes Tell Me and contact lookups use, built now rather than on a
        user's first query (about 4 s for 100,000 contacts)."""
        self.runtime.commands.warm(self.runtime.sessions)

    def close(self) -> None:
        self.runtime.close()


def build_bot(
    settings: Settings,
    sessions: sessionmaker[Session],
    client: WebClient | None = None,
    *,
    commands: Commands | None = None,
    signatures_checked: bool = False,
) -> SlackBot:
    """`signatures_checked`: every request reaches the app through a check of its Slack signature
    already (bot.server.signed_only), so Bolt does not check it a second time."""
    if client is None:
        client = WebClient(
            token=None if settings.oauth_enabled else settings.bot_token or None,
            base_url=settings.api_url,
            retry_handlers=retry_handlers(),
        )
    oauth = _oauth_settings(settings, sessions.kw["bind"]) if settings.oauth_enabled else None
    app = App(
        name="crm",
        signing_secret=settings.signing_secret,
        client=client,
        oauth_settings=oauth,
        # Listeners run on the request's thread and Bolt answers when they return; what comes after the
        # acknowledgement is handed to Runtime.after_ack. Bolt's other way (each listener on a thread of
        # its own, the request's thread looking for the ack every 10 ms) cost a third of a request's CPU.
        process_before_response=True,
        request_verification_enabled=not signatures_checked,
    )

    def client_for(team_id: str, enterprise_id: str | None) -> WebClient:
        """The token for work done outside a request (background jobs): the installation's under OAuth."""
        if oauth is None:
            return client
        bot = oauth.installation_store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is None:
            raise LookupError(f"the app is not installed in workspace {team_id}")
        return WebClient(token=bot.bot_token, base_url=client.base_url, retry_handlers=retry_handlers())

    runtime = Runtime(settings, sessions, commands or default_commands(), client_for)
    middleware.register(app, runtime)
    listeners.register(app)
    return SlackBot(app, runtime)


def _oauth_settings(settings: Settings, engine: Engine) -> OAuthSettings:
    installations = SQLAlchemyInstallationStore(client_id=settings.client_id, engine=engine)
    states = SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine)
    installations.create_tables()
    states.create_tables()
    return OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=installations,
        state_store=states,
    )
