"""The statistics page: counts of documents, and the geometry of the charts that show them.

Plain numbers in, plain shapes out (rectangles, ticks, labels in SVG user units); the template
``stats.html`` draws them as inline SVG, colours coming from CSS so that they follow the light and
dark schemes. Every chart is followed by a table of the same numbers.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable

FONT = 12  # SVG user units; one CJK character is about one FONT wide
WIDTH = 640
BAR = 22  # height of a horizontal bar
GAP = 10


def text_width(text: str, size: int = FONT) -> float:
    """Roughly how wide ``text`` is drawn: CJK characters take a full em, others about 0.6."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in text)


def nice_ticks(top: int, most: int = 5) -> list[int]:
    """0 and round steps (1, 2, 5 × 10^k) reaching at least ``top``, at most ``most`` + 1 values."""
    top = max(top, 1)
    step = 1
    for magnitude in (10**k for k in range(12)):
        step = next((s * magnitude for s in (1, 2, 5) if math.ceil(top / (s * magnitude)) <= most), 0)
        if step:
            break
    return list(range(0, math.ceil(top / step) * step + 1, step))


def counts(values: Iterable[Hashable], keys: Iterable[str]) -> list[tuple[str, int]]:
    """How often each of ``keys`` occurs in ``values``, in the order of ``keys``."""
    counter = Counter(values)
    return [(key, counter[key]) for key in keys]


def per_year(items: Iterable[tuple[int, str]], series: list[str]) -> list[tuple[int, dict[str, int]]]:
    """``(year, series)`` pairs -> every year from the first to the last, with a count per series."""
    counter = Counter(items)
    years = [year for year, _ in counter]
    if not years:
        return []
    return [(year, {s: counter[(year, s)] for s in series}) for year in range(min(years), max(years) + 1)]


def column_chart(rows: list[tuple[str, dict[str, int]]], series: list[str], height: int = 260) -> dict:
    """Stacked vertical columns, one per row, one segment per series (bottom to top)."""
    left, right, top, bottom = 36, 8, 18, 24
    totals = [sum(values.values()) for _, values in rows]
    ticks = nice_ticks(max(totals, default=0))
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    scale = plot_h / ticks[-1]
    slot = plot_w / max(len(rows), 1)
    width = min(slot * 0.7, 48)
    columns = []
    for index, ((label, values), total) in enumerate(zip(rows, totals, strict=False)):
        x = left + slot * index + (slot - width) / 2
        y: float = top + plot_h
        segments = []
        for number, name in enumerate(series):
            h = values[name] * scale
            y -= h
            if values[name]:
                segments.append(
                    {
                        "series": name,
                        "index": number,
                        "value": values[name],
                        "x": _r(x),
                        "y": _r(y),
                        "w": _r(width),
                        "h": _r(h),
                    }
                )
        columns.append(
            {
                "label": label,
                "total": total,
                "segments": segments,
                "x": _r(x + width / 2),
                "top": _r(top + plot_h - total * scale),
                "show_label": len(rows) <= 16 or index % 2 == 0,
            }
        )
    return {
        "width": WIDTH,
        "height": height,
        "left": left,
        "right": WIDTH - right,
        "base": top + plot_h,
        "label_y": height - 6,
        "columns": columns,
        "ticks": [{"value": t, "y": _r(top + plot_h - t * scale)} for t in ticks],
    }


def bar_chart(rows: list[tuple[str, str, int]]) -> dict:
    """Horizontal bars, one per ``(key, label, value)`` row, labels on the left, values at the end."""
    label_w = max((text_width(label) for _, label, _ in rows), default=0) + 8
    value_w = text_width(str(max((v for *_, v in rows), default=0))) + 8
    left = label_w
    plot_w = WIDTH - left - value_w
    top = max((v for *_, v in rows), default=0) or 1
    bars = []
    for index, (key, label, value) in enumerate(rows):
        y = index * (BAR + GAP)
        w = value / top * plot_w
        bars.append(
            {
                "key": key,
                "label": label,
                "value": value,
                "y": y,
                "w": _r(w),
                "text_y": y + BAR / 2,
                "value_x": _r(left + w + 4),
            }
        )
    height = max(len(rows) * (BAR + GAP) - GAP, BAR)
    return {"width": WIDTH, "height": height, "left": _r(left), "label_x": _r(left - 8), "bar": BAR, "bars": bars}


def share_bar(parts: list[tuple[str, str, int]]) -> dict:
    """One bar split in proportion to ``(key, label, value)`` parts; ``rows`` has every part with
    its percentage, ``segments`` the parts drawn (those above zero)."""
    total = sum(value for *_, value in parts)
    x = 0.0
    rows, segments = [], []
    for key, label, value in parts:
        w = value / total * WIDTH if total else 0
        row = {"key": key, "label": label, "value": value, "percent": round(100 * value / total) if total else 0}
        rows.append(row)
        if value:
            segments.append(
                dict(row, x=_r(x), w=_r(w), text_x=_r(x + w / 2), show_label=w >= text_width(f"{row['percent']}%") + 8)
            )
        x += w
    return {"width": WIDTH, "height": 40, "bar": 40, "total": total, "rows": rows, "segments": segments}


def _r(value: float) -> float:
    return round(value, 1)
