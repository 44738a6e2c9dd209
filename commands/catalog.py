"""Every page's actions, in the order help lists them. Each is declared in its page's module, beside its
handler; the router adds its own few (help, Tell Me, Keep). Help lists them under headings, one for a
page module or a few related ones."""

from commands.action import Action, Section
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

SECTIONS: tuple[Section, ...] = (
    Section("logging", "Logging", "Registrar", (*interactions.ACTIONS, *postponed.ACTIONS)),
    Section("entries", "Entries", "Movimientos", (*entries.ACTIONS, *canceled.ACTIONS)),
    Section("follow-ups", "Follow-ups", "Seguimientos", tasks.ACTIONS),
    Section("contacts", "Contacts", "Contactos", (*contacts.ACTIONS, *channels.ACTIONS)),
    Section("segments", "Segments", "Segmentos", (*segments.ACTIONS, *segment_steps.ACTIONS)),
    Section(
        "templates",
        "Templates & setup",
        "Plantillas y configuración",
        (*templates.ACTIONS, *setup.ACTIONS, *webhook.ACTIONS),
    ),
    Section("reports", "Reports", "Informes", reports.ACTIONS),
)
