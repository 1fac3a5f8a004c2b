"""Where each page sits in a continuous column of pages, in PDF points. Plain arithmetic.

Pages are centred on x = 0 and stacked from y = ``gap`` with ``gap`` points between them;
the view asks which pages a vertical span shows and how much of each.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PageBox:
    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


class PageLayout:
    def __init__(self, sizes: Sequence[tuple[float, float]], gap: float) -> None:
        self.gap = gap
        self.boxes: list[PageBox] = []
        y = gap
        for width, height in sizes:
            self.boxes.append(PageBox(-width / 2, y, width, height))
            y += height + gap
        self.height = y
        self.width = max((width for width, _ in sizes), default=0.0)
        self._tops = [box.top for box in self.boxes]

    def __len__(self) -> int:
        return len(self.boxes)

    def overlap(self, index: int, top: float, bottom: float) -> float:
        """How many points of page ``index`` lie between ``top`` and ``bottom`` (<= 0: none)."""
        box = self.boxes[index]
        return min(bottom, box.bottom) - max(top, box.top)

    def pages_between(self, top: float, bottom: float) -> list[int]:
        """The pages that show at least partly between ``top`` and ``bottom``, in order."""
        first = max(bisect.bisect_right(self._tops, top) - 1, 0)
        last = min(bisect.bisect_left(self._tops, bottom), len(self.boxes))
        return [i for i in range(first, last) if self.overlap(i, top, bottom) > 0]

    def most_shown(self, top: float, bottom: float) -> int | None:
        """The page with the most points in view (the first of equals), or None."""
        shown = self.pages_between(top, bottom)
        return max(shown, key=lambda i: self.overlap(i, top, bottom)) if shown else None
