"""Background jobs live in the database, so any serving process can finish them."""

from datetime import timedelta

from store import jobs


def test_a_job_whose_process_keeps_dying_is_given_up(sessions, team):
    job_id = jobs.enqueue(sessions, team, "U1", "never-finishes", {})
    for _ in range(jobs.MAX_ATTEMPTS):
        claimed = jobs.claim(sessions, stale_after=timedelta(0), kinds=["never-finishes"])
        assert claimed is not None and claimed.id == job_id
    assert jobs.claim(sessions, stale_after=timedelta(0), kinds=["never-finishes"]) is None
    assert jobs.status(sessions, job_id) == jobs.FAILED


def test_a_finished_job_is_not_claimed_again(sessions, team):
    jobs.enqueue(sessions, team, "U1", "quick", {"n": 1})
    claimed = jobs.claim(sessions, kinds=["quick"])
    assert claimed is not None and claimed.payload == {"n": 1}
    assert jobs.finish(sessions, claimed, "ok")
    assert jobs.claim(sessions, stale_after=timedelta(0), kinds=["quick"]) is None
