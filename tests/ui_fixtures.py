"""Fixtures for the GUI tests, loaded by each GUI test module with ``pytest_plugins``.

They stay out of conftest.py so that the core tests never import Qt.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QSettings

from reviewer_app.domain.records import (
    Claim,
    GateVerdict,
    Level,
    QualityDimensions,
    QualityTier,
    RecordKind,
    Reference,
    SynthesisRecord,
    Verification,
)
from reviewer_app.services.workspace import Workspace


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path: Path) -> Path:
    """Any ``QSettings()`` a test creates writes below tmp_path, never to the user's config."""
    folder = tmp_path / "qsettings"
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(folder / "system"))
    return folder


@pytest.fixture
def make_pdf(tmp_path: Path) -> Callable[..., Path]:
    """Write a PDF of ``pages`` A4 pages, each printing its own number large."""

    def make(name: str = "doc.pdf", pages: int = 30, *, password: str | None = None) -> Path:
        document = pymupdf.open()
        for number in range(1, pages + 1):
            page = document.new_page(width=595, height=842)
            page.insert_text((72, 120), f"Page {number}", fontsize=48)
            page.insert_text((72, 180), f"Body text of page {number} of {pages}.", fontsize=12)
        path = tmp_path / name
        if password:
            document.save(
                path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=password, owner_pw=password
            )
        else:
            document.save(path)
        document.close()
        return path

    return make


def sample_records() -> list[SynthesisRecord]:
    """Three hand-built records: a report with claims, a record page, a paper page."""
    report = SynthesisRecord(
        kind=RecordKind.REPORT,
        title="Sparse experts for multimodal alignment",
        source_sha256="a" * 64,
        publisher="Assignee Research",
        date=date(2026, 5, 30),
        research_question="Do sparse experts align image and text tokens better?",
        abstract="A synthesis of twelve papers on sparse mixture-of-experts alignment.",
        claims_extracted=3,
        claims_verified=2,
        claims=(
            Claim(1, "Sparse experts improve VQA accuracy by 2 points.", True, 0.91),
            Claim(2, "Routing collapse is rare above 8 experts.", False, 0.42),
            Claim(3, "Alignment gains shrink with model size.", True, 0.67),
        ),
        references=(
            Reference.from_url("https://arxiv.org/abs/2407.17856v4"),
            Reference.from_url("https://example.org/paper"),
        ),
        review_score=3.2,
        verification=Verification(level="L2", label="Source-grounded claims"),
        quality_tier=QualityTier(tier="Watchlist", basis="Review score below threshold."),
        quality_dimensions=QualityDimensions(
            evidence_strength=Level.LOW,
            citation_grounding=Level.HIGH,
            uncertainty_disclosure=Level.MEDIUM,
        ),
        gate=GateVerdict(status="Unverified", gate="Gate 2", reason="Not yet attempted."),
    )
    record_page = SynthesisRecord(
        kind=RecordKind.RECORD,
        title="Scaling vision-language models with sparse mixtures",
        source_sha256="b" * 64,
        record_id="SRCH:8F12A054",
        date=date(2026, 5, 27),
        review_score=7.33,
    )
    paper = SynthesisRecord(
        kind=RecordKind.PAPER,
        title="Supervised embedding alignment",
        source_sha256="c" * 64,
        year=2024,
        authors=("Y. Yin", "Y. Zhao"),
    )
    return [report, record_page, paper]


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A SQLite workspace in tmp_path holding ``sample_records()``."""
    with Workspace.open(tmp_path / "workspace.sqlite3") as opened:
        for number, record in enumerate(sample_records(), start=1):
            opened.import_record(record, source_name=f"sample-{number}.txt")
        yield opened
