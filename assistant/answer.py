"""What `ask` returns: an answer whose every claim carries a numbered citation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Citation:
    number: int
    document_id: str
    title: str
    section: str
    quote: str  # verbatim: document.text[start:end] == quote
    start: int
    end: int
    attribution: str | None = None  # the speaker, when the quote is an attributed statement


def section_shown(title: str, section: str | None) -> str:
    """A citation's section as shown beside its title: none where it is the section the title opens (a passage
    before the document's first heading), which would only repeat the title."""
    return "" if not section or section == title else section


@dataclass
class Answer:
    question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    positions: list[dict] = field(default_factory=list)  # position records the answer rests on
    notes: list[str] = field(default_factory=list)  # e.g. which names the sources never mention
    seconds: float = 0.0
    # -- generative answers (assistant/generation) --
    mode: str = "extractive"  # "generative" when a language model wrote the text and every sentence was verified
    fallback: str | None = None  # why a generative answer was not used, when one was tried

    def to_dict(self) -> dict:
        return asdict(self)

    def to_markdown(self) -> str:
        """The answer with footnoted citations, ready to paste into a story."""
        text = self.text
        for c in self.citations:
            text = text.replace(f"[{c.number}]", f"[^{c.number}]")
        notes = [
            f'[^{c.number}]: "{c.quote}" ({c.attribution + ", " if c.attribution else ""}'
            f"{c.title}, section \"{c.section}\", {c.document_id} chars {c.start}-{c.end})"
            for c in self.citations
        ]
        return text + ("\n\n" + "\n".join(notes) if notes else "")
