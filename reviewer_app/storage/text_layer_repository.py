"""The packed text layer kept beside a PDF's passage index (``passage_layers.text_layer``)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reviewer_app.storage.passage_models import PassageLayerRow


def stored_text_layer(session: Session, sha256: str) -> bytes | None:
    """The packed bytes, or None when the file has no index or an index built before 0011."""
    return session.scalar(
        select(PassageLayerRow.text_layer).where(PassageLayerRow.sha256 == sha256)
    )


def has_text_layer(session: Session, sha256: str) -> bool:
    found = session.scalar(
        select(PassageLayerRow.text_layer.is_not(None)).where(PassageLayerRow.sha256 == sha256)
    )
    return bool(found)


def set_text_layer(session: Session, sha256: str, packed: bytes) -> None:
    session.execute(
        update(PassageLayerRow)
        .where(PassageLayerRow.sha256 == sha256)
        .values(text_layer=packed)
        .execution_options(synchronize_session=False)
    )
