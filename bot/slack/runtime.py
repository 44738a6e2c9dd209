"""What every listener shares: who is asking, the guarded calls into `commands/`, and carrying out a Reply
(queue its background work, send its message, open its modal, upload its file) in the order Slack needs."""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.slack import deliver, modals, render
from bot.slack.deliver import Origin
from bot.slack.people import People
from bot.slack.ports import Commands
from bot.slack.settings import Settings
from bot.slack.worker import JobWorker
from commands.catalog import ACTIONS
from commands.context import Context
from commands.forms import Form
from commands.parsing import UsageError
from commands.reply import BackgroundWork, Modal, Reply, error
from commands.setup_actions import SharedFile
from store import channels, deliveries, jobs
from store.errors import DomainError

log = logging.getLogger(__name__)

SOMETHING_WRONG = "Something went wrong on our side. Please try again in a moment."
EVENT_SOURCE = "slack"
CLICK_SOURCE = "slack-click"

ClientFor = Callable[[str, str | None], WebClient]
Send = Callable[[render.Message | None], None]

# Replies that only show data may be re-run and posted for the whole channel (the Share button).
READ_ONLY_ACTIONS = frozenset(
    {
        "log_entries",
        "entry_details",
        "contacts",
        "segments",
        "groups",
        "templates",
        "template_setup",
        "logged_segments",
        "postponed",
        "statistics",
        "help",
    }
)
_READ_ONLY_WORDS = {a.command[0] for a in ACTIONS if a.id in READ_ONLY_ACTIONS}
_WRITE_WORDS = {a.command[0] for a in ACTIONS if a.id not in READ_ONLY_ACTIONS}


def shareable(text: str) -> bool:
    words = text.lower().split()
    if not words or words[0] not in _READ_ONLY_WORDS or "add" in words:
        return False
    # "setup" alone shows the setup; "setup <kind> <template>" changes it.
    return len(words) == 1 or words[0] not in _WRITE_WORDS


class Runtime:
    def __init__(
        self, settings: Settings, sessions: sessionmaker[Session], commands: Commands, client_for: ClientFor
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.commands = commands
        self.client_for = client_for
        self.people = People(sessions, settings.admins)
        self.executor = ThreadPoolExecutor(max_workers=16, thread_name_prefix="crm-command")
        self.worker = JobWorker(
            sessions,
            self.run_job,
            forget=(EVENT_SOURCE, CLICK_SOURCE, channels.DELIVERY_SOURCE),
            kinds=commands.background_kinds,
        )
        self.ack_budget = 2.0
        """Seconds a slash command waits for its answer before acknowledging without it (Slack waits 3)."""

    @staticmethod
    def of(context: BoltContext) -> "Runtime":
        return context["crm"]

    def close(self) -> None:
        self.worker.stop()
        self.executor.shutdown(wait=False, cancel_futures=True)

    def context(self, client: WebClient, origin: Origin) -> Context:
        return self.people.context(
            client, origin.team_id, origin.user_id, channel_id=origin.channel_id, clicked=origin.clicked
        )

    def run(self, ctx: Context, text: str) -> Reply:
        return self._guard(lambda: self.commands.run(ctx, text), f"/crm {text}")

    def home(self, ctx: Context) -> Reply:
        return self._guard(lambda: self.commands.home(ctx), "App Home")

    def attach(self, ctx: Context, words: list[str], describe: Callable[[], SharedFile]) -> Reply:
        """Attach a shared file to a template; a refusal is the answer, in one line."""

        def call() -> Reply:
            try:
                return self.commands.attach(ctx, words, describe())
            except (UsageError, DomainError) as refused:
                return error(refused.message)

        return self._guard(call, "template attach")

    @staticmethod
    def _guard(call: Callable[[], Reply], what: str) -> Reply:
        try:
            return call()
        except Exception:
            log.exception("%s failed", what)
            return Reply(SOMETHING_WRONG, error=True)

    def answer(
        self,
        client: WebClient,
        origin: Origin,
        ctx: Context,
        reply: Reply,
        *,
        send: Send | None = None,
        share: str | None = None,
    ) -> None:
        """`send` delivers the message part (or None when the reply has nothing to say), exactly once; by
        default back to the origin. A slash command passes its ack(). Background work is queued only once
        the message is out: its result must not arrive first and then be replaced by "Working on it…"."""
        opens_form = reply.modal is not None and bool(origin.trigger_id)
        message = None if opens_form else render.message(reply, share=share, form_button=True)
        if send is None:
            if message is not None:
                deliver.send(client, origin, message, replace=reply.replace_original)
        else:
            send(message)
        if opens_form and reply.modal is not None and not self.open_form(client, origin, ctx, reply.modal):
            deliver.send(client, origin, render.message(reply, form_button=True))
        if reply.background is not None:
            self.enqueue(origin, ctx, reply.background)
        if reply.file is not None:
            deliver.upload(client, origin, reply.file)

    def open_form(self, client: WebClient, origin: Origin, ctx: Context, modal: Modal) -> bool:
        form = self.commands.form(modal.kind, ctx, dict(modal.values))
        state = modals.FormState(modal.kind, 0, origin.channel_id, modals.dispatched(form))
        try:
            client.views_open(
                trigger_id=origin.trigger_id, view=modals.modal(form, state, self.labels(ctx, form))
            )
        except SlackApiError as failure:  # expired_trigger_id when the command took too long
            log.warning("views.open failed: %s", failure.response.get("error"))
            return False
        return True

    def update_form(self, client: WebClient, ctx: Context, view: dict[str, Any]) -> None:
        """A field that re-renders the form changed (the template): rebuild it around the new choice."""
        state = modals.FormState.loads(view.get("private_metadata", ""))
        values = modals.read_values(view["state"]["values"])
        values |= {f"previous_{name}": value for name, value in state.previous.items()}
        form = self.commands.form(state.kind, ctx, values)
        try:
            client.views_update(
                view_id=view["id"],
                hash=view.get("hash"),
                view=modals.modal(form, state.next(form), self.labels(ctx, form)),
            )
        except SlackApiError as failure:  # hash_conflict: a newer change is already on its way
            log.info("views.update skipped: %s", failure.response.get("error"))

    def labels(self, ctx: Context, form: Form) -> dict[str, str]:
        found: dict[str, str] = {}
        for field in form.fields:
            if field.kind == "external_select" and field.value:
                choices = dict(self.commands.options(ctx, field.name, field.value))
                found[field.name] = choices.get(field.value, field.value)
        return found

    def publish_home(self, client: WebClient, ctx: Context) -> None:
        view = {"type": "home", "blocks": render.view_blocks(self.home(ctx))}
        client.views_publish(user_id=ctx.user_id, view=view)

    def first_delivery(self, source: str, key: str, team_id: str, within: timedelta | None = None) -> bool:
        """Whether to act on a delivery (an event, a click) not seen before. If the database cannot tell,
        act: doing something twice is better than dropping it."""
        try:
            return deliveries.claim(self.sessions, source, key, team_id, within=within)
        except Exception:
            log.exception("cannot record delivery %s %s; handling it anyway", source, key)
            return True

    def enqueue(self, origin: Origin, ctx: Context, work: BackgroundWork) -> int:
        payload = {
            "work": work.payload,
            "origin": origin.to_dict(),
            "context": {
                "is_admin": ctx.is_admin,
                "timezone": ctx.timezone,
                "lang": ctx.lang,
                "clicked": ctx.clicked,
            },
        }
        job_id = jobs.enqueue(self.sessions, ctx.team_id, ctx.user_id, work.kind, payload)
        self.worker.wake()
        return job_id

    def run_job(self, job: jobs.ClaimedJob) -> str:
        origin = Origin.from_dict(job.payload["origin"])
        ctx = Context(
            self.sessions, job.team_id, job.user_id, channel_id=origin.channel_id, **job.payload["context"]
        )
        work = BackgroundWork(job.kind, job.payload["work"])
        reply = self._guard(lambda: self.commands.background(ctx, work), f"background {job.kind}")
        self.answer(self.client_for(origin.team_id, origin.enterprise_id), origin, ctx, reply)
        return render.clip(reply.text, 1000)
