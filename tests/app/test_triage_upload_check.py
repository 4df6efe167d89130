"""AppTest: Train refuses a training set that cannot train when it is pressed, with the service's words, and queues
no job: a file that is no ZIP had been queued and failed only as a job."""
from __future__ import annotations

from tests.app.test_triage import _page, _texts


def test_a_bad_archive_is_refused_before_a_job_is_queued(app_env):
    at = _page()
    at.file_uploader(key="triage.train_upload").upload("set.zip", b"not a zip file\n" * 20, "application/zip")
    at.run()
    at.button(key="triage.train").click()
    at.run()
    assert not at.exception, at.exception
    assert _texts(at.error) == ("Nothing was queued for training. The archive is not a readable ZIP file: it may be "
                                "damaged, cut short or not a ZIP at all.")
    assert "triage.job" not in at.session_state
