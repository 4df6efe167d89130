"""The CUDA paths on a real GPU: skipped where none is visible (CI has none; `bench/gpu_check.sh` runs them).

Each model trains on CUDA through the one device helper, and what it saves loads and scores on the CPU, as
when a model trained on a GPU workstation is served from a CPU machine.
"""
import numpy as np
import pandas as pd
import pytest

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device visible")


def test_the_device_helper_picks_cuda_and_names_the_card():
    from ml.device import describe_device, select_device

    info = describe_device("auto")
    assert select_device("auto") == "cuda" == info.kind
    assert info.mixed_precision and info.name == torch.cuda.get_device_name(0)


def test_cnn_trains_explains_on_cuda_and_scores_the_same_on_cpu(tmp_path):
    from ml import cnn
    from tests.triage_support import sample_images

    pictures = sample_images(12)
    X = cnn.image_frame(pictures["normal"] + pictures["pneumonia"])
    y = pd.Series(["normal"] * 12 + ["pneumonia"] * 12)
    task = cnn.CNNImageClassifierTask(size=28, epochs=2, width=8, batch_size=8, device="cuda").fit(X, y)
    assert next(task.network_.parameters()).device.type == "cuda"
    probabilities = task.predict(X).to_numpy()
    assert np.isfinite(probabilities).all() and np.allclose(probabilities.sum(axis=1), 1.0)
    maps = task.explain(X.head(4)).extra["heatmaps"]
    assert maps.shape == (4, 28, 28) and 0 <= maps.min() and maps.max() <= 1 and maps.max() > 0
    task.save(tmp_path / "cnn")
    on_cpu = cnn.CNNImageClassifierTask.load(tmp_path / "cnn", device="cpu")
    assert next(on_cpu.network_.parameters()).device.type == "cpu"
    np.testing.assert_allclose(on_cpu.predict(X).to_numpy(), probabilities, atol=2e-3)


def test_rul_sequence_model_trains_on_cuda_and_scores_the_same_on_cpu(tmp_path):
    from ml.degradation_sim import simulate_fleet
    from ml.rul_history import HistoryPreprocessor
    from ml.rul_sequence import RulSequenceTask
    from ml.rul_shape import rul_target

    fleet = simulate_fleet(n_train=8, n_test=0, seed=3, min_life=60, max_life=90)
    prep = HistoryPreprocessor(unit="unit", time="cycle").fit(fleet.train)
    prepared, _ = prep.transform(fleet.train)
    task = RulSequenceTask(epochs=3, window=15, channels=8, device="cuda").fit(prepared, rul_target(prepared, 125))
    assert next(task.network_.parameters()).device.type == "cuda"
    rul = task.predict(prepared)["rul"].to_numpy()
    assert np.isfinite(rul).all() and ((rul >= 0) & (rul <= 125)).all()
    task.save(tmp_path / "seq")
    on_cpu = RulSequenceTask.load(tmp_path / "seq", device="cpu")
    # CUDA predicts under bf16 autocast, the CPU in float32: the same model within bf16 rounding.
    np.testing.assert_allclose(on_cpu.predict(prepared)["rul"].to_numpy(), rul, atol=2.0)


def test_local_llm_generates_the_same_greedy_text_on_cuda_as_on_cpu(tmp_path):
    from ml.llm import TransformersLLM
    from tests.unit.test_assistant_llm import MESSAGES, tiny_model_and_tokenizer

    model, tokenizer = tiny_model_and_tokenizer()
    model.save_pretrained(tmp_path / "model")
    tokenizer.save_pretrained(tmp_path / "model")
    on_gpu = TransformersLLM.from_folder(tmp_path / "model", device="cuda")
    assert next(on_gpu.model.parameters()).device.type == "cuda"
    text = on_gpu.generate(MESSAGES, max_new_tokens=8)
    assert 0 < len(text) <= 8 and "".join(on_gpu.stream(MESSAGES, max_new_tokens=8)).strip() == text
    assert TransformersLLM.from_folder(tmp_path / "model", device="cpu").generate(MESSAGES, max_new_tokens=8) == text
