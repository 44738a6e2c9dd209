"""`crm webhook rotate`: the new secret printed once, on stdout alone; the old one kept for its grace
period unless --at-once."""

from typer.testing import CliRunner

from bot.cli import app
from store.db import reading
from store.webhook_secrets import signing_secrets, webhook_secret


def rotate(*args: str):
    return CliRunner().invoke(app, ["webhook", "rotate", *args])


def secrets_of(sessions, team: str) -> list[str]:
    with reading(sessions) as s:
        return signing_secrets(s, team)


def test_rotate_prints_the_new_secret_alone_on_stdout(workdir, sessions, team):
    with sessions.begin() as s:
        old = webhook_secret(s, team, "U1").secret
    result = rotate("--team", team)
    assert result.exit_code == 0, result.output
    new = result.stdout.strip()
    assert new.startswith("whsec_") and secrets_of(sessions, team) == [new, old]
    assert "The previous one is accepted until" in result.stderr and "24 hours" in result.stderr


def test_rotate_at_once_leaves_only_the_new_secret(workdir, sessions, team):
    rotate("--team", team)
    result = rotate("--team", team, "--at-once")
    assert result.exit_code == 0 and secrets_of(sessions, team) == [result.stdout.strip()]
    assert "no other is accepted" in result.stderr


def test_the_first_rotation_of_a_workspace_creates_its_secret(workdir, sessions, team):
    result = rotate("--team", team)
    assert secrets_of(sessions, team) == [result.stdout.strip()] and "no other is accepted" in result.stderr
