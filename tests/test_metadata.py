"""Document metadata read from the file itself, reported when missing, corrected by an editor."""

from __future__ import annotations

from pypdf import PdfWriter

from assistant import Assistant
from assistant.documents import load_document
from assistant.metadata import date_in_first_lines, save_correction

from .conftest import copy_knowledge

BODY = "Delegations met again on the draft convention. Several states asked for stronger safeguards.\n"


def test_html_meta_tags_and_time(tmp_path):
    path = tmp_path / "wire.html"
    path.write_text("""<html><head><title>Page title | Site</title>
        <meta property="og:title" content="Talks resume on the convention">
        <meta property="og:site_name" content="Kestrel Wire">
        <meta property="article:published_time" content="2024-08-09T10:00:00Z"></head>
        <body><h1>Talks resume</h1><p>""" + BODY + "</p></body></html>", encoding="utf-8")
    meta = load_document(path, meta={}).meta
    assert (meta["title"], meta["publisher"], meta["date"]) == ("Talks resume on the convention", "Kestrel Wire", "2024-08-09")
    assert meta["missing"] == "kind" and "article:published_time" in meta["found"]


def test_html_json_ld_gives_the_articles_headline_publisher_and_date(tmp_path):
    """Many news sites give their metadata as schema.org JSON-LD, not <meta> tags: the article's own entry (in a
    @graph beside the site's Organization) names its publisher and date. Broken JSON-LD is passed over."""
    path = tmp_path / "story.html"
    path.write_text("""<html><head><title>UN adopts treaty | Kestrel Wire</title>
        <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
          {"@type": "Organization", "name": "Kestrel Media Group"},
          {"@type": ["NewsArticle"], "headline": "UN adopts cybercrime treaty", "datePublished": "2024-12-24T10:00:00+01:00",
           "publisher": {"@type": "Organization", "name": "Kestrel  Wire"}}]}</script>
        <script type="application/ld+json">{not json</script></head>
        <body><h1>UN adopts cybercrime treaty</h1><p>""" + BODY + "</p></body></html>", encoding="utf-8")
    meta = load_document(path, meta={}).meta
    assert (meta["title"], meta["publisher"], meta["date"]) == ("UN adopts cybercrime treaty", "Kestrel Wire", "2024-12-24")
    assert "JSON-LD" in meta["found"]

def test_html_time_element(tmp_path):
    path = tmp_path / "note.html"
    path.write_text(f"<html><body><p>Posted <time datetime='2023-04-18'>18 April</time></p><p>{BODY}</p></body></html>",
                    encoding="utf-8")
    assert load_document(path, meta={}).meta["date"] == "2023-04-18"


def test_markdown_front_matter_is_read_and_not_cited(tmp_path):
    path = tmp_path / "report.md"
    path.write_text(f"---\ntitle: Session report\npublisher: Harbour Times\ndate: 2024-02-09\nkind: news\n---\n\n{BODY}",
                    encoding="utf-8")
    doc = load_document(path, meta={})
    assert (doc.meta["title"], doc.meta["publisher"], doc.meta["date"], doc.meta["kind"]) == (
        "Session report", "Harbour Times", "2024-02-09", "news")
    assert doc.meta["missing"] == "" and "publisher:" not in doc.text and "Delegations met" in doc.text


def test_pdf_document_information_title(tmp_path):
    path = tmp_path / "statement.pdf"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Title": "Statement on technical assistance"})
    with open(path, "wb") as out:
        writer.write(out)
    from assistant.metadata import from_file

    assert from_file(path, None)["title"][0] == "Statement on technical assistance"


def test_a_dateline_dates_the_text_but_an_event_does_not():
    assert date_in_first_lines("Published December 25, 2024 | 10:00 AM\nThe Assembly adopted it.") == "2024-12-25"
    assert date_in_first_lines("Posted on 26 Jul 2024\nOn 29 July 2024, the session begins.") == "2024-07-26"
    assert date_in_first_lines("Tuesday, 9 August 2024\nText.") == "2024-08-09"
    assert date_in_first_lines("On 29 January 2024, the concluding session begins its work.") is None
    assert date_in_first_lines("- Organizational session, New York, 10-12 May 2021") is None
    # a publication cue with a month and no day dates the text to its month
    assert date_in_first_lines("(C) Freedom House\n\nDate: 2024-02\n\nWe call on…") == "2024-02"
    assert date_in_first_lines("Published February 2024\nText.") == "2024-02"
    assert date_in_first_lines("Updated: Sept. 2023\nText.") == "2023-09"
    assert date_in_first_lines("In February 2024 the session ended.") is None
    # a scraped dateline whose time was glued to the year still dates the text; a longer number is no year
    assert date_in_first_lines("Comment by the Press Department\n22 November 201913:18\nText.") == "2019-11-22"
    assert date_in_first_lines("22 November 20194\nText.") is None


def test_the_file_wins_over_meta_yaml_and_what_is_missing_is_reported(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Session notes\n\nDate: 2022-03-01\n\n" + BODY, encoding="utf-8")
    (tmp_path / "plain.meta.yaml").write_text("date: 2021-01-01\npublisher: Harbour Times\n", encoding="utf-8")
    meta = load_document(path).meta
    assert meta["publisher"] == "Harbour Times" and ".meta.yaml" in meta["found"]
    assert meta["date"] == "2021-01-01"  # a date in the text only fills a gap: the .meta.yaml gave one
    bare = tmp_path / "bare.txt"
    bare.write_text(BODY, encoding="utf-8")
    assert load_document(bare).meta["missing"] == "title, publisher, date, kind"


def test_an_editors_correction_survives_reingest(tmp_path):
    knowledge = copy_knowledge(tmp_path / "knowledge")
    assistant = Assistant.load(knowledge, tmp_path / "index")
    source = tmp_path / "incoming" / "wire_note.md"
    source.parent.mkdir()
    source.write_text(f"---\ndate: 2024-08-08\npublisher: Kestrel Wire\n---\n\n{BODY}", encoding="utf-8")
    assistant.ingest(source)
    assert assistant.document("wire_note").meta["date"] == "2024-08-08"
    save_correction(knowledge, "wire_note", {"date": "2024-08-09"})
    assistant.ingest(source)  # the same file again: the correction holds
    meta = assistant.document("wire_note").meta
    assert meta["date"] == "2024-08-09" and "editor's correction" in meta["found"]
    assert meta["publisher"] == "Kestrel Wire"
    assistant.index()
    assert assistant.document("wire_note").meta["date"] == "2024-08-09"


def test_documents_command_lists_and_edits(tmp_path):
    import json

    from typer.testing import CliRunner

    from assistant.cli import app

    knowledge = copy_knowledge(tmp_path / "knowledge")
    (knowledge / "documents" / "wire_note.md").write_text(f"---\npublisher: Kestrel Wire\n---\n\n{BODY}", encoding="utf-8")
    index = tmp_path / "index"
    Assistant.load(knowledge, index)
    runner = CliRunner()
    common = ["-k", str(knowledge), "--persist-dir", str(index)]
    listed = runner.invoke(app, ["documents", *common])
    assert listed.exit_code == 0, listed.output
    row = next(line.split("\t") for line in listed.output.splitlines() if line.startswith("wire_note"))
    assert row[2] == "Kestrel Wire" and "date" in row[5]
    edited = runner.invoke(app, ["documents", "edit", "wire_note", "--set", "date=2024-08-09", *common])
    assert edited.exit_code == 0, edited.output
    assert json.loads(edited.output)["date"] == "2024-08-09"
    again = json.loads(runner.invoke(app, ["documents", "--json", *common]).output)
    assert next(d for d in again if d["id"] == "wire_note")["meta"]["date"] == "2024-08-09"
    bad = runner.invoke(app, ["documents", "edit", "wire_note", "--set", "date=last week", *common])
    assert bad.exit_code != 0 and "not a date" in bad.output
    unknown = runner.invoke(app, ["documents", "edit", "no_such_doc", "--set", "date=2024-08-09", *common])
    assert unknown.exit_code != 0 and "no_such_doc" in unknown.output


def test_a_date_in_the_files_name_dates_it_when_nothing_else_does(tmp_path):
    named = tmp_path / "wire-2024-12-25-adoption.txt"
    named.write_text(BODY, encoding="utf-8")
    meta = load_document(named).meta
    assert meta["date"] == "2024-12-25" and "date: the file's name" in meta["found"], meta
    monthly = tmp_path / "digest-2023-08.txt"
    monthly.write_text(BODY, encoding="utf-8")
    assert load_document(monthly).meta["date"] == "2023-08"
    # A dateline in the text comes first; a year alone or a number that is no date gives none.
    dated = tmp_path / "wire-2024-12-25-copy.txt"
    dated.write_text("Session notes\n\nDate: 2022-03-01\n\n" + BODY, encoding="utf-8")
    assert load_document(dated).meta["date"] == "2022-03-01"
    for name in ("cfr-2020-way-forward.txt", "report-2024-13-40.txt"):
        (tmp_path / name).write_text(BODY, encoding="utf-8")
        assert "date" in load_document(tmp_path / name).meta["missing"], name
