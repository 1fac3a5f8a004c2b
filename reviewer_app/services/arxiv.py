"""Downloading a paper's PDF from arXiv: streamed, cancellable, atomic, checked to be a PDF.

Only the standard library (``urllib``): the download is one GET and the app must start
without optional network packages.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from reviewer_app import __version__
from reviewer_app.errors import ReviewerAppError

if TYPE_CHECKING:
    import http.client

ARXIV_URL = "https://arxiv.org"
DEFAULT_TIMEOUT = 30.0
_CHUNK = 64 * 1024
_PDF_MAGIC = b"%PDF-"
_HEADER_WINDOW = 1024
"""PDF readers accept the ``%PDF-`` header anywhere in the first kilobyte."""

DownloadProgress = Callable[[int, int | None], None]
"""Called with (bytes received, total bytes or None when the server does not say)."""


class DownloadFailed(ReviewerAppError):
    """The PDF could not be downloaded; nothing was kept."""


class DownloadCancelled(DownloadFailed):
    """The person cancelled the download; nothing was kept."""


def arxiv_file_name(arxiv_id: str, version: int | None) -> str:
    """``2407.17856v4.pdf``; old-style ids lose their slash (``hep-th_9901001v1.pdf``)."""
    return f"{arxiv_id.replace('/', '_')}{f'v{version}' if version else ''}.pdf"


def download_arxiv_pdf(
    arxiv_id: str,
    version: int | None,
    dest_dir: Path,
    *,
    base_url: str = ARXIV_URL,
    progress: DownloadProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Path:
    """Fetch ``{base_url}/pdf/{id}[v{version}]`` into ``dest_dir``; returns the file's path.

    The body is streamed to a temporary file in ``dest_dir`` and renamed into place only when
    complete and a PDF, so an interrupted or cancelled download leaves nothing behind.
    Without ``version`` arXiv serves the newest one.
    """
    # imported here: urllib.request brings http.client, ssl and email (~80 ms), which the
    # window would otherwise load before its first page
    import http.client
    import urllib.error
    import urllib.request

    dest_dir = Path(dest_dir)
    label = f"arXiv:{arxiv_id}{f'v{version}' if version else ''}"
    url = f"{base_url.rstrip('/')}/pdf/{arxiv_id}{f'v{version}' if version else ''}"
    host = urlsplit(url).netloc or url
    _stop_if(cancelled, label)
    request = urllib.request.Request(
        url,
        headers={"User-Agent": f"synthesis-reviewer/{__version__}", "Accept": "application/pdf"},
    )
    dest_dir.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=dest_dir, prefix=".download-")
    os.close(handle)
    temp = Path(name)
    try:
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                _stream(response, temp, label, progress, cancelled)
        except urllib.error.HTTPError as exc:
            raise DownloadFailed(
                f"{label}: {host} answered HTTP {exc.code} {exc.reason} for {url}"
            ) from None
        except urllib.error.URLError as exc:
            raise DownloadFailed(f"cannot reach {host}: {_reason(exc.reason)} (offline?)") from None
        except TimeoutError:
            raise DownloadFailed(
                f"cannot reach {host}: no answer within {timeout:g} s (offline?)"
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            # e.g. the connection dropped mid-body (IncompleteRead)
            raise DownloadFailed(f"{label}: download from {host} failed ({exc!r})") from None
        _check_pdf(temp, label, host)
        target = dest_dir / arxiv_file_name(arxiv_id, version)
        os.replace(temp, target)
        return target
    finally:
        temp.unlink(missing_ok=True)


def _stream(
    response: http.client.HTTPResponse,
    temp: Path,
    label: str,
    progress: DownloadProgress | None,
    cancelled: Callable[[], bool] | None,
) -> None:
    length = response.headers.get("Content-Length")
    total = int(length) if length and length.isdigit() else None
    received = 0
    with temp.open("wb") as out:
        while True:
            _stop_if(cancelled, label)
            # read1 returns what has arrived instead of waiting for a full chunk, so a
            # slow server cannot delay noticing a cancel by more than one network read
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            out.write(chunk)
            received += len(chunk)
            if progress:
                progress(received, total)
        out.flush()
        os.fsync(out.fileno())
    if total is not None and received < total:
        raise DownloadFailed(f"{label}: the download stopped after {received} of {total} bytes")


def _check_pdf(path: Path, label: str, host: str) -> None:
    with path.open("rb") as file:
        head = file.read(_HEADER_WINDOW)
    if _PDF_MAGIC in head:
        return
    lowered = head.lower()
    if not head:
        kind = "an empty answer"
    elif b"<html" in lowered or b"<!doctype html" in lowered:
        kind = "an HTML page"
    else:
        kind = f"a file starting with {head[:16]!r}"
    raise DownloadFailed(f"{label}: {host} sent {kind} instead of a PDF")


def _stop_if(cancelled: Callable[[], bool] | None, label: str) -> None:
    if cancelled is not None and cancelled():
        raise DownloadCancelled(f"{label}: download cancelled")


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason)
