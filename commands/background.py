"""Work that finishes after Slack has been answered; the adapter's job worker calls `run`."""

from collections.abc import Callable

from commands.context import Context
from commands.purge_actions import run_delete_canceled
from commands.reply import BackgroundWork, Reply, error
from commands.segment_actions import run_log_segment
from store.errors import DomainError

RUNNERS: dict[str, Callable[[Context, dict[str, object]], Reply]] = {
    "log_segment": run_log_segment,
    "delete_canceled": run_delete_canceled,
}


def run(ctx: Context, work: BackgroundWork) -> Reply:
    runner = RUNNERS.get(work.kind)
    if runner is None:
        return error(f"Unknown background work {work.kind}.")
    try:
        return runner(ctx, work.payload)
    except DomainError as failure:
        return error(failure.message)
