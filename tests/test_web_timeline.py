"""The Positions tab's timeline render (assistant/web/timeline.py) and the Ask tab's filter-bar
helpers, without a browser."""

from __future__ import annotations

import re

import pytest

from assistant.errors import InputError
from assistant.web import render, timeline
from assistant.web.chat import ChatController, scope_of


def _record(rid, date, stance, doc, quote="a quote", provisions=("24",)):
    return {"id": rid, "actors": ["ghana"], "provisions": list(provisions), "articles": list(provisions),
            "issue": "safeguards", "stance": stance, "summary": f"Ghana {stance} Article 24.", "date": date,
            "evidence": [{"document": doc, "quote": quote, "start": 0, "end": len(quote)}]}


RECORDS = [
    _record("aug", "2024-08-08", "withdraws", "report_aug"),
    _record("none", None, "questions", "undated_note"),
    _record("feb", "2024-02-01", "opposes", "report_feb"),
    _record("jul", "2024-07-30", "proposes", "report_jul"),
    _record("feb2", "2024-02", "expresses_concern", "z_monthly")  # same day as feb: by document,
]


def _marks(html):
    """(index, date, stance, cx) of each SVG mark, in document order."""
    return [(int(i), d, s, float(x)) for i, d, s, x in re.findall(
        r'<g class="tl-mark[^"]*" data-record="(\d+)" data-date="([^"]*)" data-stance="([^"]*)".*?<circle cx="([\d.]+)"', html)]


def test_records_go_in_date_order_with_undated_last():
    ordered = timeline.in_date_order(RECORDS)
    assert [r["id"] for r in ordered] == ["feb", "feb2", "jul", "aug", "none"]  # "2024-02" sorts as its 1st


def test_marks_run_left_to_right_by_date_coloured_by_stance():
    html = timeline.timeline_svg(timeline.in_date_order(RECORDS), "Ghana over time")
    marks = _marks(html)
    assert [m[1] for m in marks] == ["2024-02-01", "2024-02", "2024-07-30", "2024-08-08"]
    xs = [m[3] for m in marks]
    assert xs == sorted(xs) and xs[0] < xs[-1]
    assert marks[0][3] == marks[1][3]  # the same day: stacked, not spread
    assert f'fill="{timeline.STANCE_COLOURS["opposes"]}"' in html
    assert f'fill="{timeline.STANCE_COLOURS["withdraws"]}"' in html
    for stance in ("opposes", "withdraws", "proposes", "questions"):  # the legend names every stance shown
        assert f'{render.stance_label(stance)}</span>' in html
    # Each date is labelled on the axis; the undated record is listed after the chart, still clickable.
    for label in ("2024-02-01", "2024-07-30", "2024-08-08"):
        assert f">{label}</text>" in html
    assert html.index("</svg>") < html.index('data-record="4"') and "Undated" in html


def test_one_date_is_centred_and_selection_is_marked():
    records = [_record("a", "2024-02-01", "opposes", "d"), _record("b", "2024-02-01", "supports", "d")]
    html = timeline.timeline_svg(records, selected=1)
    marks = _marks(html)
    assert [m[3] for m in marks] == [timeline.WIDTH / 2] * 2
    assert re.search(r'class="tl-mark chosen" data-record="1"', html)
    assert "polyline" not in html  # no path through a single date


def test_text_is_escaped_and_empty_is_a_placeholder():
    evil = _record("x", "2024-01-01\"><script>", "opposes", "d")
    evil["summary"] = "<img src=x onerror=alert(1)>"
    html = timeline.timeline_svg([evil], "<b>head</b>")
    assert "<script>" not in html and "<img" not in html and "<b>head" not in html
    assert "placeholder" in timeline.timeline_svg([])


def test_mark_evidence_shows_quote_title_and_date():
    record = _record("jul", "2024-07-30", "proposes", "report_jul", quote="Ghana proposed new wording")
    html = timeline.mark_evidence(record, lambda a: a.title(), lambda d: {"report_jul": "Reconvened session"}[d])
    assert "Ghana proposed new wording" in html and "Reconvened session" in html and "2024-07-30" in html
    assert 'data-doc="report_jul"' in html  # the quote opens its document, like the matrix's evidence


@pytest.mark.parametrize("args,expected", [
    (([], [], [], "", ""), None),
    ((["Harbour Times"], None, [], " 2024-07-29 ", ""), {"publishers": ["Harbour Times"], "since": "2024-07-29"}),
    (("Harbour Times", ["d1"], ["news"], "", "2024-08-09"),
     {"publishers": ["Harbour Times"], "documents": ["d1"], "kinds": ["news"], "until": "2024-08-09"}),
])
def test_scope_of_the_filter_bar(args, expected):
    assert scope_of(*args) == expected


@pytest.mark.parametrize("since,until,name", [("last week", "", "since"), ("", "2024-02-30", "until"), ("2024-2-1", "", "since")])
def test_a_bad_date_is_named(since, until, name):
    with pytest.raises(InputError) as err:
        scope_of([], [], [], since, until)
    assert f"“{name}” filter" in str(err.value) and "YYYY-MM-DD" in str(err.value)


def test_chips_and_removing_one():
    class Docs:
        def documents(self):
            return [{"id": "d1", "title": "Opening week", "meta": {"publisher": "Harbour Times", "kind": "news"}}]

    chat = ChatController(Docs(), store=None)
    html = chat.chips(["Harbour Times"], ["d1"], [], "2024-07-29", "soon")
    assert "publisher: Harbour Times" in html and "document: Opening week" in html and "since: 2024-07-29" in html
    assert "chip-bad" in html and "until: soon (not a YYYY-MM-DD date)" in html
    assert "No filters" in chat.chips([], [], [], "", "")

    class Evt:
        _data = {"field": "publishers", "value": "Harbour Times"}

    assert chat.unchip(["Harbour Times", "Other"], ["d1"], [], "2024-07-29", "", Evt()) == (["Other"], ["d1"], [], "2024-07-29", "")
    Evt._data = {"field": "since", "value": "2024-07-29"}
    assert chat.unchip([], [], [], "2024-07-29", "x", Evt())[3] == ""


def test_close_dates_get_separate_label_rows_and_tall_stacks_stay_compact():
    records = [_record(str(i), f"2024-08-0{i}", "supports", f"d{i}") for i in range(1, 4)]
    records.append(_record("far", "2025-08-01", "opposes", "far"))
    html = timeline.timeline_svg(timeline.in_date_order(records))
    rows = [float(y) for y in re.findall(r'<text class="tl-date" x="[\d.]+" y="([\d.]+)"', html)]
    assert len(set(rows[:3])) == 3  # three days a day apart: three rows, no overprinting
    many = [_record(str(i), "2024-02-01", "supports", "d") for i in range(40)]
    height = float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', timeline.timeline_svg(many))[1])
    assert height < 420
