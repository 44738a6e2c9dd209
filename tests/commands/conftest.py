"""Fixtures of the commands tests: an admin and a seller in the small workspace of tests/conftest.py."""

import pytest

from commands.context import Context


@pytest.fixture
def ctx(sessions, workspace):
    """An admin of the workspace."""
    return Context(sessions, workspace.team, "U1", is_admin=True)


@pytest.fixture
def user(ctx):
    """A seller: no admin rights."""
    return Context(ctx.sessions, ctx.team_id, "U2", is_admin=False)
