"""Messages of a Slack channel linked to a contact are logged as interactions with it."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from commands.context import Context
from commands.router import run
from store.channels import ChannelMessage, log_channel_message
from store.enums import DocumentKind
from store.errors import Invalid
from store.templates import TemplateDefaults, add_template, set_setup

WHEN = datetime(2026, 11, 24, 15, 4, 5, tzinfo=UTC)


@pytest.fixture
def ctx(sessions, workspace):
    return Context(sessions, workspace.team, "U1", is_admin=True, channel_id="C123")


@pytest.fixture
def message_template(sessions, workspace):
    with sessions.begin() as s:
        add_template(
            s, workspace.team, "SLACK", "LETTERS", TemplateDefaults("Slack message", Decimal("0"), 2)
        )
        set_setup(s, workspace.team, "U1", DocumentKind.SLACK_MESSAGE, "SLACK")


def message(ts="1700000000.000100", external=False, text="Can you send the quote?"):
    return ChannelMessage("C123", ts, "U9" if external else "U1", text, external, WHEN)


def test_linked_channel_messages_are_logged_in_and_out(ctx, sessions, workspace, message_template):
    assert "linked to John Smith" in run(ctx, "link John Smith").text
    with sessions.begin() as s:
        inbound = log_channel_message(s, workspace.team, message("1.1", external=True))
        outbound = log_channel_message(s, workspace.team, message("1.2", text="Sure, here it is " * 10))
    assert (inbound.contact_no, inbound.information_flow, inbound.initiated_by) == (
        workspace.john,
        "inbound",
        "them",
    )
    assert (outbound.information_flow, outbound.initiated_by, outbound.salesperson) == (
        "outbound",
        "us",
        "U1",
    )
    assert inbound.description == "Can you send the quote?" and len(outbound.description) == 100
    assert (inbound.template_code, inbound.date, inbound.time_of_interaction.isoformat()) == (
        "SLACK",
        WHEN.date(),
        "15:04:05",
    )


def test_a_retried_message_is_logged_once(ctx, sessions, workspace, message_template):
    run(ctx, "link John Smith")
    with sessions.begin() as s:
        assert log_channel_message(s, workspace.team, message()) is not None
    with sessions.begin() as s:
        assert log_channel_message(s, workspace.team, message()) is None


def test_nothing_is_logged_without_a_link_or_a_template(ctx, sessions, workspace):
    with sessions.begin() as s:
        assert log_channel_message(s, workspace.team, message()) is None
    reply = run(ctx, "link John Smith")
    assert "No template is set up for slack-message" in reply.paragraphs[0]
    with sessions.begin() as s:
        assert log_channel_message(s, workspace.team, message()) is None


def test_unlink_and_link_outside_a_channel(ctx, sessions, workspace, message_template):
    run(ctx, "link John Smith")
    assert run(ctx, "unlink").text == "This channel is no longer linked."
    with sessions.begin() as s:
        assert log_channel_message(s, workspace.team, message()) is None
    nowhere = Context(sessions, workspace.team, "U1")
    assert "from inside it" in run(nowhere, "link John Smith").text
    with pytest.raises(Invalid):
        from store.channels import link_channel

        with sessions.begin() as s:
            link_channel(s, workspace.team, "U1", "", "John Smith")
