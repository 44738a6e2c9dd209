"""The document webhook's secret over real HTTP from Slack: shown only to the admin who asked, whether by
the slash command or by a mention in a channel, never posted where the channel can read it."""

import time

from store.db import reading
from store.webhook_secrets import signing_secrets
from tests.fake_slack import BOT_USER, buttons, text_of
from tests.slack_requests import ADMIN, USER, Slack


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
