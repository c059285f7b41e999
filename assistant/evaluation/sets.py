"""Question sets: which questions, over which documents, with which knowledge files.

    seed     evals/qa.jsonl over the knowledge folder (its documents, curated positions and reviews)
    dev      evals/corpus/questions.jsonl, items with split "dev"
    heldout  evals/corpus/questions.jsonl, items with split "heldout"
    corpus   dev and heldout together

The corpus sets index `evals/corpus/documents` with the gazetteer (actors.yaml,
articles.yaml) of the knowledge folder and nothing else: no curated
positions.yaml and no review decisions, so every position record the Assistant
uses there is extracted automatically. Their knowledge folder is a temporary
one the runner lays out (`knowledge_folder`), copies of those files; nothing is
written to knowledge/ or to the corpus.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from .dataset import SPLITS, EvalItem, QuestionSetError, load_questions

SET_NAMES = ("seed", "dev", "heldout", "corpus")
GAZETTEER_FILES = ("actors.yaml", "articles.yaml")
CORPUS_QUESTIONS = "questions.jsonl"
CORPUS_DOCUMENTS = "documents"


@dataclass(frozen=True)
class QuestionSet:
    name: str
    question_file: Path
    documents_dir: Path  # the source documents the questions are about
    knowledge_dir: Path  # seed: the knowledge folder itself; corpus sets: where the gazetteer comes from
    splits: tuple[str, ...] = ()  # items kept, by split; () keeps every item
    curated: bool = True  # the knowledge folder's positions.yaml and reviews.yaml are used

    def describe(self) -> str:
        what = f"`{self.question_file}`" + (f" (split {' + '.join(self.splits)})" if self.splits else "")
        if self.curated:
            return f"{what} over `{self.knowledge_dir}`"
        return (f"{what} over `{self.documents_dir}`, gazetteer from `{self.knowledge_dir}`, "
                "positions extracted automatically (no curated positions.yaml)")


def question_set(name: str, knowledge_dir: Path = Path("knowledge"), corpus_dir: Path = Path("evals/corpus"),
                 question_file: Path | None = None) -> QuestionSet:
    """The named set. `question_file` replaces the set's own file (the split filter still applies)."""
    knowledge_dir, corpus_dir = Path(knowledge_dir), Path(corpus_dir)
    if name == "seed":
        return QuestionSet("seed", Path(question_file or "evals/qa.jsonl"), knowledge_dir / "documents", knowledge_dir)
    if name not in SET_NAMES:
        raise InputError(f"unknown question set '{name}'; use one of {', '.join(SET_NAMES)}")
    splits = SPLITS if name == "corpus" else (name,)
    return QuestionSet(name, Path(question_file or corpus_dir / CORPUS_QUESTIONS), corpus_dir / CORPUS_DOCUMENTS,
                       knowledge_dir, splits, curated=False)


def document_texts_of(qs: QuestionSet) -> dict[str, str]:
    """The cleaned text of each of the set's documents (what gold quotes are located in)."""
    from ..documents import load_folder

    if not qs.documents_dir.is_dir():
        raise InputError(f"{qs.documents_dir}: documents folder of the '{qs.name}' set not found")
    return {d.id: d.text for d in load_folder(qs.documents_dir)}


def load_set(qs: QuestionSet, documents: dict[str, str] | None = None) -> list[EvalItem]:
    """The set's items, every gold quote located, filtered by split. Every item of the file is
    checked, whichever split is asked for: a broken held-out item fails a dev run too."""
    if not qs.question_file.is_file():
        raise QuestionSetError(f"{qs.question_file}: question file of the '{qs.name}' set not found")
    items = load_questions(qs.question_file, document_texts_of(qs) if documents is None else documents)
    if not qs.splits:
        return items
    missing = [i for i in items if i.split is None]
    if missing:
        raise QuestionSetError(f"{qs.question_file}, line {missing[0].line} (question {missing[0].id}): "
                               f"missing 'split' ({' or '.join(SPLITS)}); the '{qs.name}' set selects by split")
    kept = [i for i in items if i.split in qs.splits]
    if not kept:
        raise QuestionSetError(f"{qs.question_file}: no questions with split {' or '.join(qs.splits)}")
    return kept


@contextmanager
def knowledge_folder(qs: QuestionSet) -> Iterator[Path]:
    """The knowledge folder the Assistant indexes for this set.

    The seed set uses the knowledge folder as it is. A corpus set gets a temporary folder
    holding copies of the corpus documents (with their .meta.yaml) and of the gazetteer files,
    and no positions.yaml or reviews.yaml; the Assistant writes its extracted records there.
    Copies, not links, so that nothing the Assistant writes can reach the corpus."""
    if qs.curated:
        yield qs.knowledge_dir
        return
    missing = [n for n in GAZETTEER_FILES if not (qs.knowledge_dir / n).is_file()]
    if missing:
        raise InputError(f"{qs.knowledge_dir}: {', '.join(missing)} not found (the '{qs.name}' set takes its "
                         "gazetteer from there)")
    with tempfile.TemporaryDirectory(prefix=f"assistant-eval-{qs.name}-kb-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp) / "knowledge"
        shutil.copytree(qs.documents_dir, folder / "documents",
                        ignore=shutil.ignore_patterns(".*"))
        for name in GAZETTEER_FILES:
            shutil.copyfile(qs.knowledge_dir / name, folder / name)
        yield folder
