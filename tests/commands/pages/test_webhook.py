"""The document webhook's secret from Slack: admins only, shown privately, rotated with a grace period."""

from dataclasses import replace

from commands.router import run
from store.db import reading
from store.webhook_secrets import signing_secrets


def secrets_of(sessions, team: str) -> list[str]:
    with reading(sessions) as s:
        return signing_secrets(s, team)


def test_an_admin_gets_the_workspace_secret_privately_created_on_first_asking(ctx, sessions):
    first = run(ctx, "webhook secret")
    assert first.private and not first.error
    assert first.text == "A document webhook secret was created for this workspace (only you can see this)."
    (secret,) = secrets_of(sessions, ctx.team_id)
    assert first.paragraphs[0] == f"`{secret}`" and "team_id" in first.paragraphs[1]
    again = run(ctx, "webhook secret")
    assert (
        again.text.startswith("The document webhook secret for this workspace")
        and secret in again.paragraphs[0]
    )


def test_rotating_shows_the_new_secret_and_until_when_the_old_one_counts(ctx, sessions):
    old = run(ctx, "webhook secret").paragraphs[0].strip("`")
    rotated = run(ctx, "webhook rotate")
    new = rotated.paragraphs[0].strip("`")
    assert rotated.private and new != old and secrets_of(sessions, ctx.team_id) == [new, old]
    assert rotated.paragraphs[2].startswith("The previous secret is still accepted until ")
    at_once = run(ctx, "webhook rotate immediately")
    assert secrets_of(sessions, ctx.team_id) == [at_once.paragraphs[0].strip("`")]
    assert at_once.paragraphs[2] == "No other secret is accepted for this workspace."


def test_sellers_can_neither_see_nor_rotate_the_secret(user, sessions):
    for command in ("webhook secret", "webhook rotate"):
        reply = run(user, command)
        assert reply.error and reply.text.startswith("Only admins may run") and not reply.private
    assert secrets_of(sessions, user.team_id) == []
    for page in (run(user, "help"), run(user, "help templates")):
        assert "webhook" not in " ".join(item.text for item in page.items)


def test_each_workspace_sees_only_its_own_secret(ctx, sessions):
    mine = run(ctx, "webhook secret").paragraphs[0]
    theirs = run(replace(ctx, team_id=ctx.team_id + "Z"), "webhook secret").paragraphs[0]
    assert mine != theirs
