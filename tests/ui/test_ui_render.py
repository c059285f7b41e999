"""The HTML builders and the conversation store, without a server: escaping,
highlighting inside paragraphs, and ids that cannot name other files."""

from types import SimpleNamespace

from assistant.cleaning import Paragraph
from assistant.web import render
from assistant.web.conversations import ConversationStore, history_of, new_conversation
from assistant.web.library import safe_name

TEXT = "Title <b>\n\nFirst paragraph says <script>x()</script> here.\n\nSecond one."
DOC = SimpleNamespace(
    id="d1", title='T <img src=x onerror="y()">', text=TEXT, meta={"publisher": "P&Co"},
    paragraphs=[Paragraph(TEXT.index(t), TEXT.index(t) + len(t), kind, "T")
                for t, kind in [("Title <b>", "title"), ("First paragraph says <script>x()</script> here.", "text"),
                                ("Second one.", "text")]],
)
SECOND = TEXT.index("Second")


def test_document_view_escapes_and_marks_the_span():
    start = TEXT.index("says")
    html = render.document_view(DOC, (start, start + len("says <script>x()</script>")))
    assert "<script>" not in html and "<img" not in html
    assert '<mark class="cited">says &lt;script&gt;x()&lt;/script&gt;</mark>' in html
    assert "P&amp;Co" in html and "T &lt;img src=x onerror=&quot;y()&quot;&gt;" in html


def test_passage_context_is_the_paragraph_holding_the_quote():
    start = TEXT.index("Second")
    html = render.passage_context(DOC, (start, start + 6))
    assert html == "<mark>Second</mark> one."


def test_locate_falls_back_to_searching_the_quote():
    assert render.locate(TEXT, "Second", SECOND, SECOND + 6) == (SECOND, SECOND + 6)
    assert render.locate(TEXT, "Second", 0, 6) == (SECOND, SECOND + 6)  # stale offsets
    assert render.locate(TEXT, "not there", 0, 9) is None


def test_chat_messages_show_markup_literally():
    assert "<" not in render.user_message("<img src=x onerror=alert(1)> *hi*")
    answer = {"text": "A <script>b</script> [1].", "abstained": False, "notes": [],
              "citations": [{"number": 1, "title": "<i>t</i>", "section": "s", "quote": "<q>", "document_id": "d"}]}
    html = render.assistant_message(answer, 1)
    assert "<script>" not in html and "<i>" not in html and "\n\n" not in html
    assert "&lt;script&gt;b&lt;/script&gt; [1]." in html
    abstained = render.assistant_message({"text": "They don't say.", "abstained": True}, 2)
    assert 'class="abstain"' in abstained and "The sources don't say" in abstained


def test_matrix_and_evidence_escape_names():
    records = [{"id": "r", "actors": ["x"], "provisions": ["24"], "articles": ["24"], "stance": "opposes",
                "issue": "<i>", "summary": "<s>", "reason": None,
                "evidence": [{"document": "d1", "quote": "<script>", "start": 0, "end": 8}]}]
    matrix = render.stance_matrix(records, lambda a: "<b>X</b>", lambda b: f"Article {b}")
    assert "&lt;b&gt;X&lt;/b&gt;" in matrix and 'data-actor="x" data-article="24"' in matrix
    evidence = render.evidence_list(records, lambda a: a, lambda d: "<t>")
    assert "<script>" not in evidence and "&lt;t&gt;" in evidence


def test_conversation_store_round_trip_and_refuses_paths(tmp_path):
    store = ConversationStore(tmp_path)
    conv = new_conversation()
    conv["turns"].append({"question": "q", "answer": {"text": "a [1]."}, "markdown": "a [^1]."})
    store.save(conv)
    assert store.load(conv["id"]) == conv
    assert history_of(conv) == [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a [1]."}]
    (tmp_path.parent / "secret.json").write_text('{"turns": []}')
    for bad in ("../secret", "..", "", None, "a/b", "x" * 100):
        assert store.load(bad) is None
    assert store.browser_secret() == store.browser_secret()


def test_upload_names_become_valid_document_ids():
    assert safe_name("fiji statement 24-7.md") == "fiji_statement_24-7.md"
    assert safe_name("../../etc/passwd.TXT") == "passwd.txt"
    assert safe_name("???.pdf") == "document.pdf"


def test_a_citations_section_is_shown_only_where_it_is_not_the_title():
    same = {"number": 1, "title": "What the Convention Means", "section": "What the Convention Means", "quote": "By Ana Ruiz",
            "document_id": "d1"}
    other = {**same, "number": 2, "section": "Risks"}
    answer = {"text": "By Ana Ruiz [1][2].", "abstained": False, "notes": [], "citations": [same, other]}
    chat = render.assistant_message(answer, 1)
    assert "<b>What the Convention Means</b>: “By Ana Ruiz”" in chat and " — Risks" in chat
    panel = render.sources_panel(answer, 1, lambda doc_id: None)
    assert '<div class="cite-where"></div>' in panel and '<div class="cite-where">Risks</div>' in panel
