"""The document webhook's secret over real HTTP from Slack: shown only to the admin who asked, whether by
the slash command or by a mention in a channel, never posted where the channel can read it."""

import time

from sqlalchemy import select

from store.db import reading
from store.outbox import OutboxMessage
from store.webhook_secrets import signing_secrets
from tests.bot.slack.conftest import quick_retries
from tests.bot.slack.test_outage import settle
from tests.fake_slack import BOT_USER, Call, buttons, text_of
from tests.slack_requests import ADMIN, USER, Slack, message


def secrets_of(sessions, team: str) -> list[str]:
    with reading(sessions) as s:
        return signing_secrets(s, team)


def test_the_slash_command_answers_the_admin_alone_without_a_share_button(slack: Slack, sessions) -> None:
    answer = slack.ask("webhook secret", user=ADMIN)
    assert answer["response_type"] == "ephemeral"
    assert secrets_of(sessions, slack.team)[0] in text_of(answer) and not buttons(answer)


def test_a_mention_in_a_channel_gets_the_secret_as_an_ephemeral_message(slack: Slack, sessions) -> None:
    ts = f"{time.time():.6f}"
    mention = {"type": "app_mention", "user": ADMIN, "text": f"<@{BOT_USER}> rotate the webhook secret"}
    assert slack.event(mention | {"channel": "C0SALES", "ts": ts, "event_ts": ts}).status == 200
    call = slack.fake.wait_for("/chat.postEphemeral")[0]
    assert (call.body["channel"], call.body["user"], call.body["thread_ts"]) == ("C0SALES", ADMIN, ts)
    assert secrets_of(sessions, slack.team)[0] in call.body["text"]
    assert not slack.fake.calls_to("/chat.postMessage")


def test_a_seller_asking_for_it_learns_nothing(slack: Slack, sessions) -> None:
    answer = slack.ask("webhook secret", user=USER)
    assert "Only admins may run" in text_of(answer)
    assert secrets_of(sessions, slack.team) == []


def outbox_rows(sessions, team: str) -> list[str]:
    """Everything the outbox keeps of the workspace's answers, as text."""
    with sessions() as s:
        rows = s.execute(
            select(OutboxMessage.body, OutboxMessage.target, OutboxMessage.last_error).where(
                OutboxMessage.team_id == team
            )
        )
        return ["\n".join(row) for row in rows]


def posted_text(call: Call) -> str:
    return text_of(call.body | {"blocks": call.json_field("blocks") or []})


def test_the_secret_goes_straight_to_slack_and_is_never_kept_in_the_outbox(slack: Slack, sessions) -> None:
    """Three ways an answer goes after Slack was answered: into a DM, through a click's response_url, and
    as a slash command's late answer; other answers meanwhile are kept in the outbox as usual."""
    slack.event(message("D0ADMIN", "help", user=ADMIN, channel_type="im"))
    slack.fake.wait_delivered("/chat.postMessage")
    slack.event(message("D0ADMIN", "webhook secret", user=ADMIN, channel_type="im"))
    [_, in_dm] = slack.fake.wait_delivered("/chat.postMessage", 2)
    first = secrets_of(sessions, slack.team)[0]
    assert first in posted_text(in_dm)

    rotate = {"type": "button", "action_id": "crm:run:1", "value": "webhook rotate", "text": "Rotate"}
    rotated = slack.answer(slack.click(rotate, user=ADMIN))  # type: ignore[arg-type]
    secrets = secrets_of(sessions, slack.team)
    assert len(secrets) == 2 and any(secret in rotated["text"] for secret in secrets if secret != first)

    slack.server.bot.runtime.ack_budget = 0.0
    late = slack.command("webhook secret", user=ADMIN)
    assert "Working on it" in late.text
    assert any(secret in slack.answer(late.response_url)["text"] for secret in secrets)

    kept = outbox_rows(sessions, slack.team)
    assert len(kept) == 1 and "/crm help" in kept[0]  # the help answer only
    assert not [row for row in kept for secret in secrets if secret in row]


def test_a_secret_slack_does_not_take_is_not_kept_and_the_admin_is_asked_to_ask_again(
    slack: Slack, sessions
) -> None:
    quick_retries(slack.server.bot.runtime)
    slack.fake.fail("/chat.postMessage", 500, "down", seconds=1.0)
    slack.event(message("D0ADMIN", "webhook secret", user=ADMIN, channel_type="im"))
    [told] = slack.fake.wait_delivered("/chat.postMessage")
    settle(sessions, slack.team)
    assert "please ask again" in posted_text(told) and told.body["channel"] == "D0ADMIN"
    [secret] = secrets_of(sessions, slack.team)
    assert not [call for call in slack.fake.calls_to("/chat.postMessage")[1:] if secret in call.raw.decode()]
    assert len(slack.fake.delivered("/chat.postMessage")) == 1
    assert not [row for row in outbox_rows(sessions, slack.team) if secret in row]
