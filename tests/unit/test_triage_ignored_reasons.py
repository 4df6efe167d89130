"""Each file left out of a worklist carries its reason in the scoring result, judged on the name as read: the
scrubbed name can have lost what told (Nii is a Ghanaian given name, and ARMAH_NII/ct.nii scrubbed reads
'[removed]/ct.[removed]', which had been called 'not an image' rather than a NIfTI volume)."""
from __future__ import annotations

import argparse
from types import SimpleNamespace

import pandas as pd

from commands import triage as triage_command
from services import triage, triage_training
from tests.support import make_runtime
from tests.triage_support import dicom_bytes, sample_images

NIFTI = "a NIfTI volume, which the desk does not read: export its slices as PNG or DICOM files, one per slice"


def _score(monkeypatch, tmp_path, source) -> triage.Worklist:
    """The service's own reading, scrubbing and ranking, around a stand-in model and store."""
    parameters = {"review_threshold": 0.5, "urgent_threshold": 0.9, "normal_class": "normal"}
    run = SimpleNamespace(id=1, parameters=parameters, metrics={}, artifact_dir=None)
    monkeypatch.setattr(triage, "load_model", lambda runtime, run_id: (run, SimpleNamespace(classes_=["normal", "x"])))
    monkeypatch.setattr(triage_training, "predict_with_maps", lambda task, parameters, readable, frame: {})
    monkeypatch.setattr(triage, "_store_worklist", lambda runtime, run_id, batch, frame, *rest, **kw: triage.Worklist(
        run_id, batch, ("normal", "x"), frame))
    return triage.score_studies(make_runtime(tmp_path / "var"), 1, source, user="ana")


def test_each_ignored_file_carries_the_reason_of_its_name_as_read(monkeypatch, tmp_path):
    scan = dicom_bytes(sample_images(1)["normal"][0], patient="ARMAH^NII")
    folder = tmp_path / "batch" / "ARMAH_NII"
    folder.mkdir(parents=True)
    (folder / "IM1.dcm").write_bytes(scan)
    (folder / "ct.nii").write_bytes(b"\x5c\x01" + bytes(346))
    (folder / "notes.txt").write_text("seen")
    result = _score(monkeypatch, tmp_path, tmp_path / "batch")
    assert result.ignored == ("[removed]/ct.[removed]", "[removed]/notes.txt")
    assert result.ignored_reasons == (("[removed]/ct.[removed]", NIFTI),
                                      ("[removed]/notes.txt", "not an image"))


def test_the_cli_prints_the_reason_the_result_carries(monkeypatch, tmp_path, capsys):
    rows = pd.DataFrame({"file": ["a.png"], "p_abnormal": [0.2], "priority": ["routine"],
                         "predicted_class": ["normal"], "reason": [""]})
    result = triage.Worklist(1, "b1", ("normal", "x"), rows, ignored=("[removed]/ct.[removed]",),
                             ignored_reasons=(("[removed]/ct.[removed]", NIFTI),))
    monkeypatch.setattr(triage, "score_studies", lambda *args, **kwargs: result)
    monkeypatch.setattr(triage_command, "runtime", lambda: None)
    (tmp_path / "in").mkdir()
    args = argparse.Namespace(images=str(tmp_path / "in"), out=str(tmp_path / "w.csv"), run=1, reasons=False,
                              json=True)
    assert triage_command.score(args) == 0
    assert f"ignored ({NIFTI}): [removed]/ct.[removed]" in capsys.readouterr().err.splitlines()
