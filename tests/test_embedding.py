"""Questions are embedded by an ONNX export of the packaged model; it must agree with sentence-transformers."""

import numpy as np

from assistant.embedding import Embedder, _OnnxEncoder, onnx_path


def test_onnx_query_encoder_matches_sentence_transformers():
    embedder = Embedder()
    texts = ["Why did Egypt object to Article 24?",
             "Egypt pointed out the challenge of applying proportionality when different countries have varying legal provisions."]
    reference = np.asarray(embedder.embed(texts))  # loading the model writes the export if missing
    assert onnx_path().exists()
    fast = _OnnxEncoder(onnx_path()).encode(texts)
    assert fast.shape == (2, 384)
    assert np.all((fast * reference).sum(1) > 0.9999)


def test_model_comes_from_site_packages_without_network(monkeypatch):
    import os

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    vector = Embedder(use_onnx=False).embed_one("24/7 network")
    assert len(vector) == 384 and abs(np.linalg.norm(vector) - 1) < 1e-4
