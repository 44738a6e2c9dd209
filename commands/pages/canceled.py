"""Delete Canceled Interaction Log Entries: asks first with what would go; only the question's Delete
button deletes, and only what the question counted: entries canceled by the time it asked (up to the
cancellation number it pins on its button) that are still canceled then."""

from dataclasses import replace

from commands.action import Action, Args, Background, Policy, Question
from commands.context import Context
from commands.pages.filtering import ASK_AGAIN, CONTACT, FROM, GROUP, TEMPLATE, THROUGH, TO, read_filter
from commands.reply import Reply, error
from commands.views import plural
from store.cancellation import count_canceled, delete_canceled_entries, last_cancellation
from store.db import reading

WHAT = ("canceled interaction log entry", "canceled interaction log entries")
KEPT = "Entries restored before you confirm are kept, and so are entries canceled after this question."


def counted(ctx: Context, args: Args, *, now: bool = False) -> tuple[int, int]:
    """How many canceled entries the purge takes, and up to which cancellation: the one pinned on the
    question's button, or (`now`, when asking) the latest."""
    with reading(ctx.sessions) as session:
        through = args.get("through")
        if now or through is None:
            through = last_cancellation(session, ctx.team_id)
        given = replace(read_filter(session, ctx.team_id, args), canceled_through=through)
        return count_canceled(session, ctx.team_id, given), through


def canceled_count(ctx: Context, args: Args) -> int:
    return counted(ctx, args)[0]


def question(ctx: Context, args: Args) -> Question | Reply:
    count, through = counted(ctx, args, now=True)
    if count == 0:
        return Reply("No canceled interaction log entries match, so there is nothing to delete.")
    what = plural(count, *WHAT)
    return Question(
        f"{what} would be deleted, with their comments and their own attachments.",
        KEPT,
        f"Delete {what}? This cannot be undone.",
        pinned={THROUGH.name: through},
    )


def deleting(args: Args, count: int) -> str:
    return f"Deleting {plural(count, 'canceled entry', 'canceled entries')}… I will post the result here."


def delete(ctx: Context, args: Args) -> Reply:
    if args.get("through") is None:  # queued by a release whose questions pinned nothing
        return error(ASK_AGAIN.format(command="delete-canceled"))
    with ctx.sessions.begin() as session:
        given = replace(read_filter(session, ctx.team_id, args), canceled_through=args["through"])
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
    args=(CONTACT, TEMPLATE, GROUP, FROM, TO, THROUGH),
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
