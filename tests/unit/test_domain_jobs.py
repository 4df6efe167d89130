import pytest

from domain import jobs


def test_transitions_allow_only_forward_moves():
    assert jobs.sources_for("running") == {"queued"}
    assert jobs.sources_for("succeeded") == {"running"}
    assert jobs.sources_for("cancelled") == {"queued", "running"}
    assert jobs.sources_for("failed") == {"queued", "running"}
    assert jobs.sources_for("queued") == frozenset()


def test_unknown_status_is_rejected():
    with pytest.raises(jobs.InvalidJobTransition):
        jobs.sources_for("paused")


@pytest.mark.parametrize("value,expected", [(-1, 0.0), (0.5, 0.5), (3, 1.0), (float("nan"), 0.0)])
def test_progress_is_clamped(value, expected):
    assert jobs.clamp_progress(value) == expected


def test_only_active_jobs_can_be_cancelled():
    assert jobs.can_cancel("queued") and jobs.can_cancel("running")
    assert not jobs.can_cancel("succeeded") and not jobs.can_cancel("failed")
