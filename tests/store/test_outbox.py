"""The outbox keeps answers until they are delivered: each message is claimed by one process at a time,
messages to one conversation go out in order, a claim abandoned by a dead process is taken again, and a
message given up stays as its user's notice until that user dismisses it."""

import threading
import uuid
from datetime import timedelta
from typing import Any

from store import outbox
from store.types import utcnow


def put(sessions: Any, team: str, conversation: str = "", *, user: str = "U1", **more: Any) -> None:
    outbox.put(
        sessions,
        team_id=team,
        user_id=user,
        destination="dm",
        conversation=conversation or uuid.uuid4().hex,
        target={},
        body={"text": more.pop("text", "hello")},
        give_up_after=timedelta(minutes=30),
        send_now=False,
        **more,
    )


def claim_mine(sessions: Any, team: str, **kwargs: Any) -> outbox.Outgoing | None:
    """Claim only this test's messages: other tests' servers share the database (each its own team)."""
    held: dict[int, outbox.Outgoing] = {}
    try:
        while (message := outbox.claim(sessions, **kwargs)) is not None:
            if message.team_id == team:
                return message
            again = message.id in held  # with a lapsed lease, one just held comes back: all were seen
            held[message.id] = message  # its latest claim, the one that hands it back
            if again:
                break
        return None
    finally:
        for other in held.values():  # hand others' messages back untouched
            outbox.retry(sessions, other, "", utcnow())


def test_messages_to_one_conversation_go_out_in_order(sessions: Any, team: str) -> None:
    put(sessions, team, "thread-1", text="Working on it…")
    put(sessions, team, "thread-1", text="Done.")
    first = claim_mine(sessions, team)
    assert first is not None and first.body["text"] == "Working on it…"
    assert claim_mine(sessions, team) is None  # the result waits for the message it replaces
    assert outbox.retry(sessions, first, "500", utcnow())
    again = claim_mine(sessions, team)
    assert again is not None and again.id == first.id and again.attempts == 2
    assert outbox.sent(sessions, again)
    second = claim_mine(sessions, team)
    assert second is not None and second.body["text"] == "Done." and outbox.sent(sessions, second)


def test_a_message_claimed_by_a_dead_process_is_taken_again_after_the_lease(sessions: Any, team: str) -> None:
    put(sessions, team)
    dead = claim_mine(sessions, team)
    assert dead is not None
    assert claim_mine(sessions, team) is None
    taken = claim_mine(sessions, team, lease=timedelta(0))
    assert taken is not None and taken.id == dead.id
    assert not outbox.sent(sessions, dead)  # its claim is gone
    assert outbox.sent(sessions, taken) and outbox.status(sessions, taken.id) == outbox.SENT


def test_a_message_of_a_dead_process_is_taken_within_a_minute_a_file_after_its_longer_lease(
    sessions: Any, team: str
) -> None:
    assert outbox.SEND_LEASE < timedelta(minutes=1) < outbox.FILE_LEASE
    put(sessions, team)
    put(sessions, team, file=b"the export")
    dead = [claim_mine(sessions, team), claim_mine(sessions, team)]
    assert all(dead)
    lapsed = timedelta(0)
    taken = []
    while (message := claim_mine(sessions, team, lease=lapsed)) is not None and len(taken) < 5:
        taken.append(message)
        outbox.sent(sessions, message)
    assert [message.file for message in taken] == [None]  # the file's try may still be under way
    file = claim_mine(sessions, team, lease=lapsed, file_lease=lapsed)
    assert file is not None and file.file == b"the export"


def test_concurrent_senders_claim_each_message_once(sessions: Any, team: str) -> None:
    for _ in range(20):
        put(sessions, team)
    claimed: list[int] = []
    lock = threading.Lock()

    def send() -> None:
        while (message := claim_mine(sessions, team)) is not None:
            with lock:
                claimed.append(message.id)
            assert outbox.sent(sessions, message)

    senders = [threading.Thread(target=send) for _ in range(4)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(30)
    assert len(claimed) == 20 and len(set(claimed)) == 20


def test_a_notice_is_its_users_alone_to_read_and_dismiss(sessions: Any, team: str) -> None:
    put(sessions, team, text="Your export")
    message = claim_mine(sessions, team)
    assert message is not None and outbox.give_up(sessions, message, "500 internal_error", told=False)
    with sessions() as session:
        [notice] = outbox.notices(session, team, "U1")
        assert notice.body["text"] == "Your export" and notice.last_error == "500 internal_error"
        assert outbox.notices(session, team, "U2") == []
        assert outbox.notices(session, "T" + uuid.uuid4().hex[:8].upper(), "U1") == []
    assert not outbox.dismiss(sessions, team, "U2", notice.id)
    assert outbox.dismiss(sessions, team, "U1", notice.id)
    with sessions() as session:
        assert outbox.notices(session, team, "U1") == []


def test_waits_between_tries_double_up_to_a_ceiling() -> None:
    backoff = outbox.Backoff(first=timedelta(seconds=1), longest=timedelta(seconds=60))
    waits = [backoff.after(attempt) for attempt in range(1, 10)]
    assert timedelta(seconds=0.8) <= waits[0] <= timedelta(seconds=1)
    assert timedelta(seconds=3.2) <= waits[2] <= timedelta(seconds=4)
    assert all(timedelta(seconds=48) <= wait <= timedelta(seconds=60) for wait in waits[6:])


def test_a_view_read_before_one_already_written_is_never_sent(sessions: Any, team: str) -> None:
    """Two App Home views built side by side: the one read last is the newest, whichever is written last."""
    read_first = utcnow()
    read_last = read_first + timedelta(milliseconds=5)
    put(sessions, team, f"home-{team}", text="newest", supersede=True, as_of=read_last)
    put(sessions, team, f"home-{team}", text="older", supersede=True, as_of=read_first)
    message = claim_mine(sessions, team)
    assert message is not None and message.body == {"text": "newest"}
    outbox.sent(sessions, message)
    assert claim_mine(sessions, team) is None
    put(sessions, team, f"home-{team}", text="older still", supersede=True, as_of=read_first)
    assert claim_mine(sessions, team) is None, "a view older than the one shown is not sent over it"


def test_a_view_that_fails_while_a_newer_one_was_written_gives_way_to_it(sessions: Any, team: str) -> None:
    put(sessions, team, f"home-{team}", text="first", supersede=True)
    tried = claim_mine(sessions, team)
    assert tried is not None and tried.body == {"text": "first"}
    assert not outbox.drop_if_newer(sessions, tried), "nothing newer yet: it is tried again"
    put(sessions, team, f"home-{team}", text="newer", supersede=True)  # written while the first is tried
    assert claim_mine(sessions, team) is None, "the newer one waits for the try in flight"
    assert outbox.drop_if_newer(sessions, tried)
    newer = claim_mine(sessions, team)
    assert newer is not None and newer.body == {"text": "newer"}
