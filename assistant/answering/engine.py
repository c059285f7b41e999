"""Grounded answers without a language model.

Position records answer who/which/compare/aggregate questions exactly; source
sentences answer the rest. Every sentence of an answer ends with the numbers
of the citations that back it, and each citation is a verbatim span of a
stored document. When the evidence does not carry the question, the answer
abstains and says what is missing.
"""

from __future__ import annotations

import re
import time

import numpy as np

from ..answer import Answer, Citation
from .answer_type import expected_type
from ..corpus import Corpus, terms
from .query import Query, parse, resolve_follow_up, validate_question
from ..retrieval import HybridRetriever

# Below these a question is taken to be about something the sources don't cover.
MIN_SIMILARITY = 0.30
INSTRUCTIONS_LEFT_OUT = ("A passage that reads as an instruction to the assistant, not as a report of the "
                         "negotiations, was left out: the sources are quoted, never obeyed.")
NAMED_MIN_SIMILARITY = 0.40  # below it, nothing said about the named delegation is near the question
MIN_RELEVANCE = 0.55  # similarity + half the share of question words the sentence has
UNKNOWN_SHARE = 0.5  # the share of a question's content words the sources must lack before it is off their topic
NUMBER_MARGIN = 0.35  # how far below the best sentence one holding the asked figure or date may score
MAX_SENTENCES = {"general": 3, "why": 4, "list": 5, "compare": 6, "aggregate": 8, "number": 3}
MAX_POSITIONS = {"general": 4, "why": 3, "list": 10, "compare": 10, "aggregate": 12, "number": 3}
_CONTINUES = re.compile(r"^(they|it|this|these|he|she|its|their|so|thus|therefore|hence|the (countries|states|delegations))\b", re.I)
_SECOND_PART = re.compile(r"\band (what|why|how|where|when)\b", re.I)
# A figure or a date, in digits or in words: what a "how many" or "when" question needs in its answer.
_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(thir|four|fif|six|seven|eigh|nine)teen"
    r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|twice|dozens?|half"
    r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final"
    r"|january|february|march|april|may|june|july|august|september|october|november|december)\b", re.I)

# Words of a question that say how to answer, not what about: they should not
# count as evidence that a sentence is on topic.
_FRAME = set(terms(
    "article articles state states delegation delegations country countries member members position positions "
    "stance view views think thought mention mentioned talk talked discuss discussed source sources convention "
    "treaty negotiation negotiations session un tell know happen happened object objected support supported "
    "oppose opposed propose proposed want wanted call called compare reason reasons argue argued explain "
    "side sides opinion opinions feel felt stand stood camp role part involved involvement contribute "
    "contributed contribution thing things react reacted reaction respond responded response"
))


class Answerer:
    def __init__(self, corpus: Corpus, retriever: HybridRetriever, embedder, use_positions: bool = True, k: int = 5):
        self.corpus = corpus
        self.retriever = retriever
        self.embedder = embedder
        self.use_positions = use_positions
        self.k = k
        # Automatically extracted records answer only once an editor accepted them: unreviewed
        # they are fragments too often (see the closing note of the generality issue for figures).
        self.position_vectors = corpus.position_vectors

    def ask(self, question: str, history: list[dict] | None = None) -> Answer:
        started = time.perf_counter()
        question = validate_question(question)
        corpus = self.corpus
        query = parse(question, corpus.gazetteer, corpus.mentioned_actors, corpus.mentioned_articles)
        query = resolve_follow_up(query, history, corpus.gazetteer, corpus.mentioned_actors, corpus.mentioned_articles)
        answer = self._answer(query)
        wanted = expected_type(query.text)
        if not answer.abstained and wanted and wanted.kind != "state" and not any(
                wanted.held_by(c.quote) for c in answer.citations):
            # "How many countries…?" answered without a count of countries is not an answer.
            answer = self._abstain(query, "The sources don't give that figure.")
        elif query.kind == "number" and not answer.abstained and not any(_NUMBER.search(c.quote) for c in answer.citations):
            # "When…?" answered without a single figure or date in the evidence is not an answer.
            answer = self._abstain(query, "The sources don't give that figure or date.")
        answer.seconds = time.perf_counter() - started
        return answer

    # -- abstaining ----------------------------------------------------------
    def _unknown_words(self, text: str, without_names: bool = False) -> list[str]:
        """The question's own words (not stems) that never occur in the sources."""
        if without_names:
            for _, start, end in sorted(self.corpus.gazetteer.find_actors(text), key=lambda m: -m[1]):
                text = text[:start] + " " + text[end:]
        words = re.findall(r"[A-Za-z0-9]+(?:[-'’][A-Za-z0-9]+)*", text)
        stems = {w: t[0] for w in words if (t := terms(w))}
        known = self.corpus.known_terms(stems.values())
        return list(dict.fromkeys(w for w in words if w in stems and stems[w] not in _FRAME and stems[w] not in known))

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
        q_terms = set(terms(query.retrieval_text)) - _FRAME
        vector = self.embedder.embed_one(query.retrieval_text)
        unknown = q_terms - self.corpus.known_terms(q_terms)
        if q_terms and len(unknown) > 0.6 * len(q_terms) and not (query.actors or query.articles or query.targets):
            closest = self.corpus.closest_sentence(vector)
            if closest < 0.55:
                return self._abstain(query, "The sources don't say: most of what the question asks about "
                                            f"({', '.join(self._unknown_words(query.text))}) never comes up in them.")
        if query.actors and not query.articles and not query.inherited and query.kind != "aggregate":
            # "What is the capital of Australia?": the sources name Australia, never its capital.
            # (An aggregate question asks for everything the delegation did: it has no topic to miss.)
            asked = self._unknown_words(query.text, without_names=True)
            closest = self.corpus.closest_sentence(vector, set(query.actors)) if asked else 0.0
            content = [w for w in re.findall(r"[A-Za-z0-9]+(?:[-'’][A-Za-z0-9]+)*", query.text)
                       if (t := terms(w)) and t[0] not in _FRAME]
            # Most of what it asks about must be unknown: one unusual word ("lined up") is not a topic.
            if asked and closest < NAMED_MIN_SIMILARITY and len(asked) >= UNKNOWN_SHARE * max(1, len(content) - len(query.actors)):
                names = " and ".join(self.corpus.gazetteer.name(a) for a in query.actors)
                return self._abstain(query, f"The sources mention {names}, but say nothing about "
                                            f"{', '.join(asked)}.")
        scored = self._score_positions(query, vector, q_terms) if self.use_positions else []
        yes_no = bool(query.actors and scored and query.kind != "number" and (
            (query.stances and scored[0][0] >= 0.9) or (query.kind == "why" and scored[0][0] >= 0.85)))
        # "Why did opponents reject X?": no names, but a stance on a numbered provision a record matches closely.
        why_stance = bool(query.kind == "why" and scored and query.provisions and scored[0][0] >= 0.9
                          and self.corpus.positions[scored[0][1]]["stance"] in query.stances)
        if scored and not query.asks_identity and (
                query.kind in ("list", "compare", "aggregate") or query.targets or yes_no or why_stance):
            picked = self._choose_positions(query, scored)
            if picked:
                return self._from_positions(query, picked)
        records = self.corpus.positions
        boost = [(records[i]["evidence"], score) for score, i in scored[:3] if score >= 0.6]
        return self._from_sentences(query, vector, q_terms, boost)

    # -- positions -----------------------------------------------------------
    def _score_positions(self, query: Query, vector, q_terms: set[str]) -> list[tuple[float, int]]:
        """(score, record index) for records that fit the question's actors and articles, best first."""
        records = self.corpus.positions
        if not records:
            return []
        named_actors = set(query.actors) if not query.inherited else set()
        proposer_ids = {r["id"] for r in records if set(r["actors"]) & set(query.targets)}
        aggregate = query.kind == "aggregate"
        actor_issues = {r.get("issue") for r in records if set(r["actors"]) & named_actors} - {None}
        candidates = []
        for i, r in enumerate(records):
            if not _trusted(r):
                continue
            if query.targets and r.get("responds_to") not in proposer_ids:
                continue
            if named_actors and not set(r["actors"]) & named_actors and not (
                    r["stance"] == "outcome" and "outcome" in query.stances and r.get("issue") in actor_issues):
                continue  # (an outcome of a debate the actor took part in answers "Was X's proposal accepted?")
            if query.articles and not aggregate and not set(r["articles"]) & set(query.articles) and not (
                    query.articles_by_name_only and (named_actors or query.kind == "list")):
                continue
            if r["stance"] == "outcome" and (query.actors or query.targets) and "outcome" not in query.stances:
                continue
            candidates.append(i)
        if not candidates:
            return []
        similarity = self.position_vectors[candidates] @ np.asarray(vector, dtype=np.float32)
        scored = []
        for i, sim in zip(candidates, similarity):
            r = records[i]
            words = self.corpus.position_terms[i]
            overlap = len(q_terms & words) / (len(q_terms) or 1)
            score = float(sim) + 0.4 * overlap
            if r["stance"] in query.stances:  # "was it agreed?" asks for the outcome, not the proposal again
                score += 0.6 if r["stance"] == "outcome" else 0.25
            score += 0.15 * bool(set(r["provisions"]) & set(query.provisions))
            if query.articles_by_name_only:  # a topic-named article is a hint: off it, a record must fit far better
                score += 0.15 if set(r["articles"]) & set(query.articles) else -0.35
            score += 0.2 * bool(set(r["actors"]) & set(query.actors))
            scored.append((score, i))
        scored.sort(reverse=True)
        if not (query.actors or query.targets or query.articles) and scored[0][0] < 0.75:
            return []  # nothing names who or what: only a close match is trusted
        return scored

    def _choose_positions(self, query: Query, scored: list[tuple[float, int]]) -> list[int]:
        records = self.corpus.positions
        if query.kind == "aggregate":
            chosen = [i for _, i in scored if records[i]["stance"] != "outcome"]
        else:
            outcomes = [i for _, i in scored if records[i]["stance"] == "outcome"]
            wants_outcome = "outcome" in query.stances and bool(outcomes)
            # The outcome's bonus must not crowd out the stances asked about alongside it.
            pool = [(score, i) for score, i in scored if not (wants_outcome and i in outcomes)] or scored
            margin = 0.3 if query.kind in ("list", "compare") else 0.1
            chosen = [i for score, i in pool if score >= pool[0][0] - margin]
            if wants_outcome and query.kind != "list":
                # "Was it agreed?": the outcome answers it; the best other record gives the context,
                # and when the question is about someone's proposal, what they did next (a withdrawal).
                others = [i for _, i in scored if records[i]["stance"] != "outcome"]
                own = [i for i in others if set(records[i]["actors"]) & set(query.actors)]
                context = [i for i in own if records[i]["stance"] == "withdraws"][:1] or (own or others)[:1]
                chosen = list(dict.fromkeys([outcomes[0], *context]))
            else:
                if query.stances & {"supports", "opposes", "calls_for_deletion", "proposes"}:
                    matching = [i for i in chosen if records[i]["stance"] in query.stances - {"outcome"}]
                    chosen = matching or chosen
                if wants_outcome and outcomes[0] not in chosen:  # "Who pushed back, and where does it stand?"
                    chosen.append(outcomes[0])
        chosen = chosen[: MAX_POSITIONS[query.kind]]
        return sorted(chosen, key=lambda i: (records[i]["evidence"][0]["document"], records[i]["evidence"][0]["start"] or 0))

    def _from_positions(self, query: Query, picked: list[int]) -> Answer:
        records = self.corpus.positions
        citations: list[Citation] = []
        sentences: list[str] = []
        used = []
        if query.kind == "compare" and len(query.actors) > 1:
            picked = sorted(picked, key=lambda i: min(
                (query.actors.index(a) for a in records[i]["actors"] if a in query.actors), default=99))
        # Lists and comparisons read best as one summary line per stance; for everything
        # else the source's own words are the answer, so journalists can quote them.
        verbatim = query.kind != "list"
        quoted: set[tuple] = set()
        for i in picked:
            record = records[i]
            used.append(record)
            evidence = record["evidence"] if verbatim and len(picked) <= 4 else record["evidence"][:1]
            for n, ev in enumerate(evidence):
                span = (ev["document"], ev["start"], ev["end"])
                if verbatim and span in quoted:
                    continue
                quoted.add(span)
                number = self._cite(citations, *span)
                sentence = (ev["quote"] if verbatim else record["summary"]).strip()
                if verbatim and n == 0 and record["provisions"] and not (
                        set(self.corpus.gazetteer.find_articles(sentence)) & set(record["articles"])):
                    # A quote like "opposed such a proposal" needs its article to make sense alone.
                    sentence = f"On Article {', '.join(record['provisions'])}: {sentence}"
                if record.get("origin") == "extracted" and n == 0:
                    sentence = sentence.rstrip(".") + " (extracted automatically, not yet reviewed)."
                sentences.append(_with_markers(sentence, [number]))
            if not verbatim and len(picked) <= 3 and record.get("reason"):
                reasons = [self._cite(citations, ev["document"], ev["start"], ev["end"]) for ev in record["evidence"][1:3]]
                sentences.append(_with_markers(f"The reason given: {record['reason']}", reasons or [number]))
        return Answer(query.text, " ".join(sentences), False, citations, used)

    # -- sentences -----------------------------------------------------------
    def _from_sentences(self, query: Query, vector, q_terms: set[str], boost: list) -> Answer:
        corpus = self.corpus
        top = [p for p, _ in self.retriever.top_passages(query, vector, self.k)]
        if not top:
            return self._abstain(query, "The sources don't say: nothing in them matches this question.")
        boosted = [(ev["document"], ev["start"], ev["end"], score) for evidence, score in boost for ev in evidence]
        found = {s.key: s for s in corpus.sentences_of_passages(top)}
        found.update({s.key: s for s in corpus.sentences_in_spans([(d, a, b) for d, a, b, _ in boosted if a is not None])})
        pool = sorted(found.values(), key=lambda s: s.key)
        previous = corpus.neighbours(pool, -1) if query.asks_identity else {}

        def ranks_of(sent) -> list[int]:
            return [r for r, p in enumerate(top) if p.document_id == sent.document_id and p.start <= sent.start < p.end]

        wanted_actors = set(query.actors) | set(query.targets)
        qv = np.asarray(vector, dtype=np.float32)
        candidates = []
        bylines: set[tuple] = set()  # "Who is she?" is answered by the byline under her quote
        skipped_instructions = 0
        for s in pool:
            sent = s.sentence
            byline = query.asks_identity and s.byline
            # A byline belongs with the quote just above it: it is found wherever that quote is.
            near = previous[s.key].sentence if byline and s.key in previous else sent
            ranks = ranks_of(sent) + (ranks_of(near) if byline else [])
            evidence_bonus = max((0.3 for d, a, b, _ in boosted if d == sent.document_id and a is not None and (
                a < sent.end and sent.start < b or a < near.end and near.start < b)), default=0.0)
            if not ranks and not evidence_bonus:
                continue
            # A report by a delegation or organisation speaks for it even where no sentence names it.
            speakers = s.actors | corpus.source_actors(sent.document_id)
            if query.actors and not speakers & set(query.actors) and not query.inherited:
                continue
            if query.provisions and not s.articles & set(query.articles) and not byline:
                continue  # (an article known only by a topic name, "technical assistance", is a hint: see entity)
            if s.instruction:  # quoting it would repeat it: the sources are quoted, never obeyed
                skipped_instructions += 1
                continue
            overlap = len(q_terms & s.terms) / (len(q_terms) or 1)
            similarity = float(s.vector @ qv)
            entity = 0.3 * bool(speakers & wanted_actors) + 0.2 * bool(s.articles & set(query.articles))
            score = similarity + 0.5 * overlap + entity + evidence_bonus + (0.1 / (1 + min(ranks)) if ranks else 0)
            if byline:
                bylines.add(s.key)
            if sent.text.rstrip().endswith("?"):
                score -= 0.2  # the source asking itself a question is not an answer (its next sentence may be)
            candidates.append((score, similarity, overlap, s))
        if not candidates:
            missing = " and ".join(filter(None, [
                ", ".join(corpus.gazetteer.name(a) for a in query.actors),
                ", ".join(f"Article {a}" for a in query.articles),
            ]))
            answer = self._abstain(query, f"The sources don't say: no passage links {missing or 'these terms'} to this question.")
            if skipped_instructions:
                answer.notes.append(INSTRUCTIONS_LEFT_OUT)
            return answer
        candidates.sort(key=lambda c: -c[0])
        best_score, best_similarity, best_overlap, _ = candidates[0]
        named = bool(query.actors or query.articles or query.targets)
        # Relevance is closeness in meaning, helped by shared wording: a paraphrase shares few words
        # with its source but is still near it in meaning; an off-topic question is near nothing.
        if not named and (best_similarity < MIN_SIMILARITY or best_similarity + 0.5 * best_overlap < MIN_RELEVANCE):
            return self._abstain(query, "The sources don't say: the closest passages are about something else.")
        limit = MAX_SENTENCES[query.kind]
        chosen = [c[3] for c in candidates if c[0] >= best_score - 0.25][:limit]
        # A byline answers only if it names what the question names, or sits under a quote chosen above.
        quoted = {(c.sentence.document_id, c.sentence.paragraph) for c in chosen}
        fitting = [c[3] for c in candidates if c[3].key in bylines and c[3].key in previous and (
            (q_terms & c[3].terms) or (previous[c[3].key].sentence.document_id,
                                       previous[c[3].key].sentence.paragraph) in quoted)]
        if fitting:
            chosen = fitting[:1]
        wanted = expected_type(query.text)
        kinds = self._actor_kinds
        if wanted and wanted.kind == "state" and not any(wanted.held_by(s.sentence.text, kinds(s.actors)) for s in chosen):
            holding = [c for c in candidates if wanted.held_by(c[3].sentence.text, kinds(c[3].actors))
                       and c[0] >= best_score - NUMBER_MARGIN]
            if not holding:
                return self._abstain(query, "The sources don't name one: no passage on this names a country or group.")
            chosen = [holding[0][3]] + chosen[: limit - 1]

        def holds(s) -> bool:
            if wanted and wanted.kind != "state":
                return wanted.held_by(s.sentence.text)
            return bool(_NUMBER.search(s.sentence.text))

        if query.kind == "number" and not any(holds(s) for s in chosen):
            # The answer type is a figure or date: the best sentence that holds one, if it is near enough.
            holding = [c for c in candidates if holds(c[3]) and c[0] >= best_score - NUMBER_MARGIN]
            if not holding:
                return self._abstain(query, "The sources don't give that figure or date.")
            chosen = [holding[0][3]] + chosen[: limit - 1]
        # A reason often follows in a sentence that starts "They stressed…", and a question
        # the source asks itself is answered by the sentence after it.
        wants_more = query.kind == "why" or bool(_SECOND_PART.search(query.text))  # "..., and what did they warn?"
        following = corpus.neighbours(chosen, +1)
        keys = {s.key for s in chosen}
        chosen += [f for s in chosen if (f := following.get(s.key)) is not None and f.key not in keys
                   and f.sentence.paragraph == s.sentence.paragraph and (
                       s.sentence.text.rstrip().endswith("?") or (wants_more and _CONTINUES.match(f.sentence.text)))
                   and not f.instruction]
        chosen = sorted({s.key: s for s in chosen}.values(), key=lambda s: s.key)
        citations: list[Citation] = []
        parts = []
        for s in chosen:
            number = self._cite(citations, s.sentence.document_id, s.sentence.start, s.sentence.end)
            parts.append(_with_markers(s.sentence.text, [number]))  # the speaker travels in the citation
        notes = [INSTRUCTIONS_LEFT_OUT] if skipped_instructions else []
        return Answer(query.text, " ".join(parts), False, citations, notes=notes)

    def _actor_kinds(self, actors: set[str]) -> set[str]:
        known = self.corpus.gazetteer.actors
        return {known[a].kind for a in actors if a in known}

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


def _trusted(record: dict) -> bool:
    return record.get("origin") != "extracted"  # an editor's accepted or fixed record is curated


def corpus_has_positions(corpus: Corpus) -> bool:
    return bool(corpus.positions)


# Titles and initials end in a full stop but end no sentence ("Dr. Tatiana Tropina").
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bProf\.)(?<!\bSt\.)"
                             r"(?<!\bNo\.)(?<!\bArt\.)(?<!\b[A-Z]\.)\s+(?=[A-Z“‘\"'])")


def answer_sentences(text: str) -> list[str]:
    """An answer's sentences, split where the engine put its markers (streamed one at a time)."""
    return [piece for piece in _SENTENCE_BREAK.split(text.strip()) if piece]


def _with_markers(sentence: str, numbers: list[int]) -> str:
    """Markers go at the end of every sentence, so a quote of two sentences cites twice."""
    pieces = _SENTENCE_BREAK.split(sentence.strip())
    if len(pieces) > 1:
        return " ".join(_with_markers(p, numbers) for p in pieces)
    markers = "".join(f"[{n}]" for n in dict.fromkeys(numbers))
    sentence = sentence.rstrip()
    if sentence and sentence[-1] in ".!?":
        return f"{sentence[:-1]} {markers}{sentence[-1]}"
    return f"{sentence} {markers}."
