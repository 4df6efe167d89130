"""The CNN task's parts: transforms, schedule, split, CUDA mixed-precision path (device mocked), weights."""
import numpy as np
import pandas as pd
import pytest
import torch

from data import images as images_module
from ml import cnn, cnn_schedule, image_split, images as imaging
from ml.networks import build_network, precision_plan, recompute_batch_norms, stem_stride
from tests.triage_support import sample_images

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _tiny(**params):
    pictures = sample_images(4)
    arrays = pictures["normal"] + pictures["pneumonia"]
    y = pd.Series(["normal"] * 4 + ["pneumonia"] * 4)
    return cnn.image_frame(arrays), y, {"size": 28, "epochs": 1, "width": 4, "batch_size": 8, **params}


def test_to_tensor_resizes_and_converts_channels():
    gray, rgb = np.full((50, 40), 200, np.uint8), np.zeros((10, 12, 3), np.uint8)
    rgb[..., 0] = 255
    one = imaging.to_tensor([gray, rgb], 28, 1)
    three = imaging.to_tensor([gray, rgb], 32, 3)
    assert one.shape == (2, 1, 28, 28) and one.dtype == torch.uint8
    assert int(one[0].float().mean().round()) == 200 and int(one[1, 0, 5, 5]) == 76  # luma of pure red
    assert three.shape == (2, 3, 32, 32) and three[0, 1, 0, 0] == 200
    assert imaging.channels_of([gray]) == 1 and imaging.channels_of([gray, rgb]) == 3


def test_augment_keeps_shape_and_changes_pixels_reproducibly():
    batch = torch.rand(4, 1, 28, 28)
    a = imaging.augment(batch, imaging.Augmentation(flip=True), torch.Generator().manual_seed(1))
    b = imaging.augment(batch, imaging.Augmentation(flip=True), torch.Generator().manual_seed(1))
    assert a.shape == batch.shape and torch.equal(a, b) and not torch.allclose(a, batch)
    assert len(imaging.tta_views(batch, flip=False)) == 5 and len(imaging.tta_views(batch, flip=True)) == 6


def test_lr_schedule_warms_up_then_decays():
    values = [cnn_schedule.lr_factor(f) for f in (0.0, 0.1, 0.5, 1.0)]
    assert values[0] == pytest.approx(0.1) and values[1] == pytest.approx(1.0)
    assert values[1] > values[2] > values[3] == pytest.approx(0.02)


def test_stratified_split_holds_out_each_class():
    labels = pd.Series(["a"] * 10 + ["b"] * 3)
    train, valid = image_split.stratified_split(labels, 0.2, seed=0)
    assert sorted(labels[valid].value_counts().to_dict().items()) == [("a", 2), ("b", 1)]
    assert not set(train) & set(valid) and len(train) + len(valid) == 13
    with pytest.raises(ValueError, match="only 1 image"):
        image_split.stratified_split(pd.Series(["a", "a", "b"]), 0.2, seed=0)


@pytest.mark.parametrize("size,stride", [(28, 1), (64, 2), (224, 4)])
def test_network_sizes_end_in_a_small_map(size, stride):
    assert stem_stride(size) == stride
    net = build_network(3, 4, 4, size).eval()
    with torch.no_grad():
        assert net(torch.zeros(2, 3, size, size)).shape == (2, 4)


def test_cuda_path_uses_autocast_float16_and_a_scaler(monkeypatch):
    """No GPU here: the plan is checked, and a training step records the autocast it asked for."""
    plan = precision_plan("cuda")
    assert (plan.device_type, plan.enabled, plan.dtype, plan.scaler) == ("cuda", True, torch.float16, True)
    assert precision_plan("cpu").enabled is False
    seen, real = [], torch.autocast

    def recording(device_type, dtype=None, enabled=True, **kwargs):
        seen.append((device_type, dtype, enabled))
        return real("cpu", enabled=False)

    monkeypatch.setattr(torch, "autocast", recording)
    monkeypatch.setattr(cnn, "precision_plan", lambda kind: precision_plan("cuda"))
    monkeypatch.setattr(torch.amp, "GradScaler", lambda *a, **k: _PassThroughScaler())
    X, y, params = _tiny()
    cnn.CNNImageClassifierTask(**params).fit(X, y)
    assert ("cuda", torch.float16, True) in seen


class _PassThroughScaler:
    def scale(self, loss):
        return loss

    def step(self, optimizer):
        optimizer.step()

    def update(self):
        pass


def test_a_patients_folder_goes_whole_to_training_or_validation():
    from services import triage_training
    from tests.triage_support import png_bytes, sample_images

    pictures = sample_images(24)
    files = [images_module.InputFile(f"{label}/patient{i // 4:02d}/view{i % 4}.png", png_bytes(pixels))
             for label, arrays in pictures.items() for i, pixels in enumerate(arrays)]
    labelled = triage_training.load_labelled(files, None, lambda f, m: None, seed=3)
    train_groups, valid_groups = set(labelled.train["group"]), set(labelled.valid["group"])
    assert valid_groups and not train_groups & valid_groups  # no patient on both sides
    assert labelled.held_folders == (len(valid_groups), 12) and set(labelled.valid["label"]) == {"normal", "pneumonia"}
    flat = [images_module.InputFile(f"{label}/{i}.png", png_bytes(pixels))
            for label, arrays in pictures.items() for i, pixels in enumerate(arrays)]
    assert triage_training.load_labelled(flat, None, lambda f, m: None).valid is None  # the task holds out singly
    nested = [images_module.InputFile(f"{label}/patient{i // 6:02d}/study{i // 3 % 2}/im{i % 3}.png", png_bytes(px))
              for label, arrays in pictures.items() for i, px in enumerate(arrays)]  # patients hold studies
    labelled = triage_training.load_labelled(nested, None, lambda f, m: None, seed=1)
    patients = [set(part["group"]) for part in (labelled.train, labelled.valid)]  # e.g. dir:normal/patient01
    assert labelled.held_folders[1] == 8 and not patients[0] & patients[1]
    assert all(g.count("/") == 1 for g in patients[0] | patients[1])  # the patient's folder, not the study's
    loose = [images_module.InputFile(f"normal/{i}.png" if i < 12 else f"normal/p{i // 4}/{i}.png", png_bytes(px))
             for i, px in enumerate(pictures["normal"])]
    loose += [images_module.InputFile(f"pneumonia/p{i // 4}/{i}.png", png_bytes(px))
              for i, px in enumerate(pictures["pneumonia"])]
    labelled = triage_training.load_labelled(loose, None, lambda f, m: None)
    assert len(labelled.valid) <= 10 and labelled.held_folders[1] == 9  # 15 %: loose images held out singly
    labels = pd.Series(["a"] * 6 + ["b"] * 6)
    groups = pd.Series(["p1", "p1", "p2", "p2", "p3", "p3", "q1", "q1", "q1", "q1", "q1", "q1"])
    train, valid = image_split.stratified_split(labels, 0.3, 0, groups=groups)
    assert set(groups[valid]) & set(groups[train]) <= {"q1"} and len([i for i in valid if labels[i] == "b"]) >= 1


def test_batchnorm_statistics_are_those_of_the_current_weights_after_training():
    """A few steps an epoch leave BatchNorm's moving averages behind the weights: they are recomputed."""
    X, y, params = _tiny()
    task = cnn.CNNImageClassifierTask(**params).fit(X, y)
    norm = next(m for m in task.network_.modules() if isinstance(m, torch.nn.BatchNorm2d))
    seen = []
    hook = norm.register_forward_hook(lambda module, inputs, output: seen.append(inputs[0].detach()))
    data = task._data(list(X[cnn.IMAGE_COLUMN]), y)
    norm.running_mean.fill_(5.0)  # stale
    recompute_batch_norms(task.network_, data.images, lambda b: imaging.normalise(b, task.mean_, task.std_),
                          batch_size=8, seed=0, plan=precision_plan("cpu"))
    seen.clear()
    with torch.no_grad():
        task.network_.eval()(imaging.normalise(data.images, task.mean_, task.std_))
    hook.remove()
    np.testing.assert_allclose(norm.running_mean.numpy(), seen[0].mean(dim=(0, 2, 3)).numpy(), atol=1e-5)
    assert not task.network_.training and norm.momentum == 0.1


def test_initial_weights_from_a_local_safetensors_file(tmp_path):
    from safetensors.torch import save_file

    X, y, params = _tiny()
    donor = build_network(1, 2, 4, 28)
    state = {k: torch.full_like(v, 0.5) if v.is_floating_point() else v for k, v in donor.state_dict().items()}
    save_file({k: v.contiguous() for k, v in state.items()}, str(tmp_path / "init.safetensors"))
    task = cnn.CNNImageClassifierTask(**params, init_weights=str(tmp_path / "init.safetensors"))
    assert cnn.load_initial_weights(build_network(1, 2, 4, 28), str(tmp_path / "init.safetensors")) == len(state)
    (tmp_path / "bad.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ValueError, match="cannot read initial weights bad.safetensors"):
        cnn.load_initial_weights(build_network(1, 2, 4, 28), str(tmp_path / "bad.safetensors"))
    assert task.fit(X, y).init_tensors_loaded_ == len(state)


def test_size_outside_28_to_224_is_refused():
    X, y, params = _tiny(size=16)
    with pytest.raises(ValueError, match="between 28 and 224"):
        cnn.CNNImageClassifierTask(**params).fit(X, y)


def test_gradcam_maps_are_normalised_and_follow_the_target():
    X, y, params = _tiny()
    task = cnn.CNNImageClassifierTask(**params).fit(X, y)
    explanation = task.explain(X.head(3), targets=[1, 1, 1])
    maps = explanation.extra["heatmaps"]
    assert maps.shape == (3, 28, 28) and maps.min() >= 0 and maps.max() <= 1
    assert explanation.kind == "gradcam" and explanation.values.shape == (3, 49)


def _faint_spots(per_class: int, seed: int):
    """28 px noise; the abnormal half carries a faint bright spot somewhere (learnable, but only with steps)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:28, 0:28]
    arrays, labels = [], []
    for i in range(2 * per_class):
        image = 110 + 25 * rng.standard_normal((28, 28))
        if i % 2:
            cy, cx = rng.integers(6, 22, 2)
            image += 30 * np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 12.0)
        arrays.append(np.clip(image, 0, 255).astype(np.uint8))
        labels.append("spot" if i % 2 else "normal")
    return cnn.image_frame(arrays), pd.Series(labels)


def test_a_small_set_gets_enough_steps_to_learn_in_a_few_epochs():
    """40 images at batch 64 made one step an epoch: two epochs left the network where it started. A small set
    is now passed over again in smaller batches until an epoch shows MIN_EPOCH_IMAGES images."""
    X, y = _faint_spots(20, seed=1)
    X_val, y_val = _faint_spots(20, seed=2)
    task = cnn.CNNImageClassifierTask(size=28, epochs=2, width=8, batch_size=64, tta=False, seed=0)
    task.fit(X, y, X_val=X_val, y_val=y_val)
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(y_val == "spot", task.validation_["p_spot"]) >= 0.93  # 0.76 at one step an epoch
    assert task.batch_size_ == 16 and task.history_[0]["images"] == 1040  # 26 passes over 40 images


def test_a_large_set_trains_one_pass_an_epoch_at_the_asked_batch():
    assert cnn_schedule.training_plan(4708, 64) == (64, 1)
    assert cnn_schedule.training_plan(256, 64) == (16, 4) and cnn_schedule.training_plan(12, 8) == (8, 86)


def test_early_stopping_waits_for_the_decaying_half_of_the_schedule(monkeypatch):
    """While the learning rate is high, a small validation set's loss swings: patience counts from half-way."""
    X, y, params = _tiny(epochs=6, patience=1)
    losses = iter(np.linspace(0.5, 1.0, 6))
    monkeypatch.setattr(cnn.CNNImageClassifierTask, "_validation_loss", lambda self, net, valid: float(next(losses)))
    task = cnn.CNNImageClassifierTask(**params).fit(X, y)
    assert len(task.history_) == 3  # worse every epoch: stops at the first epoch past half-way, not the second


def test_a_lone_image_left_over_is_not_a_batch(monkeypatch):
    """25 images, batch 8, 41 passes: 1,025 images, the last batch would be one image (BatchNorm cannot train)."""
    pictures = sample_images(15)
    arrays = pictures["normal"][:12] + pictures["pneumonia"][:15]
    X, y = cnn.image_frame(arrays), pd.Series(["normal"] * 12 + ["pneumonia"] * 15)
    assert cnn_schedule.training_plan(25, 8) == (8, 41)
    task = cnn.CNNImageClassifierTask(size=28, epochs=1, width=4, batch_size=8, val_fraction=0.08).fit(X, y)
    assert len(task.validation_) == 2 and task.history_[0]["images"] == 1025
