"""The Positions tab: filter the position records, see them as an actors x
articles stance matrix, and read the evidence behind a cell.

Filtering happens here over all records (not through `Assistant.positions`)
so the matrix can also show records that name no actor or no article."""

from __future__ import annotations

import gradio as gr

from ..errors import AssistantError
from . import render, timeline
from .render import NO_ACTOR, NO_ARTICLE

ALL = ""  # dropdown value meaning "no filter"


def _article_sort(article: str):
    return (0, int(article)) if article.isdigit() else (1, article)


class PositionsController:
    def __init__(self, assistant):
        self.assistant = assistant

    # -- names ----------------------------------------------------------------
    def actor_name(self, actor_id: str) -> str:
        if actor_id == NO_ACTOR:
            return "No named actor"
        try:
            return self.assistant.gazetteer.name(actor_id)
        except Exception:  # an id the gazetteer lost after a reload still shows
            return actor_id

    def article_title(self, article: str) -> str:
        if article == NO_ARTICLE:
            return "Records about no specific article"
        found = getattr(self.assistant.gazetteer, "articles", {}).get(article)
        return f"Article {article}: {found.title}" if found is not None else f"Article {article}"

    def doc_title(self, doc_id: str) -> str:
        try:
            return self.assistant.document(doc_id).title
        except AssistantError:
            return doc_id

    def doc_date(self, doc_id: str) -> str | None:
        try:
            return (self.assistant.document(doc_id).meta or {}).get("date") or None
        except (AssistantError, AttributeError):
            return None

    # -- data -----------------------------------------------------------------
    def records(self) -> list[dict]:
        try:
            return self.assistant.positions()
        except AssistantError:
            return []

    def choices(self):
        """(actors, articles, stances) dropdown choices, each led by an 'All' entry."""
        records = self.records()
        actor_ids = {a for r in records for a in render.record_actors(r)}
        actors = sorted(actor_ids - {NO_ACTOR}, key=self.actor_name)
        articles = sorted({b for r in records for b in render.record_articles(r)} - {NO_ARTICLE}, key=_article_sort)
        stances = sorted({r["stance"] for r in records})
        return (
            [("All actors", ALL)] + [(self.actor_name(a), a) for a in actors]
            + ([("No named actor / outcome", NO_ACTOR)] if NO_ACTOR in actor_ids else []),
            [("All articles", ALL)] + [(self.article_title(b), b) for b in articles]
            + [("No specific article", NO_ARTICLE)],
            [("All stances", ALL)] + [(render.stance_label(s), s) for s in stances],
        )

    @staticmethod
    def _filter(records, actor, article, stance):
        if actor:
            records = [r for r in records if actor in render.record_actors(r)]
        if article:
            records = [r for r in records if article in render.record_articles(r)]
        if stance:
            records = [r for r in records if r["stance"] == stance]
        return records

    # -- timeline -------------------------------------------------------------
    def timeline_records(self, actor, article, stance, records=None) -> list[dict]:
        """The actor's records (with the article and stance filters), in date order; none without an actor."""
        if not actor:
            return []
        return timeline.in_date_order(self._filter(self.records() if records is None else records, actor, article, stance))

    def timeline(self, actor, article, stance, records=None, selected: int | None = None) -> str:
        if not actor:
            return render.placeholder("Pick an actor (or select a matrix cell) to see their stances along the dates.")
        shown = self.timeline_records(actor, article, stance, records)
        name = self.actor_name(actor)
        where = f" on {self.article_title(article)}" if article else ""
        dates = len({r.get("date") for r in shown if r.get("date")})
        heading = f"{name}{where} over time: {len(shown)} record{'s' if len(shown) != 1 else ''}, {dates} date{'s' if dates != 1 else ''}"
        return timeline.timeline_svg(shown, heading, selected)

    # -- events ---------------------------------------------------------------
    def update(self, actor, article, stance):
        """(matrix html, evidence html, timeline html) for the filters."""
        records = self.records()
        shown = self._filter(records, actor, article, stance)
        matrix = render.stance_matrix(shown, self.actor_name, self.article_title, (actor or None, article or None))
        parts = [self.actor_name(actor) if actor else None,
                 self.article_title(article) if article else None,
                 render.stance_label(stance) if stance else None]
        heading = f"{len(shown)} of {len(records)} records" + (": " + " · ".join(p for p in parts if p) if any(parts) else "")
        return (matrix, render.evidence_list(shown, self.actor_name, self.doc_title, heading),
                self.timeline(actor, article, stance, records))

    def refresh(self, actor, article, stance):
        """After documents or positions changed: new choices, keeping the filters that still exist."""
        actors, articles, stances = self.choices()
        keep = lambda value, options: value if value in {v for _, v in options} else ALL  # noqa: E731
        actor, article, stance = keep(actor, actors), keep(article, articles), keep(stance, stances)
        matrix, evidence, line = self.update(actor, article, stance)
        return (gr.update(choices=actors, value=actor), gr.update(choices=articles, value=article),
                gr.update(choices=stances, value=stance), matrix, evidence, line)

    def select_cell(self, stance, evt: gr.EventData):
        """A matrix cell sets the actor and article filters, so the evidence shows that cell."""
        data = getattr(evt, "_data", None) or {}
        actor, article = data.get("actor"), data.get("article")
        if not actor or not article:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        matrix, evidence, line = self.update(actor, article, stance)
        return actor, article, matrix, evidence, line

    def select_mark(self, actor, article, stance, evt: gr.EventData):
        """A timeline mark: (timeline with the mark chosen, the evidence of its record)."""
        data = getattr(evt, "_data", None) or {}
        try:
            index = int(data.get("record"))
        except (TypeError, ValueError):
            return gr.skip(), gr.skip()
        shown = self.timeline_records(actor, article, stance)
        if not 0 <= index < len(shown):  # the records changed since the timeline was drawn
            return self.timeline(actor, article, stance), gr.skip()
        return (self.timeline(actor, article, stance, selected=index),
                timeline.mark_evidence(shown[index], self.actor_name, self.doc_title, self.doc_date))
