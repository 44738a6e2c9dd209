"""The document webhook's secret: each workspace signs its documents with its own (`POST /hooks/documents`).
Admins only, and the answer is private: the secret is shown to the admin who asked, never in a channel."""

from commands import inputs, marks
from commands.action import Action, Arg, Args, Policy
from commands.context import Context
from commands.reply import Reply
from store.webhook_secrets import GRACE, IssuedSecret, rotate_webhook_secret, webhook_secret

SIGNING = (
    'Sign each request with it: `X-CRM-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">` '
    "and `X-CRM-Request-Timestamp: <unix time>`, the body naming this workspace's `team_id`."
)


def show(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        issued = webhook_secret(session, ctx.team_id, ctx.user_id)
    headline = "A document webhook secret was created" if issued.created else "The document webhook secret"
    return _secret_reply(f"{headline} for this workspace (only you can see this).", issued)


def rotate(ctx: Context, args: Args) -> Reply:
    with ctx.sessions.begin() as session:
        issued = rotate_webhook_secret(
            session, ctx.team_id, ctx.user_id, at_once=bool(args.get("immediately"))
        )
    return _secret_reply("A new document webhook secret (only you can see this).", issued)


def _secret_reply(headline: str, issued: IssuedSecret) -> Reply:
    if issued.previous_valid_until is not None:
        until = marks.moment(issued.previous_valid_until)
        replaced = f"The previous secret is still accepted until {until}; switch your senders before then."
    else:
        replaced = "No other secret is accepted for this workspace."
    return Reply(headline, paragraphs=(f"`{issued.secret}`", SIGNING, replaced), private=True)


WEBHOOK_SECRET = Action(
    id="webhook_secret",
    title="Document Webhook Secret",
    title_es="Secreto del webhook de documentos",
    usage="/crm webhook secret",
    summary="Show the secret that signs this workspace's documents (made on first asking); only you see it.",
    summary_es="Muestra el secreto que firma los documentos de este espacio; solo tú lo ves.",
    command=("webhook", "secret"),
    handler=show,
    keywords=("webhook secret", "document webhook", "signing secret", "erp integration", "hmac key"),
    keywords_es=("secreto del webhook", "webhook de documentos", "clave de firma", "integración erp"),
    policy=Policy(admin_only=True),
)
ROTATE_WEBHOOK_SECRET = Action(
    id="rotate_webhook_secret",
    title="Rotate Document Webhook Secret",
    title_es="Renovar secreto del webhook de documentos",
    usage="/crm webhook rotate [immediately]",
    summary=(
        f"Make a new webhook secret; the old one is accepted for {GRACE.total_seconds() / 3600:.0f} more "
        "hours (`immediately`: not at all, for one that leaked)."
    ),
    summary_es="Crea un secreto nuevo; el anterior se acepta 24 horas más (`immediately`: ya no).",
    command=("webhook", "rotate"),
    handler=rotate,
    args=(Arg("immediately", inputs.FLAG),),
    keywords=("rotate webhook secret", "new webhook secret", "change signing secret", "secret leaked"),
    keywords_es=("renovar secreto", "nuevo secreto del webhook", "cambiar clave de firma"),
    policy=Policy(admin_only=True),
)

ACTIONS = (WEBHOOK_SECRET, ROTATE_WEBHOOK_SECRET)
