import json

import pytest

from ml import artifacts


def _folder(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.txt").write_text("tree")
    artifacts.write_metadata(folder, task="t", parameters={"a": 1}, feature_names=["x"])
    return folder


def test_metadata_lists_hashes_and_versions(tmp_path):
    meta = artifacts.read_metadata(_folder(tmp_path))
    assert set(meta["files"]) == {"model.txt"}
    assert meta["parameters"] == {"a": 1} and meta["feature_names"] == ["x"]
    assert "python" in meta["library_versions"] and "numpy" in meta["library_versions"]


def test_tampered_file_is_refused(tmp_path):
    folder = _folder(tmp_path)
    (folder / "model.txt").write_text("tree but changed")
    with pytest.raises(artifacts.ArtifactIntegrityError, match="hash mismatch"):
        artifacts.read_metadata(folder)


def test_missing_file_and_missing_metadata_are_refused(tmp_path):
    folder = _folder(tmp_path)
    (folder / "model.txt").unlink()
    with pytest.raises(artifacts.ArtifactIntegrityError, match="missing"):
        artifacts.read_metadata(folder)
    with pytest.raises(artifacts.ArtifactIntegrityError, match="metadata.json"):
        artifacts.read_metadata(tmp_path)


def test_metadata_without_files_is_refused(tmp_path):
    folder = _folder(tmp_path)
    meta = json.loads((folder / "metadata.json").read_text())
    meta["files"] = {}
    (folder / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(artifacts.ArtifactIntegrityError, match="lists no files"):
        artifacts.read_metadata(folder)


def test_staging_promote_and_orphan_cleanup(tmp_path):
    root = tmp_path / "artifacts"
    staging = artifacts.staging_dir(root)
    (staging / "f").write_text("x")
    final = artifacts.promote(staging, root / "run-a")
    assert final.is_dir() and not staging.exists()
    leftover = artifacts.staging_dir(root)
    (root / "run-orphan").mkdir()
    removed = artifacts.clean_orphans(root, referenced={"run-a"})
    assert {p.name for p in removed} == {leftover.name, "run-orphan"}
    assert sorted(p.name for p in root.iterdir()) == ["run-a"]
