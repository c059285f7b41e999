"""Grounded answers without a language model.

Position records answer who/which/compare/aggregate questions exactly; source
sentences answer the rest. Every sentence of an answer ends with the numbers
of the citations that back it, and each citation is a verbatim span of a
stored document. When the evidence does not carry the question, the answer
abstains and says what is missing.
"""

from __future__ import annotations

import time

import numpy as np

from .answer import Answer, Citation
from .corpus import Corpus, terms
from .question import Query, parse, resolve_follow_up, validate_question
from .retrieval import HybridRetriever

# Below these a question is taken to be about something the sources don't cover.
MIN_SIMILARITY = 0.30
MIN_OVERLAP = 0.25
MAX_SENTENCES = {"general": 3, "why": 4, "list": 5, "compare": 6, "aggregate": 8}
MAX_POSITIONS = {"general": 4, "why": 3, "list": 10, "compare": 10, "aggregate": 12}

# Words of a question that say how to answer, not what about: they should not
# count as evidence that a sentence is on topic.
_FRAME = set(terms(
    "article articles state states delegation delegations country countries member members position positions "
    "stance view views think thought mention mentioned talk talked discuss discussed source sources convention "
    "treaty negotiation negotiations session un tell know happen happened object objected support supported "
    "oppose opposed propose proposed want wanted call called compare reason reasons argue argued explain"
))


class Answerer:
    def __init__(self, corpus: Corpus, retriever: HybridRetriever, embedder, use_positions: bool = True, k: int = 5):
        self.corpus = corpus
        self.retriever = retriever
        self.embedder = embedder
        self.use_positions = use_positions
        self.k = k
        vectors = corpus.snapshot.position_vectors
        self.position_vectors = vectors if vectors is not None else np.zeros((0, 384), np.float32)

    def ask(self, question: str, history: list[dict] | None = None) -> Answer:
        started = time.perf_counter()
        question = validate_question(question)
        corpus = self.corpus
        query = parse(question, corpus.gazetteer, corpus.mentioned_actors, corpus.mentioned_articles)
        query = resolve_follow_up(query, history, corpus.gazetteer, corpus.mentioned_actors, corpus.mentioned_articles)
        answer = self._answer(query)
        answer.seconds = time.perf_counter() - started
        return answer

    # -- abstaining ----------------------------------------------------------
    def _abstain(self, query: Query, reason: str) -> Answer:
        return Answer(query.text, reason, True, notes=[reason])

    def _answer(self, query: Query) -> Answer:
        if query.injection:
            return self._abstain(query, "This reads as an instruction to the assistant, not a question about the "
                                        "negotiations; the sources are only quoted, never obeyed.")
        if query.unknown_names:
            names = ", ".join(query.unknown_names)
            return self._abstain(query, f"The sources don't mention {names}, so they cannot say anything about "
                                        f"{'it' if len(query.unknown_names) == 1 else 'them'}.")
        vector = self.embedder.embed_one(query.retrieval_text)
        if self.use_positions and corpus_has_positions(self.corpus):
            picked = self._pick_positions(query, vector)
            if picked:
                return self._from_positions(query, picked)
        return self._from_sentences(query, vector)

    # -- positions -----------------------------------------------------------
    def _pick_positions(self, query: Query, vector) -> list[int]:
        records = self.corpus.positions
        if not (query.actors or query.targets or query.articles) or not records:
            return []
        proposers = {i for i, r in enumerate(records) if set(r["actors"]) & set(query.targets)}
        proposer_ids = {records[i]["id"] for i in proposers}
        matched = []
        for i, r in enumerate(records):
            if query.targets and not (r.get("responds_to") in proposer_ids or (not query.stances and i in proposers)):
                continue
            if query.actors and not set(r["actors"]) & set(query.actors):
                continue
            if query.articles and not set(r["articles"]) & set(query.articles):
                continue
            if query.stances and query.kind != "aggregate" and r["stance"] not in query.stances:
                continue
            if r["stance"] == "outcome" and query.actors and "outcome" not in query.stances:
                continue
            matched.append(i)
        if not matched:
            return []
        similarity = self.position_vectors[matched] @ np.asarray(vector, dtype=np.float32)
        provision_bonus = np.array([
            0.15 if set(records[i]["provisions"]) & set(query.provisions) else 0.0 for i in matched
        ])
        score = similarity + provision_bonus
        order = np.argsort(-score)
        best = score[order[0]]
        limit = MAX_POSITIONS[query.kind]
        if query.kind in ("list", "compare", "aggregate"):
            chosen = [matched[j] for j in order if score[j] >= best - 0.25]
        else:
            chosen = [matched[j] for j in order if score[j] >= best - 0.1]
        chosen = chosen[:limit]
        return sorted(chosen, key=lambda i: records[i]["evidence"][0]["start"] or 0)

    def _from_positions(self, query: Query, picked: list[int]) -> Answer:
        records = self.corpus.positions
        citations: list[Citation] = []
        sentences: list[str] = []
        used = []
        if query.kind == "compare" and len(query.actors) > 1:
            picked = sorted(picked, key=lambda i: min(
                (query.actors.index(a) for a in records[i]["actors"] if a in query.actors), default=99))
        for i in picked:
            record = records[i]
            used.append(record)
            numbers = [self._cite(citations, ev["document"], ev["start"], ev["end"]) for ev in record["evidence"][:1]]
            sentence = record["summary"].rstrip()
            if record.get("origin") == "extracted":
                sentence = sentence.rstrip(".") + " (extracted automatically, not yet reviewed)."
            sentences.append(_with_markers(sentence, numbers))
            if query.kind == "why" and record.get("reason"):
                reasons = [self._cite(citations, ev["document"], ev["start"], ev["end"]) for ev in record["evidence"][1:3]]
                sentences.append(_with_markers(f"The reason given: {record['reason']}", reasons or numbers))
        return Answer(query.text, " ".join(sentences), False, citations, used)

    # -- sentences -----------------------------------------------------------
    def _from_sentences(self, query: Query, vector) -> Answer:
        corpus = self.corpus
        top = self.retriever.top_passages(query, vector, self.k)
        if not top:
            return self._abstain(query, "The sources don't say: nothing in them matches this question.")
        passage_rank = {i: r for r, i in enumerate(top)}
        q_terms = set(terms(query.retrieval_text)) - _FRAME
        weights = {t: 1.0 for t in q_terms}
        candidates = []
        for s in corpus.sentences:
            ranks = [passage_rank[i] for i in corpus.passage_index_of(s.sentence) if i in passage_rank]
            if not ranks:
                continue
            if query.actors and not s.actors & set(query.actors) and not query.inherited:
                continue
            if query.articles and not s.articles & set(query.articles):
                continue
            overlap = sum(weights[t] for t in q_terms & s.terms) / (len(q_terms) or 1)
            similarity = float(corpus.sentence_vectors[s.index] @ np.asarray(vector, dtype=np.float32))
            entity = 0.3 * bool(s.actors & (set(query.actors) | set(query.targets))) + 0.2 * bool(s.articles & set(query.articles))
            score = similarity + 0.5 * overlap + entity + 0.1 / (1 + min(ranks))
            candidates.append((score, similarity, overlap, s))
        if not candidates:
            missing = " and ".join(filter(None, [
                ", ".join(corpus.gazetteer.name(a) for a in query.actors),
                ", ".join(f"Article {a}" for a in query.articles),
            ]))
            return self._abstain(query, f"The sources don't say: no passage links {missing or 'these terms'} to this question.")
        candidates.sort(key=lambda c: -c[0])
        best_score, best_similarity, best_overlap, _ = candidates[0]
        named = bool(query.actors or query.articles or query.targets)
        if not named and (best_similarity < MIN_SIMILARITY or best_overlap < MIN_OVERLAP):
            return self._abstain(query, "The sources don't say: the closest passages are about something else.")
        limit = MAX_SENTENCES[query.kind]
        chosen = [c[3] for c in candidates if c[0] >= best_score - 0.25][:limit]
        chosen.sort(key=lambda s: s.index)
        citations: list[Citation] = []
        parts = []
        for s in chosen:
            number = self._cite(citations, s.sentence.document_id, s.sentence.start, s.sentence.end)
            parts.append(_with_markers(s.sentence.text, [number]))
        return Answer(query.text, " ".join(parts), False, citations)

    def _cite(self, citations: list[Citation], document_id: str, start: int, end: int) -> int:
        for c in citations:
            if (c.document_id, c.start, c.end) == (document_id, start, end):
                return c.number
        doc = self.corpus.documents[document_id]
        paragraph = doc.paragraph_at(start)
        citation = Citation(len(citations) + 1, document_id, doc.title, paragraph.section, doc.text[start:end],
                            start, end, paragraph.attribution)
        citations.append(citation)
        return citation.number


def corpus_has_positions(corpus: Corpus) -> bool:
    return bool(corpus.positions)


def _with_markers(sentence: str, numbers: list[int]) -> str:
    markers = "".join(f"[{n}]" for n in dict.fromkeys(numbers))
    sentence = sentence.rstrip()
    if sentence and sentence[-1] in ".!?":
        return f"{sentence[:-1]} {markers}{sentence[-1]}"
    return f"{sentence} {markers}."
