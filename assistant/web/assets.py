"""CSS and the small JavaScript hooks of the web chat.

The JS only reads data-* attributes that render.py wrote (escaped) and calls
Gradio's `trigger`, so clicks on rendered HTML reach Python handlers; no
document text is ever evaluated."""

# Clicking (or Enter on) a source card opens that citation in the document view.
SOURCES_JS = """
const pick = (card) => trigger('cite', {number: parseInt(card.dataset.cite, 10)});
element.addEventListener('click', (e) => { const c = e.target.closest('[data-cite]'); if (c) pick(c); });
element.addEventListener('keydown', (e) => {
  const c = e.target.closest('[data-cite]');
  if (c && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); pick(c); }
});
"""

# Keep the highlighted passage in view inside the scrollable document body.
DOC_JS = """
const scroll = () => {
  const box = element.querySelector('.doc-body');
  const mark = element.querySelector('mark.cited');
  if (!box) return;
  box.scrollTop = mark ? Math.max(0, mark.offsetTop - box.clientHeight / 3) : 0;
};
watch('value', () => requestAnimationFrame(() => {
  scroll();
  // Bring a newly highlighted passage into the window too, not only into the box.
  if (element.querySelector('mark.cited')) element.scrollIntoView({block: 'nearest', behavior: 'smooth'});
}));
requestAnimationFrame(scroll);
"""

MATRIX_JS = """
const pick = (td) => trigger('cell', {actor: td.dataset.actor, article: td.dataset.article});
element.addEventListener('click', (e) => { const td = e.target.closest('td[data-actor]'); if (td) pick(td); });
element.addEventListener('keydown', (e) => {
  const td = e.target.closest('td[data-actor]');
  if (td && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); pick(td); }
});
"""

# A chip's × removes that one filter of the Ask tab's filter bar.
CHIPS_JS = """
element.addEventListener('click', (e) => {
  const x = e.target.closest('.chip-x');
  if (!x) return;
  const chip = x.closest('.chip');
  trigger('unchip', {field: chip.dataset.field, value: chip.dataset.value});
});
"""

# A timeline mark (an SVG <g> or an undated list item) shows its record's evidence.
TIMELINE_JS = """
const pick = (m) => trigger('mark', {record: m.dataset.record});
element.addEventListener('click', (e) => { const m = e.target.closest('[data-record]'); if (m) pick(m); });
element.addEventListener('keydown', (e) => {
  const m = e.target.closest('[data-record]');
  if (m && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); pick(m); }
});
"""

EVIDENCE_JS = """
const pick = (q) => trigger('quote', {doc: q.dataset.doc, start: q.dataset.start, end: q.dataset.end});
element.addEventListener('click', (e) => { const q = e.target.closest('.ev-quote'); if (q) pick(q); });
element.addEventListener('keydown', (e) => {
  const q = e.target.closest('.ev-quote');
  if (q && e.key === 'Enter') { e.preventDefault(); pick(q); }
});
"""

DOCLIST_JS = """
const pick = (row) => trigger('open', {doc: row.dataset.doc});
element.addEventListener('click', (e) => { const r = e.target.closest('tr[data-doc]'); if (r) pick(r); });
element.addEventListener('keydown', (e) => {
  const r = e.target.closest('tr[data-doc]');
  if (r && e.key === 'Enter') { e.preventDefault(); pick(r); }
});
"""

# navigator.clipboard exists only in secure contexts (https, localhost); elsewhere
# (e.g. served on a LAN address over http) fall back to a hidden textarea.
COPY_JS = """
(md) => {
  if (!md) return md;
  const fallback = () => {
    const t = document.createElement('textarea');
    t.value = md; t.setAttribute('readonly', ''); t.style.position = 'fixed'; t.style.opacity = '0';
    document.body.appendChild(t); t.select();
    try { document.execCommand('copy'); } finally { t.remove(); }
  };
  if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(md).catch(fallback); }
  else { fallback(); }
  return md;
}
"""

CSS = """
.app-header h1 { margin: 0 0 .2rem 0; font-size: 1.45rem; }
.app-header p { margin: 0; opacity: .8; }
.placeholder { padding: .8rem; opacity: .7; font-style: italic; }
.placeholder-error { color: #b71c1c; opacity: 1; font-style: normal; }

/* chat */
.turn .answer-text { line-height: 1.5; }
.turn .cursor { opacity: .6; }
.turn.pending { opacity: .75; font-style: italic; }
.abstain { border: 1px solid #e0a800; border-left: 6px solid #e0a800; background: rgba(255, 193, 7, .12);
  border-radius: 6px; padding: .5rem .75rem; }
.abstain-title { font-weight: 700; color: #8a6100; margin-bottom: .2rem; }
.abstain-title::before { content: "⚠ "; }
.answer-note { font-size: .85em; opacity: .75; margin-top: .3rem; }
.chat-error { border-left: 6px solid #c62828; background: rgba(198, 40, 40, .08); padding: .5rem .75rem; border-radius: 6px; }
.turn-sources { margin-top: .5rem; font-size: .85em; }
.turn-sources summary { cursor: pointer; opacity: .8; }
.turn-sources ul { margin: .3rem 0 0 0; padding-left: 1.1rem; }
.src-num { font-weight: 700; }
.example-row button { font-size: .85em !important; }

/* sources panel and document views */
.sources-head { font-weight: 600; margin-bottom: .4rem; }
#sources .sources { max-height: 380px; overflow-y: auto; padding-right: .2rem; }
.cite-card { border: 1px solid rgba(128, 128, 128, .35); border-radius: 8px; padding: .5rem .65rem; margin-bottom: .5rem;
  cursor: pointer; transition: background .15s; }
.cite-card:hover, .cite-card:focus { background: rgba(25, 118, 210, .08); outline: none; }
.cite-card.selected { border-color: #1976d2; box-shadow: 0 0 0 2px rgba(25, 118, 210, .35); }
.cite-num { font-weight: 700; color: #1976d2; }
.cite-title { font-weight: 600; }
.cite-where { font-size: .8em; opacity: .7; margin: .1rem 0 .3rem; }
.cite-context { font-size: .9em; line-height: 1.45; }
.cite-context mark, .doc-body mark { background: #ffe066; color: #111; padding: 0 .1em; border-radius: 2px; }
.doc-body mark.cited { box-shadow: 0 0 0 2px #f59f00; }
.gone { font-size: .8em; color: #b71c1c; }
.doc-view { border: 1px solid rgba(128, 128, 128, .35); border-radius: 8px; overflow: hidden; }
.doc-head { padding: .5rem .75rem; background: rgba(128, 128, 128, .08); border-bottom: 1px solid rgba(128, 128, 128, .25); }
.doc-title { font-weight: 700; }
.doc-meta, .doc-caption { font-size: .8em; opacity: .75; }
.doc-caption { color: #1976d2; opacity: 1; }
.doc-body { position: relative; max-height: 460px; overflow-y: auto; padding: .5rem .9rem; line-height: 1.5; }
#doc-reader .doc-body { max-height: 640px; }
.doc-body h2 { font-size: 1.15rem; margin: .4rem 0; }
.doc-body h3 { font-size: 1rem; margin: .9rem 0 .3rem; }
.doc-body blockquote { border-left: 3px solid rgba(128, 128, 128, .5); margin: .5rem 0; padding-left: .7rem; font-style: italic; }
.doc-body p { margin: .45rem 0; }
.doc-body .para-attribution { font-size: .85em; opacity: .8; }

/* positions */
.legend { display: flex; flex-wrap: wrap; gap: .3rem .8rem; font-size: .8em; margin-bottom: .5rem; }
.legend-item { display: inline-flex; align-items: center; gap: .25rem; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
.matrix-scroll { overflow: auto; max-height: 640px; }
table.matrix { border-collapse: separate; border-spacing: 2px; font-size: .78em; border: none !important; margin: 0; }
table.matrix th, table.matrix td { border: none !important; }
table.matrix th.col { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; padding: 2px; font-weight: 600;
  position: sticky; top: 0; background: var(--background-fill-primary, #fff); }
table.matrix th.corner { position: sticky; top: 0; left: 0; z-index: 2; background: var(--background-fill-primary, #fff); text-align: left; }
table.matrix th.row { text-align: right; white-space: nowrap; padding-right: .4rem; font-weight: 500;
  position: sticky; left: 0; background: var(--background-fill-primary, #fff);
  max-width: 150px; overflow: hidden; text-overflow: ellipsis; }
td.cell { width: 20px; height: 20px; min-width: 20px; padding: 0 !important; text-align: center; color: #fff; font-weight: 700; border-radius: 3px; }
td.cell.empty { background: rgba(128, 128, 128, .08); }
td.cell[data-actor] { cursor: pointer; }
td.cell[data-actor]:hover, td.cell.chosen { outline: 2px solid #111; outline-offset: 1px; }
.matrix-hint { font-size: .8em; opacity: .7; margin-top: .4rem; }
.st-supports { background: #2e7d32; } .st-opposes { background: #c62828; } .st-proposes { background: #1565c0; }
.st-calls_for_deletion { background: #6a1b9a; } .st-withdraws { background: #757575; } .st-prefers { background: #00897b; }
.st-questions { background: #f9a825; } .st-expresses_concern { background: #ef6c00; } .st-offers { background: #7cb342; }
.st-outcome { background: #455a64; }
.st-mixed { background: repeating-linear-gradient(45deg, #c62828 0 4px, #1565c0 4px 8px); }
.evidence-head { font-weight: 600; margin-bottom: .4rem; }
#evidence .evidence { max-height: 700px; overflow-y: auto; padding-right: .2rem; }
.record { border: 1px solid rgba(128, 128, 128, .3); border-radius: 8px; padding: .5rem .65rem; margin-bottom: .5rem; }
.badge { color: #fff; border-radius: 10px; padding: 0 .5rem; font-size: .8em; font-weight: 600; }
.record-summary { margin: .3rem 0; }
.record-reason { font-size: .9em; opacity: .85; }
.ev-quote { margin: .35rem 0 0; padding: .3rem .6rem; border-left: 3px solid #f59f00; background: rgba(245, 159, 0, .07);
  font-size: .88em; cursor: pointer; }
.ev-quote:hover { background: rgba(245, 159, 0, .16); }
.ev-src { opacity: .7; font-style: italic; }

/* filter bar (Ask tab) */
#scope-bar { gap: .4rem; }
.scope-chips { display: flex; flex-wrap: wrap; gap: .3rem; align-items: center; font-size: .85em; min-height: 1.6rem; }
.scope-none { opacity: .65; font-style: italic; }
.scope-lead { opacity: .75; }
.chip { display: inline-flex; align-items: center; gap: .2rem; border-radius: 12px; padding: .05rem .2rem .05rem .6rem;
  background: rgba(25, 118, 210, .12); border: 1px solid rgba(25, 118, 210, .45); }
.chip-bad { background: rgba(198, 40, 40, .1); border-color: #c62828; color: #b71c1c; }
.chip-x { border: none; background: none; cursor: pointer; font-size: 1.05em; line-height: 1; padding: 0 .3rem; opacity: .7; }
.chip-x:hover { opacity: 1; }
.answer-scope { font-style: italic; }

/* timeline (Positions tab) */
.timeline { margin-bottom: .8rem; }
.timeline-head { font-weight: 600; margin-bottom: .3rem; }
.timeline-svg { max-width: 760px; display: block; }
.tl-mark { cursor: pointer; }
g.tl-mark:hover circle, g.tl-mark:focus circle { stroke: #111; stroke-width: 3; }
g.tl-mark:focus { outline: none; }
.tl-undated ul { margin: .2rem 0; padding-left: 1rem; font-size: .88em; }
.tl-undated-head { font-size: .85em; opacity: .75; }
.tl-undated-item.chosen { font-weight: 600; }

/* documents */
.doc-list table { width: 100%; border-collapse: collapse; font-size: .88em; border: none !important; }
.doc-list th, .doc-list td { text-align: left; padding: .3rem .4rem; border: none !important;
  border-bottom: 1px solid rgba(128, 128, 128, .25) !important; vertical-align: top; }
.doc-row { cursor: pointer; }
.doc-row:hover, .doc-row.chosen { background: rgba(25, 118, 210, .08); }
.doc-count { font-size: .85em; opacity: .75; margin-bottom: .3rem; }
.doc-date { white-space: nowrap; }
.doc-missing { font-size: .9em; color: #8a6100; }
.doc-missing.doc-complete { color: inherit; opacity: .5; }
.doc-id { font-size: .8em; opacity: .7; margin-top: .1rem; word-break: break-all; }
.status { padding: .5rem .7rem; border-radius: 6px; border-left: 5px solid #2e7d32; background: rgba(46, 125, 50, .08); }
.status-error { border-left-color: #c62828; background: rgba(198, 40, 40, .08); }
"""
