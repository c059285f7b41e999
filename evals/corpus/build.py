"""Build the development corpus: metadata files, the HTML and PDF renderings, and SOURCES.md.

The text of every document is the excerpt the search tool returned for one public page,
copied as returned (navigation crumbs at the very start or end dropped, and a sentence cut
off at the very end by the excerpting sometimes dropped). Plain text and Markdown documents
are written by hand into documents/; the HTML and PDF ones are rendered here from raw/<slug>.txt,
so the rendering can be repeated:

    python evals/corpus/build.py

Needs fpdf2 (pip install fpdf2) for the PDFs, and the DejaVu Sans font for non-Latin-1 characters.
"""

from __future__ import annotations

import html
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE / "documents"
RAW = HERE / "raw"

UN = "UN public information material"
USGOV = "US government work, public domain"
CCBY = "CC BY 4.0"
UNKNOWN = "unknown: quoted for evaluation with attribution"

EXCERPT = "excerpt as returned by the search tool"

# slug: (format, metadata, note)
CORPUS: dict[str, tuple[str, dict, str]] = {
    "dw-2024-07-29-1st-meeting": ("txt", dict(
        title="(1st meeting) Reconvened concluding session of the Ad Hoc Committee: UN Committee convenes in New York to finalise cybercrime convention amid calls for consensus and human rights safeguards",
        publisher="Diplo, Digital Watch observatory", date="2024-07-29", kind="session-report",
        source="https://dig.watch/event/reconvened-concluding-session-of-the-ad-hoc-committee/1st-meeting-reconvened-concluding-session-of-the-ad-hoc-committee-to-elaborate-a-comprehensive-international-convention-on-countering-the-use-of-information-and-communications-technologies-for-crimi",
        licence=UNKNOWN), EXCERPT + "; 'Table of contents' crumb dropped; ends mid-sentence as returned"),
    "dw-2024-07-30-3rd-meeting": ("md", dict(
        title="(3rd meeting) Reconvened concluding session of the Ad Hoc Committee: International committee debates draft UN Convention Against Cybercrime with focus on human rights and consensus-building",
        publisher="Diplo, Digital Watch observatory", date="2024-07-30", kind="session-report",
        source="https://dig.watch/event/reconvened-concluding-session-of-the-ad-hoc-committee/3rd-meeting-reconvened-concluding-session-of-the-ad-hoc-committee-to-elaborate-a-comprehensive-international-convention-on-countering-the-use-of-information-and-communications-technologies-for-crimi",
        licence=UNKNOWN), EXCERPT + "; Markdown headings added to the title lines; trailing cut-off fragment dropped"),
    "dw-2024-07-31-5th-meeting": ("txt", dict(
        title="(5th meeting) Reconvened concluding session of the Ad Hoc Committee: Progress and Debate at the Ad Hoc Committee's Concluding Session on Cybercrime Convention",
        publisher="Diplo, Digital Watch observatory", date="2024-07-31", kind="session-report",
        source="https://dig.watch/event/reconvened-concluding-session-of-the-ad-hoc-committee/5th-meeting-reconvened-concluding-session-of-the-ad-hoc-committee-to-elaborate-a-comprehensive-international-convention-on-countering-the-use-of-information-and-communications-technologies-for-crimi",
        licence=UNKNOWN), EXCERPT + "; trailing cut-off fragment dropped"),
    "dw-2024-08-05-11th-meeting": ("md", dict(
        title="(11th meeting) Reconvened concluding session of the Ad Hoc Committee: Debate over human rights language in draft convention sparks mixed reactions at negotiation session",
        publisher="Diplo, Digital Watch observatory", date="2024-08-05", kind="session-report",
        source="https://dig.watch/event/reconvened-concluding-session-of-the-ad-hoc-committee/11th-meeting-reconvened-concluding-session-of-the-ad-hoc-committee-to-elaborate-a-comprehensive-international-convention-on-countering-the-use-of-information-and-communications-technologies-for-crim",
        licence=UNKNOWN), EXCERPT + "; Markdown headings added to the title lines; ends mid-sentence as returned"),
    "dw-2024-08-08-16th-meeting": ("pdf", dict(
        title="(16th meeting) Reconvened concluding session of the Ad Hoc Committee: UN committee adopts draft convention against cybercrime amidst concerns and calls for consensus",
        publisher="Diplo, Digital Watch observatory", date="2024-08-08", kind="session-report",
        source="https://dig.watch/event/reconvened-concluding-session-of-the-ad-hoc-committee/18th-meeting-reconvened-concluding-session-of-the-ad-hoc-committee-to-elaborate-a-comprehensive-international-convention-on-countering-the-use-of-information-and-communications-technologies-for-crim",
        licence=UNKNOWN), EXCERPT + "; trailing cut-off fragment dropped; rendered to PDF with fpdf2"),
    "dw-2024-08-09-17th-meeting": ("html", dict(
        title="(17th meeting) Reconvened concluding session of the Ad Hoc Committee: Universal Convention on Cybercrime adopted after extensive negotiations",
        publisher="Diplo, Digital Watch observatory", date="2024-08-09", kind="session-report",
        source="https://dig.watch/event/reconvened-concluding-session-of-the-ad-hoc-committee/19th-meeting-reconvened-concluding-session-of-the-ad-hoc-committee-to-elaborate-a-comprehensive-international-convention-on-countering-the-use-of-information-and-communications-technologies-for-crim",
        licence=UNKNOWN), EXCERPT + "; trailing cut-off fragment dropped; wrapped in HTML"),
    "dw-2024-08-09-18th-meeting": ("md", dict(
        title="(18th meeting) Reconvened concluding session of the Ad Hoc Committee: UN Adopts Landmark Convention Against Cybercrime Amid Calls for International Cooperation and Human Rights Protections",
        publisher="Diplo, Digital Watch observatory", date="2024-08-09", kind="session-report",
        source="https://dig.watch/event/reconvened-concluding-session-of-the-ad-hoc-committee/20th-meeting-reconvened-concluding-session-of-the-ad-hoc-committee-to-elaborate-a-comprehensive-international-convention-on-countering-the-use-of-information-and-communications-technologies-for-crim",
        licence=UNKNOWN), EXCERPT + "; crumbs ('Table of contents', 'Knowledge Graph of Debate') dropped; Markdown headings added; trailing cut-off fragment dropped"),
    "unis-2024-12-24-unodc-statement": ("html", dict(
        title="UNIS/CP/1183: Statement of the UNODC Executive Director on the adoption of the UN Convention against Cybercrime",
        publisher="United Nations Information Service Vienna (UNODC)", date="2024-12-24", kind="press-release",
        source="https://unis.unvienna.org/unis/pressrels/2024/uniscp1183.html",
        licence=UN), EXCERPT + "; the repeated opening at the end of the excerpt dropped; wrapped in HTML"),
    "wam-2024-12-25-ga-adopts": ("md", dict(
        title="UN General Assembly Adopts Convention On Cybercrime",
        publisher="WAM (Emirates News Agency)", via="UrduPoint", date="2024-12-25", kind="news",
        source="https://www.urdupoint.com/en/middle-east/un-general-assembly-adopts-convention-on-cybe-1899134.html",
        licence=UNKNOWN), EXCERPT + "; trailing cut-off fragment dropped"),
    "boomlive-2024-12-27-ga-approves": ("txt", dict(
        title="UN Approves Cybercrime Treaty to Combat Global Digital Threats",
        publisher="BOOM Live", date="2024-12-27", kind="news",
        source="https://www.boomlive.in/web-stories/news/un-approves-cybercrime-treaty-to-combat-global-digital-threats-2281",
        licence=UNKNOWN), EXCERPT + "; leading date crumb dropped"),
    "kuna-2024-12-25-ga-approves": ("txt", dict(
        title="UN Approves New Convention Against Cybercrime",
        publisher="Kuwait News Agency (KUNA)", via="MENAFN", date="2024-12-25", kind="news",
        source="https://menafn.com/1109028941/UN-Approves-New-Convention-Against-Cybercrime",
        licence=UNKNOWN), EXCERPT + "; leading date crumb and trailing agency codes dropped"),
    "coe-2024-08-08-treaty-agreed": ("md", dict(
        title="United Nations treaty on cybercrime agreed by the Ad Hoc Committee",
        publisher="Council of Europe", date="2024-08", kind="press-release",
        source="https://coe.int/fr/web/cybercrime/-/united-nations-treaty-on-cybercrime-agreed-by-the-ad-hoc-committee",
        licence=UNKNOWN), EXCERPT + "; trailing list of links dropped"),
    "dpa-2024-08-09-draft-finalised": ("txt", dict(
        title="Announced: United Nations draft cybercrime convention",
        publisher="Digital Policy Alert", date="2024-08-09", kind="think-tank",
        source="https://digitalpolicyalert.org/event/21969-announced-united-nations-draft-cybercrime-convention",
        licence=UNKNOWN), EXCERPT + "; trailing 'Original source' link dropped"),
    "state-2022-02-28-first-session": ("txt", dict(
        title="Ad Hoc Committee to Elaborate a UN Cybercrime Convention: first negotiating session (US Department of State statement)",
        publisher="US Department of State", via="STL.News", date="2022-02-28", kind="government-statement",
        source="https://www.stl.news/ahc-to-elaborate-a-un-cybercrime-convention/505895/",
        licence=USGOV), EXCERPT + "; leading date crumb dropped"),
    "state-2023-08-sixth-session": ("md", dict(
        title="Ad Hoc Committee to Elaborate a UN Cybercrime Convention Sixth Negotiating Session at the UN",
        publisher="US Department of State", via="WireNews", date="2023-08", kind="government-statement",
        source="https://www.wirenn.com/post/ad-hoc-committee-to-elaborate-a-un-cybercrime-convention-sixth-negotiating-session-at-the-un",
        licence=USGOV), EXCERPT + "; page crumbs ('top of page', tags, 'bottom of page') dropped"),
    "state-2024-01-concluding-session": ("html", dict(
        title="Ambassador (Ret.) McCarthy Leads US Delegation at Negotiating Session on UN Cybercrime Convention",
        publisher="US Department of State", via="WireNews", date="2024-01", kind="government-statement",
        source="https://www.wirenn.com/post/ambassador-ret-mccarthy-leads-us-delegation-at-negotiating-session-on-un-cybercrime-convention",
        licence=USGOV), EXCERPT + "; page crumbs dropped; wrapped in HTML"),
    "usmission-2023-04-18-technical-assistance": ("pdf", dict(
        title="U.S. Statement - Agenda Item 5 - Technical Assistance (Fifth Session of the Ad Hoc Committee)",
        publisher="U.S. Mission to International Organizations in Vienna", date="2023-04-18", kind="government-statement",
        source="https://vienna.usmission.gov/us-statement-as-delivered-by-amb-deborah-mccarthy-ret-under-agenda-item-5-technical-assistance/",
        licence=USGOV), EXCERPT + "; site banner and '15 MINUTE READ' crumbs and trailing cut-off fragment dropped; rendered to PDF with fpdf2"),
    "hrw-2024-01-23-draft-threatens-rights": ("md", dict(
        title="UN: Draft Cybercrime Treaty Threatens Rights",
        publisher="Human Rights Watch", date="2024-01-23", kind="ngo-analysis",
        source="https://www.hrw.org/news/2024/01/23/un-draft-cybercrime-treaty-threatens-rights",
        licence=UNKNOWN), EXCERPT + "; 'Skip to main content' and photo caption crumbs and trailing cut-off fragment dropped"),
    "hrw-2022-03-01-statement": ("txt", dict(
        title="Human Rights Watch's Statement to Ad Hoc Committee on Cybercrime",
        publisher="Human Rights Watch", date="2022-03-01", kind="ngo-analysis",
        source="https://edit.hrw.org/news/2022/03/01/human-rights-watchs-statement-ad-hoc-committee-cybercrime",
        licence=UNKNOWN), EXCERPT + "; 'Skip to main content' crumb and trailing cut-off fragment dropped"),
    "hrw-article19-2023-08-30-comments": ("html", dict(
        title="ARTICLE 19 and Human Rights Watch's Comments on the Draft Text of the UN Cybercrime Convention",
        publisher="Human Rights Watch and ARTICLE 19", via="Public (publicnow.com)", date="2023-08-30", kind="ngo-analysis",
        source="https://www.publicnow.com/view/6D0D0A3E98516345DFFF030CF28E7469ED07AE9E",
        licence=UNKNOWN), EXCERPT + "; trailing cut-off fragment dropped; wrapped in HTML"),
    "article19-2023-08-oral-statement": ("txt", dict(
        title="UN: Oral statement at 6th Session of Cybercrime Convention",
        publisher="ARTICLE 19", date="2023-08", kind="ngo-analysis",
        source="https://www.article19.org/resources/un-oral-statement-at-6th-session-of-cybercrime-convention/",
        licence=UNKNOWN), EXCERPT + "; repeated title crumb dropped; trailing cut-off fragment dropped"),
    "eff-2022-03-negotiations": ("md", dict(
        title="Negotiations Over International Police Powers Agreement Must Keep Human Rights",
        publisher="Electronic Frontier Foundation (EFF)", date="2022-03", kind="ngo-analysis",
        source="https://www.eff.org/deeplinks/2022/03/negotiations-over-international-police-powers-agreement-must-keep-human-rights",
        licence=CCBY), EXCERPT + "; ends mid-sentence as returned"),
    "eff-2023-04-decoding": ("txt", dict(
        title="Decoding the U.N. Cybercrime Treaty",
        publisher="Electronic Frontier Foundation (EFF)", via="secifi.com (republication)", date="2023-04", kind="ngo-analysis",
        source="https://train.i.ng/decoding-the-u-n-cybercrime-treaty-www-secifi-com",
        licence=CCBY), EXCERPT + " (a republication of eff.org/deeplinks/2023/04/decoding-uncybercrime-treaty); title crumb and trailing cut-off fragment dropped"),
    "eff-2024-08-unga-fight": ("pdf", dict(
        title="The UN General Assembly and the Fight Against the Cybercrime Treaty",
        publisher="Electronic Frontier Foundation (EFF)", author="Katitza Rodriguez", via="republished copy", date="2024-08", kind="ngo-analysis",
        source="https://survivalism.turnkeywebsitesales.com/the-un-general-assembly-and-the-fight-against-the-cybercrime-treaty",
        licence=CCBY), EXCERPT + " (a republication of an EFF Deeplinks post); trailing cut-off fragment dropped; rendered to PDF with fpdf2"),
    "gitoc-2024-07-26-reconvened": ("md", dict(
        title="Cyber Convention Check-In: reconvened session",
        publisher="Global Initiative Against Transnational Organized Crime (GI-TOC)", date="2024-07-26", kind="think-tank",
        source="https://globalinitiative.net/announcements/cyber-convention-check-in-reconvened-session",
        licence=UNKNOWN), EXCERPT + "; trailing cut-off list item dropped"),
    "gitoc-2024-02-concluding-session": ("txt", dict(
        title="Cyber Convention Check-In (concluding session, January-February 2024)",
        publisher="Global Initiative Against Transnational Organized Crime (GI-TOC)", date="2024-02", kind="think-tank",
        source="https://globalinitiative.net/announcements/cyber-convention-check-in/",
        licence=UNKNOWN), EXCERPT + "; ends mid-word as returned"),
    "unpress-2021-ga12309-postponed": ("html", dict(
        title="General Assembly Adopts Decision Postponing Organizational Session of Ad Hoc Committee Elaborating Anti-Cybercrime Convention, Due to COVID-19 Fears",
        publisher="United Nations, Meetings Coverage and Press Releases", date="2021", kind="un-record",
        source="https://press.un.org/en/2021/ga12309.doc.htm",
        licence=UN), EXCERPT + "; 'Skip to main content' crumb and trailing cut-off fragment dropped; wrapped in HTML"),
    "unodc-ahc-sessions": ("md", dict(
        title="Ad Hoc Committee to Elaborate a Comprehensive International Convention on Countering the Use of ICTs for Criminal Purposes - home page (sessions)",
        publisher="UNODC", date="", kind="un-record",
        source="https://www.unodc.org/unodc/en/cybercrime/ad_hoc_committee/home (as returned via https://dev2.ts-export.com/carview.php?tsp=https%3A%2F%2Fwww.unodc.org%2Funodc%2Fen%2Fcybercrime%2Fad_hoc_committee%2Fhome)",
        licence=UN), EXCERPT + "; proxy crumb and trailing cut-off fragment dropped; list rendered as Markdown"),
    "worldarabia-2024-07-finalize-controversy": ("txt", dict(
        title="UN States to Finalize Cybercrime Treaty Amidst Controversy",
        publisher="World Arabia", date="2024-07", kind="news",
        source="https://world-arabia.com/articles/un-states-to-finalize-cybercrime-treaty-amidst-controversy",
        licence=UNKNOWN), EXCERPT),
    "xinhua-2019-12-ga-resolution-vote": ("txt", dict(
        title="UNGA adopts resolution to draft new convention to fight cybercrime (Xinhua report)",
        publisher="Xinhua", via="Gatmash", date="2019-12", kind="news",
        source="https://gatmash.com/?p=46156",
        licence=UNKNOWN), EXCERPT),
    "draft-2021-06-29-convention-unofficial": ("pdf", dict(
        title="Draft United Nations Convention on Countering the Use of Information and Communications Technologies for Criminal Purposes (29 June 2021, unofficial translation)",
        publisher="unknown (copy uploaded to vdocuments.us)", date="2021-06-29", kind="treaty-text",
        source="https://vdocuments.us/united-nations-convention-on-countering-the-use-of-.html",
        licence=UNKNOWN), EXCERPT + " (the transcript part; upload crumbs dropped; ends mid-sentence as returned); rendered to PDF with fpdf2"),
}

NAV = """<nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/topics">Topics</a></li><li><a href="/about">About us</a></li><li><a href="/search">Search</a></li></ul></nav>"""
FOOTER = """<footer><p>Share this page: Facebook | X | LinkedIn | Email</p><p>Subscribe to our newsletter</p><p>Privacy policy | Terms of use | Contact</p></footer>"""


def yaml_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_meta(slug: str, fmt: str, meta: dict) -> None:
    lines = [f"# Metadata of {slug}.{fmt} (excerpt of a public page, quoted for evaluation)."]
    for key in ("title", "publisher", "date", "kind", "source", "licence", "author", "via"):
        if key in meta:
            lines.append(f"{key}: {yaml_quote(meta[key])}")
    (DOCS / f"{slug}.meta.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def paragraphs(raw: str) -> list[str]:
    out = []
    for line in raw.splitlines():
        if line.strip():
            out.append(line.strip())
    return out


def write_html(slug: str, meta: dict) -> None:
    raw = (RAW / f"{slug}.txt").read_text(encoding="utf-8")
    paras = paragraphs(raw)
    title = meta["title"]
    if paras and paras[0] == title:
        paras = paras[1:]
    esc = lambda s: html.escape(s, quote=False)  # noqa: E731
    date = meta.get("date") or ""
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{esc(title)} | {esc(meta['publisher'])}</title>",
        f'<meta name="author" content="{html.escape(meta["publisher"])}">',
        f'<meta name="description" content="{html.escape(paras[0][:200])}">',
    ]
    if len(date) == 10:
        head.append(f'<meta property="article:published_time" content="{date}T00:00:00Z">')
    head += ["<style>body{font-family:sans-serif;max-width:48em;margin:auto}</style>",
             "<script>window.dataLayer=window.dataLayer||[];</script>", "</head>", "<body>", NAV,
             "<main>", "<article>", f"<h1>{esc(title)}</h1>"]
    if len(date) == 10:
        head.append(f'<p class="dateline"><time datetime="{date}">{date}</time></p>')
    body = [f"<p>{esc(p)}</p>" for p in paras]
    tail = ["</article>", "</main>", FOOTER, "</body>", "</html>"]
    (DOCS / f"{slug}.html").write_text("\n".join(head + body + tail) + "\n", encoding="utf-8")


def write_pdf(slug: str, meta: dict) -> None:
    from fpdf import FPDF

    raw = (RAW / f"{slug}.txt").read_text(encoding="utf-8")
    blocks = [b.strip() for b in raw.split("\n\n") if b.strip()]
    pdf = FPDF(format="A4")
    pdf.set_title(meta["title"])
    pdf.set_author(meta["publisher"])
    pdf.set_subject("Excerpt quoted for evaluation: " + meta["source"])
    pdf.set_creation_date(__import__("datetime").datetime(2026, 1, 1, tzinfo=__import__("datetime").timezone.utc))
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    for i, block in enumerate(blocks):
        if i == 0:
            pdf.set_font("DejaVu", "B", 13)
        else:
            pdf.set_font("DejaVu", "", 10.5)
        for line in block.splitlines():
            pdf.multi_cell(0, 6 if i else 7, line.strip(), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    pdf.output(str(DOCS / f"{slug}.pdf"))


def write_sources() -> None:
    rows = ["# Development corpus: sources", "",
            "Every document is the text a search of stored public web pages returned for one page (an excerpt of",
            "about 1,000 to 2,500 characters), copied faithfully; nothing was rewritten. Navigation crumbs at the very",
            "start or end were dropped, and a sentence cut off by the excerpting at the very end was sometimes dropped.",
            "HTML and PDF documents are rendered from `raw/<slug>.txt` by `build.py`. Quoted for evaluation, with attribution.",
            "",
            "| file | title | publisher | date | kind | URL | licence | how the file was made |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for slug, (fmt, meta, note) in CORPUS.items():
        publisher = meta["publisher"] + (f" (via {meta['via']})" if "via" in meta else "")
        cells = [f"`{slug}.{fmt}`", meta["title"], publisher, meta["date"] or "unknown", meta["kind"],
                 meta["source"], meta["licence"], note]
        rows.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    (HERE / "SOURCES.md").write_text("\n".join(rows) + "\n", encoding="utf-8")


def main() -> None:
    for slug, (fmt, meta, _note) in CORPUS.items():
        write_meta(slug, fmt, meta)
        if fmt == "html":
            write_html(slug, meta)
        elif fmt == "pdf":
            write_pdf(slug, meta)
        else:
            assert (DOCS / f"{slug}.{fmt}").is_file(), slug
    expected = {f"{s}.{f}" for s, (f, _m, _n) in CORPUS.items()}
    present = {p.name for p in DOCS.iterdir() if not p.name.endswith(".meta.yaml")}
    assert present == expected, (present ^ expected)
    write_sources()


if __name__ == "__main__":
    main()
