"""Each workspace's document webhook secret: created once, rotated with a grace period, its own."""

from datetime import timedelta

from sqlalchemy import select

from store.audit import recent
from store.types import utcnow
from store.webhook_secrets import GRACE, WebhookSecret, rotate_webhook_secret, signing_secrets, webhook_secret


def test_the_secret_is_created_on_first_asking_and_then_shown_again(session, team):
    first = webhook_secret(session, team, "U1")
    again = webhook_secret(session, team, "U2")
    assert first.created and not again.created and again.secret == first.secret
    assert len(first.secret) >= 40 and signing_secrets(session, team) == [first.secret]
    assert [event.action for event in recent(session, team)] == ["webhook_secret"]


def test_workspaces_have_secrets_of_their_own(session, team):
    mine = webhook_secret(session, team, "U1").secret
    theirs = webhook_secret(session, team + "X", "U1").secret
    assert mine != theirs
    assert signing_secrets(session, team) == [mine] and signing_secrets(session, team + "X") == [theirs]
    assert signing_secrets(session, team + "NOBODY") == []


def test_a_rotated_secret_is_accepted_for_the_grace_period_only(session, team):
    old = webhook_secret(session, team, "U1").secret
    now = utcnow()
    new = rotate_webhook_secret(session, team, "U1", now=now)
    assert new.previous_valid_until == now + GRACE and timedelta(hours=24) == GRACE
    assert signing_secrets(session, team, now) == [new.secret, old]
    assert signing_secrets(session, team, now + GRACE - timedelta(seconds=1)) == [new.secret, old]
    assert signing_secrets(session, team, now + GRACE) == [new.secret]
    assert webhook_secret(session, team, "U1").secret == new.secret


def test_rotating_at_once_ends_every_earlier_secret(session, team):
    webhook_secret(session, team, "U1")
    rotate_webhook_secret(session, team, "U1")
    newest = rotate_webhook_secret(session, team, "U1", at_once=True)
    assert newest.previous_valid_until is None
    assert signing_secrets(session, team) == [newest.secret]
    kept = session.scalars(select(WebhookSecret.secret).where(WebhookSecret.team_id == team)).all()
    assert kept == [newest.secret]
    assert [event.action for event in recent(session, team)][:2] == ["rotate_webhook_secret"] * 2


def test_expired_secrets_are_deleted_at_the_next_rotation(session, team):
    webhook_secret(session, team, "U1")
    long_ago = utcnow() - 2 * GRACE
    rotate_webhook_secret(session, team, "U1", now=long_ago)
    latest = rotate_webhook_secret(session, team, "U1")
    rows = session.scalars(select(WebhookSecret).where(WebhookSecret.team_id == team)).all()
    assert len(rows) == 2 and latest.secret in {row.secret for row in rows}
