from commands.catalog import ACTIONS
from commands.context import Context
from commands.reply import Reply


def help_reply(ctx: Context, words: list[str]) -> Reply:
    """Every command, from the catalog; admin-only ones are marked."""
    lines = []
    for action in ACTIONS:
        mark = " _(admins)_" if action.admin_only else ""
        lines.append(f"`{action.usage}`  {action.summary}{mark}")
    return Reply(
        "crm-interactions: record and manage interactions with your contacts.",
        paragraphs=(
            *lines,
            "Or just say what you want: `/crm delete canceled entries`, `/crm log a call with John Smith`, "
            "`/crm borrar movs. cancelados`.",
        ),
    )
