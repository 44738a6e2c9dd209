"""Answers that Slack must not lose. Every message sent after Slack was answered (a click's result, a Tell
Me answer, a background result, a late slash-command answer, a file) is written to the outbox
(store.outbox) and tried at once; only if Slack does not take it does it wait for the outbox worker
(bot.slack.worker), in whichever process is up, which tries again with back-off (or after the Retry-After
Slack asked for) until `give_up_after`. Then the user is told in a direct message if Slack takes one, or
finds a notice on their App Home until they dismiss it.

A try on the request path makes one call with a short timeout and no in-process retry, so a throttled or
failing Slack does not hold a listener thread: the wait is the row's next attempt time."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.slack import deliver
from bot.slack.deliver import Origin, Refused, Undelivered
from bot.slack.render import Message, clip, escape, section
from commands.reply import File
from store import outbox
from store.types import utcnow

log = logging.getLogger(__name__)

RESPONSE_URL = "response_url"
THREAD = "thread"
EPHEMERAL = "ephemeral"
DM = "dm"
UPLOAD = "upload"
HOME = "home"

GIVE_UP_AFTER = timedelta(minutes=30)
BACKOFF = outbox.Backoff()
TIMEOUT = 5.0
"""Seconds one call may take; a slower answer counts as a failure to try again."""
UPLOAD_TIMEOUT = 30.0
"""A file's bytes may take longer to send (a file is shared only once all of it is in, so a try cut
short leaves nothing behind)."""
GAVE_UP = ":warning: Slack did not take this answer {why}, so I stopped trying. Here is what it said:"
GAVE_UP_FILE = ":warning: Slack did not take the file *{name}* {why}; please ask again."
SECRET_LOST = (
    ":warning: Slack did not take an answer meant for you alone ({why}). It holds a secret (the document "
    "webhook's), so it is not kept for a later try: please ask again."
)

ClientFor = Callable[[str, str | None], WebClient]


class Outbox:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        client_for: ClientFor,
        *,
        give_up_after: timedelta = GIVE_UP_AFTER,
        backoff: outbox.Backoff = BACKOFF,
        timeout: float = TIMEOUT,
        lease: timedelta = outbox.SEND_LEASE,
    ) -> None:
        """`client_for(team, enterprise)`: a client with the workspace's token, for tries off the request."""
        self.sessions = sessions
        self.client_for = client_for
        self.give_up_after = give_up_after
        self.backoff = backoff
        self.timeout = timeout
        self.lease = lease
        self.wake_worker: Callable[[], None] = lambda: None
        """Called when a message is left for the worker to send (the worker sets it)."""

    # Writing messages: where the adapter sends.
    def send(self, client: WebClient, origin: Origin, message: Message, *, replace: bool = False) -> None:
        """A reply back the way its request came (see deliver.Origin), privately unless it answers a
        conversation. One that holds a secret is never written to the outbox: see `_send_secret`."""
        if message.private:
            self._send_secret(client, origin, message, replace)
            return
        self._put(client, origin, *_route(origin, message, replace))

    def _send_secret(self, client: WebClient, origin: Origin, message: Message, replace: bool) -> None:
        """One try, straight to Slack (and to the user's DM if Slack refuses the way back). If Slack does
        not take it, the user is told through the outbox to ask again: the secret can be shown again at
        any time, and a copy waiting in the database would outlive the answer."""
        destination, body, _ = _route(origin, message, replace)
        target = origin.to_dict() | {"fallback": True}
        try:
            self._deliver(self._quick(client), destination, target, body, None)
        except (Undelivered, Refused) as failure:
            log.warning("an answer with a secret to %s was not delivered: %s", origin.user_id, failure)
            told = _secret_lost(failure)
            self._put(client, origin, *_route(origin, told, replace))

    def share(self, client: WebClient, origin: Origin, message: Message) -> None:
        """Repost a private answer for the whole channel, then take the private one away (in that order:
        both go to one response_url)."""
        where = (RESPONSE_URL, origin.response_url)
        shared = {"text": message.text, "blocks": message.blocks, "response_type": "in_channel"}
        self._put(client, origin, RESPONSE_URL, shared | {"replace_original": False}, where)
        self._put(client, origin, RESPONSE_URL, {"delete_original": True}, where)

    def publish_home(self, client: WebClient, origin: Origin, view: dict[str, Any], as_of: datetime) -> None:
        """The user's App Home, as read at `as_of`. Only the newest view matters: one still waiting for its
        turn is dropped, and one read before a view already written is never sent."""
        where = (HOME, origin.user_id)
        self._put(client, origin, HOME, {"view": view}, where, supersede=True, as_of=as_of)

    def upload(self, client: WebClient, origin: Origin, file: File) -> None:
        body = {"name": file.name, "title": file.title, "content_type": file.content_type}
        where = (THREAD, origin.channel_id, origin.thread_ts) if origin.public else (DM, origin.user_id)
        self._put(client, origin, UPLOAD, body, where, file=file.content)

    def put_in(self, session: Session, origin: Origin, message: Message) -> None:
        """Within the caller's transaction, for the worker to send (a report kept with the rest of the
        work that led to it)."""
        outbox.put_in(session, **self._row(origin, *_route(origin, message, False)))

    def _row(
        self, origin: Origin, destination: str, body: dict[str, Any], where: tuple[str, ...]
    ) -> dict[str, Any]:
        # A private answer Slack refuses this way (an expired response_url, a channel the bot is not in)
        # goes to the user's DM; a public one, or taking a message away, has no such fallback.
        private = destination == EPHEMERAL or body.get("response_type") == "ephemeral"
        return {
            "team_id": origin.team_id,
            "user_id": origin.user_id,
            "enterprise_id": origin.enterprise_id or "",
            "destination": destination,
            "conversation": outbox.conversation_of(origin.team_id, *where),
            "target": origin.to_dict() | {"fallback": private},
            "body": body,
            "give_up_after": self.give_up_after,
        }

    def _put(
        self,
        client: WebClient,
        origin: Origin,
        destination: str,
        body: dict[str, Any],
        where: tuple[str, ...],
        *,
        file: bytes | None = None,
        supersede: bool = False,
        as_of: datetime | None = None,
    ) -> None:
        row = self._row(origin, destination, body, where)
        try:
            claimed = outbox.put(
                self.sessions, **row, file=file, send_now=True, supersede=supersede, as_of=as_of
            )
        except Exception:
            # The database is away: the answer can still go straight to Slack, as before the outbox.
            log.exception("cannot keep an answer in the outbox; sending it directly")
            self._send_unkept(client, destination, row, file)
            return
        if claimed is None:  # an earlier message to the same place is still on its way
            self.wake_worker()
            return
        self._try(self._quick(client), claimed)

    def _send_unkept(
        self, client: WebClient, destination: str, row: dict[str, Any], file: bytes | None
    ) -> None:
        try:
            self._deliver(self._quick(client), destination, row["target"], row["body"], file)
        except (Undelivered, Refused) as failure:
            log.error("an answer to %s was lost: %s", row["user_id"], failure)

    # Sending.
    def deliver_due(self) -> bool:
        """Try the message due longest ago, if any; whether there was one."""
        message = outbox.claim(self.sessions, lease=self.lease)
        if message is None:
            return False
        try:
            client = self._quick(self.client_for(message.team_id, message.enterprise_id or None))
        except Exception as failure:  # not installed any more: nobody to deliver for
            log.warning("outbox message %s: no client for %s: %s", message.id, message.team_id, failure)
            outbox.give_up(self.sessions, message, f"no token: {failure}", told=False)
            return True
        self._try(client, message)
        return True

    def _quick(self, client: WebClient, timeout: float | None = None) -> WebClient:
        """One try per call: Slack's Retry-After becomes the row's next attempt rather than a sleep in
        this thread."""
        return deliver.quick(client, timeout or self.timeout)

    def _try(self, client: WebClient, message: outbox.Outgoing) -> None:
        try:
            self._deliver(client, message.destination, message.target, message.body, message.file)
        except Undelivered as failure:
            self._later(client, message, failure)
        except Refused as failure:
            log.warning("outbox message %s refused by Slack: %s", message.id, failure)
            self._give_up(client, message, str(failure), refused=True)
        except Exception as failure:  # a bug must not leave the row claimed until its lease ends
            log.exception("outbox message %s failed", message.id)
            self._later(client, message, Undelivered(f"{type(failure).__name__}: {failure}"))
        else:
            if not outbox.sent(self.sessions, message):
                log.warning("outbox message %s was sent after its claim expired", message.id)

    def _later(self, client: WebClient, message: outbox.Outgoing, failure: Undelivered) -> None:
        if message.destination == HOME and outbox.drop_if_newer(self.sessions, message):
            # A newer view was written while this one was being tried: it goes out instead.
            self.wake_worker()
            return
        now = utcnow()
        if now >= message.give_up_at:
            self._give_up(client, message, failure.reason)
            return
        wait = self.backoff.after(message.attempts)
        if failure.retry_after is not None:
            wait = timedelta(seconds=failure.retry_after)
        log.info("outbox message %s not delivered (%s); next try in %s", message.id, failure.reason, wait)
        outbox.retry(self.sessions, message, failure.reason, now + wait)
        self.wake_worker()

    def _deliver(
        self,
        client: WebClient,
        destination: str,
        target: dict[str, Any],
        body: dict[str, Any],
        file: bytes | None,
    ) -> None:
        origin = Origin.from_dict(target)
        try:
            if destination == RESPONSE_URL:
                deliver.post_response(origin.response_url, body, self.timeout)
            elif destination == THREAD:
                deliver.post_message(client, origin.channel_id, body, origin.thread_ts)
            elif destination == EPHEMERAL:
                deliver.post_ephemeral(client, origin.channel_id, origin.user_id, body, origin.thread_ts)
            elif destination == DM:
                deliver.post_message(client, origin.user_id, body)
            elif destination == HOME:
                deliver.publish_home(client, origin.user_id, body["view"])
            elif destination == UPLOAD:
                upload = File(body["name"], file or b"", body.get("content_type", ""), body.get("title", ""))
                deliver.upload(self._quick(client, max(self.timeout, UPLOAD_TIMEOUT)), origin, upload)
            else:
                raise Refused(f"unknown destination {destination}")
        except Refused as refused:
            # An expired response_url, a channel the bot is not in: the user's DM still works.
            if not target.get("fallback") or destination == DM:
                raise
            log.info("%s refused (%s); sending a direct message instead", destination, refused)
            deliver.post_message(
                client, origin.user_id, {k: body[k] for k in ("text", "blocks") if k in body}
            )

    def _give_up(
        self, client: WebClient, message: outbox.Outgoing, error: str, *, refused: bool = False
    ) -> None:
        """Tell the user in a direct message if Slack takes one; else leave a notice on their App Home."""
        minutes = max(1, round(self.give_up_after.total_seconds() / 60))
        why = f"({escape(error)})" if refused else f"for {minutes} minutes ({escape(error)})"
        if message.destination == UPLOAD:
            told = GAVE_UP_FILE.format(name=escape(str(message.body.get("name", ""))), why=why)
            notice = {"text": told}
        elif message.body.get("text"):
            told = GAVE_UP.format(why=why)
            notice = {"text": told + "\n" + clip(str(message.body["text"]), 2500)}
        else:  # nothing the user would miss (taking a shared answer's private copy away)
            outbox.give_up(self.sessions, message, error, told=True)
            return
        try:
            deliver.post_message(client, message.user_id, notice)
        except (Undelivered, Refused) as failure:
            log.warning("outbox message %s given up; the user gets a notice (%s)", message.id, failure)
            outbox.give_up(self.sessions, message, error, told=False)
            return
        log.warning("outbox message %s given up after %s tries: %s", message.id, message.attempts, error)
        outbox.give_up(self.sessions, message, error, told=True)


def _secret_lost(failure: Exception) -> Message:
    text = SECRET_LOST.format(why=escape(str(failure)))
    return Message(text, [section(text)])


def _route(origin: Origin, message: Message, replace: bool) -> tuple[str, dict[str, Any], tuple[str, ...]]:
    """How a reply goes back, what is sent, and the conversation it belongs to."""
    body: dict[str, Any] = {"text": message.text, "blocks": message.blocks}
    if origin.response_url:
        body |= {"response_type": "ephemeral", "replace_original": replace}
        return RESPONSE_URL, body, (RESPONSE_URL, origin.response_url)
    if origin.public:
        return THREAD, body, (THREAD, origin.channel_id, origin.thread_ts)
    if origin.channel_id:
        return EPHEMERAL, body, (EPHEMERAL, origin.channel_id, origin.user_id)
    return DM, body, (DM, origin.user_id)
