from commands.context import Context
from store.errors import Forbidden


def require_admin(ctx: Context, what: str) -> None:
    if not ctx.is_admin:
        raise Forbidden(f"Only admins may {what}. Ask a workspace admin, or one listed in CRM_ADMINS.")
