"""Downloading arXiv PDFs, against a real HTTP server on loopback (never the internet)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from reviewer_app.services.arxiv import DownloadCancelled, DownloadFailed, download_arxiv_pdf
from reviewer_app.services.review import ReviewService
from tests.arxiv_support import SLOW_TOTAL, FakeArxiv
from tests.review_support import REF_OTHER, REF_PROBING


def test_download_streams_to_the_named_file_with_progress(
    fake_arxiv: FakeArxiv, tmp_path: Path
) -> None:
    seen: list[tuple[int, int | None]] = []
    dest = tmp_path / "dest"
    path = download_arxiv_pdf(
        "2407.17856",
        4,
        dest,
        base_url=fake_arxiv.url,
        progress=lambda done, total: seen.append((done, total)),
        cancelled=lambda: False,
    )
    assert path == dest / "2407.17856v4.pdf"
    assert path.read_bytes() == fake_arxiv.pdf
    assert seen[-1] == (len(fake_arxiv.pdf), len(fake_arxiv.pdf))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert sorted(p.name for p in dest.iterdir()) == ["2407.17856v4.pdf"]  # no temp left


def test_without_version_the_newest_is_asked_for(fake_arxiv: FakeArxiv, tmp_path: Path) -> None:
    path = download_arxiv_pdf("2407.17856", None, tmp_path, base_url=fake_arxiv.url)
    assert path.name == "2407.17856.pdf"
    assert fake_arxiv.requests == ["/pdf/2407.17856"]


@pytest.mark.parametrize(
    ("arxiv_id", "message"),
    [
        ("9999.99999", r"arXiv:9999\.99999v1: 127\.0\.0\.1:\d+ answered HTTP 404"),
        ("2401.00001", r"sent an HTML page instead of a PDF"),
        ("2401.00003", r"stopped after 100 of \d+ bytes"),
    ],
)
def test_bad_answers_are_clear_errors_and_leave_nothing(
    fake_arxiv: FakeArxiv, tmp_path: Path, arxiv_id: str, message: str
) -> None:
    with pytest.raises(DownloadFailed, match=message):
        download_arxiv_pdf(arxiv_id, 1, tmp_path / "dest", base_url=fake_arxiv.url)
    assert list((tmp_path / "dest").iterdir()) == []


def test_cancel_stops_a_slow_download_and_leaves_nothing(
    fake_arxiv: FakeArxiv, tmp_path: Path
) -> None:
    seen: list[int] = []
    with pytest.raises(DownloadCancelled, match="download cancelled"):
        download_arxiv_pdf(
            "2401.00002",
            1,
            tmp_path / "dest",
            base_url=fake_arxiv.url,
            progress=lambda done, _total: seen.append(done),
            cancelled=lambda: bool(seen),  # the person clicks Cancel once bytes arrive
            timeout=20,
        )
    assert 0 < seen[-1] < SLOW_TOTAL
    assert list((tmp_path / "dest").iterdir()) == []


def test_unreachable_server_says_offline(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DownloadFailed, match=rf"cannot reach 127\.0\.0\.1:{port}: .*\(offline\?\)"):
        download_arxiv_pdf("2407.17856", 4, tmp_path, base_url=f"http://127.0.0.1:{port}")


def test_download_source_attaches_the_reference(
    service: ReviewService, record_id: str, fake_arxiv: FakeArxiv
) -> None:
    result = service.download_source(
        record_id, REF_PROBING, reviewer="ana", base_url=fake_arxiv.url
    )
    assert (result.source.file_name, result.source.arxiv_version) == ("2407.17856v4.pdf", 4)
    assert result.source.reference_url == REF_PROBING
    assert service.source_path(result.source.sha256).read_bytes() == fake_arxiv.pdf
    with pytest.raises(DownloadFailed, match="HTTP 404"):
        service.download_source(record_id, REF_OTHER, reviewer="ana", base_url=fake_arxiv.url)
    assert [len(slot.files) for slot in service.source_slots(record_id)] == [1, 0, 0]
