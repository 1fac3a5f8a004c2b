"""What the window says about signing when it asks before an unsigned export.

Spoken to a reviewer: why the bundle cannot be signed here and what that means for the person
who receives it; never backend class names, environment variables or command-line flags.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewer_app.services.bundles import ImportResult, SigningReadiness

UNSIGNED_EXPORT_TITLE = "Export unsigned?"

_WHY = {  # by SigningReadiness value
    "no-keyring": (
        "This bundle cannot be signed on this computer. Signing needs a safe place to keep "
        "your personal signing key, the desktop's password manager (such as GNOME Keyring or "
        "KWallet), and none is running here."
    ),
    "key-unusable": (
        "This bundle cannot be signed: the desktop's password manager did not let the app read "
        "or keep your personal signing key (it may be locked, or the stored key is damaged)."
    ),
}

_MEANING = (
    "An unsigned bundle still carries all your work unchanged. But whoever receives it cannot "
    "check that it comes from you, or that nobody changed it on the way: before importing it "
    "they will be asked whether they trust where it came from."
)


def unsigned_export_question(readiness: SigningReadiness) -> str:
    why = _WHY.get(readiness.value, _WHY["key-unusable"])
    return f"{why}\n\n{_MEANING}\n\nExport it without a signature?"


def import_summary(result: ImportResult) -> str:
    """One line per merged record (its revision status and what it added), one per row of work
    left out because no acceptable key vouches for it, then the warnings (HTML, escaped)."""
    lines = [
        f"{merge.record_id}: {merge.revision_status}, "
        + (", ".join(f"{n} {kind}" for kind, n in sorted(merge.added.items())) or "nothing new")
        for merge in result.records
    ]
    refused = [
        f"Left out, {html_text(d.author)}: {html_text(d.row.record)}, {html_text(d.row.label)}: "
        f"{html_text(d.reason)}"
        for d in result.refused
    ]
    return "<br>".join(lines + refused + [html_text(w) for w in result.warnings])


def html_text(text: str) -> str:
    """Plain text made safe inside a message box's HTML (quotes may stay as they are)."""
    return html.escape(text, quote=False)
