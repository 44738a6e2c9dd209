"""Every page's actions, in the order help lists them. Each is declared in its page's module, beside its
handler; the router adds its own few (help, Tell Me, Keep)."""

from commands.action import Action
from commands.pages import (
    canceled,
    channels,
    contacts,
    entries,
    interactions,
    postponed,
    reports,
    segment_steps,
    segments,
    setup,
    tasks,
    templates,
    webhook,
)

PAGES: tuple[Action, ...] = (
    *entries.ACTIONS[:1],
    *interactions.ACTIONS,
    *templates.ACTIONS,
    *setup.ACTIONS,
    *webhook.ACTIONS,
    *contacts.ACTIONS[:3],
    *segments.ACTIONS,
    *segment_steps.ACTIONS,
    *postponed.ACTIONS,
    *tasks.ACTIONS,
    *entries.ACTIONS[1:],
    *channels.ACTIONS,
    *canceled.ACTIONS,
    *reports.ACTIONS,
    *contacts.ACTIONS[3:],
)
