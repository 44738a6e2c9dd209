"""What a serving process sends when reminders are due: a direct message to a task's owner with Done,
Snooze and Log buttons, and one gentle word about interactions postponed over a day. The claims are the
store's (store.reminders): each reminder is sent by one process, once."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from commands.pages.tasks import COMPLETE_TASK, SNOOZE_TASK, log_button, task_line
from commands.reply import Button, Reply
from commands.views import plural
from store import reminders
from store.db import reading
from store.tasks import contact_name, template_to_log

SNOOZES = (("Snooze 1 h", "1h"), ("Tomorrow", "tomorrow"), ("Next week", "next week"))


@dataclass(frozen=True)
class Notice:
    team_id: str
    user_id: str
    reply: Reply
    claim: reminders.ClaimedReminder | None = None
    """A task's reminder, struck off once sent; None for the postponed interactions' (already marked)."""


def due(sessions: sessionmaker[Session], now: datetime) -> list[Notice]:
    """The reminders this process is to send now (claimed for it)."""
    notices: list[Notice] = []
    for claim in reminders.claim_due(sessions, now):
        with reading(sessions) as session:
            task = reminders.still_claimed(session, claim)
            if task is None:
                continue
            line = task_line(task, contact_name(session, task))
            template = template_to_log(session, task)
        buttons = (
            Button("Done", COMPLETE_TASK.command_text({"task_no": task.no}), "primary"),
            *(
                Button(label, SNOOZE_TASK.command_text({"task_no": task.no, "until": when}))
                for label, when in SNOOZES
            ),
            log_button(task, template),
        )
        notices.append(
            Notice(
                claim.team_id,
                claim.owner_id,
                Reply(f"Task {task.no} is due.", (line,), buttons=buttons),
                claim,
            )
        )
    for postponed in reminders.claim_postponed(sessions, now):
        count = len(postponed.entry_nos)
        numbers = ", ".join(str(no) for no in postponed.entry_nos[:10])
        reply = Reply(
            f"A gentle reminder: {plural(count, 'postponed interaction')} waiting over a day ({numbers}).",
            buttons=(Button("Postponed Interactions", "postponed"),),
        )
        notices.append(Notice(postponed.team_id, postponed.user_id, reply))
    return notices


def sent(sessions: sessionmaker[Session], notice: Notice, now: datetime) -> bool:
    return notice.claim is None or reminders.sent(sessions, notice.claim, now)
