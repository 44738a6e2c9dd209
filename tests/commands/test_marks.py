"""People and moments in replies: each renderer writes them its own way; nothing else passes for one."""

from datetime import UTC, date, datetime, time

import pytest

from commands import marks

MOMENT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def slack_like(text: str) -> str:
    return marks.write(text, lambda piece: piece.replace("<", "&lt;"), "<@{}>".format, lambda at: "<t>")


def test_a_person_and_a_moment_are_written_by_the_renderer() -> None:
    text = f"by {marks.person('U0SELLER')} at {marks.moment(MOMENT)} <!channel>"
    assert slack_like(text) == "by <@U0SELLER> at <t> &lt;!channel>"
    assert marks.plain(text, "Asia/Tokyo") == "by U0SELLER at 2026-03-02 18:30 Asia/Tokyo <!channel>"
    assert marks.plain(text) == "by U0SELLER at 2026-03-02 09:30 UTC <!channel>"


def test_what_is_not_a_user_id_stays_text() -> None:
    assert marks.person("erp") == "erp" and marks.person("") == ""


def test_a_moment_needs_a_time_zone() -> None:
    with pytest.raises(ValueError):
        marks.moment(datetime(2026, 3, 2, 9, 30))


def test_text_cannot_pass_for_a_mark() -> None:
    forged = "\ufdd0" + "0" * 16 + "@U0BOSS\ufdd1"  # a mark's shape, without this process's key
    assert slack_like(f"hi \ufdd0@U0BOSS\ufdd1 {forged}").count("<@") == 0
    assert "\ufdd0" not in slack_like(forged) and "\ufdd1" not in slack_like(forged)


def test_a_clock_reading_without_a_known_zone_says_so() -> None:
    assert marks.local_moment(date(2026, 3, 2), time(10, 30), "") == "2026-03-02 10:30 (logger's clock)"
    madrid = marks.local_moment(date(2026, 3, 2), time(10, 30), "Europe/Madrid")
    assert marks.plain(madrid) == "2026-03-02 09:30 UTC"
