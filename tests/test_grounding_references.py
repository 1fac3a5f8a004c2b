"""Reference checks against attached, arXiv-stamped PDFs (issue 13, item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer_app.domain.reference_checks import OnlineAnswer
from reviewer_app.services import arxiv_online
from reviewer_app.services.grounding import GroundingService
from reviewer_app.services.review import ReviewService
from reviewer_app.services.workspace import Workspace
from tests.grounding_support import checks_by_name, make_arxiv_pdf, overwrite_stored
from tests.review_support import REF_OTHER, REF_PROBING, SAMPLE_REPORT


def reference_checks(grounding: GroundingService, record_id: str, url: str) -> dict[str, dict]:
    report = grounding.report(record_id).to_json()
    (reference,) = [r for r in report["references"] if r["url"] == url]
    return checks_by_name(reference["checks"])


def test_matching_pdf_passes_every_offline_check(
    grounding: GroundingService, service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    pdf = make_arxiv_pdf(tmp_path / "probing.pdf", "2407.17856", 4)
    sha = service.attach_pdf(record_id, pdf, reviewer="ana").source.sha256
    report = grounding.report(record_id).to_json()
    reference = report["references"][0]
    assert (reference["arxiv_id"], reference["version"], reference["version_pinned"]) == (
        "2407.17856",
        4,
        True,
    )
    assert reference["attached_sha256"] == sha
    checks = checks_by_name(reference["checks"])
    assert {name: c["ok"] for name, c in checks.items()} == {
        "parses": True,
        "version_pinned": True,
        "pdf_attached": True,
        "same_paper": True,
        "same_version": True,
        "file_intact": True,
        "online": None,
    }
    assert checks["online"]["message"] == "not checked online"
    assert checks["same_version"]["message"] == "attached PDF is v4, as pinned"


def test_reference_without_pdf_says_so(grounding: GroundingService, record_id: str) -> None:
    checks = reference_checks(grounding, record_id, REF_OTHER)
    assert checks["pdf_attached"]["ok"] is False
    assert checks["same_paper"]["ok"] is None
    assert checks["file_intact"]["ok"] is None


def test_unpinned_version_fails_the_pin_check(
    db_workspace: Workspace, samples: Path, tmp_path: Path, service: ReviewService
) -> None:
    text = (samples / SAMPLE_REPORT).read_text(encoding="utf-8")
    unpinned = tmp_path / "unpinned.txt"
    unpinned.write_text(
        text.replace("2407.17856v4", "2407.17856").replace("Sparse", "Unpinned Sparse"),
        encoding="utf-8",
    )
    record = db_workspace.import_file(unpinned).local_id
    service.attach_pdf(record, make_arxiv_pdf(tmp_path / "p.pdf", "2407.17856", 4))
    grounding = GroundingService(db_workspace.database, service.pdf_store)
    checks = reference_checks(grounding, record, "http://arxiv.org/abs/2407.17856")
    assert checks["version_pinned"]["ok"] is False
    assert "does not pin a version" in checks["version_pinned"]["message"]
    assert checks["same_version"] == {
        "name": "same_version",
        "ok": None,
        "message": "attached PDF is v4; the reference pins none",
    }


def test_wrong_paper_is_named(
    grounding: GroundingService, service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    other = make_arxiv_pdf(tmp_path / "other.pdf", "2308.12898", 2)
    service.attach_pdf(record_id, other, reference_url=REF_PROBING, reviewer="ana")
    checks = reference_checks(grounding, record_id, REF_PROBING)
    assert checks["same_paper"]["ok"] is False
    assert checks["same_paper"]["message"] == (
        "the attached PDF does not name 2407.17856 on its first page; "
        "its first page is stamped 2308.12898"
    )


def test_wrong_version_is_named(
    grounding: GroundingService, service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    old = make_arxiv_pdf(tmp_path / "v2.pdf", "2407.17856", 2)
    service.attach_pdf(record_id, old, reference_url=REF_PROBING, reviewer="ana")
    checks = reference_checks(grounding, record_id, REF_PROBING)
    assert checks["same_paper"]["ok"] is True
    assert checks["same_version"] == {
        "name": "same_version",
        "ok": False,
        "message": "attached PDF is v2, the reference pins v4",
    }


def test_id_in_metadata_counts_as_the_same_paper(
    grounding: GroundingService, service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    pdf = make_arxiv_pdf(
        tmp_path / "m.pdf", None, None, metadata_subject="arXiv preprint 2407.17856v4"
    )
    service.attach_pdf(record_id, pdf, reference_url=REF_PROBING, reviewer="ana")
    checks = reference_checks(grounding, record_id, REF_PROBING)
    assert checks["same_paper"] == {
        "name": "same_paper",
        "ok": True,
        "message": "2407.17856 is in the PDF's metadata",
    }
    assert checks["same_version"]["ok"] is None


def test_altered_stored_file_fails_the_hash_check(
    grounding: GroundingService, service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    pdf = make_arxiv_pdf(tmp_path / "probing.pdf", "2407.17856", 4)
    sha = service.attach_pdf(record_id, pdf, reviewer="ana").source.sha256
    assert reference_checks(grounding, record_id, REF_PROBING)["file_intact"]["ok"] is True
    overwrite_stored(service.pdf_store, sha, make_arxiv_pdf(tmp_path / "x.pdf", "2407.17856", 3))
    checks = reference_checks(grounding, record_id, REF_PROBING)
    assert checks["file_intact"]["ok"] is False
    assert checks["file_intact"]["message"].startswith("the stored file was altered")
    assert checks["same_version"]["ok"] is None  # nothing read from an altered file is trusted


def test_online_confirmation_only_when_allowed(
    service: ReviewService, db_workspace: Workspace, record_id: str, tmp_path: Path
) -> None:
    asked: list[str] = []

    def fake_arxiv(arxiv_id: str) -> OnlineAnswer:
        asked.append(arxiv_id)
        return OnlineAnswer(True, 4 if arxiv_id == "2407.17856" else 1)

    grounding = GroundingService(db_workspace.database, service.pdf_store, online_check=fake_arxiv)
    assert all(
        checks_by_name(r["checks"])["online"]["ok"] is None
        for r in grounding.report(record_id).to_json()["references"]
    )
    assert asked == []
    references = grounding.report(record_id, allow_online=True).to_json()["references"]
    online = [checks_by_name(r["checks"])["online"] for r in references]
    assert online[0]["ok"] is True
    assert online[0]["message"] == "arXiv confirms 2407.17856 (newest v4)"
    assert online[1]["ok"] is False and "up to v1, not v2" in online[1]["message"]
    assert asked == ["2407.17856", "2308.12898", "2312.11456"]


class _Response:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def read(self, _size: int) -> bytes:
        return self._body

    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None


def test_confirm_arxiv_reads_the_newest_version(monkeypatch: pytest.MonkeyPatch) -> None:
    feed = (
        b"<feed><entry><id>http://arxiv.org/abs/2407.17856v4</id>"
        b"<title>Probing</title></entry></feed>"
    )
    urls: list[str] = []

    def fake_urlopen(request, timeout):
        urls.append(request.full_url)
        return _Response(feed)

    monkeypatch.setattr(arxiv_online.urllib.request, "urlopen", fake_urlopen)
    assert arxiv_online.confirm_arxiv("2407.17856") == OnlineAnswer(True, 4)
    assert urls == ["https://export.arxiv.org/api/query?id_list=2407.17856"]
    assert arxiv_online.confirm_arxiv("2308.12898") == OnlineAnswer(False, None)


def test_confirm_arxiv_offline_says_not_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    def offline(request, timeout):
        raise arxiv_online.urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(arxiv_online.urllib.request, "urlopen", offline)
    answer = arxiv_online.confirm_arxiv("2407.17856")
    assert answer.message == "arXiv could not be reached (Name or service not known)"
