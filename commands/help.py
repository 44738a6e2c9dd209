"""Help, read from the declarations: the commands under a heading per section of the catalog (its page
modules), each section short (Slack folds a long one behind "Show more"), with buttons that run an
example or open its form; `/crm help <topic>` gives a section's every command with its usage."""

from collections.abc import Sequence

from commands import grammar
from commands.action import Action, Section
from commands.context import Context
from commands.inputs import split
from commands.reply import Button, Item, Reply

EXAMPLES_SHOWN = 3
"""Example buttons under a section of the overview (and a More button for the section's page)."""
HINTS_SHOWN = 6
"""Commands named in a section of the overview; its page names the others."""
TELL_ME_EXAMPLES = "`/crm log a call with John Smith`, `/crm borrar movs. cancelados`"


def shown(ctx: Context, actions: Sequence[Action]) -> list[Action]:
    """What help lists for this user: admin-only actions only for admins."""
    return [action for action in actions if action.policy.listed and action.may_run(ctx)]


def example(action: Action, actions: Sequence[Action]) -> Button | None:
    """A button for the action alone, when a click on it does no harm: a list that shows data, or a form
    (the action asked for without its required arguments). It must read back as this action."""
    required = any(arg.required for arg in action.args)
    safe = (action.policy.read_only and not required) or (action.form is not None and required)
    if not safe or action.policy.destructive:
        return None
    command = action.command_text()
    if grammar.match(actions, split(command)) is not action:
        return None
    return Button(action.title, command, "primary" if action.featured else "")


def overview(ctx: Context, actions: Sequence[Action], sections: Sequence[Section]) -> Reply:
    items: list[Item] = []
    for section in sections:
        listed = shown(ctx, section.actions)
        if not listed:
            continue
        named = listed if len(listed) <= HINTS_SHOWN + 1 else listed[:HINTS_SHOWN]
        hints = " · ".join(f"`/crm {action.hint()}`" for action in named)
        if len(named) < len(listed):
            hints += f" · _{len(listed) - len(named)} more_"
        first = sorted(listed, key=lambda a: (not a.featured, a.form is None))  # stable: page order next
        buttons = [b for b in (example(a, actions) for a in first) if b is not None][:EXAMPLES_SHOWN]
        buttons.append(Button("More…", f"help {section.topic}"))
        items += [Item(section.title_for(ctx.lang), heading=True), Item(hints, tuple(buttons))]
    topics = ", ".join(f"`{section.topic}`" for section in sections)
    return Reply(
        "crm-interactions",
        header=True,
        paragraphs=(
            "Record calls, meetings, e-mails and letters with your contacts, and follow them up. "
            f"Type a command, click an example, or say what you want: {TELL_ME_EXAMPLES}.",
            f"`/crm help <topic>` shows a topic's commands in full: {topics}.",
        ),
        items=tuple(items),
        buttons=tuple(b for b in (example(a, actions) for a in actions if a.id == "tellme") if b),
    )


def topic(ctx: Context, word: str, actions: Sequence[Action], sections: Sequence[Section]) -> Reply:
    section = find_section(word, sections)
    if section is None:
        return Reply(
            f"There is no help topic “{word}”. Topics:",
            buttons=tuple(Button(s.title_for(ctx.lang), f"help {s.topic}") for s in sections),
            error=True,
        )
    items = []
    for action in shown(ctx, section.actions):
        admins = " _(admins)_" if action.admin_only else ""
        button = example(action, actions)
        items.append(
            Item(f"`{action.usage}`\n{action.summary_for(ctx.lang)}{admins}", (button,) if button else ())
        )
    return Reply(
        section.title_for(ctx.lang),
        header=True,
        items=tuple(items),
        buttons=(Button("All topics", "help"),),
    )


def find_section(word: str, sections: Sequence[Section]) -> Section | None:
    """A section by its topic or title, by a command word of its actions (`help task`), or by the
    start of its topic (`help seg`)."""
    word = " ".join(word.lower().split())
    for section in sections:
        if word in (section.topic, section.title.lower(), section.title_es.lower()):
            return section
    for section in sections:
        if any(word in parts for a in section.actions for i, parts in a.literals() if i == 0):
            return section
    for section in sections:
        if word and (section.topic.startswith(word) or section.title.lower().startswith(word)):
            return section
    return None
