"""Geometry for the server-rendered SVG charts (maturity profile, indicator trend,
milestone timeline).

Written by hand rather than with a charting library: the charts are three simple
shapes, they must work without JavaScript and without a front-end build, and each
is paired in the template with a data table carrying the same numbers (the text
alternative). The templates draw; these functions only compute coordinates.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.html import format_html_join

from .models import PHASE_SHORT, CgpPhase

PROFILE_LABEL_W = 200
PROFILE_BAR_W = 360
PROFILE_ROW_H = 44


def profile(scores: dict, previous: dict | None) -> dict:
    """Horizontal bars per phase (0-100), with last time's score as a thin bar below."""
    rows = []
    for index, phase in enumerate(CgpPhase):
        value = scores.get(phase.value)
        before = previous.get(phase.value) if previous else None
        y = 30 + index * PROFILE_ROW_H
        rows.append(
            {
                "label": PHASE_SHORT[phase],
                "y": y,
                "text_y": y + 14,
                "value": value,
                "width": round(PROFILE_BAR_W * (value or 0) / 100),
                "previous": before,
                "previous_y": y + 22,
                "previous_width": round(PROFILE_BAR_W * (before or 0) / 100),
                "delta": (value - before) if value is not None and before is not None else None,
                "value_x": PROFILE_LABEL_W + round(PROFILE_BAR_W * (value or 0) / 100) + 6,
            }
        )
    return {
        "rows": rows,
        "label_w": PROFILE_LABEL_W,
        "bar_w": PROFILE_BAR_W,
        "width": PROFILE_LABEL_W + PROFILE_BAR_W + 60,
        "height": 40 + len(rows) * PROFILE_ROW_H,
        "ticks": [
            {"x": PROFILE_LABEL_W + PROFILE_BAR_W * t // 100, "label": t}
            for t in (0, 25, 50, 75, 100)
        ],
        "axis_y": 40 + len(rows) * PROFILE_ROW_H - 16,
    }


TREND_W, TREND_H = 600, 220
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 56, 16, 16, 32


def _latest_per_date(measurements) -> list:
    """A later row for the same date corrects an earlier one (rows are never edited)."""
    by_date = {}
    for measurement in measurements:
        by_date[measurement.date] = measurement
    return [by_date[d] for d in sorted(by_date)]


def trend(indicator, plan) -> dict:
    points = _latest_per_date(indicator.measurements.all())
    values = [indicator.baseline, indicator.target, *(m.value for m in points)]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) / 10
    low, high = max(low - pad, Decimal(0)) if low >= 0 else low - pad, high + pad
    span_days = max((plan.end_date - plan.start_date).days, 1)
    inner_w = TREND_W - TREND_LEFT - TREND_RIGHT
    inner_h = TREND_H - TREND_TOP - TREND_BOTTOM

    def x(day: datetime.date) -> float:
        days = min(max((day - plan.start_date).days, 0), span_days)
        return round(TREND_LEFT + inner_w * days / span_days, 1)

    def y(value) -> float:
        return round(TREND_TOP + inner_h * float((high - value) / (high - low)), 1)

    coords = [(x(m.date), y(m.value)) for m in points]
    # Built here rather than in template loops: a plan page can carry hundreds of points.
    dots_path = " ".join(
        f"M{cx - 3.5},{cy} a3.5,3.5 0 1,0 7,0 a3.5,3.5 0 1,0 -7,0" for cx, cy in coords
    )
    table_html = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}, {}</td></tr>",
        (
            (
                m.date.strftime("%d/%m/%Y"),
                m.value,
                m.note or "—",
                m.recorded_by or "—",
                timezone.localtime(m.recorded_at).strftime("%d/%m/%Y %H:%M"),
            )
            for m in points
        ),
    )
    return {
        "width": TREND_W,
        "height": TREND_H,
        "left": TREND_LEFT,
        "right": TREND_W - TREND_RIGHT,
        "top": TREND_TOP,
        "bottom": TREND_H - TREND_BOTTOM,
        "polyline": " ".join(f"{cx},{cy}" for cx, cy in coords),
        "dots_path": dots_path,
        "table_html": table_html,
        "target_y": y(indicator.target),
        "baseline_y": y(indicator.baseline),
        "path": (
            f"{x(plan.start_date)},{y(indicator.baseline)} {x(plan.end_date)},{y(indicator.target)}"
        ),
        "high": high.quantize(Decimal("0.1")),
        "low": low.quantize(Decimal("0.1")),
        "start_label": plan.start_date,
        "end_label": plan.end_date,
        "points": points,
    }


TIMELINE_W = 640
TIMELINE_LEFT = 16
TIMELINE_ROW_H = 30


def timeline(plan, milestones, today: datetime.date) -> dict:
    span_days = max((plan.end_date - plan.start_date).days, 1)
    inner_w = TIMELINE_W - 2 * TIMELINE_LEFT

    def x(day: datetime.date) -> float:
        days = min(max((day - plan.start_date).days, 0), span_days)
        return round(TIMELINE_LEFT + inner_w * days / span_days, 1)

    rows = []
    for index, milestone in enumerate(milestones):
        y = 40 + index * TIMELINE_ROW_H
        late = milestone.is_late(today)
        rows.append(
            {
                "m": milestone,
                "y": y,
                "x": x(milestone.due_date),
                "late": late,
                "done": milestone.is_done,
                "state": "completata"
                if milestone.is_done
                else ("in ritardo" if late else "in corso"),
            }
        )
    return {
        "width": TIMELINE_W,
        "height": 60 + len(rows) * TIMELINE_ROW_H,
        "rows": rows,
        "left": TIMELINE_LEFT,
        "right": TIMELINE_W - TIMELINE_LEFT,
        "today_x": x(today) if plan.start_date <= today <= plan.end_date else None,
        "axis_y": 24,
    }
