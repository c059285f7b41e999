"""HTML for the web chat. Every piece of text that comes from a user or a
document goes through `esc` here: gr.HTML renders its value as raw HTML, so
escaping at this one place is what keeps a document's `<script>` or `onerror=`
as visible text instead of code."""

from __future__ import annotations

import html
import re
from typing import Callable, Iterable

from ..answer import section_shown

STANCE_LABELS = {
    "supports": "supports",
    "opposes": "opposes",
    "proposes": "proposes",
    "calls_for_deletion": "calls for deletion",
    "withdraws": "withdraws",
    "prefers": "prefers",
    "questions": "questions",
    "expresses_concern": "expresses concern",
    "offers": "offers",
    "outcome": "outcome",
}
NO_ACTOR = "_none"  # matrix row / filter value for records that name no actor
NO_ARTICLE = "_none"  # matrix column / filter value for records about no article


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _lines(text: str) -> str:
    """Escaped text whose line breaks survive inside an HTML block."""
    return esc(text).replace("\n", "<br>")


def stance_label(stance: str) -> str:
    return STANCE_LABELS.get(stance, stance.replace("_", " "))


# -- locating a quote ---------------------------------------------------------
def locate(text: str, quote: str, start: int | None, end: int | None) -> tuple[int, int] | None:
    """Where the quote is in the text: the stored offsets when they still match,
    else the first occurrence (the document may have been re-indexed since a
    saved conversation), else None."""
    if start is not None and end is not None and 0 <= start < end <= len(text):
        if not quote or text[start:end] == quote:
            return start, end
    if quote:
        found = text.find(quote)
        if found >= 0:
            return found, found + len(quote)
    return None


def _paragraphs(doc) -> list:
    paragraphs = list(getattr(doc, "paragraphs", None) or [])
    if paragraphs:
        return paragraphs
    # A document without paragraph records: one paragraph per blank-line block.
    from types import SimpleNamespace

    out, pos = [], 0
    for block in re.split(r"(\n\s*\n)", doc.text):
        if block.strip() and not re.fullmatch(r"\n\s*\n", block):
            out.append(SimpleNamespace(start=pos, end=pos + len(block), kind="text", section="", attribution=None))
        pos += len(block)
    return out


def _marked(text: str, start: int, end: int, span: tuple[int, int] | None, mark_attrs: str) -> str:
    """text[start:end] escaped, with the part inside `span` wrapped in <mark>."""
    if not span or span[1] <= start or span[0] >= end:
        return _lines(text[start:end])
    s, e = max(span[0], start), min(span[1], end)
    return (
        _lines(text[start:s])
        + f"<mark{' ' + mark_attrs if mark_attrs else ''}>{_lines(text[s:e])}</mark>"
        + _lines(text[e:end])
    )


_BLOCK_TAGS = {"title": "h2", "heading": "h3", "quote": "blockquote"}


def document_view(doc, span: tuple[int, int] | None = None, caption: str = "") -> str:
    """A whole document in cleaned form; `span` is highlighted and is where the view scrolls to."""
    meta = dict(getattr(doc, "meta", None) or {})
    facts = [meta.get(k) for k in ("publisher", "date", "kind") if meta.get(k)]
    parts = [
        '<div class="doc-view">',
        f'<div class="doc-head"><div class="doc-title">{esc(doc.title)}</div>',
        f'<div class="doc-meta">{esc(" · ".join(facts + [doc.id]))}</div>',
    ]
    if caption:
        parts.append(f'<div class="doc-caption">{esc(caption)}</div>')
    parts.append('</div><div class="doc-body" tabindex="0">')
    for p in _paragraphs(doc):
        tag = _BLOCK_TAGS.get(p.kind, "p")
        cls = f' class="para-{esc(p.kind)}"'
        inner = _marked(doc.text, p.start, p.end, span, 'class="cited"')
        parts.append(f"<{tag}{cls}>{inner}</{tag}>")
    parts.append("</div></div>")
    return "".join(parts)


def passage_context(doc, span: tuple[int, int]) -> str:
    """The paragraph(s) holding the span, escaped, with the span marked."""
    around = [p for p in _paragraphs(doc) if p.start < span[1] and p.end > span[0]]
    if not around:
        return f"<mark>{_lines(doc.text[span[0]:span[1]])}</mark>"
    return " ".join(_marked(doc.text, p.start, p.end, span, "") for p in around)


def placeholder(text: str, kind: str = "empty") -> str:
    return f'<div class="placeholder placeholder-{esc(kind)}">{esc(text)}</div>'


# -- chat messages ------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|~>!-])")


def _section(c: dict) -> str:
    return section_shown(c.get("title") or "", c.get("section"))


def user_message(question: str) -> str:
    """The question as markdown that shows literally whatever the user typed.
    Quotes stay as they are: the chat's markdown would show `&#x27;` as typed."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(question, quote=False))


def assistant_message(answer: dict, number: int, streaming_text: str | None = None, scope: str = "") -> str:
    """One HTML block (no blank lines, so markdown leaves it alone) with the
    answer and its own list of sources, so an old turn keeps its citations.
    `scope`: the filters the question was asked within, in words."""
    text = answer.get("text", "") if streaming_text is None else streaming_text
    body = f'<div class="answer-text">{_lines(text)}{"<span class=cursor>▍</span>" if streaming_text is not None else ""}</div>'
    if answer.get("abstained"):
        body = f'<div class="abstain"><div class="abstain-title">The sources don\'t say</div>{body}</div>'
    parts = ['<div class="turn">', body]
    if streaming_text is None and scope:
        parts.append(f'<div class="answer-note answer-scope">Asked within the filters: {esc(scope)}</div>')
    if streaming_text is None:
        notes = [n for n in answer.get("notes") or [] if n and n.strip() != text.strip()]
        for note in notes:
            parts.append(f'<div class="answer-note">{_lines(note)}</div>')
        if answer.get("mode") == "generative":
            parts.append('<div class="answer-note answer-mode">Written by a language model; every sentence was '
                         'checked against the passage it cites.</div>')
        citations = answer.get("citations") or []
        if citations:
            items = "".join(
                f'<li><span class="src-num">[{esc(c["number"])}]</span> <b>{esc(c["title"])}</b>'
                f'{" — " + esc(_section(c)) if _section(c) else ""}: “{_lines(c["quote"])}”</li>'
                for c in citations
            )
            parts.append(
                f'<details class="turn-sources"><summary>Sources ({len(citations)}) · click this answer to open them '
                f'in the panel</summary><ul>{items}</ul></details>'
            )
    parts.append("</div>")
    return "".join(parts)


def scope_chips(chips: list[tuple[str, str, str]], bad: Iterable[str] = ()) -> str:
    """The filter bar's active filters: (field, value, label) each as a chip whose × removes it."""
    if not chips:
        return '<div class="scope-chips scope-none">No filters: questions draw on every document.</div>'
    bad = set(bad)
    out = ['<div class="scope-chips"><span class="scope-lead">Only:</span>']
    for field, value, label in chips:
        cls = " chip-bad" if field in bad else ""
        out.append(f'<span class="chip{cls}" data-field="{esc(field)}" data-value="{esc(value)}">{esc(label)}'
                   f'<button class="chip-x" type="button" aria-label="remove {esc(label)}" title="Remove this filter">×</button></span>')
    out.append("</div>")
    return "".join(out)


def pending_message() -> str:
    return '<div class="turn pending"><span class="cursor">▍</span> Searching the sources…</div>'


def error_message(message: str) -> str:
    return f'<div class="turn"><div class="chat-error"><b>Could not answer:</b> {_lines(message)}</div></div>'


# -- sources panel ------------------------------------------------------------
def sources_panel(answer: dict, number: int, lookup: Callable[[str], object | None], selected: int | None = None) -> str:
    """Per citation: title, section and the quote marked inside its paragraph."""
    citations = answer.get("citations") or []
    head = f'<div class="sources-head">Answer {number}: {esc(answer.get("question", ""))}</div>'
    if not citations:
        why = "No sources: the assistant abstained." if answer.get("abstained") else "This answer cites no sources."
        return f'<div class="sources">{head}{placeholder(why)}</div>'
    cards = []
    for c in citations:
        doc = lookup(c["document_id"])
        span = locate(doc.text, c["quote"], c.get("start"), c.get("end")) if doc is not None else None
        if span is None:
            context = f'<mark>{_lines(c["quote"])}</mark> <span class="gone">(no longer in the stored document)</span>'
        else:
            context = passage_context(doc, span)
        where = " · ".join(x for x in (_section(c), c.get("attribution")) if x)
        chosen = " selected" if selected == c["number"] else ""
        cards.append(
            f'<div class="cite-card{chosen}" data-cite="{esc(c["number"])}" role="button" tabindex="0" '
            f'title="Show this passage in the document">'
            f'<div class="cite-head"><span class="cite-num">[{esc(c["number"])}]</span> '
            f'<span class="cite-title">{esc(c["title"])}</span></div>'
            f'<div class="cite-where">{esc(where)}</div>'
            f'<div class="cite-context">{context}</div></div>'
        )
    return f'<div class="sources">{head}{"".join(cards)}</div>'


# -- positions explorer -------------------------------------------------------
def _article_key(article: str) -> tuple:
    return (0, int(article)) if article.isdigit() else (1, 0) if article == NO_ARTICLE else (0, 10_000)


def record_articles(record: dict) -> list[str]:
    return list(record.get("articles") or []) or [NO_ARTICLE]


def record_actors(record: dict) -> list[str]:
    return list(record.get("actors") or []) or [NO_ACTOR]


def stance_matrix(records: list[dict], actor_name: Callable[[str], str], article_title: Callable[[str], str],
                  selected: tuple[str | None, str | None] = (None, None)) -> str:
    """Actors by articles, each cell coloured by the stance(s) recorded there."""
    if not records:
        return placeholder("No position records match these filters.")
    cells: dict[tuple[str, str], list[dict]] = {}
    for r in records:
        for actor in record_actors(r):
            for article in record_articles(r):
                cells.setdefault((actor, article), []).append(r)
    actors = sorted({a for a, _ in cells}, key=lambda a: (a == NO_ACTOR, -sum(len(v) for (x, _), v in cells.items() if x == a), actor_name(a)))
    articles = sorted({b for _, b in cells}, key=_article_key)
    label = {NO_ACTOR: "No named actor / outcome"}
    head = "".join(
        f'<th class="col" title="{esc(article_title(b))}">{"Art. " + esc(b) if b != NO_ARTICLE else "general"}</th>'
        for b in articles
    )
    rows = []
    for a in actors:
        tds = []
        for b in articles:
            recs = cells.get((a, b))
            if not recs:
                tds.append("<td class='cell empty'></td>")
                continue
            stances = sorted({r["stance"] for r in recs})
            cls = f"st-{stances[0]}" if len(stances) == 1 else "st-mixed"
            mark = " chosen" if selected == (a, b) else ""
            name = label.get(a) or actor_name(a)
            art = f"Article {b}" if b != NO_ARTICLE else "no specific article"
            tip = f"{name} · {art}: " + ", ".join(stance_label(s) for s in stances) + f" ({len(recs)} record{'s' if len(recs) > 1 else ''})"
            tds.append(
                f'<td class="cell {esc(cls)}{mark}" data-actor="{esc(a)}" data-article="{esc(b)}" '
                f'title="{esc(tip)}" role="button" tabindex="0">{len(recs) if len(recs) > 1 else ""}</td>'
            )
        name = label.get(a) or actor_name(a)
        rows.append(f'<tr><th class="row" title="{esc(name)}">{esc(name)}</th>{"".join(tds)}</tr>')
    legend = "".join(
        f'<span class="legend-item"><span class="swatch st-{esc(k)}"></span>{esc(v)}</span>'
        for k, v in [*STANCE_LABELS.items(), ("mixed", "several stances")]
    )
    return (
        '<div class="matrix-wrap"><div class="legend">' + legend + "</div>"
        '<div class="matrix-scroll"><table class="matrix"><thead><tr><th class="corner">Actor \\ Article</th>'
        + head + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
        '<div class="matrix-hint">Select a coloured cell to see the records and their quotes below.</div></div>'
    )


def evidence_quote(ev: dict, source_html: str) -> str:
    """A quote of a record's evidence that opens its document when clicked; `source_html` (already
    escaped) says where it comes from."""
    return (f'<blockquote class="ev-quote" data-doc="{esc(ev["document"])}" data-start="{esc(ev.get("start"))}" '
            f'data-end="{esc(ev.get("end"))}" role="button" tabindex="0" title="Open in the Documents tab">'
            f'“{esc(ev["quote"])}”<span class="ev-src"> — {source_html}</span></blockquote>')


def evidence_list(records: Iterable[dict], actor_name: Callable[[str], str], doc_title: Callable[[str], str],
                  heading: str = "") -> str:
    records = list(records)
    if not records:
        return placeholder("No position records match these filters.")
    out = [f'<div class="evidence"><div class="evidence-head">{esc(heading or f"{len(records)} records")}</div>']
    for r in records:
        actors = ", ".join(actor_name(a) for a in r.get("actors") or []) or "No named actor"
        provisions = ", ".join(f"Art. {p}" for p in r.get("provisions") or []) or "no specific article"
        out.append(record_block(r, f"<b>{esc(actors)}</b> · {esc(provisions)}",
                                lambda ev: esc(doc_title(ev["document"]))))
    out.append("</div>")
    return "".join(out)


def record_block(record: dict, head: str, source_html: Callable[[dict], str]) -> str:
    """One position record: its stance badge, `head` (HTML), issue, summary, reason and each quote
    with `source_html(evidence)` as its source line. Shared by the stance grid and the timeline."""
    out = [f'<div class="record"><div class="record-head"><span class="badge st-{esc(record["stance"])}">'
           f'{esc(stance_label(record["stance"]))}</span> {head} · <i>{esc(record.get("issue", ""))}</i></div>'
           f'<div class="record-summary">{esc(record.get("summary", ""))}</div>']
    if record.get("reason"):
        out.append(f'<div class="record-reason">Reason given: {esc(record["reason"])}</div>')
    out += [evidence_quote(ev, source_html(ev)) for ev in record.get("evidence") or []]
    out.append("</div>")
    return "".join(out)


# -- documents tab ------------------------------------------------------------
def documents_table(documents: list[dict], selected: str | None = None) -> str:
    """One row per document: title, date, publisher, kind, id, and the fields its metadata lacks."""
    if not documents:
        return placeholder("No documents yet: add one below.")
    rows = []
    for d in documents:
        meta = d.get("meta") or {}
        chosen = " chosen" if d["id"] == selected else ""
        missing = meta.get("missing") or ""
        if isinstance(missing, (list, tuple)):
            missing = ", ".join(missing)
        rows.append(
            f'<tr class="doc-row{chosen}" data-doc="{esc(d["id"])}" role="button" tabindex="0">'
            f'<td class="doc-title-cell">{esc(d["title"])}<div class="doc-id"><code>{esc(d["id"])}</code></div></td>'
            f'<td class="doc-date">{esc(meta.get("date", ""))}</td>'
            f'<td class="doc-publisher">{esc(meta.get("publisher", ""))}</td><td class="doc-kind">{esc(meta.get("kind", ""))}</td>'
            f'<td class="doc-missing{"" if missing else " doc-complete"}" '
            f'title="{esc("found: " + meta["found"]) if meta.get("found") else ""}">{esc(missing) if missing else "—"}</td></tr>'
        )
    return (
        f'<div class="doc-list"><div class="doc-count">{len(documents)} document{"s" if len(documents) != 1 else ""}'
        ' · select one to read it</div><table><thead><tr><th>Title and id</th><th>Date</th><th>Publisher</th><th>Kind</th>'
        '<th title="metadata fields found nowhere in the file or its .meta.yaml">Missing</th>'
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
    )


def status(message: str, kind: str = "ok") -> str:
    return f'<div class="status status-{esc(kind)}">{_lines(message)}</div>'
