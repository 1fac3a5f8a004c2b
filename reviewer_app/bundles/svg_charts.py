"""Small bar charts as inline SVG, drawn in pure Python for ``summary.html`` (no Qt, no numpy).

Each bar is a ``<rect class="bar">`` carrying ``data-series`` and ``data-value`` and a
``<title>`` tooltip, so the charts are readable by people, screen readers and tests alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

# Okabe-Ito: distinguishable with the common kinds of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
LEVELS = ("LOW", "MEDIUM", "HIGH")

_WIDTH, _HEIGHT = 560, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 70, 20, 20, 60
_PLOT_W, _PLOT_H = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


def series_for(names: Sequence[str]) -> list[Series]:
    """One series per name, coloured from the palette in order."""
    return [Series(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(names)]


def dimension_chart(
    title: str,
    dimensions: Sequence[str],
    series: Sequence[Series],
    levels: Mapping[str, Mapping[str, str | None]],
) -> str:
    """Grouped bars: for each dimension, one bar per series at LOW (1), MEDIUM (2) or HIGH (3).

    ``levels[series name][dimension]`` is ``LOW``/``MEDIUM``/``HIGH`` or None (no bar).
    """
    parts = [_axis_y([(i + 1, level) for i, level in enumerate(LEVELS)], top=len(LEVELS))]
    group_w = _PLOT_W / max(len(dimensions), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    for d, dimension in enumerate(dimensions):
        x0 = _LEFT + d * group_w + group_w * 0.1
        for s, item in enumerate(series):
            level = levels.get(item.name, {}).get(dimension)
            if level in LEVELS:
                value = LEVELS.index(level) + 1
                parts.append(
                    _bar(x0 + s * bar_w, bar_w, value / len(LEVELS), item, level, dimension)
                )
        parts.append(_label_x(x0 + group_w * 0.4, dimension.replace("_", " ")))
    return _svg(title, parts, series)


def score_chart(
    title: str,
    series: Sequence[Series],
    scores: Mapping[str, float | None],
    thresholds: Sequence[tuple[str, float]] = (),
    maximum: float = 10.0,
) -> str:
    """One bar per series for its score on 0..``maximum``, with a dashed line per threshold."""
    parts = [_axis_y([(v, f"{v:g}") for v in range(0, int(maximum) + 1, 2)], top=maximum)]
    slot = _PLOT_W / max(len(series), 1)
    for s, item in enumerate(series):
        x = _LEFT + s * slot + slot * 0.2
        score = scores.get(item.name)
        if score is not None:
            parts.append(_bar(x, slot * 0.6, score / maximum, item, f"{score:g}", "review score"))
        parts.append(_label_x(x + slot * 0.3, item.name))
    for label, value in thresholds:
        y = _TOP + _PLOT_H * (1 - min(value, maximum) / maximum)
        parts.append(
            f'<line class="threshold" data-value="{value:g}" x1="{_LEFT}" x2="{_LEFT + _PLOT_W}" '
            f'y1="{y:.1f}" y2="{y:.1f}" stroke="#444" stroke-dasharray="6 4"/>'
            f'<text x="{_LEFT + _PLOT_W - 4}" y="{y - 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(label)} ≥ {value:g}</text>"
        )
    return _svg(title, parts, series)


def _bar(x: float, width: float, fraction: float, series: Series, shown: str, what: str) -> str:
    height = _PLOT_H * max(0.0, min(fraction, 1.0))
    y = _TOP + _PLOT_H - height
    return (
        f'<rect class="bar" data-series="{escape(series.name)}" data-value="{escape(shown)}" '
        f'x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="{escape(series.colour)}"><title>{escape(series.name)}, {escape(what)}: '
        f"{escape(shown)}</title></rect>"
    )


def _axis_y(ticks: Sequence[tuple[float, str]], top: float) -> str:
    lines = [
        f'<line x1="{_LEFT}" x2="{_LEFT}" y1="{_TOP}" y2="{_TOP + _PLOT_H}" stroke="#000"/>',
        f'<line x1="{_LEFT}" x2="{_LEFT + _PLOT_W}" y1="{_TOP + _PLOT_H}" '
        f'y2="{_TOP + _PLOT_H}" stroke="#000"/>',
    ]
    for value, label in ticks:
        y = _TOP + _PLOT_H * (1 - value / top)
        lines.append(
            f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(label)}</text>"
        )
    return "".join(lines)


def _label_x(x: float, text: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{_TOP + _PLOT_H + 16}" text-anchor="middle" font-size="11">'
        f"{escape(text)}</text>"
    )


def _svg(title: str, parts: Sequence[str], series: Sequence[Series]) -> str:
    legend = "".join(
        f'<rect x="{_LEFT + i * 120}" y="{_HEIGHT - 22}" width="10" height="10" '
        f'fill="{escape(item.colour)}"/><text x="{_LEFT + i * 120 + 14}" y="{_HEIGHT - 13}" '
        f'font-size="11">{escape(item.name)}</text>'
        for i, item in enumerate(series)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
        f'width="{_WIDTH}" height="{_HEIGHT}" font-family="sans-serif">'
        f"<title>{escape(title)}</title>{''.join(parts)}{legend}</svg>"
    )
