"""A document's text layer packed into a few numpy arrays, to be stored with its passage index.

Building the text layer of a 2,415-page manual from PyMuPDF costs about 10 s and half a GB
of word tuples, and normalising it for search another 2 s. The passage index reads every
page anyway, so it also packs what find-in-document and quote search need: the text, each
word's offsets, page, line and box, and both comparison forms of the text with their offset
maps as runs (one per token, not one per character). ``PackedDocumentText`` serves the same
spans, quads and offsets as ``DocumentText`` from those arrays, creating word tuples only
for the words a span touches. Boxes are kept as float32, which loses nothing: MuPDF's
coordinates are C floats.
"""

from __future__ import annotations

import io
import threading
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

import numpy as np

from reviewer_app.pdf.normalize import NormalizedText, normalized_tokens
from reviewer_app.pdf.spans import PageAnchor, TextSpan, rect_to_quad
from reviewer_app.pdf.text_layer import (
    LINE_BREAK,
    PAGE_BREAK,
    WORD_GAP,
    DocumentText,
    RawWord,
    WordBox,
)

PACK_FORMAT = 1
"""Bumped when the arrays change meaning; a layer packed otherwise is rebuilt."""


_OFFSET = np.int32
"""Character offsets: a 2,415-page manual has 4.4 million characters, far below 2**31."""


class PackedLayerInvalid(ValueError):
    """The stored bytes are not a text layer of this format (damaged or older)."""


class TextLayerPacker:
    """Collects pages of ``get_text("words")`` tuples; ``pack`` returns the stored bytes.

    ``pages`` yields each page's text exactly as ``passages.iter_page_texts`` does, so the
    passage index and the packed layer are built in one pass over the document.
    """

    def __init__(self) -> None:
        self._texts: list[str] = []
        self._page_starts: list[int] = []
        self._failed: list[int] = []
        self._starts: list[np.ndarray] = []
        self._ends: list[np.ndarray] = []
        self._lines: list[np.ndarray] = []
        self._rects: list[np.ndarray] = []
        self._offset = 0

    def mark_failed(self, page: int) -> None:
        """``page`` could not be read; it counts as empty, as in ``build_document_text``."""
        self._failed.append(page)

    def pages(self, pages: Iterable[Sequence[RawWord]]) -> Iterator[tuple[int, int, str]]:
        for number, raw_words in enumerate(pages):
            yield number, *self.add_page(number, raw_words)

    def add_page(self, number: int, raw_words: Sequence[RawWord]) -> tuple[int, str]:
        """Add page ``number``'s words; returns its offset and text."""
        if number:
            self._texts.append(PAGE_BREAK)
            self._offset += len(PAGE_BREAK)
        page_start = self._offset
        self._page_starts.append(page_start)
        pieces: list[str] = []
        starts: list[int] = []
        lines: list[tuple[int, int]] = []
        offset = page_start
        previous_line: tuple[int, int] | None = None
        for raw in raw_words:
            line = (raw[5], raw[6])
            if previous_line is not None:
                pieces.append(WORD_GAP if line == previous_line else LINE_BREAK)
                offset += 1
            previous_line = line
            pieces.append(raw[4])
            starts.append(offset)
            lines.append(line)
            offset += len(raw[4])
        text = "".join(pieces)
        self._texts.append(text)
        self._offset = offset
        count = len(starts)
        self._starts.append(np.asarray(starts, dtype=np.int64).reshape(count))
        self._ends.append(
            np.asarray([s + len(r[4]) for s, r in zip(starts, raw_words, strict=True)], np.int64)
        )
        self._lines.append(np.asarray(lines, dtype=np.int32).reshape(count, 2))
        self._rects.append(np.asarray([r[:4] for r in raw_words], np.float32).reshape(count, 4))
        return page_start, text

    def pack(self) -> bytes:
        text = "".join(self._texts)
        arrays: dict[str, Any] = {  # Any: numpy types savez_compressed's **kwds as its flags
            "format": np.asarray([PACK_FORMAT], np.int32),
            "text": np.frombuffer(text.encode("utf-8", "surrogatepass"), np.uint8),
            "page_starts": np.asarray(self._page_starts, np.int64),
            "failed_pages": np.asarray(self._failed, np.int32),
            "word_starts": _concat(self._starts, _OFFSET, (0,)),
            "word_ends": _concat(self._ends, _OFFSET, (0,)),
            "word_lines": _concat(self._lines, np.int32, (0, 2)),
            "word_rects": _concat(self._rects, np.float32, (0, 4)),
        }
        for ignore_case in (False, True):
            arrays.update(_pack_normalized(text, ignore_case))
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        return buffer.getvalue()


def unpack_text_layer(data: bytes) -> PackedDocumentText:
    """The text layer stored as ``data`` (``TextLayerPacker.pack``)."""
    arrays = _LazyArrays(data)
    if int(arrays["format"][0]) != PACK_FORMAT:
        raise PackedLayerInvalid(f"text layer format {int(arrays['format'][0])}")
    return PackedDocumentText(arrays)


class _LazyArrays:
    """The packed arrays, each decompressed on first use: quote search never needs the
    case-folded form, and a find never needs the case-sensitive one."""

    def __init__(self, data: bytes) -> None:
        try:
            self._file = np.load(io.BytesIO(data), allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise PackedLayerInvalid(f"stored text layer unreadable ({exc})") from exc
        self._loaded: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()  # the zip reader is not safe to share between threads

    def __getitem__(self, name: str) -> np.ndarray:
        with self._lock:
            if name not in self._loaded:
                try:
                    self._loaded[name] = self._file[name]
                except (OSError, KeyError, ValueError) as exc:
                    raise PackedLayerInvalid(f"stored text layer unreadable ({exc})") from exc
            return self._loaded[name]


class _PackedWords(Sequence[WordBox]):
    """``DocumentText.words`` made on demand from the arrays."""

    def __init__(self, layer: PackedDocumentText) -> None:
        self._layer = layer

    def __len__(self) -> int:
        return len(self._layer.word_starts)

    @overload
    def __getitem__(self, index: int) -> WordBox: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[WordBox]: ...
    def __getitem__(self, index: int | slice) -> WordBox | Sequence[WordBox]:
        if isinstance(index, slice):
            return [self._layer.word(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._layer.word(index)


class PackedDocumentText(DocumentText):
    """A ``DocumentText`` read from packed arrays: same text, offsets, spans and quads."""

    def __init__(self, arrays: _LazyArrays) -> None:
        # DocumentText.__init__ is skipped on purpose: it makes a tuple per word
        self.text = arrays["text"].tobytes().decode("utf-8", "surrogatepass")
        self.page_starts = tuple(int(v) for v in arrays["page_starts"])
        self.failed_pages = tuple(int(v) for v in arrays["failed_pages"])
        # int64 in memory: searchsorted with a Python int would copy an int32 array per call
        self.word_starts = arrays["word_starts"].astype(np.int64)
        self._word_ends = arrays["word_ends"]
        self.words = _PackedWords(self)
        first_words = np.searchsorted(self.word_starts, self.page_starts, "left")
        self._first_word_of_page = [int(v) for v in first_words] + [len(self.word_starts)]
        self._arrays = arrays
        self._normalized = {}
        self._boxes: tuple[np.ndarray, np.ndarray] | None = None

    def word(self, index: int) -> WordBox:
        if self._boxes is None:
            self._boxes = (self._arrays["word_rects"], self._arrays["word_lines"])
        rects, lines = self._boxes
        # an empty page shares its first index with the next: the word is on the last of them
        page = bisect_right(self._first_word_of_page, index) - 1
        x0, y0, x1, y1 = rects[index].tolist()
        block, line = lines[index].tolist()
        return WordBox(
            page,
            index - self._first_word_of_page[page],
            (block, line),
            (x0, y0, x1, y1),
            int(self.word_starts[index]),
            int(self._word_ends[index]),
        )

    def normalized(self, *, ignore_case: bool) -> NormalizedText:
        if ignore_case not in self._normalized:
            self._normalized[ignore_case] = _unpack_normalized(self._arrays, ignore_case)
        return self._normalized[ignore_case]

    def spans(self, ranges: Sequence[tuple[int, int]]) -> list[TextSpan]:
        """Many spans at once: a find of a common word has thousands of hits, and looking up
        each one's word through numpy calls one at a time took 18 µs a hit (10,000 hits of
        "the" in the R manual: 175 ms). A hit on one word is made from its box directly;
        others as ``span`` makes them."""
        if not ranges:
            return []
        pairs = np.asarray(ranges, dtype=np.int64)
        starts, ends = pairs[:, 0], pairs[:, 1]
        count = len(self.word_starts)
        if count == 0:
            return [self.span(start, end) for start, end in ranges]
        first = np.searchsorted(self.word_starts, starts, "right") - 1
        before = np.clip(first, 0, count - 1)
        first = np.where((first < 0) | (self._word_ends[before] <= starts), first + 1, first)
        last = np.searchsorted(self.word_starts, ends, "left") - 1
        single = (first == last) & (first >= 0) & (first < count)
        words = np.where(single, first, 0)
        pages = (np.searchsorted(self._first_word_of_page, words, "right") - 1).tolist()
        rects = self._arrays["word_rects"][words].tolist()
        spans = []
        for i, (start, end) in enumerate(ranges):
            if single[i] and 0 <= start <= end <= len(self.text):
                quad = rect_to_quad(tuple(rects[i]))
                spans.append(
                    TextSpan(start, end, self.text[start:end], (PageAnchor(pages[i], (quad,)),))
                )
            else:
                spans.append(self.span(start, end))
        return spans

    def word_indices(self, start: int, end: int) -> range:
        first = int(np.searchsorted(self.word_starts, start, "right")) - 1
        if first < 0 or int(self._word_ends[first]) <= start:
            first += 1
        last = int(np.searchsorted(self.word_starts, end, "left")) - 1
        return range(first, max(first, last + 1))


class _RunOffsets(Sequence[int]):
    """``NormalizedText.starts`` or ``ends`` computed from runs instead of kept per character."""

    def __init__(self, runs: _Runs, *, ends: bool) -> None:
        self._runs = runs
        self._ends = ends

    def __len__(self) -> int:
        return self._runs.length

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._runs.original(index, end=self._ends)


class _Runs:
    """The offset map as runs: normalised characters from ``norm_starts[k]`` on came from
    ``original[orig_starts[k]:orig_ends[k]]``, one character each when ``plain[k]``."""

    def __init__(self, arrays: _LazyArrays, prefix: str, length: int) -> None:
        self.norm_starts = arrays[f"{prefix}_norm_starts"].astype(np.int64)  # see word_starts
        self.orig_starts = arrays[f"{prefix}_orig_starts"].astype(np.int64)
        self.orig_ends = arrays[f"{prefix}_orig_ends"]
        self.plain = arrays[f"{prefix}_plain"]
        self.length = length

    def originals(self, indices: np.ndarray, *, end: bool) -> np.ndarray:
        """``original`` of many indices at once."""
        runs = np.searchsorted(self.norm_starts, indices, "right") - 1
        plain = self.plain[runs].astype(bool)
        counted = self.orig_starts[runs] + indices - self.norm_starts[runs]
        if end:
            return np.where(plain, counted + 1, self.orig_ends[runs])
        return np.where(plain, counted, self.orig_starts[runs])

    def original(self, index: int, *, end: bool) -> int:
        run = int(np.searchsorted(self.norm_starts, index, "right")) - 1
        if self.plain[run]:
            start = int(self.orig_starts[run]) + index - int(self.norm_starts[run])
            return start + 1 if end else start
        return int(self.orig_ends[run] if end else self.orig_starts[run])


class PackedNormalizedText(NormalizedText):
    """A ``NormalizedText`` whose offset map is read from runs."""

    def __init__(self, text: str, runs: _Runs) -> None:
        super().__init__(text, _RunOffsets(runs, ends=False), _RunOffsets(runs, ends=True))  # type: ignore[arg-type]
        object.__setattr__(self, "_runs", runs)  # a frozen dataclass underneath

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        runs: _Runs = self._runs  # type: ignore[attr-defined]
        return runs.original(start, end=False), runs.original(end - 1, end=True)

    def to_original_many(self, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        if not ranges:
            return []
        runs: _Runs = self._runs  # type: ignore[attr-defined]
        pairs = np.asarray(ranges, dtype=np.int64)
        starts = runs.originals(pairs[:, 0], end=False).tolist()
        ends = runs.originals(pairs[:, 1] - 1, end=True).tolist()
        return list(zip(starts, ends, strict=True))

    def index_at_or_after(self, original_offset: int) -> int:
        runs: _Runs = self._runs  # type: ignore[attr-defined]
        run = int(np.searchsorted(runs.orig_starts, original_offset, "left"))
        if run > 0 and runs.plain[run - 1]:
            previous = run - 1
            inside = original_offset - int(runs.orig_starts[previous])
            run_length = int(runs.orig_ends[previous] - runs.orig_starts[previous])
            if 0 < inside < run_length:
                return int(runs.norm_starts[previous]) + inside
        return int(runs.norm_starts[run]) if run < len(runs.norm_starts) else runs.length


def _prefix(ignore_case: bool) -> str:
    return "folded" if ignore_case else "cased"


def _pack_normalized(text: str, ignore_case: bool) -> dict[str, np.ndarray]:
    # typed arrays, not lists: a long manual has hundreds of thousands of tokens
    pieces: list[str] = []
    norm_starts, orig_starts, orig_ends = array("q"), array("q"), array("q")
    plain = array("b")
    length = 0
    for begin, finish, piece, is_plain in normalized_tokens(text, ignore_case=ignore_case):
        pieces.append(piece)
        norm_starts.append(length)
        orig_starts.append(begin)
        orig_ends.append(finish)
        plain.append(is_plain)
        length += len(piece)
    prefix = _prefix(ignore_case)
    folded = "".join(pieces)
    del pieces
    return {
        f"{prefix}_text": np.frombuffer(folded.encode("utf-8", "surrogatepass"), np.uint8),
        f"{prefix}_norm_starts": np.frombuffer(norm_starts, np.int64).astype(_OFFSET),
        f"{prefix}_orig_starts": np.frombuffer(orig_starts, np.int64).astype(_OFFSET),
        f"{prefix}_orig_ends": np.frombuffer(orig_ends, np.int64).astype(_OFFSET),
        f"{prefix}_plain": np.frombuffer(plain, np.int8).astype(np.bool_),
    }


def _unpack_normalized(arrays: _LazyArrays, ignore_case: bool) -> NormalizedText:
    prefix = _prefix(ignore_case)
    text = arrays[f"{prefix}_text"].tobytes().decode("utf-8", "surrogatepass")
    return PackedNormalizedText(text, _Runs(arrays, prefix, len(text)))


def _concat(parts: list[np.ndarray], dtype: type, empty_shape: tuple[int, ...]) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(empty_shape, dtype)
