"""Delete Canceled Interaction Log Entries: asks first with what would go; only the question's Delete
button deletes."""

from commands.action import Action, Args, Background, Policy, Question
from commands.context import Context
from commands.pages.filtering import CONTACT, FROM, GROUP, TEMPLATE, TO, read_filter
from commands.reply import Reply
from commands.views import plural
from store.cancellation import count_canceled, delete_canceled_entries
from store.db import reading

WHAT = ("canceled interaction log entry", "canceled interaction log entries")


def canceled_count(ctx: Context, args: Args) -> int:
    with reading(ctx.sessions) as session:
        return count_canceled(session, ctx.team_id, read_filter(session, ctx.team_id, args))


def question(ctx: Context, args: Args) -> Question | Reply:
    count = canceled_count(ctx, args)
    if count == 0:
        return Reply("No canceled interaction log entries match, so there is nothing to delete.")
    what = plural(count, *WHAT)
    return Question(
        f"{what} would be deleted, with their comments and their own attachments.",
        "Entries restored before you confirm are kept.",
        f"Delete {what}? This cannot be undone.",
    )


def deleting(args: Args, count: int) -> str:
    return f"Deleting {plural(count, 'canceled entry', 'canceled entries')}… I will post the result here."


def delete(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        given = read_filter(session, ctx.team_id, args)
        deleted = delete_canceled_entries(session, ctx.team_id, ctx.user_id, given)
    return Reply(f"Deleted {plural(deleted, *WHAT)}.", replace_original=True)


DELETE_CANCELED_ENTRIES = Action(
    id="delete_canceled_entries",
    title="Delete Canceled Interaction Log Entries",
    title_es="Eliminar mov. cancel. reg. inter.",
    usage="/crm delete-canceled [contact=..] [template=..] [group=..] [from=..] [to=..]",
    summary="Delete canceled entries for good, with their comments and own attachments.",
    summary_es="Elimina para siempre los movimientos cancelados, con sus comentarios y adjuntos propios.",
    command=("delete-canceled",),
    handler=delete,
    args=(CONTACT, TEMPLATE, GROUP, FROM, TO),
    keywords=(
        "delete canceled entries",
        "purge",
        "remove canceled",
        "clean up",
        "gdpr",
        "erase",
        "delete interaction log entries",
        "delete interactions",
    ),
    keywords_es=(
        "eliminar movimientos cancelados",
        "borrar cancelados",
        "purgar",
        "limpiar",
        "borrar interacciones",
        "eliminar interacciones",
    ),
    policy=Policy(admin_only=True, destructive="ask"),
    question=question,
    background=Background(canceled_count, threshold=20_000, working=deleting),
)

ACTIONS = (DELETE_CANCELED_ENTRIES,)
