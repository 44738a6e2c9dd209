"""The HTTP stack of `crm serve`. uvicorn reads requests asynchronously, so a slow or stalled client ties
up no thread; this layer then waits for the whole body, within a deadline and a size bound, and only then
hands the request to the WSGI application (bot.server) on a thread pool (a2wsgi). A request whose body
does not arrive in time gets 408, one too large 413, and one whose client hangs up is dropped."""

import asyncio
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from a2wsgi import WSGIMiddleware

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 4 * 1024 * 1024
"""Slack's largest payloads (a modal's state) stay well below this."""
BODY_SECONDS = 10.0
DEFAULT_THREADS = 2
"""Threads per worker for the WSGI app. More only fight over the GIL: at 50 clients on two cores, 8
threads gave 290-390 req/s with p99 350-470 ms, 2 gave 370-460 req/s with p99 210-260 ms (SQLite and
PostgreSQL alike). A thread is held briefly: a command's own work waits at most Slack's acknowledgement
budget (bot.slack.runtime), and clicks and events hand theirs on at once. With a database far away, each
statement a network round trip, more threads overlap the waits: `--threads`."""


class _Refused(Exception):
    def __init__(self, status: int, reason: bytes) -> None:
        self.status = status
        self.reason = reason


class _HungUp(Exception):
    pass


class BufferedRequests:
    def __init__(
        self,
        app: Asgi,
        *,
        max_body: int = MAX_BODY,
        body_seconds: float = BODY_SECONDS,
        on_shutdown: Callable[[], None] | None = None,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.body_seconds = body_seconds
        self.on_shutdown = on_shutdown

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        try:
            body = await asyncio.wait_for(self._body(receive), self.body_seconds)
        except TimeoutError:
            log.info("refused %s %s: the body did not arrive in time", scope.get("method"), scope.get("path"))
            await _answer(send, 408, b"request body timed out\n")
            return
        except _Refused as refused:
            await _answer(send, refused.status, refused.reason)
            return
        except _HungUp:
            return
        sent = False
        # The body is all here now: say how long it is, as a client that sent it chunked did not, so the
        # WSGI application reads it by its Content-Length like any other.
        headers = [
            (k, v) for k, v in scope.get("headers", []) if k not in (b"content-length", b"transfer-encoding")
        ]
        scope = dict(scope, headers=[*headers, (b"content-length", str(len(body)).encode())])

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _body(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _HungUp
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise _Refused(413, b"request body too large\n")
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.on_shutdown is not None:
                    self.on_shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _answer(send: Send, status: int, body: bytes) -> None:
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),  # what is left of the request is not read
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def serve_wsgi(wsgi: Any, *, threads: int, on_shutdown: Callable[[], None] | None = None) -> BufferedRequests:
    return BufferedRequests(WSGIMiddleware(wsgi, workers=threads), on_shutdown=on_shutdown)


def create_app() -> BufferedRequests:
    """Run by uvicorn in each worker process: the bot with its own database pool and job worker."""
    import os

    from bot.cli_admin import open_store
    from bot.server import create_server
    from bot.slack.settings import Settings

    settings = Settings.from_env()
    server = create_server(settings, open_store(settings.database_url or None))
    server.bot.warm()
    server.bot.start_worker()
    return serve_wsgi(
        server.wsgi, threads=int(os.environ.get("CRM_THREADS", DEFAULT_THREADS)), on_shutdown=server.bot.close
    )
