"""`assistant` command line: index, ask, documents, positions, eval."""

from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from . import offline  # noqa: F401
from .errors import AssistantError, InputError, StoreUnavailable
from .answer import section_shown

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Grounded answers about the UN cybercrime-treaty negotiations, every claim cited.")

KnowledgeDir = typer.Option(Path("knowledge"), "--knowledge-dir", "-k", envvar="ASSISTANT_KNOWLEDGE_DIR",
                            help="Folder with documents/, actors.yaml, articles.yaml, positions.yaml.")
PersistDir = typer.Option(None, "--persist-dir", envvar="ASSISTANT_PERSIST_DIR",
                          help="Where the embedded Chroma index lives (default: KNOWLEDGE_DIR/.index).")


def _fail(exc: Exception) -> None:
    typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
    raise typer.Exit(3 if isinstance(exc, StoreUnavailable) else 2)


def _progress():
    """A rich progress bar fed by the index build's (done, total, message) callbacks."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   transient=True, disable=not sys.stderr.isatty())
    task = bar.add_task("indexing", total=None)

    def update(done: int, total: int, message: str):
        bar.update(task, completed=done, total=total, description=message)

    return bar, update


def _load(knowledge_dir: Path, persist_dir: Optional[Path], sync: Optional[bool] = True):
    from .core import Assistant

    bar, update = _progress()
    with bar:
        return Assistant.load(knowledge_dir, persist_dir, progress=update, sync=sync)


@app.command()
def index(knowledge_dir: Path = KnowledgeDir, persist_dir: Optional[Path] = PersistDir):
    """Bring the index in step with the knowledge folder (only what changed is re-embedded)."""
    from .core import Assistant

    try:
        assistant = Assistant(knowledge_dir, persist_dir)
        bar, update = _progress()
        with bar:
            report = assistant.index(update)
    except AssistantError as exc:
        _fail(exc)
    typer.echo(report.summary())
    for p in assistant.problems:
        typer.secho(f"set aside: {p['file']}: {p['reason']}", fg=typer.colors.YELLOW, err=True)


@app.command()
def ask(question: str = typer.Argument(..., help="The question, in quotes."),
        as_json: bool = typer.Option(False, "--json", help="Print the answer and citations as JSON."),
        doc: list[str] = typer.Option([], "--doc", help="Only this document (repeat for more)."),
        publisher: list[str] = typer.Option([], "--publisher", help="Only this publisher's documents (repeat for more)."),
        kind: list[str] = typer.Option([], "--kind", help="Only documents of this kind, e.g. news (repeat for more)."),
        since: Optional[str] = typer.Option(None, "--since", help="Only documents dated on or after YYYY-MM-DD."),
        until: Optional[str] = typer.Option(None, "--until", help="Only documents dated on or before YYYY-MM-DD."),
        knowledge_dir: Path = KnowledgeDir, persist_dir: Optional[Path] = PersistDir):
    """Answer a question with numbered citations, or say that the sources don't say."""
    from .answering.query import validate_question
    from .scope import make_scope

    try:
        validate_question(question)  # before the slow start, so a typo fails fast
        scope = make_scope({"documents": doc, "publishers": publisher, "kinds": kind, "since": since, "until": until})
        answer = _load(knowledge_dir, persist_dir).ask(question, scope=scope)
    except AssistantError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo(answer.text)
    for note in answer.notes:
        if note.strip() != answer.text.strip():  # (an abstention's reason is its text already)
            typer.echo(f"\nNote: {note}")
    for c in answer.citations:
        speaker = f" — {c.attribution}" if c.attribution else ""
        where = " › ".join(filter(None, (c.title, section_shown(c.title, c.section))))
        typer.echo(f"\n[{c.number}] \"{c.quote}\"{speaker}\n    {where} ({c.document_id}, chars {c.start}-{c.end})")


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., metavar="PATH...",
                                             help=".txt, .md, .html or .pdf files, or folders of them."),
           replace: bool = typer.Option(False, "--replace", help="Replace a stored document with the same id in "
                                                                  "another format (dupe.md for dupe.txt)."),
           knowledge_dir: Path = KnowledgeDir, persist_dir: Optional[Path] = PersistDir):
    """Add or update documents: indexed at once, then kept in the knowledge folder."""
    try:
        assistant = _load(knowledge_dir, persist_dir, sync=None)  # (a first ingest indexes the folder first)
        bar, update = _progress()
        with bar:
            report = assistant.ingest(paths, update, replace=replace)
    except AssistantError as exc:
        _fail(exc)
    typer.echo(report.summary())


# `assistant documents` is a group so that `assistant documents edit` can sit under it; with no
# sub-command it lists the documents.
documents_app = typer.Typer(add_completion=False, no_args_is_help=False)
app.add_typer(documents_app, name="documents")


@documents_app.callback(invoke_without_command=True)
def documents(ctx: typer.Context,
              problems: bool = typer.Option(False, "--problems", help="List the files the next start sets aside "
                                            "(duplicate ids, unreadable files) or removes (interrupted uploads), "
                                            "with the reason; exit 1 if there are any."),
              as_json: bool = typer.Option(False, "--json", help="Print every document's metadata as JSON."),
              knowledge_dir: Path = KnowledgeDir, persist_dir: Optional[Path] = PersistDir):
    """List the indexed documents: id, date, publisher, kind, title, and the fields no source gave."""
    if ctx.invoked_subcommand is not None:
        return
    if problems:
        from .staging import folder_problems

        try:
            found = folder_problems(knowledge_dir)
        except AssistantError as exc:
            _fail(exc)
        for p in found:
            typer.echo(f"{p['file']}\t{p['reason']}")
        if found:
            raise typer.Exit(1)
        typer.echo(f"no problems: every document in {knowledge_dir / 'documents'} can be served")
        return
    try:
        docs = _load(knowledge_dir, persist_dir, sync=False).documents()
    except AssistantError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps(docs, ensure_ascii=False, indent=2))
        return
    typer.echo("id\tdate\tpublisher\tkind\ttitle\tmissing")
    for d in docs:
        meta = d["meta"]
        typer.echo("\t".join([d["id"], meta.get("date", ""), meta.get("publisher", ""), meta.get("kind", ""),
                              d["title"], meta.get("missing", "")]))


@documents_app.command("edit")
def documents_edit(doc_id: str = typer.Argument(..., help="The document's id."),
                   set_fields: list[str] = typer.Option(..., "--set", help="field=value: title, publisher, date "
                                                        "(YYYY-MM-DD) or kind; 'field=' drops a correction. Repeatable."),
                   knowledge_dir: Path = KnowledgeDir, persist_dir: Optional[Path] = PersistDir):
    """Correct a document's metadata. The correction is kept in knowledge/corrections.yaml, wins over what
    the file says, and survives re-ingesting the file."""
    from .metadata import save_correction

    changes = {}
    for item in set_fields:
        field, sep, value = item.partition("=")
        if not sep:
            _fail(AssistantError(f"--set '{item}' is not field=value"))
        changes[field.strip()] = value.strip()
    try:
        assistant = _load(knowledge_dir, persist_dir, sync=False)
        assistant.document(doc_id)  # an unknown id fails before anything is written
        save_correction(knowledge_dir, doc_id, changes)
        assistant.index(prune=False)
        meta = assistant.document(doc_id).meta
    except AssistantError as exc:
        _fail(exc)
    typer.echo(json.dumps({k: meta.get(k, "") for k in ("title", "publisher", "date", "kind", "missing", "found")},
                          ensure_ascii=False, indent=2))


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


# `assistant positions` is a group so that `assistant positions review` can sit under it; called with no
# sub-command it is the same plain listing as before (same options, same output).
positions_app = typer.Typer(add_completion=False, no_args_is_help=False)
app.add_typer(positions_app, name="positions")


@positions_app.callback(invoke_without_command=True)
def positions(ctx: typer.Context,
              actor: Optional[str] = typer.Option(None, help="Actor id or any alias: 'US', 'Cape Verde', 'EU'."),
              article: Optional[str] = typer.Option(None, help="Article or paragraph: 24, 35(3)."),
              stance: Optional[str] = typer.Option(None, help="supports, opposes, proposes, calls_for_deletion, …"),
              fmt: Format = typer.Option(Format.table, "--format"),
              timeline: bool = typer.Option(False, "--timeline", help="In date order, with each record's date."),
              knowledge_dir: Path = KnowledgeDir, persist_dir: Optional[Path] = PersistDir):
    """The position data itself: who took which stance on which article, with evidence."""
    if ctx.invoked_subcommand is not None:
        return
    from .positions import STANCES

    if stance and stance not in STANCES:
        _fail(AssistantError(f"unknown stance '{stance}'; use one of {', '.join(STANCES)}"))
    try:
        assistant = _load(knowledge_dir, persist_dir, sync=False)
        records = assistant.positions(actor, article, stance, timeline=timeline)
    except AssistantError as exc:
        _fail(exc)
    name = assistant.gazetteer.name
    rows = [{
        "id": r["id"], "date": r.get("date") or "", "actors": "; ".join(name(a) for a in r["actors"]), "provisions": ", ".join(r["provisions"]),
        "stance": r["stance"], "issue": r["issue"], "summary": r["summary"], "quote": r["evidence"][0]["quote"],
        "document": r["evidence"][0]["document"], "start": r["evidence"][0]["start"], "end": r["evidence"][0]["end"],
    } for r in records]
    if fmt is Format.json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt is Format.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        from rich.console import Console
        from rich.table import Table

        columns = (["date"] if timeline else []) + ["actors", "articles", "stance", "summary"]
        table = Table(*columns, show_lines=False)
        for row in rows:
            table.add_row(*([row["date"] or "undated"] if timeline else []), row["actors"], row["provisions"],
                          row["stance"], row["summary"])
        Console().print(table)
        typer.echo(f"{len(rows)} records")


@positions_app.command("review")
def positions_review(
    document: Optional[str] = typer.Option(None, "--document", help="Only the records extracted from this document."),
    list_records: bool = typer.Option(False, "--list", help="List extracted records and their review status (the default)."),
    accept: Optional[list[str]] = typer.Option(None, "--accept", help="Accept a record (id or fingerprint); repeatable."),
    reject: Optional[list[str]] = typer.Option(None, "--reject", help="Reject a record (id or fingerprint); repeatable."),
    fix: Optional[str] = typer.Option(None, "--fix", help="Fix a record (id or fingerprint); give the corrections with --set."),
    set_fields: Optional[list[str]] = typer.Option(None, "--set", help="For --fix: field=value, e.g. stance=opposes, "
                                                   "actors=egypt,iran, provisions=35(3); repeatable."),
    note: Optional[str] = typer.Option(None, "--note", help="A note kept with the decision."),
    reindex: bool = typer.Option(True, "--index/--no-index", help="Re-index after a decision so answers use it at once."),
    fmt: Format = typer.Option(Format.table, "--format"),
    knowledge_dir: Path = KnowledgeDir, persist_dir: Optional[Path] = PersistDir,
):
    """Review automatically extracted positions: list them, accept, reject or fix them (kept in reviews.yaml)."""
    from .documents import load_folder
    from .extraction import review as rv
    from .gazetteer import Gazetteer
    from .positions import load_positions

    try:
        if not knowledge_dir.is_dir():
            raise AssistantError(f"{knowledge_dir}: knowledge folder not found")
        gazetteer = Gazetteer.load(knowledge_dir)
        actions = [(key, "accept", None) for key in accept or []] + [(key, "reject", None) for key in reject or []]
        if fix:
            actions.append((fix, "fix", rv.parse_set(set_fields or [])))
        elif set_fields:
            raise AssistantError("--set goes with --fix ID")
        for key, decision, fields in actions:
            made = rv.decide(knowledge_dir, gazetteer, key, decision, fields, note, document)
            typer.echo(f"{made.decision}: {made.record} (fingerprint {made.fingerprint})")
        if actions and reindex:
            from .core import Assistant

            bar, update = _progress()
            with bar:
                report = Assistant(knowledge_dir, persist_dir).index(update)
            typer.echo(report.summary())
        if actions and not list_records:
            return
        texts = {d.id: d for d in load_folder(knowledge_dir / "documents")}
        curated = load_positions(knowledge_dir / "positions.yaml", gazetteer, texts)
        reviewed, candidates = rv.review_state(knowledge_dir, gazetteer, curated, document)
    except AssistantError as exc:
        _fail(exc)
    rows = [{
        "status": r.status, "id": r.record["id"], "fingerprint": r.record.get("fingerprint"),
        "confidence": r.record.get("confidence"), "document": r.document,
        "stance": r.position.stance if r.position else r.record["stance"],
        "actors": list(r.position.actors if r.position else r.record["actors"]),
        "provisions": list(r.position.provisions if r.position else r.record["provisions"]),
        "summary": r.position.summary if r.position else r.record["summary"],
        "quote": r.record["evidence"][0]["quote"], "start": r.record["evidence"][0]["start"],
        "end": r.record["evidence"][0]["end"], "responds_to": r.position.responds_to if r.position else r.record.get("responds_to"),
        "detail": r.detail,
    } for r in reviewed]
    if fmt is Format.json:
        typer.echo(json.dumps({"records": rows, "candidates": candidates}, ensure_ascii=False, indent=2))
        return
    if fmt is Format.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows([{**row, "actors": "; ".join(row["actors"]), "provisions": ", ".join(row["provisions"])} for row in rows])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("status", "id", "conf", "stance", "actors", "articles", "summary", show_lines=False)
    for row in rows:
        table.add_row(row["status"] + (f" ({row['detail']})" if row["detail"] else ""), row["id"],
                      f"{row['confidence']:.2f}" if row["confidence"] is not None else "", row["stance"],
                      ", ".join(row["actors"]), ", ".join(row["provisions"]), row["summary"])
    console = Console()
    console.print(table)
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in dict.fromkeys(r["status"] for r in rows)}
    typer.echo(f"{len(rows)} extracted records: " + (", ".join(f"{n} {s}" for s, n in counts.items()) or "none"))
    if candidates:
        typer.echo("gazetteer candidates (names that read like delegations, not in actors.yaml):")
        for c in candidates:
            typer.echo(f"  {c['name']}\t{c.get('stance') or ''}\t{c['document']} chars {c['start']}-{c['end']}: \"{c['quote'][:120]}\"")


@app.command("eval")
def eval_command(
    file: Optional[Path] = typer.Argument(None, help="Question set, JSON lines (default: the --set's own file)."),
    question_set: str = typer.Option("seed", "--set",
                                     help="seed (evals/qa.jsonl over the knowledge folder), dev, heldout, or corpus "
                                          "(dev + heldout): evals/corpus/questions.jsonl over evals/corpus/documents."),
    corpus_dir: Path = typer.Option(Path("evals/corpus"), "--corpus-dir",
                                    help="The evaluation corpus (documents/, questions.jsonl) for --set dev|heldout|corpus."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for report.json and report.md (default: evals/runs/<timestamp>)."),
    compare: bool = typer.Option(False, "--compare", help="Also run every other named configuration, side by side."),
    config: str = typer.Option("hybrid+positions", "--config",
                               help="Configuration to run and gate: dense, bm25, hybrid, hybrid+positions, llamaindex-quickstart."),
    gate: bool = typer.Option(False, "--gate/--no-gate", help="Exit 1 when a headline figure misses the set's threshold."),
    thresholds: Path = typer.Option(Path("evals/thresholds.json"), "--thresholds", help="Thresholds for --gate, per set."),
    knowledge_dir: Path = KnowledgeDir,
    persist_dir: Optional[Path] = typer.Option(None, "--persist-dir",
                                               help="Index to build or reuse (default: a fresh temporary one)."),
    generative: bool = typer.Option(False, "--generative",
                                    help="Also rewrite the answers with the language model in ASSISTANT_LLM_* and "
                                         "report generative and extractive side by side."),
    local_model: bool = typer.Option(False, "--local",
                                     help="With --generative: start SmolLM2-135M on a local llama.cpp server."),
    llm_timeout: Optional[float] = typer.Option(None, "--llm-timeout", help="Seconds per model answer."),
):
    """Run a question set and score retrieval, answers, citations, abstention and latency.

    For dev, heldout and corpus, knowledge-dir only lends its actors.yaml and articles.yaml:
    the corpus documents are indexed in a temporary folder, positions extracted automatically."""
    from contextlib import nullcontext
    from datetime import datetime

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .evaluation import BASELINE_CONFIG, CONFIGS, gate as judge, load_set, load_thresholds, needs_baseline
    from .evaluation import question_set as pick_set
    from .evaluation import resolve_configs, run, summary_table, threshold_sets, write

    try:
        configs = resolve_configs([config])  # a typo fails here, before anything slow
        if compare:
            configs = resolve_configs(list(CONFIGS))
        qs = pick_set(question_set, knowledge_dir, corpus_dir, file)
        if gate:  # the set's thresholds exist and parse, before anything slow
            sections = threshold_sets(thresholds)
            names = [question_set] if question_set != "corpus" else [s for s in ("dev", "heldout")
                                                                        if sections is None or s in sections]
            if not names:
                raise InputError(f"{thresholds}: no thresholds for the dev or heldout split")
            limits = [load_thresholds(thresholds, n) for n in names]
            if any(needs_baseline(t) for t in limits) and BASELINE_CONFIG not in {c.name for c in configs}:
                configs = configs + resolve_configs([BASELINE_CONFIG])  # "above the baseline" needs its figures
        items = load_set(qs)  # a bad quote fails before the slow start
        err = Console(stderr=True)
        bar = Progress(TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                       console=err, transient=True, disable=not err.is_terminal)
        tasks: dict[str, object] = {}
        indexing = bar.add_task("indexing", total=None, visible=False)

        def on_item(name: str, done: int, total: int):
            if name not in tasks:
                bar.update(indexing, visible=False)
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done)

        def on_index(done: int, total: int, message: str):
            bar.update(indexing, completed=done, total=total, description=message, visible=True)

        if local_model and not generative:
            raise InputError("--local starts a model for --generative; pass both")
        if generative:
            from .generation.compare import model_config

            model = model_config(local_model, llm_timeout)
        else:
            model = nullcontext(None)
        with model as llm, bar:
            report = run(qs.question_file, configs, knowledge_dir, persist_dir, progress=on_item,
                         index_progress=on_index, items=items, primary=config, generator=llm, question_set=qs)
        verdict = judge(report, thresholds, question_set, config) if gate else None
    except AssistantError as exc:
        _fail(exc)
    if verdict is not None:
        report["gate"] = verdict
        for note in verdict["notes"]:
            typer.secho(f"note: {note}", fg=typer.colors.YELLOW, err=True)
    out = out or Path("evals/runs") / datetime.now().strftime("%Y%m%d-%H%M%S")
    json_path, md_path = write(report, out)
    console = Console()
    console.print(summary_table(report))
    if "generative" in report:
        from .generation.compare import table

        typer.echo(table(report["generative"]))
    typer.echo(f"report: {md_path} and {json_path}")
    if verdict is not None:
        if verdict["draft_misses"]:
            typer.secho(f"draft targets for {question_set} (not in force) missed:", fg=typer.colors.YELLOW, err=True)
            for miss in verdict["draft_misses"]:
                typer.secho(f"  {miss}", fg=typer.colors.YELLOW, err=True)
        if verdict["failures"]:
            typer.secho(f"gate failed for {config} on the {question_set} set:", fg=typer.colors.RED, err=True)
            for failure in verdict["failures"]:
                typer.secho(f"  {failure}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1)
        if not verdict["in_force"]:
            typer.secho(f"gate passed for {config} on the {question_set} set: no threshold in force in {thresholds} "
                        f"({len(verdict['draft_misses'])} draft targets missed)", fg=typer.colors.YELLOW)
            return
        typer.secho(f"gate passed for {config} on the {question_set} set: every headline figure met {thresholds}",
                    fg=typer.colors.GREEN)


@app.command()
def serve(host: str = typer.Option("127.0.0.1", envvar="ASSISTANT_HOST"),
          port: int = typer.Option(8080, envvar="ASSISTANT_API_PORT"),
          knowledge_dir: Path = KnowledgeDir, persist_dir: Optional[Path] = PersistDir,
          chroma_url: Optional[str] = typer.Option(None, envvar="ASSISTANT_CHROMA_URL",
                                                   help="Use a Chroma server, e.g. http://127.0.0.1:8000"),
          workers: int = typer.Option(1, help="Worker processes (each loads the model).")):
    """Serve the HTTP API (/v1/ask, /v1/documents, /v1/positions, /healthz, /readyz)."""
    import os

    import uvicorn

    from .guard import Settings

    try:
        Settings.from_env()  # an unknown value of a security setting stops the start here, with the reason
    except AssistantError as exc:
        _fail(exc)
    os.environ["ASSISTANT_KNOWLEDGE_DIR"] = str(knowledge_dir)
    if persist_dir:
        os.environ["ASSISTANT_PERSIST_DIR"] = str(persist_dir)
    if chroma_url:
        os.environ["ASSISTANT_CHROMA_URL"] = chroma_url
    uvicorn.run("assistant.api:default_app", factory=True, host=host, port=port, workers=workers, log_level="info")


def main():
    app()


if __name__ == "__main__":
    main()
