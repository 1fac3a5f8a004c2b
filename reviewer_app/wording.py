"""Small pieces of wording shared by the window, the CLI and exported files."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, with an "s" unless there is exactly one: "1 page", "3 pages"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
