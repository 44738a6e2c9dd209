"""The filters that lists, exports, statistics and purges of interaction log entries share."""

from sqlalchemy.orm import Session

from commands import inputs
from commands.action import Arg, Args
from store.filters import CanceledFilter, EntryFilter, entry_filter

CONTACT = Arg("contact", inputs.CONTACT)
SEGMENT = Arg("segment", inputs.SEGMENT)
TEMPLATE = Arg("template", inputs.TEMPLATE)
GROUP = Arg("group", inputs.GROUP)
CANCELED = Arg("canceled", inputs.CANCELED)
FROM = Arg("from", inputs.DATE)
TO = Arg("to", inputs.DATE)
ENTRY_FILTERS = (CONTACT, SEGMENT, TEMPLATE, GROUP, CANCELED, FROM, TO)
THROUGH = Arg("through", inputs.CANCELLATION_NO, pinned=True)
"""A purge's cut-off: the last cancellation its question counted (store.cancellation)."""
ASK_AGAIN = "This purge does not say what its question counted: run `/crm {command}` again."


def read_filter(session: Session, team_id: str, args: Args) -> EntryFilter:
    return entry_filter(
        session,
        team_id,
        contact=args.get("contact", ""),
        segment=args.get("segment", ""),
        template=args.get("template", ""),
        group=args.get("group", ""),
        canceled=args.get("canceled", CanceledFilter.ALL),
        date_from=args.get("from"),
        date_to=args.get("to"),
    )
