from pathlib import Path

import pytest

from assistant.documents import load_document
from assistant.errors import DocumentError
from assistant.passages import sentence_spans

from .conftest import NOISE, REPO, SEED_ID

SEED = REPO / "knowledge" / "documents" / f"{SEED_ID}.txt"


@pytest.fixture(scope="module")
def seed():
    return load_document(SEED)


def test_seed_file_is_kept_exactly_as_scraped():
    original = REPO.parent / "shared" / "seed" / SEED.name
    if not original.exists():
        pytest.skip("shared/seed is not beside this checkout")
    assert SEED.read_bytes() == original.read_bytes()


@pytest.mark.parametrize("noise", NOISE + ["\ncooperation\n"])
def test_noise_is_removed(seed, noise):
    assert noise not in seed.text


def test_real_content_stays_with_sections_and_attribution(seed):
    text = seed.text
    assert "Pakistan supported Egypt and Brazil suggested appending ‘legality’" in text
    headings = [text[p.start:p.end] for p in seed.paragraphs if p.kind == "heading"]
    assert headings[:3] == ["So, what happened?", "Scope of the convention and criminalisation", "Human rights and safeguards"]
    quote = next(p for p in seed.paragraphs if p.kind == "quote" and "offenders, victims" in text[p.start:p.end])
    assert quote.attribution == "Director Craig Jones, INTERPOL Cybercrime Programme"
    assert quote.section == "Transfer of technology and technical assistance"
    reasons = {reason for _, reason in seed.removed}
    assert {"image tag list", "machine-written image description", "page footer", "stray word", "photo caption"} <= reasons


def test_news_of_the_treaty_text_is_no_image_description():
    from assistant.cleaning import noise_reason
    from assistant.formats import Block

    def reason(text):
        return noise_reason(Block(text=text, heading=False, group=0), "", set(), False)
    assert reason("The text is riddled with disagreement on key issues such as terminology and surveillance.") is None
    assert reason("The image shows a delegate speaking at a podium.") == "machine-written image description"
    assert reason("The message is short and lacks specific details.") == "machine-written image description"


def test_html_scripts_and_figures_never_become_text(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(
        "<html><head><title>x</title><script>alert(1)</script></head><body>"
        "<h1>Session report</h1><figure><img src=x onerror='alert(2)'><figcaption>A delegate at a desk</figcaption></figure>"
        "<h2>Article 24</h2><p>Ghana supported the safeguards in Article 24 because they protect journalists.</p>"
        "</body></html>", encoding="utf-8")
    doc = load_document(page)
    assert "alert" not in doc.text and "figcaption" not in doc.text and "A delegate at a desk" not in doc.text
    para = next(p for p in doc.paragraphs if "Ghana" in doc.text[p.start:p.end])
    assert para.section == "Article 24"


def test_html_text_set_straight_in_a_container_is_read_as_paragraphs(tmp_path):
    """Many publishing systems write an article's text straight into a <div>, parted by <br><br>, beside or
    without <p> elements: it is the article, and must not be lost."""
    page = tmp_path / "wire.html"
    page.write_text(
        "<html><body><article><h1>Assembly adopts convention</h1>"
        "<div class='body'>The General Assembly adopted the convention <b>without a vote</b>.<br><br>"
        "It will enter into force 90 days after the 40th ratification.<!-- ad slot -->"
        "<p>Rights groups warned that the text lacks safeguards.</p>Ghana welcomed the outcome.</div>"
        "<ul><li>Signing: Hanoi<ul><li>October 2025</li></ul></li></ul></article></body></html>", encoding="utf-8")
    doc = load_document(page)
    paragraphs = [doc.text[p.start:p.end] for p in doc.paragraphs]
    assert paragraphs[1:] == ["The General Assembly adopted the convention without a vote.",
                              "It will enter into force 90 days after the 40th ratification.",
                              "Rights groups warned that the text lacks safeguards.", "Ghana welcomed the outcome.",
                              "Signing: Hanoi", "October 2025"], paragraphs
    assert "ad slot" not in doc.text

def test_a_web_pages_furniture_is_no_part_of_its_report(tmp_path):
    """A cookie notice, a newsletter prompt, related stories, readers' comments and a copyright line are the page's,
    not its report's: they are removed, each with its reason, while the report and the lines heading it stay."""
    article = ["The UN General Assembly on Tuesday adopted the Convention against Cybercrime without a vote, ending five "
               "years of negotiations.",
               "The treaty will open for signature in Hanoi in 2025 and enter into force 90 days after the 40th ratification.",
               "Rights groups warned that the text lacks safeguards for journalists and security researchers.",
               "The European Union said it would work to ensure the convention is implemented with respect for human rights.",
               "Several delegations said the real test would be how states use its cooperation chapter."]
    furniture = ["We use cookies to improve your experience. By continuing to browse you agree to our cookie policy.",
                 "Sign up for our daily newsletter to get the latest news in your inbox.",
                 "Russia pushes for UN cyber treaty", "What the new convention means for journalists",
                 "Great article, thanks!", "© 2024 Example News. All rights reserved."]
    page = tmp_path / "news.html"
    page.write_text(
        f"<html><body><div id='cookie-banner'>{furniture[0]}</div><main><article>"
        "<h1>UN General Assembly adopts cybercrime convention</h1><div class='byline'>By Jane Doe | 24 December 2024</div>"
        f"<div class='article-body'><p>{article[0]}</p><p>{article[1]}</p><p>{article[2]}</p>"
        f"<div class='newsletter-signup'>{furniture[1]}</div><p>{article[3]}</p><p>{article[4]}</p></div></article>"
        f"<section class='related-stories'><h3>Related stories</h3><ul><li><a href='/a'>{furniture[2]}</a></li>"
        f"<li><a href='/b'>{furniture[3]}</a></li></ul></section>"
        f"<div class='comments'><h3>Comments</h3><p>{furniture[4]}</p></div></main>"
        f"<div class='site-footer'><p>{furniture[5]}</p></div></body></html>", encoding="utf-8")
    doc = load_document(page)
    assert all(a in doc.text for a in article), doc.text
    assert doc.title == "UN General Assembly adopts cybercrime convention"
    assert "By Jane Doe | 24 December 2024" in doc.text
    assert not any(f in doc.text for f in furniture), doc.text
    assert {reason for _, reason in doc.removed} == {"web page furniture (not the page's main text)"}

def test_a_word_broken_across_wrapped_lines_is_made_whole(tmp_path):
    """A PDF's justified lines break words with a hyphen ("criminali-" / "zation"): joined, the word is whole again,
    while a compound the text writes with its hyphen elsewhere ("cyber-dependent") keeps it, as does one whose parts
    it uses as words of their own ("well-known")."""
    report = tmp_path / "report.txt"
    report.write_text(
        "Report of the Ad Hoc Committee on its fifth session, held in Vienna in April 2023\n\n"
        "Delegations discussed the consolidated negotiating document, in particular the provisions on the criminali-\n"
        "zation of offences. Several delegations expressed the view that the scope should be limited to cyber-\n"
        "dependent crimes, since cyber-dependent crimes are the core of the treaty. It was well known that the\n"
        "text would change, as it was a well-\n"
        "known fact that the negotiations dis-\n"
        "cussed every chapter.\n", encoding="utf-8")
    text = load_document(report).text
    assert "the provisions on the criminalization of offences." in text, text
    assert "limited to cyber-dependent crimes" in text and "a well-known fact" in text, text
    assert "the negotiations discussed every chapter." in text, text

def test_a_pdfs_running_header_and_footer_never_break_into_its_paragraphs(tmp_path):
    """A UN report repeats its symbol at the top of every page and a job number and page count at the foot: read
    as text they broke into the paragraph running over the page break, which became two. The first page's header
    stays (it says what the document is); the paragraph is one again."""
    from fpdf import FPDF

    class Report(FPDF):
        def header(self):
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, "A/AC.291/22", align="R")
            self.ln(10)

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, f"V.23-04567     {self.page_no()}/3", align="C")

    paragraph = ("The Ad Hoc Committee held its fifth session in Vienna from 11 to 21 April 2023, and delegations "
                 "discussed the provisions on international cooperation at length in plenary. ")
    pdf = Report()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for n in range(1, 15):
        pdf.multi_cell(0, 6, f"{n}. " + paragraph * 2)
        pdf.ln(3)
    assert pdf.page_no() > 1
    pdf.output(str(tmp_path / "report.pdf"))
    doc = load_document(tmp_path / "report.pdf")
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "A/AC.291/22" and doc.text.count("A/AC.291/22") == 1, paragraphs
    assert "V.23" not in doc.text, paragraphs
    assert paragraphs[1:] == [f"{n}. " + (paragraph * 2).strip() for n in range(1, 15)], paragraphs

def test_a_tables_row_is_read_as_one_line(tmp_path):
    """A row says who took which stance: cell by cell ("Egypt", "opposes", "Article 24") it says nothing. A row of an
    HTML or a Markdown table is one line, its cells parted by " | "; a layout table's cells holding paragraphs are read
    by those paragraphs."""
    page = tmp_path / "positions.html"
    page.write_text(
        "<html><body><h1>Positions on the draft</h1><p>The table below lists the positions heard in plenary.</p>"
        "<table><tr><th>Delegation</th><th>Position</th></tr><tr><td>Egypt</td><td>opposes Article 24, calling it too "
        "broad</td></tr><tr><td>Chile</td><td>supports deleting Article 35(3)</td></tr></table>"
        "<table><tr><td><p>Kenya welcomed the compromise text.</p><p>Peru asked for more time.</p></td></tr></table>"
        "</body></html>", encoding="utf-8")
    paragraphs = load_document(page).text.split("\n\n")
    assert paragraphs[2:] == ["Delegation | Position", "Egypt | opposes Article 24, calling it too broad",
                              "Chile | supports deleting Article 35(3)", "Kenya welcomed the compromise text.",
                              "Peru asked for more time."], paragraphs
    notes = tmp_path / "positions.md"
    notes.write_text("# Positions\n\nHeard in plenary:\n\n| Delegation | Position |\n|---|---|\n"
                     "| Egypt | opposes Article 24 |\n| Chile | supports deleting Article 35(3) |\n", encoding="utf-8")
    assert load_document(notes).text.split("\n\n")[2:] == [
        "Delegation | Position", "Egypt | opposes Article 24", "Chile | supports deleting Article 35(3)"]

def test_markup_a_scrape_left_in_a_text_file_is_made_text(tmp_path):
    """A .txt scraped with its tags and entities still in ("<p>…</p>", "&amp;", "&#8211;") reads as the page did:
    paragraphs where the page had them, no tags, no script, entities as the characters they stand for. A "<" that
    opens no element is text."""
    scraped = tmp_path / "scraped.txt"
    scraped.write_text(
        "UN adopts treaty\n\n<p>The General Assembly adopted the convention &amp; its resolution without a vote.</p>"
        "<p>Ghana welcomed the outcome.</p>\n<script>track();</script><div class=\"ad\">Advertisement</div>\n\n"
        "Rights groups warned that the text <b>lacks</b> safeguards &#8211; and said so.\n", encoding="utf-8")
    doc = load_document(scraped)
    assert doc.text.split("\n\n") == [
        "UN adopts treaty", "The General Assembly adopted the convention & its resolution without a vote.",
        "Ghana welcomed the outcome.", "Rights groups warned that the text lacks safeguards \u2013 and said so."], doc.text
    plain = tmp_path / "plain.txt"
    plain.write_text("The vote was 79 < 100, and AT&T said R&D on x > y matters.\n", encoding="utf-8")
    assert load_document(plain).text == "The vote was 79 < 100, and AT&T said R&D on x > y matters."
    # a text that quotes a tag in a sentence, with no paragraph markup, is no page: it keeps every character
    quoting = tmp_path / "quoting.txt"
    quoting.write_text("The memo quoted the markup <script>alert(1)</script> and <img src=x> in its annex.\n",
                       encoding="utf-8")
    assert load_document(quoting).text == "The memo quoted the markup <script>alert(1)</script> and <img src=x> in its annex."

def test_markdown_headings_become_sections(tmp_path):
    md = tmp_path / "notes.md"
    md.write_text("# Day 3\n\n## International cooperation\n\nChile proposed deleting Article 35(3) **entirely**.\n", encoding="utf-8")
    doc = load_document(md)
    assert "Chile proposed deleting Article 35(3) entirely." in doc.text
    assert doc.paragraph_at(doc.text.index("Chile")).section == "International cooperation"


def test_windows_1252_text_is_decoded(tmp_path):
    f = tmp_path / "legacy.txt"
    f.write_bytes("Peru\u2019s delegation opposed the change to Article 45 because it weakens cooperation.".encode("cp1252"))
    assert "Peru’s delegation" in load_document(f).text


@pytest.mark.parametrize("name,content,message", [
    ("binary.txt", b"\x00\x01\x02\x03" * 10, "binary"),
    ("empty.txt", b"   \n\n", "no readable text"),
    ("slides.pptx", b"PK", "unsupported file type"),
    ("broken.pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
])
def test_bad_files_get_a_clear_message(tmp_path, name, content, message):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(DocumentError) as info:
        load_document(f)
    assert message in str(info.value) and name in str(info.value)


def test_a_line_that_stops_mid_sentence_is_joined_to_the_next(tmp_path):
    # As a PDF's text layer gives it: one line a paragraph, wrapped before a capital.
    path = tmp_path / "wrapped.txt"
    path.write_text("Funding\n\nThe United States funds two programmes: the Global Law Enforcement Network, and the\n"
                    "International Law Enforcement Academies. Both have a global reach.\n\n"
                    "Programme locations\n\nSao Paulo, Panama City and Bucharest host advisors.\n", encoding="utf-8")
    text = load_document(path).text
    assert "Network, and the International Law Enforcement Academies." in text
    assert "Programme locations\n\nSao Paulo" in text  # a heading is not joined to its paragraph


def test_a_line_that_fills_a_wrapped_texts_width_runs_on_into_the_next(tmp_path):
    # A PDF page wraps at its text width, before any word: "adopted last / Thursday" is one sentence. A
    # short line (a heading) and a table of contents' line that ends on a page number are not run on.
    path = tmp_path / "wrapped.txt"
    path.write_text(
        "The Fight Moves to the General Assembly\n"
        "The final text of the Convention Against Cybercrime, adopted last Thursday by the\n"
        "Ad Hoc Committee, is now headed to the UN General Assembly for its final approval\n"
        "Thursday or later. The last hours of deliberations were marked by drama as Iran\n"
        "Repeatedly tried to remove the human rights protections that survived in the text.\n"
        "What Comes Next\n"
        "Chapter IV International cooperation between the law enforcement agencies page 28\n"
        "Chapter V Technical assistance and training\n", encoding="utf-8")
    text = load_document(path).text
    assert "for its final approval Thursday or later." in text
    assert "drama as Iran Repeatedly tried" in text
    assert "the text.\n\nWhat Comes Next" in text or "the text.\nWhat Comes Next" in text
    assert "page 28\n" in text and "page 28 Chapter V" not in text


def test_a_full_line_that_stops_on_an_abbreviation_runs_on(tmp_path):
    # "…address cybercrime: the U.S. / Transnational … Network" is one sentence; a short line ending in a
    # full stop still ends its paragraph.
    path = tmp_path / "wrapped.txt"
    path.write_text(
        "The final text of the Convention Against Cybercrime, adopted last Thursday by the\n"
        "Ad Hoc Committee, is now headed to the UN General Assembly for its final approval.\n"
        "The United States funds two global programs which address cybercrime: the U.S.\n"
        "Transnational and High-Tech Crime Global Law Enforcement Network, and the ILEA.\n"
        "Both programs have a global reach and have been operating for decades in all.\n"
        "Short line ending a paragraph.\n"
        "Next paragraph starts here.\n", encoding="utf-8")
    text = load_document(path).text
    assert "address cybercrime: the U.S. Transnational and High-Tech" in text
    assert "Short line ending a paragraph.\n" in text


@pytest.mark.parametrize("text,sentences", [
    # punkt's English tables end sentences on this copy's abbreviations; a sentence never starts in lower case
    ("U.S. Statement as Delivered by Ambassador McCarthy (Ret.) under Agenda Item 5. The session opened.",
     ["U.S. Statement as Delivered by Ambassador McCarthy (Ret.) under Agenda Item 5.", "The session opened."]),
    ("Funds came from the E.U. Commission and the U.K. Home Office. Dr. Tatiana Tropina agreed.",
     ["Funds came from the E.U. Commission and the U.K. Home Office.", "Dr. Tatiana Tropina agreed."]),
    # an answer's citation markers stay pieces of their own (evaluation/metrics.py joins them to the sentence before)
    ("The text was adopted.” [1]. It opens for signature in 2025 [2].",
     ["The text was adopted.”", "[1].", "It opens for signature in 2025 [2]."]),
    # scraped paragraphs glued without a space end where a word's full stop meets a capitalised word
    ("Decide across your business priorities.The agreement aims to help. Read digwatch.org for more.It ended.",
     ["Decide across your business priorities.", "The agreement aims to help.", "Read digwatch.org for more.",
      "It ended."]),
    ("It covers any offence enabled by technology (ICT).On Monday the U.S. delegation left.",
     ["It covers any offence enabled by technology (ICT).", "On Monday the U.S. delegation left."]),
    ("October 30, 2025As China and Russia signed, the US held back. Decision 2025/17 and COVID-19Tests stay whole.",
     ["October 30, 2025", "As China and Russia signed, the US held back.",
      "Decision 2025/17 and COVID-19Tests stay whole."]),
])
def test_sentences_are_not_cut_at_abbreviations(text, sentences):
    assert [text[a:b] for a, b in sentence_spans(text)] == sentences


def test_a_pages_headline_is_its_title_though_a_masthead_comes_first(tmp_path):
    # A scraped page opens with its masthead and a section link; the h1 below them is what the page is called.
    page = tmp_path / "outlook.html"
    page.write_text("<html><body><p>Harbour Outlook</p><p>In this section</p>"
                    "<h1>What the Convention Means for Policing in Freedonia</h1><p>10 Sep 2024</p>"
                    "<p>By Dr Ana B.C. Ruiz and Tomas Vela</p>"
                    "<p>The convention awaits adoption and needs forty ratifications to enter into force.</p>"
                    "</body></html>", encoding="utf-8")
    doc = load_document(page)
    assert doc.title == "What the Convention Means for Policing in Freedonia"
    assert doc.text.startswith("Harbour Outlook")  # (the masthead stays: it says whose report this is)
    kinds = {doc.text[p.start:p.end]: p.kind for p in doc.paragraphs}
    assert kinds["What the Convention Means for Policing in Freedonia"] == "title"
    # A page whose first line is a sentence, and no headline, still has no title of its own.
    plain = tmp_path / "plain.md"
    plain.write_text("The convention was adopted without a vote.\n\n## Background\n\nTalks began in 2021.\n", encoding="utf-8")
    assert load_document(plain).title == "plain"


def test_a_names_middle_initials_end_no_sentence():
    text = "By Dr Ana B.C. Ruiz and Tomas Vela. The talks ended. It was signed in the U.S. The vote followed."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "By Dr Ana B.C. Ruiz and Tomas Vela.", "The talks ended.", "It was signed in the U.S.", "The vote followed."]
