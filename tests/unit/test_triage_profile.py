"""The 'unlike the training images' caution: a profile of the CNN's penultimate features and its distance limit."""
import json

import numpy as np
import pandas as pd
import pytest

from ml import cnn, image_profile
from services import triage_cautions
from tests.triage_support import sample_images

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def test_the_limit_passes_nearly_all_alike_features_and_stops_far_ones():
    rng = np.random.default_rng(0)
    scale = np.linspace(3.0, 0.1, 32)  # a few strong directions, many weak ones, as a network's features
    train, valid, new = (rng.normal(size=(n, 32)) * scale for n in (300, 200, 1000))
    profile = image_profile.fit_profile(train, valid)
    assert json.loads(json.dumps(profile)) == profile  # kept in task.json: plain JSON, nothing pickled
    assert image_profile.unlike(profile, new).mean() <= 0.02
    off_axis = new[:50] + 8 * np.eye(32)[-1]  # far only outside the leading directions the profile keeps whole
    assert image_profile.unlike(profile, off_axis).all()
    assert image_profile.unlike(profile, new[:50] * 4).all()


def test_without_a_profile_or_enough_validation_images_nothing_is_cautioned():
    features = np.random.default_rng(1).normal(size=(10, 8)) * 100
    assert not image_profile.unlike({}, features).any()  # a run stored before the profile was kept
    assert image_profile.fit_profile(features, features[:3]) == {}  # three images set no limit worth trusting


def test_a_trained_model_keeps_its_profile_and_cautions_a_study_unlike_its_training_images(tmp_path):
    train, valid = sample_images(12), sample_images(12, split="val")
    X = cnn.image_frame(train["normal"] + train["pneumonia"])
    X_val = cnn.image_frame(valid["normal"] + valid["pneumonia"])
    y, y_val = (pd.Series(["normal"] * 12 + ["pneumonia"] * 12),) * 2
    task = cnn.CNNImageClassifierTask(size=28, epochs=1, width=4, batch_size=8, tta=False)
    task.fit(X, y, X_val=X_val, y_val=y_val)
    task.save(tmp_path)
    loaded = cnn.CNNImageClassifierTask.load(tmp_path)
    assert loaded.profile_ == task.profile_ and task.profile_["images"] == 24
    chest = sample_images(10, split="test")
    ruled = np.tile((np.arange(28) % 4 < 2).astype(np.uint8) * 255, (28, 1))  # stripes: no chest film
    flags = loaded.unlike_training(cnn.image_frame(chest["normal"] + chest["pneumonia"] + [ruled]))
    assert list(flags) == [False] * 20 + [True]


def test_the_caution_names_the_file_and_says_to_read_it_as_unscored():
    message = triage_cautions.unlike_features("scan.dcm")
    assert message.startswith("scan.dcm: unlike the images the model was trained on") and "as if unscored" in message


class _Flagging:
    """A model whose second and third studies lie far from its training images."""
    classes_ = ["normal", "pneumonia"]

    def explain(self, X, targets=None):
        from ml.task import Explanation

        probs = np.tile([0.2, 0.8], (len(X), 1))
        return Explanation(0.0, np.zeros((len(X), 1)), ("cell",), kind="gradcam",
                           extra={"heatmaps": np.zeros((len(X), 4, 4)), "probabilities": probs})

    def unlike_training(self, X):
        return np.arange(len(X)) >= 1


def test_scoring_gives_the_caution_only_to_a_far_study_that_carries_no_other():
    from services import triage_training

    frame = pd.DataFrame({"file": ["a.png", "b.png", "c.png"], "reason": ["", "", "c.png: tiny"]},
                         index=["k1", "k2", "k3"]).assign(p_abnormal=np.nan, predicted_class=None)
    pixels = [(k, np.zeros((28, 28), np.uint8)) for k in frame.index]
    triage_training.predict_with_maps(_Flagging(), {"abnormal_class": "pneumonia", "normal_class": "normal"},
                                      pixels, frame)
    assert list(frame["reason"]) == ["", triage_cautions.unlike_features("b.png"), "c.png: tiny"]
