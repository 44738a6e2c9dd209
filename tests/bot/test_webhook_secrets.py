"""The document webhook signed with each workspace's own secret, over real HTTP: another workspace's
secret, an unknown workspace and one with no secret are refused alike; a rotated secret is accepted for
its grace period; CRM_WEBHOOK_SECRET serves only workspaces without a secret of their own."""

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.hooks import NO_MATCH, documents_app, serve, sign
from store.contacts import NewContact, add_contact
from store.enums import DocumentKind
from store.models import InteractionLogEntry
from store.templates import TemplateDefaults, add_group, add_template, set_setup
from store.types import utcnow
from store.webhook_secrets import GRACE, rotate_webhook_secret, webhook_secret
from tests.conftest import Workspace


def start(app) -> Iterator[str]:
    server = serve(app)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hooks/documents"
    server.shutdown()
    server.server_close()


@pytest.fixture
def url(sessions) -> Iterator[str]:
    """The webhook with no CRM_WEBHOOK_SECRET: only the workspaces' own secrets sign."""
    yield from start(documents_app(sessions))


@pytest.fixture
def legacy_url(sessions) -> Iterator[str]:
    yield from start(documents_app(sessions, "env-secret"))


def post(url: str, payload: object, secret: str, *, body: bytes | None = None) -> tuple[int, dict]:
    body = json.dumps(payload).encode() if body is None else body
    timestamp = str(int(time.time()))
    headers = {"X-CRM-Request-Timestamp": timestamp, "X-CRM-Signature": sign(secret, timestamp, body)}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def invoice(team: str, contact: str, event_id: str = "evt-1") -> dict[str, str]:
    return {
        "team_id": team,
        "event_id": event_id,
        "document_type": "sales-invoice",
        "document_no": "INV-1",
        "contact": contact,
    }


def logged(sessions, team: str) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).where(InteractionLogEntry.team_id == team))


def set_up(sessions, team: str) -> str:
    """Invoices log with LETTER; the workspace's secret."""
    with sessions.begin() as s:
        set_setup(s, team, "U1", DocumentKind.SALES_INVOICE, "LETTER")
        return webhook_secret(s, team, "U1").secret


@pytest.fixture
def other(sessions, team) -> Workspace:
    """A second workspace, set up the same way, with a secret of its own."""
    other_team = team + "B"
    with sessions.begin() as s:
        add_group(s, other_team, "LETTERS", "Letters")
        add_template(s, other_team, "LETTER", "LETTERS", TemplateDefaults("Letter"))
        contact = add_contact(s, other_team, NewContact("Contoso Ltd.")).no
    set_up(sessions, other_team)
    return Workspace(other_team, contact, contact, contact, contact)


def test_a_workspace_signs_with_its_own_secret_and_not_with_anothers(url, sessions, workspace, other):
    mine = set_up(sessions, workspace.team)
    assert post(url, invoice(workspace.team, workspace.john), mine)[0] == 201
    status, body = post(url, invoice(other.team, other.adatum), mine)
    assert (status, body) == (401, {"error": NO_MATCH})
    assert logged(sessions, other.team) == 0 and logged(sessions, workspace.team) == 1


def test_unknown_workspaces_and_ones_without_a_secret_are_refused_alike(url, sessions, workspace):
    with sessions.begin() as s:
        set_setup(s, workspace.team, "U1", DocumentKind.SALES_INVOICE, "LETTER")
    no_secret = post(url, invoice(workspace.team, workspace.john), "guess")
    unknown = post(url, invoice("TNOBODY", workspace.john), "guess")
    wrong = post(url, invoice(workspace.team, workspace.john), "guess")
    assert no_secret == unknown == wrong == (401, {"error": NO_MATCH})
    for weird in ({"team_id": 12}, {"team_id": "T\x00"}, {"team_id": "T" * 40}, [], "x"):
        assert post(url, weird, "guess") == (401, {"error": NO_MATCH})
    assert logged(sessions, workspace.team) == 0


def test_a_rotated_secret_is_accepted_for_its_grace_period(url, sessions, workspace):
    old = set_up(sessions, workspace.team)
    with sessions.begin() as s:
        new = rotate_webhook_secret(s, workspace.team, "U1").secret
    assert post(url, invoice(workspace.team, workspace.john, "e1"), old)[0] == 201
    assert post(url, invoice(workspace.team, workspace.john, "e2"), new)[0] == 201
    assert logged(sessions, workspace.team) == 2


def test_a_rotated_secret_is_refused_once_its_grace_period_is_over(url, sessions, workspace):
    old = set_up(sessions, workspace.team)
    with sessions.begin() as s:  # rotated a day and a minute ago
        new = rotate_webhook_secret(s, workspace.team, "U1", now=utcnow() - GRACE - GRACE / 1440).secret
    assert post(url, invoice(workspace.team, workspace.john, "e1"), old) == (401, {"error": NO_MATCH})
    assert post(url, invoice(workspace.team, workspace.john, "e2"), new)[0] == 201


def test_a_secret_rotated_at_once_is_refused_at_once(url, sessions, workspace):
    old = set_up(sessions, workspace.team)
    with sessions.begin() as s:
        new = rotate_webhook_secret(s, workspace.team, "U1", at_once=True).secret
    assert post(url, invoice(workspace.team, workspace.john), old)[0] == 401
    assert post(url, invoice(workspace.team, workspace.john), new)[0] == 201


def test_the_environment_secret_serves_only_workspaces_without_their_own(legacy_url, sessions, workspace):
    with sessions.begin() as s:
        set_setup(s, workspace.team, "U1", DocumentKind.SALES_INVOICE, "LETTER")
    assert post(legacy_url, invoice(workspace.team, workspace.john, "e1"), "env-secret")[0] == 201
    own = set_up(sessions, workspace.team)
    assert post(legacy_url, invoice(workspace.team, workspace.john, "e2"), "env-secret")[0] == 401
    assert post(legacy_url, invoice(workspace.team, workspace.john, "e3"), own)[0] == 201


def test_without_any_secret_every_request_is_refused(url, sessions, workspace):
    assert post(url, invoice(workspace.team, workspace.john), "")[0] == 401
