"""A cheap static sentence vector: the mean of all-MiniLM-L6-v2's input token embeddings.

No transformer layers run, so it costs a tokenizer call and a table lookup (tens of thousands
of passages a second) and can be stored for every passage of a 2,400-page manual while the
lexical index is built. It is a weak signal on its own (synonyms and related words land
near each other; word order and negation are lost): it finds candidates that share no word
with the claim, and the sentence model re-ranks them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from reviewer_app.embeddings.minilm import (
    MODEL_NAME,
    ModelUnavailable,
    Vectors,
    checked_weights,
    model_dir,
)

STATIC_MODEL_NAME = f"{MODEL_NAME}-static"
_SPECIAL_IDS = {0, 100, 101, 102, 103}
"""[PAD] [UNK] [CLS] [SEP] [MASK]."""


class StaticEmbedder:
    dimensions = 384

    def __init__(self) -> None:
        try:
            from safetensors import safe_open
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelUnavailable(f"{STATIC_MODEL_NAME} cannot run: {exc}") from exc

        folder = model_dir()
        if folder is None:
            raise ModelUnavailable(f"the {MODEL_NAME} model is not installed")
        weights = checked_weights(folder)
        with safe_open(str(weights), framework="np") as tensors:
            table = tensors.get_tensor("embeddings.word_embeddings.weight")
        # centred: every BERT input embedding shares a large common direction
        self._table = (table - table.mean(0, keepdims=True)).astype(np.float32)
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()

    def encode(self, sentences: Sequence[str]) -> Vectors:
        out = np.zeros((len(sentences), self.dimensions), dtype=np.float32)
        for row, encoding in enumerate(self._tokenizer.encode_batch(list(sentences))):
            ids = [i for i in encoding.ids if i not in _SPECIAL_IDS]
            if ids:
                vector = self._table[ids].mean(0)
                out[row] = vector / max(float(np.linalg.norm(vector)), 1e-12)
        return out


_lock = threading.Lock()
_loaded: StaticEmbedder | None = None


def load_static() -> StaticEmbedder:
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = StaticEmbedder()
        return _loaded
