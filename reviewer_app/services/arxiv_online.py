"""Asking arXiv whether an id (and version) exists: optional, only when the reviewer allows it.

One GET of the arXiv export API (``/api/query?id_list=ID``); the answer's ``<id>`` element
names the newest version (``http://arxiv.org/abs/2407.17856v4``). Offline, a timeout or any
HTTP error gives an answer that says why nothing was checked; it never raises.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

from reviewer_app import __version__
from reviewer_app.domain.reference_checks import OnlineAnswer

ARXIV_API_URL = "https://export.arxiv.org/api/query"
DEFAULT_TIMEOUT = 10.0
_ENTRY_ID = re.compile(
    r"<entry>.*?<id>\s*https?://arxiv\.org/abs/(?P<id>[^<\s]+?)v(?P<v>\d+)\s*</id>", re.S
)


def confirm_arxiv(
    arxiv_id: str, *, base_url: str = ARXIV_API_URL, timeout: float = DEFAULT_TIMEOUT
) -> OnlineAnswer:
    url = f"{base_url}?{urllib.parse.urlencode({'id_list': arxiv_id})}"
    request = urllib.request.Request(url, headers={"User-Agent": f"reviewer-app/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(1 << 20).decode("utf-8", "replace")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return OnlineAnswer(False, None, f"arXiv could not be reached ({reason})")
    for match in _ENTRY_ID.finditer(body):
        if match.group("id").casefold() == arxiv_id.casefold():
            return OnlineAnswer(True, int(match.group("v")))
    return OnlineAnswer(False, None)
