"""Background work in the database's job queue: what a queued job carries (the work, where to answer,
who asked) and running it in whichever serving process claims it."""

import uuid
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.slack.deliver import Origin
from commands.context import Context
from commands.reply import BackgroundWork
from store import jobs


def enqueue(sessions: sessionmaker[Session], origin: Origin, ctx: Context, work: BackgroundWork) -> int:
    payload = {
        "key": uuid.uuid4().hex,
        "work": work.payload,
        "origin": origin.to_dict(),
        "context": {
            "is_admin": ctx.is_admin,
            "timezone": ctx.timezone,
            "lang": ctx.lang,
            "clicked": ctx.clicked,
        },
    }
    return jobs.enqueue(sessions, ctx.team_id, ctx.user_id, work.kind, payload)


def unpack(sessions: sessionmaker[Session], job: jobs.ClaimedJob) -> tuple[Origin, Context, BackgroundWork]:
    origin = Origin.from_dict(job.payload["origin"])
    asked: dict[str, Any] = job.payload["context"]
    key = str(job.payload.get("key") or job.id)  # a job queued before jobs had keys: its number
    ctx = Context(sessions, job.team_id, job.user_id, channel_id=origin.channel_id, job=key, **asked)
    return origin, ctx, BackgroundWork(job.kind, job.payload["work"])
