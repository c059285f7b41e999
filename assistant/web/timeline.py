"""The Positions tab's timeline: one actor's (and optionally one article's) stances as coloured
marks along the dates of the documents that hold their evidence.

`timeline_svg` is a pure function of the records (as `Assistant.positions` returns them, each
with a `date`), so it is tested without a browser. Each mark carries `data-record` (the record's
index in date order); assets.TIMELINE_JS sends a click on it to `PositionsController.select_mark`,
the same way the stance matrix sends its cells. Every text from a record is escaped."""

from __future__ import annotations

import re
from datetime import date
from typing import Callable

from .render import STANCE_LABELS, esc, placeholder, record_block, stance_label

# The same colours as the matrix's .st-* classes (assets.CSS), as SVG fills.
STANCE_COLOURS = {
    "supports": "#2e7d32", "opposes": "#c62828", "proposes": "#1565c0", "calls_for_deletion": "#6a1b9a",
    "withdraws": "#757575", "prefers": "#00897b", "questions": "#f9a825", "expresses_concern": "#ef6c00",
    "offers": "#7cb342", "outcome": "#455a64",
}
OTHER_COLOUR = "#9e9e9e"

WIDTH, PAD, AXIS_Y, STEP, RADIUS = 720, 48, 34, 22, 8
LABEL_ROWS = 3  # rows of date labels under the axis, so close dates do not overprint
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def parse_date(value) -> date | None:
    """A document date as a day on the axis: '2024-08-09', '2024-02' (its 1st) or '2024' (1 January)."""
    m = _DATE.match(str(value or "").strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def in_date_order(records: list[dict]) -> list[dict]:
    """Dated records by date (then by document and place, as `positions(timeline=True)`), undated last."""
    def key(r):
        day = parse_date(r.get("date"))
        ev = (r.get("evidence") or [{}])[0]
        return (day is None, day or date.min, ev.get("document") or "", ev.get("start") or 0)
    return sorted(records, key=key)


def stance_colour(stance: str) -> str:
    return STANCE_COLOURS.get(stance, OTHER_COLOUR)


def _provisions(record: dict) -> str:
    return ", ".join(f"Art. {p}" for p in record.get("provisions") or []) or "no specific article"


def _tip(record: dict) -> str:
    when = record.get("date") or "undated"
    return f"{when} · {stance_label(record['stance'])} · {_provisions(record)}: {record.get('summary', '')}"


def timeline_svg(records: list[dict], heading: str = "", selected: int | None = None) -> str:
    """HTML with an inline SVG: x = date, one mark per dated record (records of one date stack
    upwards), coloured by stance, with a legend; undated records listed below the axis.
    `records` must already be in date order (see `in_date_order`); `data-record` is the index."""
    if not records:
        return placeholder("No position records for this actor with these filters.")
    dated = [(i, r, parse_date(r.get("date"))) for i, r in enumerate(records)]
    undated = [(i, r) for i, r, day in dated if day is None]
    dated = [(i, r, day) for i, r, day in dated if day is not None]

    parts = [f'<div class="timeline"><div class="timeline-head">{esc(heading)}</div>']
    stances = sorted({r["stance"] for r in records}, key=lambda s: list(STANCE_LABELS).index(s) if s in STANCE_LABELS else 99)
    parts.append('<div class="legend">' + "".join(
        f'<span class="legend-item"><span class="swatch" style="background:{stance_colour(s)}"></span>{esc(stance_label(s))}</span>'
        for s in stances) + "</div>")

    if dated:
        days = sorted({day for _, _, day in dated})
        first, last = days[0], days[-1]
        span = (last - first).days

        def x_of(day: date) -> float:
            return WIDTH / 2 if span == 0 else PAD + (WIDTH - 2 * PAD) * (day - first).days / span

        stacks: dict[date, int] = {}
        for _, _, day in dated:
            stacks[day] = stacks.get(day, 0) + 1
        # Many records on one date stack closer (and smaller) so the chart stays about 300px high.
        tallest = max(stacks.values())
        step = STEP if tallest <= 10 else max(8, 220 // tallest)
        radius = min(RADIUS, (step - 2) / 2)
        height = AXIS_Y + step * tallest + 8 + 14 * LABEL_ROWS + 12
        axis = height - 14 * LABEL_ROWS - 12
        svg = [f'<svg class="timeline-svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
               f'aria-label="{esc(heading or "stances over time")}" xmlns="http://www.w3.org/2000/svg">',
               f'<line class="tl-axis" x1="{PAD - 20}" y1="{axis}" x2="{WIDTH - PAD + 20}" y2="{axis}" stroke="#888" stroke-width="1.5"/>']
        # Date ticks and labels; a label closer than 80px to the last one of its row drops a row.
        last_x = [-1e9] * LABEL_ROWS
        labels: dict[date, str] = {}
        for _, r, day in dated:
            labels.setdefault(day, str(r.get("date")))
        for day in days:
            x = x_of(day)
            row = next((n for n in range(LABEL_ROWS) if x - last_x[n] >= 80), min(range(LABEL_ROWS), key=last_x.__getitem__))
            last_x[row] = x
            svg.append(f'<line x1="{x:.1f}" y1="{axis - 4}" x2="{x:.1f}" y2="{axis + 4}" stroke="#888"/>'
                       f'<text class="tl-date" x="{x:.1f}" y="{axis + 17 + 14 * row}" text-anchor="middle" '
                       f'font-size="11" fill="currentColor">{esc(labels[day])}</text>')
        # The path through the first mark of each date, so a change of stance reads left to right.
        points = []
        level: dict[date, int] = {}
        marks = []
        for i, r, day in dated:
            n = level.get(day, 0)
            level[day] = n + 1
            x, y = x_of(day), axis - 16 - step * n
            if n == 0:
                points.append(f"{x:.1f},{y:.1f}")
            chosen = " chosen" if selected == i else ""
            marks.append(
                f'<g class="tl-mark{chosen}" data-record="{i}" data-date="{esc(r.get("date"))}" '
                f'data-stance="{esc(r["stance"])}" role="button" tabindex="0">'
                f'<title>{esc(_tip(r))}</title>'
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:g}" fill="{stance_colour(r["stance"])}" '
                f'stroke="{"#111" if chosen else "#fff"}" stroke-width="{3 if chosen else 1.5}"/></g>'
            )
        if len(points) > 1:
            svg.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#bbb" stroke-width="1.5" stroke-dasharray="4 3"/>')
        svg.extend(marks)
        svg.append("</svg>")
        parts.append("".join(svg))
    if undated:
        parts.append('<div class="tl-undated"><div class="tl-undated-head">Undated (their document has no date)</div><ul>')
        for i, r in undated:
            chosen = " chosen" if selected == i else ""
            parts.append(
                f'<li class="tl-mark tl-undated-item{chosen}" data-record="{i}" data-date="" data-stance="{esc(r["stance"])}" '
                f'role="button" tabindex="0"><span class="swatch" style="background:{stance_colour(r["stance"])}"></span> '
                f'{esc(stance_label(r["stance"]))} · {esc(_provisions(r))}: {esc(r.get("summary", ""))}</li>')
        parts.append("</ul></div>")
    parts.append('<div class="matrix-hint">Select a mark to see its evidence.</div></div>')
    return "".join(parts)


def mark_evidence(record: dict, actor_name: Callable[[str], str], doc_title: Callable[[str], str],
                  doc_date: Callable[[str], str | None] | None = None) -> str:
    """The evidence panel for one mark: stance, date, summary, and each quote with its document's
    title and date (`doc_date`; without it, the record's date, which is its first quote's)."""
    actors = ", ".join(actor_name(a) for a in record.get("actors") or []) or "No named actor"
    when = record.get("date") or "undated"

    def source(ev: dict) -> str:
        dated = (doc_date(ev["document"]) if doc_date else record.get("date")) or "undated"
        return f'<span class="ev-title">{esc(doc_title(ev["document"]))}</span>, <span class="ev-date">{esc(dated)}</span>'

    out = ['<div class="evidence tl-evidence">'
           f'<div class="evidence-head">{esc(actors)} · {esc(_provisions(record))} · {esc(when)}</div>',
           record_block(record, f'<span class="tl-when">{esc(when)}</span>', source),
           "</div>"]
    return "".join(out)
