"""results.jsonl and report.md for a run, with an optional comparison."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Sequence

from .summary import HEADLINE, RANK_METRICS, by_kind, calibration, summarize


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def fmt(value, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.3f}"


def legs_table(legs: dict[str, dict]) -> list[str]:
    """Each retrieval leg side by side, and how the hybrid fares against the better single leg."""
    lines = ["| retrieval | " + " | ".join(RANK_METRICS) + " |", "| --- |" + " --- |" * len(RANK_METRICS)]
    lines += [f"| {mode} | " + " | ".join(fmt(v.get(k)) for k in RANK_METRICS) + " |" for mode, v in legs.items()]
    if {"hybrid", "dense", "lexical"} <= set(legs):
        best = {k: max(legs["dense"][k] or 0.0, legs["lexical"][k] or 0.0) for k in RANK_METRICS}
        lines.append("| hybrid − better single leg | " + " | ".join(_signed((legs["hybrid"][k] or 0.0) - best[k]) for k in RANK_METRICS) + " |")
    return lines


def _summary_lines(s: dict) -> list[str]:
    return [
        f"- questions: {s['questions']} ({s['answerable']} answerable, {s['unanswerable']} unanswerable)",
        *(f"- {k}: {fmt(s[k])}" for k in HEADLINE),
        f"- speaker-attribution questions: {s['speaker_questions']}; of those citing the gold words, "
        f"{s['attribution_cited']}, credited to the right speaker: {fmt(s['attribution_accuracy'])}",
        f"- answerable questions wrongly abstained: {fmt(s['false_abstention'])}",
        f"- latency p50 / p95: {fmt(s['latency_p50'], 2)} s / {fmt(s['latency_p95'], 2)} s (ask(), after a warm-up call)",
    ]


def _question_rows(rows: Sequence[dict]) -> list[str]:
    lines = ["| id | kind | hit@1 | hit@5 | MRR | abstained | cit. prec. | kw recall | speaker | first citation | s |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        ret = r["retrieval"].get("hybrid", {})
        cites = r["answer"]["citations"]
        first = f"{cites[0]['post_id']} ({cites[0].get('speaker') or cites[0].get('author') or '?'})" if cites else "–"
        lines.append(
            f"| {r['id']} | {r['kind']} | {fmt(ret.get('hit@1'), 0)} | {fmt(ret.get('hit@5'), 0)} | {fmt(ret.get('mrr'), 2)} | "
            f"{fmt(r['abstained'])} | {fmt(r['citation_precision'], 2)} | {fmt(r['keyword_recall'], 2)} | "
            f"{fmt(r['speaker_correct'])} | {first} | {fmt(r['latency'], 2)} |"
        )
    return lines


def _compare_lines(now: dict, old: dict) -> list[str]:
    keys = HEADLINE + ("false_abstention", "latency_p50", "latency_p95")
    lines = ["| metric | old | new | change |", "| --- | --- | --- | --- |"]
    for k in keys:
        a, b = old.get(k), now.get(k)
        lines.append(f"| {k} | {fmt(a)} | {fmt(b)} | {_signed(b - a) if a is not None and b is not None else '–'} |")
    return lines


def render(title: str, rows: Sequence[dict], sweep: Sequence[dict] = (), old_rows: Sequence[dict] | None = None,
           chart: str | None = None) -> str:
    s = summarize(rows)
    lines = [f"# {title}", "", "## Summary", "", *_summary_lines(s), "", "## Retrieval legs (answerable questions)", "",
             *legs_table(s["legs"]), ""]
    if chart:
        lines += [f"![metrics]({chart})", ""]
    if sweep:
        lines += ["## Dense weight sweep (hybrid, linear fusion)", "", "| dense weight | " + " | ".join(RANK_METRICS) + " |",
                  "| --- |" + " --- |" * len(RANK_METRICS)]
        lines += [f"| {row['dense_weight']} | " + " | ".join(fmt(row[k]) for k in RANK_METRICS) + " |" for row in sweep]
        lines.append("")
    cal = calibration(rows)
    if cal:
        lines += ["## Abstention calibration", "",
                  f"Best separating confidence threshold on this set: {cal['threshold']:.3f} (balanced accuracy "
                  f"{cal['balanced_accuracy']:.3f}: answers {cal['answered']:.3f} of answerable, abstains on "
                  f"{cal['abstained']:.3f} of unanswerable). Lowest answerable confidence {cal['answerable_min']:.3f}, "
                  f"highest unanswerable {cal['unanswerable_max']:.3f}.", ""]
    if old_rows is not None:
        lines += ["## Compared with the earlier run", "", *_compare_lines(s, summarize(old_rows)), ""]
    lines += ["## By kind", "", "| kind | n | hit@5 | MRR | cit. prec. | kw recall | speaker | abstention |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for kind, k in by_kind(rows).items():
        lines.append(f"| {kind} | {k['questions']} | {fmt(k['hit@5'])} | {fmt(k['mrr'])} | {fmt(k['citation_precision'])} | "
                     f"{fmt(k['keyword_recall'])} | {fmt(k['speaker_accuracy'])} | {fmt(k['abstention_accuracy'])} |")
    lines += ["", "## Questions", "", *_question_rows(rows), ""]
    return "\n".join(lines)


def write(out: Path, title: str, rows: Sequence[dict], **kwargs) -> Path:
    write_atomic(out / "results.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    path = out / "report.md"
    write_atomic(path, render(title, rows, **kwargs))
    return path
