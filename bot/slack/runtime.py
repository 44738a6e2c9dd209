"""What every listener shares: who is asking (a Context per request), the guarded calls into `commands/`,
and the parts that carry out a Reply (bot.slack.answers), open forms (bot.slack.forms) and run background
work (bot.slack.queue)."""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient
from sqlalchemy.orm import Session, sessionmaker

from bot.slack import answers, deliver, forms, notices, payload, queue, render
from bot.slack.deliver import Origin
from bot.slack.outbox import Outbox
from bot.slack.people import People
from bot.slack.ports import Commands
from bot.slack.settings import Settings
from bot.slack.worker import JobWorker, OutboxWorker
from commands import marks
from commands.context import Context
from commands.inputs import UsageError
from commands.pages.interactions import ChatMessage
from commands.pages.templates import SharedFile
from commands.reminders import Notice
from commands.reply import BackgroundWork, Modal, Reply, error
from store import channels, deliveries, jobs, outbox
from store.db import reading
from store.errors import DomainError
from store.types import utcnow

log = logging.getLogger(__name__)

SOMETHING_WRONG = "Something went wrong on our side. Please try again in a moment."
JOB_ABANDONED = (
    "Sorry, `/crm {command}` could not be finished: the server running it stopped {attempts} times, so "
    "I gave up. Please check what was done before trying again."
)
EVENT_SOURCE = "slack"
CLICK_SOURCE = "slack-click"
FOLLOW_UP_THREADS = 32
"""Threads for what listeners do after acknowledging; they mostly wait on Slack or the database."""
TRIGGER_THREADS = 4
REMINDER_ROUNDS = 10
REMINDER_TIMEOUT = 5.0
"""A reminder Slack does not take at once stays claimed, and is sent again when its claim runs out."""

ClientFor = Callable[[str, str | None], WebClient]


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
        self.follow_ups = ThreadPoolExecutor(FOLLOW_UP_THREADS, thread_name_prefix="crm-after-ack")
        self.triggered = ThreadPoolExecutor(TRIGGER_THREADS, thread_name_prefix="crm-trigger")
        """For what must reach Slack within a trigger's 3 seconds (opening a form), ahead of the rest."""
        self.outbox = Outbox(sessions, client_for)
        self.worker = JobWorker(
            sessions,
            self.run_job,
            forget=(EVENT_SOURCE, CLICK_SOURCE, channels.DELIVERY_SOURCE),
            kinds=commands.background_kinds,
            report=self.report_abandoned,
            remind=self.send_reminders,
        )
        self.sender = OutboxWorker(self.outbox)
        self.clock: Callable[[], datetime] = utcnow
        """What time it is for reminders (tests move it on)."""
        self.ack_budget = 2.0
        """Seconds a slash command waits for its answer before acknowledging without it (Slack waits 3)."""

    @staticmethod
    def of(context: BoltContext) -> "Runtime":
        return context["crm"]

    def start_workers(self) -> None:
        for loop in (self.worker, self.sender):
            if not loop.is_alive():
                loop.start()
        self.executor.submit(self.commands.warm_up)  # off the startup path, before the first /crm stats

    def stopped_threads(self) -> list[str]:
        """This process's background threads that ended although nobody stopped them."""
        names = {"job worker": self.worker, "outbox sender": self.sender}
        return [name for name, loop in names.items() if loop.died]

    def close(self) -> None:
        self.worker.stop()
        self.sender.stop()
        self.executor.shutdown(wait=False, cancel_futures=True)
        # What Slack was told is being done is done: the queued follow-ups still run before the process
        # ends (Python waits for the pool's threads at exit).
        self.follow_ups.shutdown(wait=False)
        self.triggered.shutdown(wait=False)

    def after_ack(self, body: dict[str, Any], work: Callable[[], None], *, triggered: bool = False) -> None:
        """Do `work` on another thread, now: Bolt answers Slack only when the listener returns (the app
        processes before responding), so what may wait on Slack or take a while is not done on the
        request's thread. `triggered`: work that must use the request's trigger (open a form) in time,
        on threads of its own. A failure is logged and, where the request has a response_url, the user is
        told."""

        def run() -> None:
            try:
                work()
            except Exception:
                log.exception("Slack request failed after its acknowledgement (%s)", _kind(body))
                apologise(body)

        (self.triggered if triggered else self.follow_ups).submit(run)

    def context(self, client: WebClient, origin: Origin) -> Context:
        return self.people.context(
            client, origin.team_id, origin.user_id, channel_id=origin.channel_id, clicked=origin.clicked
        )

    def run(self, ctx: Context, text: str) -> Reply:
        return self._guard(lambda: self.commands.run(ctx, text), f"/crm {text}")

    def shareable(self, text: str) -> bool:
        try:
            return self.commands.read_only(text)
        except Exception:
            log.exception("cannot tell whether %r may be shared", text)
            return False

    def message_form(self, ctx: Context, message: ChatMessage) -> Reply:
        return self._guard(lambda: self.commands.message_form(ctx, message), "log a message")

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
        send: answers.Send | None = None,
        share: str | None = None,
        later: answers.Later | None = None,
    ) -> None:
        answers.answer(
            client,
            origin,
            ctx,
            reply,
            outbox=self.outbox,
            open_form=self.open_form,
            enqueue=self.enqueue,
            send=send,
            share=share,
            later=later,
        )

    def send(self, client: WebClient, origin: Origin, reply: Reply, *, replace: bool = False) -> None:
        """A message back to the origin, kept in the outbox until Slack takes it."""
        self.outbox.send(client, origin, render.message(reply), replace=replace)

    def open_form(self, client: WebClient, origin: Origin, ctx: Context, modal: Modal) -> bool:
        """Whether the form was dealt with: opened, or refused with its reason (values that no longer
        hold, as an Open the form button's may); False when Slack would not open it."""
        try:
            return forms.open_form(self.commands, client, origin, ctx, modal)
        except (UsageError, DomainError) as refused:
            self.send(client, origin, error(refused.message))
            return True
        except KeyError:  # a form that is none of ours
            log.warning("no form %r to open", modal.kind)
            return False

    def update_form(self, client: WebClient, ctx: Context, view: dict[str, Any]) -> None:
        try:
            forms.update_form(self.commands, client, ctx, view)
        except (UsageError, DomainError, KeyError) as refused:  # a view that is none of ours
            log.info("form not updated: %s", refused)

    def publish_home(self, client: WebClient, origin: Origin, ctx: Context) -> None:
        """The home tab, under the notices of answers that could not be delivered; through the outbox,
        so a throttled or failing views.publish is tried again later (only the newest view)."""
        as_of = utcnow()
        try:
            with reading(self.sessions) as session:
                undelivered = outbox.notices(session, ctx.team_id, ctx.user_id, notices.SHOWN)
        except Exception:
            log.exception("cannot read the undelivered answers of %s", ctx.user_id)
            undelivered = []
        shown = notices.blocks(undelivered)
        blocks = render.view_blocks(self.home(ctx))[: render.VIEW_BLOCKS - len(shown)]
        self.outbox.publish_home(client, origin, {"type": "home", "blocks": shown + blocks}, as_of)

    def dismiss(self, client: WebClient, origin: Origin, ctx: Context, notice_id: int) -> None:
        outbox.dismiss(self.sessions, ctx.team_id, ctx.user_id, notice_id)
        self.publish_home(client, origin, ctx)

    def first_delivery(self, source: str, key: str, team_id: str, within: timedelta | None = None) -> bool:
        """Whether to act on a delivery (an event, a click) not seen before. If the database cannot tell,
        act: doing something twice is better than dropping it."""
        try:
            return deliveries.claim(self.sessions, source, key, team_id, within=within)
        except Exception:
            log.exception("cannot record delivery %s %s; handling it anyway", source, key)
            return True

    def enqueue(self, origin: Origin, ctx: Context, work: BackgroundWork) -> int:
        job_id = queue.enqueue(self.sessions, origin, ctx, work)
        self.worker.wake()
        return job_id

    def report_abandoned(self, session: Session, job: jobs.ClaimedJob) -> None:
        """Tell the user who queued a job that it was given up (kept with the job's failure)."""
        origin = Origin.from_dict(
            job.payload.get("origin") or {"team_id": job.team_id, "user_id": job.user_id}
        )
        command = str((job.payload.get("work") or {}).get("command") or job.kind)
        told = JOB_ABANDONED.format(command=command, attempts=jobs.MAX_ATTEMPTS)
        self.outbox.put_in(session, origin, render.message(Reply(told, error=True)))
        self.sender.wake()

    def run_job(self, job: jobs.ClaimedJob) -> str:
        origin, ctx, work = queue.unpack(self.sessions, job)
        reply = self._guard(lambda: self.commands.background(ctx, work), f"background {job.kind}")
        self.answer(self.client_for(origin.team_id, origin.enterprise_id), origin, ctx, reply)
        return render.clip(marks.plain(reply.text), 1000)

    def send_reminders(self) -> int:
        """Direct-message each reminder due now to its owner. One that cannot be sent stays claimed until
        its lease is up, then any process tries it again."""
        now = self.clock()
        sent = 0
        for _ in range(REMINDER_ROUNDS):  # a backlog (after a stop) is sent in one poll, a batch at a time
            notices = self.commands.due_notices(self.sessions, now)
            if not notices:
                break
            self._send(notices, now)
            sent += len(notices)
        return sent

    def _send(self, notices: list[Notice], now: datetime) -> None:
        for notice in notices:
            message = render.message(notice.reply)
            try:
                client = deliver.quick(self.client_for(notice.team_id, None), REMINDER_TIMEOUT)
                deliver.post_message(client, notice.user_id, {"text": message.text, "blocks": message.blocks})
            except (deliver.Undelivered, deliver.Refused) as failure:
                log.warning("a reminder to %s in %s waits: %s", notice.user_id, notice.team_id, failure)
                continue
            except Exception:
                log.exception("cannot send a reminder to %s in %s", notice.user_id, notice.team_id)
                continue
            if not self.commands.notice_sent(self.sessions, notice, now):
                log.warning("a reminder to %s was sent after its claim was taken over", notice.user_id)


def _kind(body: dict[str, Any]) -> str:
    return payload.text(body, "type") or payload.text(body, "command") or "request"


def apologise(body: dict[str, Any]) -> None:
    """Tell the user, through the request's response_url, that their request failed on our side."""
    url = payload.url(body, "response_url")
    if not url:
        return
    try:
        WebhookClient(url).send(text=SOMETHING_WRONG, response_type="ephemeral", replace_original=False)
    except Exception:
        log.exception("could not tell the user that their request failed")
