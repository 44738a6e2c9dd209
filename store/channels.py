"""Slack channels linked to contacts, and logging the messages posted in them."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.contacts import find_contact
from store.deliveries import first_delivery
from store.enums import DocumentKind, InformationFlow, InitiatedBy
from store.errors import Invalid
from store.interactions import InteractionInput, create_interaction, fit_description
from store.models import ChannelLink, Contact, InteractionLogEntry
from store.templates import template_for_document

DELIVERY_SOURCE = "slack-message"
"""Messages already logged, in store.deliveries: Slack may deliver one twice (retries, or as both a
channel and a group event)."""


def link_channel(session: Session, team_id: str, user_id: str, channel_id: str, contact: str) -> Contact:
    """Link the channel to a contact (a new link replaces the old one)."""
    if not channel_id:
        raise Invalid("Link a channel from inside it: run the command in the channel to link.")
    found = find_contact(session, team_id, contact)
    link = session.get(ChannelLink, (team_id, channel_id))
    if link is None:
        session.add(
            ChannelLink(team_id=team_id, channel_id=channel_id, contact_no=found.no, linked_by=user_id)
        )
    else:
        link.contact_no, link.linked_by = found.no, user_id
    session.flush()
    return found


def unlink_channel(session: Session, team_id: str, channel_id: str) -> bool:
    link = session.get(ChannelLink, (team_id, channel_id))
    if link is not None:
        session.delete(link)
    return link is not None


def linked_contact(session: Session, team_id: str, channel_id: str) -> str | None:
    query = select(ChannelLink.contact_no).where(
        ChannelLink.team_id == team_id, ChannelLink.channel_id == channel_id
    )
    return session.scalar(query)


@dataclass(frozen=True)
class ChannelMessage:
    channel_id: str
    ts: str
    """Slack's message timestamp: unique within the channel, so it keys the message."""
    user_id: str
    text: str
    external: bool
    """The author belongs to another organisation (a Slack Connect guest): the message came in."""
    when: dt.datetime


def log_channel_message(
    session: Session, team_id: str, message: ChannelMessage
) -> InteractionLogEntry | None:
    """Log a message of a linked channel with the setup's slack-message template. Nothing is logged for an
    unlinked channel, with no template set up, or for a message already logged (Slack retries)."""
    contact_no = linked_contact(session, team_id, message.channel_id)
    template = template_for_document(session, team_id, DocumentKind.SLACK_MESSAGE)
    if contact_no is None or template is None:
        return None
    if not first_delivery(session, DELIVERY_SOURCE, f"{team_id}:{message.channel_id}:{message.ts}", team_id):
        return None
    description = fit_description(message.text) or template.description or "Slack message"
    given = InteractionInput(
        contact=contact_no,
        template=template.code,
        description=description,
        date=message.when.date(),
        time=message.when.time().replace(microsecond=0),
        information_flow=InformationFlow.INBOUND if message.external else InformationFlow.OUTBOUND,
        initiated_by=InitiatedBy.THEM if message.external else InitiatedBy.US,
        salesperson="" if message.external else message.user_id,
    )
    return create_interaction(session, team_id, message.user_id, given, now=message.when)
