"""Fixtures of the page tests: a seller (no admin rights) in the crowd of tests/conftest.py."""

import pytest

from commands.context import Context


@pytest.fixture
def seller(sessions, crowd) -> Context:
    return Context(sessions, crowd.team, "U2", is_admin=False)
