"""Triage use cases on a SQLite state folder: train (job), score, review, export, audit, de-identification."""
from __future__ import annotations

import io
import shutil
import zipfile

import numpy as np
import pandas as pd
import pytest

from domain.triage import NEEDS_MANUAL_READ, PRIORITIES
from data import images
from services import jobs, runs, triage, triage_inputs, triage_report, triage_review
from services.errors import UserFacingError
from tests.support import make_runtime
from tests.triage_support import (DICOM_SAMPLES, SAMPLE_IDENTIFIERS, bomb_png, dicom_bytes, png_bytes,
                                  sample_images, traversal_zip, write_class_folders, zip_tree)

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One tiny model for the module: 2 × 6 real 28 px images, one epoch."""
    root = tmp_path_factory.mktemp("triage")
    runtime = make_runtime(root / "var")
    images = write_class_folders(root / "set", per_class=6)
    shutil.copy(DICOM_SAMPLES / "rtplan.dcm", images / "pneumonia" / "id00001.dcm")  # unreadable, ID in name
    job = jobs.run_inline(runtime, kind="triage.train", desk=triage.DESK, handler=triage.HANDLER,
                          params=triage.train_params(str(images), size=28, epochs=1), user="ana")
    assert job.status == "succeeded", job.message
    return runtime, job.run_id, root


def _train(runtime, path, **kwargs):
    return jobs.run_inline(runtime, kind="triage.train", desk=triage.DESK, handler=triage.HANDLER,
                           params=triage.train_params(str(path), size=28, epochs=1, **kwargs), user="ana")


def test_training_stores_a_run_with_validation_metrics_and_operating_point(trained):
    runtime, run_id, _ = trained
    run = runs.get_run(runtime, run_id)
    assert (run.desk, run.task) == ("triage", "cnn_image_classifier")
    assert run.parameters["classes"] == ["normal", "pneumonia"]
    assert (run.parameters["abnormal_class"], run.parameters["normal_class"]) == ("pneumonia", "normal")
    metrics = run.metrics
    assert 0.0 <= metrics["val_auc"] <= 1.0 and 0.0 <= metrics["threshold"] <= 1.0
    assert metrics["sensitivity"] >= 0.95  # the target on validation data is reached by construction
    assert metrics["urgent_threshold"] >= metrics["threshold"]
    assert 0.0 <= metrics["baseline_auc"] <= 1.0  # a pixel baseline on the same split, to judge the CNN by
    assert metrics["auc_vs_baseline"] == pytest.approx(metrics["val_auc"] - metrics["baseline_auc"])
    assert metrics["val_images"] == 2  # stratified: one of six per class held out (round(0.15 * 6) = 1)
    assert run.parameters["class_counts"] == {"normal": 6, "pneumonia": 6} and run.parameters["image_count"] == 13
    assert run.parameters["skipped_images"] == [
        "pneumonia/[removed].dcm (file 1 of 7 in pneumonia/, by name): the DICOM file has no pixel data: it holds no "
        "image (an RTPLAN object; a report or other non-image DICOM), so it cannot be used for training."]
    figures = triage_report.evaluation_figures(runtime, run)
    # ROC and confusion matrix; 2 validation images are too few for a calibration chart (the page says so)
    assert len(figures) == 2 and figures[0].data[-1].name == "Operating point"
    assert triage_report.calibration_note(run).startswith("Calibration is not drawn: 2 validation images")


def test_scoring_ranks_every_study_and_puts_unreadable_ones_first(trained, tmp_path):
    runtime, run_id, _ = trained
    folder = tmp_path / "new"
    folder.mkdir()
    for i, pixels in enumerate(sample_images(3, split="test")["pneumonia"] + sample_images(3, "test")["normal"]):
        (folder / f"study{i}.png").write_bytes(png_bytes(pixels))
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    shutil.copy(DICOM_SAMPLES / "rtplan.dcm", folder / "plan.dcm")
    shutil.copy(DICOM_SAMPLES / "MR_small.dcm", folder / "mr.dcm")
    result = triage.score_studies(runtime, run_id, folder, user="ana")
    rows = result.rows
    assert len(rows) == 9 and rows["record_key"].is_unique  # nothing dropped
    assert list(rows["priority"][:3]) == [NEEDS_MANUAL_READ] * 3
    assert set(rows["file"][:2]) == {"broken.png", "plan.dcm"}
    assert rows["file"][2] == "mr.dcm" and not pd.isna(rows["p_abnormal"][2])  # scored with a caution: after them
    readable = rows[rows["priority"] != NEEDS_MANUAL_READ]
    assert readable["p_abnormal"].astype(float).is_monotonic_decreasing
    assert set(rows["priority"]) <= set(PRIORITIES)
    stored = runs.predictions_frame(runtime, run_id, kind="worklist")
    assert len(stored) == 9 and stored["record_key"].str.fullmatch(r"st-[0-9a-f]{20}").all()
    assert "no pixel data" in stored.set_index("file").loc["plan.dcm", "reason"]


def test_real_mr_ct_and_nm_samples_scored_by_a_png_model_are_manual_reads_with_their_caution(trained, tmp_path):
    """A PNG chest X-ray model put MR_small and MR_small_RLE at 'routine', p 0.376, and CT_small at routine, with
    no caution on their rows (the run had no DICOM profile); the NM study's caution was a one-time message."""
    runtime, run_id, _ = trained
    assert runs.get_run(runtime, run_id).parameters["dicom_profile"] == {}
    folder = tmp_path / "dicoms"
    folder.mkdir()
    for sample in ("MR_small.dcm", "MR_small_RLE.dcm", "CT_small.dcm", "JPEG2000.dcm", "rtplan.dcm"):
        shutil.copy(DICOM_SAMPLES / sample, folder / sample)
    (folder / "xray.png").write_bytes(png_bytes(sample_images(1, split="test")["normal"][0]))
    result = triage.score_studies(runtime, run_id, folder, user="ana")
    rows = result.rows
    assert len(rows) == 6 and list(rows["file"][[0, 5]]) == ["rtplan.dcm", "xray.png"]  # never dropped
    assert list(rows["priority"][:5]) == [NEEDS_MANUAL_READ] * 5 and rows["priority"][5] != NEEDS_MANUAL_READ
    cautioned = rows[1:5].set_index("file")
    assert cautioned["p_abnormal"].notna().all()  # the score is kept, for whoever reads it
    assert cautioned["p_abnormal"].astype(float).is_monotonic_decreasing
    for sample, modality in (("MR_small.dcm", "MR"), ("MR_small_RLE.dcm", "MR"), ("CT_small.dcm", "CT"),
                             ("JPEG2000.dcm", "NM")):
        assert cautioned.loc[sample, "reason"].startswith(
            f"{sample}: modality {modality} (DICOM Modality), not a plain radiograph, while the model was trained "
            "on PNG/JPEG images"), sample
    assert len(result.cautions) == 3 and rows["reason"][5] == ""  # the two MRs share one caution line
    assert sum(c.startswith("2 studies (MR_small") for c in result.cautions) == 1, result.cautions
    exported = pd.read_csv(io.BytesIO(triage_review.export_worklist_csv(runtime, run_id, result.batch, user="ana")),
                           encoding="utf-8-sig").set_index("file")  # the page's CSV carries the caution too
    assert exported.loc["MR_small.dcm", "priority"] == NEEDS_MANUAL_READ
    assert exported.loc["MR_small.dcm", "reason"].startswith("MR_small.dcm: modality MR")


def test_a_very_low_resolution_study_is_scored_with_a_caution(trained, tmp_path):
    """A 16 × 16 normal scored 1.000 urgent without a word: its row now says the score is unreliable."""
    runtime, run_id, _ = trained
    folder = tmp_path / "small"
    folder.mkdir()
    picture = sample_images(1, split="test")["normal"][0]
    (folder / "full.png").write_bytes(png_bytes(picture))
    (folder / "tiny.png").write_bytes(png_bytes(picture[::2, ::2][:16, :16]))
    result = triage.score_studies(runtime, run_id, folder, user="ana")
    rows = result.rows.set_index("file")
    assert rows.loc["full.png", "reason"] == "" and not pd.isna(rows.loc["tiny.png", "p_abnormal"])
    assert result.cautions == ("tiny.png: only 14 × 14 pixels (very low resolution, under 28): too coarse to show "
                               "most findings, so its score is unreliable; read it as if unscored.",)


def test_a_colour_photograph_scored_by_a_model_of_grey_images_is_cautioned(trained, tmp_path):
    """A skin photograph scored 0.80, urgent, by a chest X-ray model, without a word."""
    runtime, run_id, _ = trained
    assert runs.get_run(runtime, run_id).parameters["colour_share"] == 0.0
    folder = tmp_path / "mixed"
    folder.mkdir()
    grey = sample_images(1, split="test")["normal"][0]
    photo = np.stack([grey, np.clip(grey.astype(int) // 2, 0, 255).astype(np.uint8), np.zeros_like(grey)], axis=-1)
    (folder / "xray.png").write_bytes(png_bytes(grey))
    (folder / "grey_as_rgb.png").write_bytes(png_bytes(np.stack([grey] * 3, axis=-1)))  # an X-ray saved as RGB
    (folder / "photo.png").write_bytes(png_bytes(photo))
    rows = triage.score_studies(runtime, run_id, folder, user="ana").rows.set_index("file")
    assert rows.loc["xray.png", "reason"] == "" and rows.loc["grey_as_rgb.png", "reason"] == ""
    assert rows.loc["photo.png", "reason"].startswith("photo.png: a colour image, while the model was trained on "
                                                      "greyscale images")
    assert not pd.isna(rows.loc["photo.png", "p_abnormal"])


def test_a_study_of_another_modality_or_body_part_than_training_is_cautioned(tmp_path):
    """A chest radiograph (CR/DX) model scored MR_small 0.90 and a skull radiograph 0.96, urgent, without a word;
    the modalities and body parts it was trained on are now kept with the run."""
    runtime = make_runtime(tmp_path / "var")
    for label, pictures in sample_images(6).items():
        (tmp_path / "set" / label).mkdir(parents=True)
        for i, pixels in enumerate(pictures):
            (tmp_path / "set" / label / f"{i}.dcm").write_bytes(dicom_bytes(pixels, ("CR", "DX")[i % 2], "CHEST"))
    job = _train(runtime, tmp_path / "set")
    assert job.status == "succeeded", job.message
    run = runs.get_run(runtime, job.run_id)
    assert run.parameters["dicom_profile"] == {"images": 12, "modalities": {"CR": 6, "DX": 6},
                                               "body_parts": {"CHEST": 12}}
    assert any(n.startswith("DICOM training images: 12 (modality CR 6, DX 6; body part CHEST 12)")
               for n in run.parameters["notes"])
    new = tmp_path / "new"
    new.mkdir()
    picture = sample_images(1, split="test")["pneumonia"][0]
    for name, modality, part in (("dx.dcm", "DX", "Chest"), ("thorax.dcm", "CR", "THORAX"),
                                 ("skull.dcm", "CR", "SKULL"), ("mr.dcm", "MR", "CHEST")):
        (new / name).write_bytes(dicom_bytes(picture, modality, part))
    shutil.copy(DICOM_SAMPLES / "CT_small.dcm", new / "ct.dcm")
    (new / "plain.png").write_bytes(png_bytes(picture))
    result = triage.score_studies(runtime, job.run_id, new, user="ana")
    rows = result.rows.set_index("file")
    assert rows["p_abnormal"].notna().all()  # cautioned, still scored and ranked
    assert [rows.loc[f, "reason"] for f in ("dx.dcm", "thorax.dcm", "plain.png")] == ["", "", ""]
    assert rows.loc["mr.dcm", "reason"].startswith("mr.dcm: modality MR (DICOM Modality), while the model was "
                                                   "trained on CR/DX images")
    assert rows.loc["ct.dcm", "reason"].startswith("ct.dcm: modality CT")
    assert rows.loc["skull.dcm", "reason"].startswith("skull.dcm: body part SKULL (DICOM BodyPartExamined)")
    assert len(result.cautions) == 3


def test_three_classes_store_which_labels_are_positive_and_which_normal(tmp_path):
    """benign / malignant / unknown stored abnormal_class None: 'unknown' was counted positive without a word."""
    runtime = make_runtime(tmp_path / "var")
    write_class_folders(tmp_path / "set", per_class=6, classes={"normal": "benign", "pneumonia": "malignant"})
    (tmp_path / "set" / "unknown").mkdir()
    for i, pixels in enumerate(sample_images(12)["pneumonia"][6:]):
        (tmp_path / "set" / "unknown" / f"u{i}.png").write_bytes(png_bytes(pixels))
    job = _train(runtime, tmp_path / "set")
    assert job.status == "succeeded", job.message
    parameters = runs.get_run(runtime, job.run_id).parameters
    assert parameters["positive_classes"] == ["malignant", "unknown"] and parameters["normal_classes"] == ["benign"]
    assert parameters["notes"][0] == ("Positive (abnormal): 'malignant' and 'unknown' (every class but the normal "
                                      "one); normal: 'benign'. The abnormal score (p_abnormal) is 1 minus the "
                                      "model's probability that an image is 'benign': an image of any "
                                      "positive class is flagged.")
    assert any(w.startswith("'unknown' was taken as positive (abnormal) beside 'malignant'")
               for w in parameters["warnings"])
    trail = triage_review.run_audit_trail(runtime, job.run_id)
    assert trail["detail"][0].startswith("images=18, positive_classes=malignant/unknown, normal_classes=benign")


def test_review_export_and_audit(trained, tmp_path):
    runtime, run_id, _ = trained
    folder = write_class_folders(tmp_path / "s", per_class=2)
    batch = triage.score_studies(runtime, run_id, folder, user="ana").batch
    frame = triage_review.worklist(runtime, run_id, batch, user="rita")
    first, second = frame["record_key"][0], frame["record_key"][1]
    predicted = frame["predicted_class"][0]
    assert triage_review.record_review(runtime, run_id, batch, first, "agree", user="rita") == predicted
    other = ({"normal", "pneumonia"} - {frame["predicted_class"][1]}).pop()
    assert triage_review.record_review(runtime, run_id, batch, second, "disagree", user="rita", note="edge") == other
    with pytest.raises(UserFacingError, match="Unknown decision 'maybe': give one of agree, disagree"):
        triage_review.record_review(runtime, run_id, batch, first, "maybe", user="rita")
    with pytest.raises(UserFacingError, match=f"^Disagree with the label '{predicted}' contradicts itself"):
        triage_review.record_review(runtime, run_id, batch, first, "disagree", user="rita", label=predicted)
    csv_bytes = triage_review.export_worklist_csv(runtime, run_id, batch, user="rita")
    assert csv_bytes.startswith("\ufeffrank,file,p_abnormal,priority".encode())  # the mark lets Excel read accents
    exported = pd.read_csv(io.BytesIO(csv_bytes), encoding="utf-8-sig")  # a plain read: the header comes first
    assert list(exported.columns[:4]) == ["rank", "file", "p_abnormal", "priority"] and len(exported) == 4
    archive = zipfile.ZipFile(io.BytesIO(triage_review.export_labelled_set(runtime, run_id, batch, user="rita")))
    manifest = pd.read_csv(archive.open("manifest.csv"))
    assert len(manifest) == 2 and set(manifest["label"]) <= {"normal", "pneumonia"}
    assert all(name in archive.namelist() for name in manifest["file"])
    trail = triage_review.audit_trail(runtime)
    actions = list(zip(trail["action"], trail["object"], trail["user"]))
    assert ("view", "worklist", "rita") in actions and ("review", "study", "rita") in actions
    assert ("export", "worklist", "rita") in actions and ("export", "labelled_set", "rita") in actions
    reviews = trail[(trail["action"] == "review")]["details"]  # words, not JSON, naming the study's file
    assert all(d.startswith(f"run {run_id} · worklist={batch}, file=") and "verdict=" in d for d in reviews), reviews
    assert not trail["details"].str.startswith("{").any()


@pytest.mark.parametrize("builder,message", [
    (lambda root: write_class_folders(root, per_class=3, classes={"pneumonia": "normal"}), "single class"),
    (lambda root: (root / "flat.png").write_bytes(png_bytes(sample_images(1)["normal"][0])) and root,
     "not inside a class folder"),
    (lambda root: write_class_folders(root, per_class=3, classes={"normal": "cats", "pneumonia": "dogs"}),
     "Cannot tell which class is normal"),
])
def test_bad_training_sets_fail_with_a_message_and_store_nothing(tmp_path, builder, message):
    runtime = make_runtime(tmp_path / "var")
    root = tmp_path / "set"
    root.mkdir()
    builder(root)
    job = _train(runtime, root)
    assert job.status == "failed" and message in job.message
    assert runs.list_runs(runtime) == [] and list(runtime.artifacts_dir.iterdir()) == []


def test_manifest_header_and_label_spellings_are_forgiven(tmp_path):
    runtime = make_runtime(tmp_path / "var")
    root = write_class_folders(tmp_path / "set", per_class=4)
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.png"))
    spelt = {"normal": ["normal", "Normal", "NORMAL ", "normal"], "pneumonia": ["pneumonia"] * 3 + ["Pneumonia"]}
    lines = [" File ,LABEL "] + [f"{name},{spelt[name.split('/')[0]][i % 4]}" for i, name in enumerate(files)]
    manifest = tmp_path / "m.csv"
    manifest.write_text("\r\n".join(lines) + "\r\n")
    job = _train(runtime, root, manifest=str(manifest))
    assert job.status == "succeeded", job.message
    parameters = runs.get_run(runtime, job.run_id).parameters
    assert parameters["classes"] == ["normal", "pneumonia"]
    assert parameters["merged_classes"] == ["'NORMAL' into 'normal'", "'Normal' into 'normal'",
                                            "'Pneumonia' into 'pneumonia'"]


def test_manifest_with_semicolons_is_read_and_ambiguous_or_conflicting_rows_are_named(tmp_path):
    from services import triage_labels

    files = [images.InputFile(name, b"") for name in ("a/1.png", "a/2.png", "b/2.png", "b/3.png")]
    manifest = tmp_path / "m.csv"
    manifest.write_text("\ufefffile;label;split\na/1.png;normal;train\n3.png;pneumonia;\n", encoding="utf-8")
    assert triage_labels.manifest_labels(files, str(manifest)) == {"a/1.png": ("normal", "train"),
                                                                      "b/3.png": ("pneumonia", None)}
    manifest.write_text("file,label\n2.png,normal\n")
    with pytest.raises(triage_labels.TrainingSetError, match="bare file name that several folders hold, e.g. 2.png"):
        triage_labels.manifest_labels(files, str(manifest))
    manifest.write_text("file,label\na/1.png,normal\nb/3.png,normal\na/1.png,pneumonia\n")
    with pytest.raises(triage_labels.TrainingSetError, match=r"listed twice with different labels or splits, e.g. "
                                                               r"a/1.png \(normal and pneumonia\)"):
        triage_labels.manifest_labels(files, str(manifest))
    manifest.write_text("file,label,split\na/1.png,normal,train\nb/3.png,normal,train\na/1.png,normal,test\n")
    with pytest.raises(triage_labels.TrainingSetError, match=r"e.g. a/1.png \(train and test\)"):
        triage_labels.manifest_labels(files, str(manifest))


def test_manifest_paths_from_elsewhere_find_the_files_they_end_with(tmp_path):
    from services import triage_labels

    files = [images.InputFile(name, b"") for name in ("siteA/1.png", "siteB/1.png", "siteB/2.png")]
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,label\n/data/xray/siteA/1.png,normal\nC:\\DATA\\XRAY\\SITEB\\1.PNG,pneumonia\n"
                        "./siteB/2.png,normal\n")
    assert triage_labels.manifest_labels(files, str(manifest)) == {
        "siteA/1.png": ("normal", None), "siteB/1.png": ("pneumonia", None), "siteB/2.png": ("normal", None)}
    flat = [images.InputFile(name, b"") for name in ("00000001_000.png", "00000002_000.png")]  # a folder of images
    manifest.write_text("file,label\n/mnt/nih/images/00000001_000.PNG,normal\n00000002_000.PNG,pneumonia\n")
    assert triage_labels.manifest_labels(flat, str(manifest)) == {
        "00000001_000.png": ("normal", None), "00000002_000.png": ("pneumonia", None)}


def test_a_class_of_one_image_is_refused_as_a_likely_typo_and_few_validation_images_are_warned(tmp_path):
    from services import triage_warnings

    runtime = make_runtime(tmp_path / "var")
    root = write_class_folders(tmp_path / "set", per_class=6)
    (root / "negatve").mkdir()
    (root / "negatve" / "x.png").write_bytes(png_bytes(sample_images(1, "test")["normal"][0]))  # not a copy
    job = _train(runtime, root)
    assert job.status == "failed" and "Class 'negatve' has only 1 image(s), against 6 for" in job.message
    assert "A misspelt label or a stray folder?" in job.message
    (root / "negatve" / "x.png").unlink()
    (root / "negatve").rmdir()
    job = _train(runtime, root)
    assert job.status == "succeeded", job.message
    warnings = runs.get_run(runtime, job.run_id).parameters["warnings"]
    assert warnings[:1] == triage_warnings.validation_warnings(pd.Series(["normal", "pneumonia"]))
    assert warnings[1].startswith("The operating point was set on 1 abnormal validation image(s)")
    assert warnings[0].startswith("Validation holds fewer than 10 images of 2 classes ('normal' 1, 'pneumonia' 1)")


def test_a_class_only_in_test_is_refused_and_unicode_spellings_of_one_class_are_one(tmp_path):
    import unicodedata

    runtime = make_runtime(tmp_path / "var")
    write_class_folders(tmp_path / "set" / "train", per_class=4)
    write_class_folders(tmp_path / "set" / "test", per_class=3, classes={"pneumonia": "pneumonai"}, source="test")
    job = _train(runtime, tmp_path / "set")
    assert job.status == "failed" and "Class 'pneumonai' is in the test images but not in the training" in job.message
    accented = "Pneumonía"
    root = tmp_path / "accents"
    write_class_folders(root / "train", per_class=4, classes={"pneumonia": unicodedata.normalize("NFC", accented)})
    write_class_folders(root / "test", per_class=3, classes={"pneumonia": unicodedata.normalize("NFD", accented)},
                        source="test")
    job = _train(runtime, root)
    assert job.status == "succeeded", job.message
    parameters = runs.get_run(runtime, job.run_id).parameters
    assert parameters["classes"] == [unicodedata.normalize("NFC", accented), "normal"]
    assert parameters["merged_classes"] == []  # the two spellings look the same: nothing to tell


def test_links_are_followed_and_hidden_or_other_files_are_named(tmp_path):
    runtime = make_runtime(tmp_path / "var")
    store = write_class_folders(tmp_path / "store", per_class=4)
    root = tmp_path / "set"
    (root / "normal").mkdir(parents=True)
    for path in (store / "normal").iterdir():
        (root / "normal" / path.name).symlink_to(path)  # a set of links into an image store
    (root / "pneumonia").symlink_to(store / "pneumonia", target_is_directory=True)
    (root / "pneumonia" / "loop").symlink_to(root, target_is_directory=True)  # read once, no endless walk
    (root / ".thumbs").mkdir()
    (root / ".thumbs" / "n00.png").write_bytes((store / "normal" / "n00.png").read_bytes())
    (root / "normal" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (root / "README.txt").write_text("x-rays")
    (root / "covid").mkdir()
    (root / "covid" / ".DS_Store").write_bytes(b"\x00")
    job = _train(runtime, root)
    assert job.status == "succeeded", job.message
    parameters = runs.get_run(runtime, job.run_id).parameters
    assert parameters["class_counts"] == {"normal": 4, "pneumonia": 4}  # linked files and a linked folder
    assert parameters["skipped_images"] == [".thumbs/n00.png: hidden file or folder", "README.txt: not an image",
                                            "covid/: empty folder"]
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / "readme.txt").write_text("no images here")
    with pytest.raises(UserFacingError, match=r"No images found \(PNG, JPEG, DICOM, TIFF, BMP, GIF or WebP\); "
                                              r"nothing was stored. Left out: readme.txt \(not an image\)."):
        triage.score_studies(runtime, job.run_id, empty, user="ana")


def test_a_misspelt_class_alone_in_val_is_refused_not_trained_as_a_third_class(tmp_path):
    runtime = make_runtime(tmp_path / "var")
    write_class_folders(tmp_path / "set" / "train", per_class=4)
    write_class_folders(tmp_path / "set" / "val", per_class=2,
                        classes={"normal": "pnuemonia", "pneumonia": "pnuemonia"}, source="val")
    job = _train(runtime, tmp_path / "set")
    assert job.status == "failed" and "Class 'pnuemonia' is in the validation images but not in the training" \
        in job.message


def test_a_one_class_val_folder_joins_training_instead_of_failing_after_it(tmp_path):
    runtime = make_runtime(tmp_path / "var")
    write_class_folders(tmp_path / "set" / "train", per_class=4)
    write_class_folders(tmp_path / "set" / "val", per_class=2, classes={"pneumonia": "normal"}, source="val")
    job = _train(runtime, tmp_path / "set")
    assert job.status == "succeeded", job.message
    assert runs.get_run(runtime, job.run_id).parameters["class_counts"] == {"normal": 8, "pneumonia": 4}


def test_positive_flag_names_the_abnormal_class(tmp_path):
    runtime = make_runtime(tmp_path / "var")
    root = write_class_folders(tmp_path / "set", per_class=3, classes={"normal": "cats", "pneumonia": "dogs"})
    job = _train(runtime, root, positive="cats")
    assert job.status == "succeeded", job.message
    assert runs.get_run(runtime, job.run_id).parameters["abnormal_class"] == "cats"


@pytest.mark.parametrize("payload,message", [
    (traversal_zip(), "unsafe path names"), (b"PK\x03\x04 not really", "not a readable ZIP"),
])
def test_hostile_archives_are_refused(tmp_path, payload, message):
    runtime = make_runtime(tmp_path / "var")
    path = tmp_path / "set.zip"
    path.write_bytes(payload)
    job = _train(runtime, path)
    assert job.status == "failed" and message in job.message
    assert not (tmp_path / "evil.png").exists() and runs.list_runs(runtime) == []


def test_zip_upload_trains_and_the_staged_file_is_removed(tmp_path):
    runtime = make_runtime(tmp_path / "var")
    staged = triage_inputs.stage_upload(runtime, zip_tree(write_class_folders(tmp_path / "s", per_class=3)), "set.zip")
    job = jobs.run_inline(runtime, kind="triage.train", desk=triage.DESK, handler=triage.HANDLER,
                          params=triage.train_params(staged, size=32, epochs=1, cleanup=True), user="ana")
    assert job.status == "succeeded", job.message
    assert not list((runtime.state_dir / "uploads").iterdir())


def test_bomb_png_is_a_manual_read_not_a_crash(trained, tmp_path):
    runtime, run_id, _ = trained
    (tmp_path / "bomb.png").write_bytes(bomb_png())
    rows = triage.score_studies(runtime, run_id, tmp_path / "bomb.png", user="ana").rows
    assert list(rows["priority"]) == [NEEDS_MANUAL_READ] and "decompression bomb" in rows["reason"][0]


def test_a_patients_name_in_a_folder_is_scrubbed_from_every_file_in_it(trained, tmp_path):
    """Only the readable DICOM names its patient; the key image and the broken file beside it do not, yet
    their paths carry the same name. Two scans whose paths scrubbing made equal stay told apart."""
    runtime, run_id, _ = trained
    ct = (DICOM_SAMPLES / "CT_small.dcm").read_bytes()
    for folder in ("Lestrade_ID1", "CompressedSamples_4MR1"):
        (tmp_path / folder).mkdir()
    (tmp_path / "Lestrade_ID1" / "IM1.dcm").write_bytes((DICOM_SAMPLES / "SC_rgb_small_odd.dcm").read_bytes())
    (tmp_path / "Lestrade_ID1" / "key.png").write_bytes(png_bytes(sample_images(1)["normal"][0]))
    (tmp_path / "Lestrade_ID1" / "broken.dcm").write_bytes(ct[:100])
    (tmp_path / "CompressedSamples_4MR1" / "IM1.dcm").write_bytes((DICOM_SAMPLES / "MR_small.dcm").read_bytes())
    (tmp_path / "Lestrade_ID1_copy").mkdir()
    (tmp_path / "Lestrade_ID1_copy" / "IM1.dcm").write_bytes((DICOM_SAMPLES / "SC_rgb_small_odd.dcm").read_bytes())
    (tmp_path / "Lestrade_ID1" / "notes.txt").write_text("seen by Dr Who")
    result = triage.score_studies(runtime, run_id, tmp_path, user="ana")
    rows = result.rows
    assert result.ignored == ("[removed]_[removed]/notes.txt",)  # not an image: named, not silently dropped
    text = " ".join(rows["file"]) + " ".join(rows["reason"].fillna(""))
    assert not any(name in text for name in ("Lestrade", "ID1", "CompressedSamples", "4MR1")), text
    assert len(rows) == 5 and rows["file"].is_unique, list(rows["file"])
    assert {"[removed]_[removed]/key.png", "[removed]_[removed]/broken.dcm"} <= set(rows["file"])


def test_no_patient_identifier_reaches_database_logs_or_exports(trained, tmp_path, capsys, caplog):
    runtime, run_id, root = trained
    folder = tmp_path / "dicom"
    shutil.copytree(DICOM_SAMPLES, folder, ignore=shutil.ignore_patterns("*.md"))
    (folder / "1CT1_scan.dcm").write_bytes((DICOM_SAMPLES / "CT_small.dcm").read_bytes())  # ID in the name
    (folder / "id00001_plan.dcm").write_bytes((DICOM_SAMPLES / "rtplan.dcm").read_bytes())  # unreadable too
    batch = triage.score_studies(runtime, run_id, folder, user="ana").batch
    frame = triage_review.worklist(runtime, run_id, batch, user="ana")
    last = frame.iloc[len(frame) - 1]  # a study needing a manual read: 'agree' names the class it agrees with
    predicted = last["predicted_class"] if isinstance(last["predicted_class"], str) else None
    triage_review.record_review(runtime, run_id, batch, last["record_key"], "agree", user="ana", label=predicted)
    exports = [triage_review.export_worklist_csv(runtime, run_id, batch, user="ana"),
               triage_review.export_labelled_set(runtime, run_id, batch, user="ana")]
    from services import reports

    exports.append(reports.export_run_report(runtime, run_id, "html", user="ana")[1])
    database = (runtime.state_dir / "test.db").read_bytes()
    stored = b"".join(p.read_bytes() for p in runtime.state_dir.rglob("*") if p.is_file() and p.suffix != ".db")
    captured = capsys.readouterr()
    text = captured.out + captured.err + caplog.text
    for identifier in SAMPLE_IDENTIFIERS:
        needle = identifier.encode()
        assert needle not in database and needle not in exports[0], identifier  # text: every identifier
        assert identifier not in text
        if len(identifier) >= 4:  # binary files (weights, PNG, ZIP): 3 random bytes can match by chance
            assert needle not in stored and needle not in exports[1] and needle not in exports[2], identifier
    assert {"[removed]_scan.dcm", "[removed]_plan.dcm"} <= set(frame["file"])


def test_heat_maps_of_several_abnormal_classes_show_the_likeliest_abnormal_one_never_normal():
    from services import triage_training

    class Task:
        def predict(self, X):
            return pd.DataFrame([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], columns=["bacteria", "normal", "virus"])

    classes = ["bacteria", "normal", "virus"]
    X = pd.DataFrame({"image": [None, None]})
    assert triage_training._map_targets(Task(), X, classes, None, "normal") == [0, 2]
    probs = [[0.2, 0.7, 0.1]]
    Task.predict = lambda self, X: pd.DataFrame(probs, columns=classes)
    assert triage_training._map_targets(Task(), X.iloc[:1], classes, None, "normal") == [0]  # normal likeliest
    assert triage_training._map_targets(Task(), X, classes, "virus", "normal") == [2, 2]


def test_an_unreachable_urgent_bucket_is_warned_about():
    from domain import triage as rules
    from services import triage_warnings

    labels = pd.Series(["normal"] * 20 + ["pneumonia"] * 20)
    assert triage_warnings.validation_warnings(labels, rules.BucketRule(0.3, 0.8)) == []
    warnings = triage_warnings.validation_warnings(labels, rules.BucketRule(0.3, 1.0))
    assert len(warnings) == 1 and "no study will be marked urgent" in warnings[0]


def test_a_failed_trainings_message_names_no_patient(tmp_path):
    """'30 images are not inside a class folder (e.g. KRASNOV_INES68_538492_loose0.dcm)' was printed and kept
    in the jobs table: a training error is scrubbed like any other message."""
    runtime = make_runtime(tmp_path / "var")
    root = tmp_path / "set"
    root.mkdir()
    named = (DICOM_SAMPLES / "SC_rgb_small_odd.dcm").read_bytes()  # its header names Lestrade, ID1
    for i in range(8):
        (root / f"Lestrade_ID1_loose{i}.dcm").write_bytes(named)
    job = _train(runtime, root)
    assert job.status == "failed" and "images are not inside a class folder" in job.message
    assert "Lestrade" not in job.message and "[removed]_[removed]_loose" in job.message


def test_combined_findings_and_a_model_no_better_than_chance_are_warned():
    from services import triage_labels

    warned = triage_labels.run_warnings(["Effusion|Pneumonia", "No Finding", "Pneumonia"], {"val_auc": 0.398})
    assert warned[0].startswith("1 class(es) combine several findings ('Effusion|Pneumonia'): each combination")
    assert warned[1].startswith("The validation AUC is 0.40: the model ranks studies little better than chance")
    assert triage_labels.run_warnings(["normal", "pneumonia"], {"val_auc": 0.93}) == []


def test_a_moved_cut_off_is_used_by_worklists_scored_afterwards_only(trained, tmp_path):
    """Training keeps its validation scores, so the cut-off moves on the stored run; the worklist scored before keeps
    the cut-off it was scored at, the one scored after uses the moved one (the slider only applied at training)."""
    from services import triage_cutoff

    runtime, run_id, _ = trained
    folder = tmp_path / "moved"
    folder.mkdir()
    for i, pixels in enumerate(sample_images(2, split="test")["pneumonia"]):
        (folder / f"study{i}.png").write_bytes(png_bytes(pixels))
    before = triage.score_studies(runtime, run_id, folder, user="ana").batch
    moved = triage_cutoff.move_cutoff(runtime, run_id, 1.0, user="ana")
    after = triage.score_studies(runtime, run_id, folder, user="ana").batch
    stored = runs.predictions_frame(runtime, run_id, kind="worklist").groupby("batch")["review_threshold"].first()
    assert stored[before] == runs.get_run(runtime, run_id).parameters["review_threshold"]
    assert stored[after] == moved.review_threshold and moved.sensitivity == 1.0
