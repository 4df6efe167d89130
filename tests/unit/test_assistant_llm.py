"""Every LLM backend with a tiny model built from a config (no download), and the endpoint backend
against a local HTTP server."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from ml.llm import OpenAIEndpointLLM, TransformersLLM, build_llm

MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Total is 12."}]


def tiny_model_and_tokenizer():
    import torch
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    chars = sorted(set(" abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;?!'\"-_()[]<>|=/\n"))
    vocab = {"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3, **{c: i + 4 for i, c in enumerate(chars)}}
    core = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Split(Regex("."), "isolated")
    core.decoder = decoders.Fuse()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=core, bos_token="<s>", eos_token="</s>", pad_token="<pad>",
                                        unk_token="<unk>")
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(vocab), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=512,
                         bos_token_id=1, eos_token_id=2, pad_token_id=0)
    return LlamaForCausalLM(config).eval(), tokenizer


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory):
    model, tokenizer = tiny_model_and_tokenizer()
    folder = tmp_path_factory.mktemp("tiny") / "model"
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_transformers_backend_generates_and_streams_the_same_greedy_text(tiny_folder):
    llm = TransformersLLM.from_folder(tiny_folder)
    text = llm.generate(MESSAGES, max_new_tokens=8)
    assert isinstance(text, str) and 0 < len(text) <= 8
    assert llm.generate(MESSAGES, max_new_tokens=8) == text  # greedy: repeatable
    pieces = list(llm.stream(MESSAGES, max_new_tokens=8))
    assert "".join(pieces).strip() == text


def test_loading_a_model_prints_no_progress_bar(tiny_folder, capsys):
    from transformers.utils import logging as hf_logging

    hf_logging.enable_progress_bar()
    TransformersLLM.from_folder(tiny_folder)
    assert not hf_logging.is_progress_bar_enabled() and "Loading weights" not in capsys.readouterr().err


def test_local_folder_backend_by_configuration(tiny_folder):
    llm = build_llm(backend="local", cache_dir=tiny_folder.parent, model_dir=tiny_folder)
    assert llm.name == "model" and len(llm.generate(MESSAGES, max_new_tokens=4)) > 0


def test_embedded_backend_loads_the_safetensors_cache_without_converting_again(tiny_folder, tmp_path):
    import shutil

    shutil.copytree(tiny_folder, tmp_path / "smollm2-135m-instruct")
    llm = build_llm(backend="embedded", cache_dir=tmp_path)
    assert llm.name == "SmolLM2-135M-Instruct" and len(llm.generate(MESSAGES, max_new_tokens=4)) > 0
    assert (tmp_path / "smollm2-135m-instruct" / "model.safetensors").is_file()


def test_missing_configuration_is_a_clear_error(tmp_path):
    from ml.llm import LLMUnavailableError

    with pytest.raises(LLMUnavailableError, match="DD_LLM_ENDPOINT"):
        build_llm(backend="openai", cache_dir=tmp_path)
    with pytest.raises(LLMUnavailableError, match="config.json"):
        build_llm(backend="local", cache_dir=tmp_path, model_dir=tmp_path)


class _Handler(BaseHTTPRequestHandler):
    seen: list = []

    def do_POST(self):  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Handler.seen.append((self.path, self.headers.get("Authorization"), body))
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for piece in ("The total ", "is 12."):
                chunk = {"choices": [{"delta": {"content": piece}}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
            return
        payload = json.dumps({"choices": [{"message": {"content": " The total is 12. "}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Handler.seen.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_openai_endpoint_backend(server):
    llm = build_llm(backend="openai", cache_dir=None, endpoint=server, model="tiny", api_key="k")
    assert isinstance(llm, OpenAIEndpointLLM)
    assert llm.generate(MESSAGES, json_mode=True) == "The total is 12."
    assert "".join(llm.stream(MESSAGES)) == "The total is 12."
    path, auth, body = _Handler.seen[0]
    assert path == "/v1/chat/completions" and auth == "Bearer k"
    assert body["model"] == "tiny" and body["response_format"] == {"type": "json_object"} and body["temperature"] == 0
