"""`forum-rag eval` (also `python -m eval`): run a question set and/or the
SemEval benchmark, write results.jsonl, report.md and a PNG chart."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from index.errors import ForumRagError


def _weights(_ctx, _param, value: str | None) -> tuple[float, ...]:
    if not value:
        return ()
    try:
        weights = tuple(float(w) for w in value.split(","))
    except ValueError:
        raise click.BadParameter(f"{value!r}: expected comma-separated numbers such as 0.3,0.5,0.7") from None
    if not all(0.0 <= w <= 1.0 for w in weights):
        raise click.BadParameter("dense weights lie between 0 and 1")
    return weights


def _progress(label: str):
    def show(done: int, total: int, item: str) -> None:
        click.echo(f"\r{label}: {done}/{total} {item:<24}", err=True, nl=done >= total)

    return show


def _question_set(questions: Path, index, out: Path, compare, shared, weights, rebuild, limit) -> dict:
    from . import chart, corpora, report, runner
    from . import questions as question_file
    from .summary import load_results, summarize

    qs = question_file.load(questions)[: limit or None]
    old_rows = load_results(compare) if compare else None
    if index is None:
        corpus = corpora.corpus_for(questions)
        if corpus is None:
            raise ForumRagError(f"{questions}: no bundled corpus for this set; pass --index NAME")
        index = corpora.ensure(corpus, corpora.shared_dir(shared), rebuild)
    rows = runner.run(qs, index, progress=_progress(questions.name))
    sweep = runner.sweep(qs, index, weights) if weights else ()
    summary = summarize(rows)
    title = f"forum-rag eval: {questions.name} ({len(rows)} questions)"
    chart.write(out / "metrics.png", chart.summary_bars(summary, summarize(old_rows) if old_rows else None), title)
    report.write(out, title, rows, sweep=sweep, old_rows=old_rows, chart="metrics.png")
    return summary


def _semeval(path: Path, out: Path, weights, rebuild, limit) -> dict:
    from . import chart, report, semeval

    rows, queries = semeval.load(path)
    semeval.ensure_index(rows, rebuild)
    results = semeval.evaluate(queries[: limit or None], progress=_progress("semeval"))
    sweep = semeval.sweep(queries[: limit or None], weights) if weights else ()
    chart.write(out / "legs.png", semeval.bars(results), "SemEval-2016 Task 3: retrieval legs")
    report.write_atomic(out / "results.jsonl", "".join(json.dumps(r) + "\n" for r in results))
    report.write_atomic(out / "report.md", semeval.render(results, path, sweep, chart="legs.png"))
    return semeval.summarize(results)


@click.command("eval")
@click.argument("questions", required=False, type=click.Path(path_type=Path))
@click.option("-i", "--index", envvar="FORUM_RAG_EVAL_INDEX", default=None, help="Index to question. [env FORUM_RAG_EVAL_INDEX; default: the set's own corpus: sample.jsonl -> the bundled sample, tmc.jsonl -> the TMC CSV exports in ../shared, indexed once and cached]")
@click.option("-o", "--out", type=click.Path(path_type=Path), envvar="FORUM_RAG_EVAL_OUT", default=None, help="Output directory. [env FORUM_RAG_EVAL_OUT; default: eval-results/<set name>]")
@click.option("-c", "--compare", type=click.Path(path_type=Path, exists=True, file_okay=False), envvar="FORUM_RAG_EVAL_COMPARE", default=None, help="An earlier output directory to compare with. [env FORUM_RAG_EVAL_COMPARE]")
@click.option("-s", "--semeval", type=click.Path(path_type=Path, exists=True), envvar="FORUM_RAG_EVAL_SEMEVAL", default=None, help="SemEval-2016 Task 3 XML file or folder: open retrieval with lexical, dense and hybrid legs side by side. [env FORUM_RAG_EVAL_SEMEVAL]")
@click.option("-S", "--shared", type=click.Path(path_type=Path), envvar="FORUM_RAG_SHARED", default=None, help="Folder holding corpora/ (the TMC exports). [env FORUM_RAG_SHARED; default: ../shared beside the checkout]")
@click.option("-w", "--weights", callback=_weights, envvar="FORUM_RAG_EVAL_WEIGHTS", default=None, help="Also sweep the hybrid's dense weight, e.g. 0,0.3,0.5,0.7,1. [env FORUM_RAG_EVAL_WEIGHTS]")
@click.option("-r", "--rebuild", is_flag=True, envvar="FORUM_RAG_EVAL_REBUILD", help="Re-ingest the cached corpus index first. [env FORUM_RAG_EVAL_REBUILD]")
@click.option("-n", "--limit", type=click.IntRange(1), envvar="FORUM_RAG_EVAL_LIMIT", default=None, help="Only the first N questions (quick checks). [env FORUM_RAG_EVAL_LIMIT]")
@click.option("-j", "--json", "as_json", is_flag=True, envvar="FORUM_RAG_JSON", help="Print the summary as JSON. [env FORUM_RAG_JSON]")
def command(questions, index, out, compare, semeval, shared, weights, rebuild, limit, as_json) -> None:
    """Score QUESTIONS.jsonl (and/or --semeval PATH); writes results.jsonl, report.md and a PNG chart."""
    if questions is None and semeval is None:
        raise click.UsageError("give a QUESTIONS.jsonl file, --semeval PATH, or both")
    summaries = {}
    if questions is not None:
        target = out or Path("eval-results") / questions.stem
        summaries[questions.stem] = _question_set(questions, index, target, compare, shared, weights, rebuild, limit)
        click.echo(f"report: {target / 'report.md'}", err=True)
    if semeval is not None:
        target = (out / "semeval" if questions is not None else out) if out else Path("eval-results") / "semeval"
        summaries["semeval"] = _semeval(semeval, target, weights, rebuild, limit)
        click.echo(f"report: {target / 'report.md'}", err=True)
    click.echo(json.dumps(summaries, indent=2) if as_json else _text(summaries))


def _text(summaries: dict) -> str:
    lines = []
    for name, s in summaries.items():
        lines.append(f"{name}:")
        if "legs" in s:
            keys = ("hit@1", "hit@5", "mrr", "ndcg@10", "citation_precision", "keyword_recall", "speaker_accuracy",
                    "abstention_accuracy", "latency_p50", "latency_p95")
            lines += [f"  {k}: {s[k]:.3f}" if isinstance(s[k], float) else f"  {k}: {s[k]}" for k in keys]
            legs = s["legs"]
        else:
            legs = s
        lines += [f"  {mode}: " + ", ".join(f"{k} {v:.3f}" for k, v in leg.items() if v is not None) for mode, leg in legs.items()]
    return "\n".join(lines)


def main() -> None:
    from index import env  # noqa: F401

    try:
        command(prog_name="python -m eval", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    except ForumRagError as exc:
        click.echo(f"forum-rag: error: {exc}", err=True)
        sys.exit(2)
