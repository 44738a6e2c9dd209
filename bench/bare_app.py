"""The bare Bolt app bench/load.py compares `crm serve` with: the same App class and settings, request
handler and serving stack, with handlers that only acknowledge."""

import os
import re
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.asgi import DEFAULT_THREADS, BufferedRequests, serve_wsgi

SECRET = os.environ.get("BENCH_SIGNING_SECRET", "bench-signing-secret")


def create_app() -> BufferedRequests:
    web = WebClient(token="xoxb-bench", base_url=os.environ["SLACK_API_URL"])
    # As bot.slack.app builds ours: listeners on the request's thread, Bolt answering when they return.
    app = App(signing_secret=SECRET, client=web, process_before_response=True)
    app.command("/crm")(lambda ack: ack())
    app.action(re.compile(".*"))(lambda ack: ack())
    handler = SlackRequestHandler(app)

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Length", "3")])
            return [b"ok\n"]
        return handler(environ, start_response)

    return serve_wsgi(wsgi, threads=int(os.environ.get("CRM_THREADS", DEFAULT_THREADS)))
