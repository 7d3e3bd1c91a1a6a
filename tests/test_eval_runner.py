"""The eval runner end to end on the bundled sample (small fixture sets)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from click.testing import CliRunner

from eval.cli import command
from eval.questions import load

from conftest import REPO

QUESTIONS = [
    {"id": "a1", "question": "What did Elon say about Dojo in Q1?", "kind": "who-said",
     "gold_post_ids": ["project-dojo-the-saas-product-4"], "gold_substrings": ["long-shot bet"],
     "answer_keywords": ["long-shot"], "speaker": "Elon"},
    {"id": "a2", "question": "Who actually manufactures Nvidia's chips?", "kind": "fact",
     "gold_post_ids": ["project-dojo-the-saas-product-6"], "gold_substrings": ["made by TSMC"], "answer_keywords": ["TSMC"]},
    {"id": "a3", "question": "How long does it take to bake sourdough bread?", "kind": "unanswerable"},
]


def write_questions(path, rows) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_eval_writes_results_report_and_chart_and_compares(sample_index, tmp_path):
    questions = tmp_path / "mini.jsonl"
    write_questions(questions, QUESTIONS)
    out = tmp_path / "run1"
    result = CliRunner().invoke(command, [str(questions), "--index", "default", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["mini"]
    assert summary["questions"] == 3 and summary["unanswerable"] == 1
    assert summary["hit@5"] == 1.0 and summary["abstention_accuracy"] == 1.0 and summary["speaker_accuracy"] == 1.0
    assert set(summary["legs"]) == {"hybrid", "dense", "lexical"}
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a1", "a2", "a3"]
    assert rows[0]["answer"]["citations"][0]["speaker"] == "Elon" and rows[2]["abstained"] is True
    report = (out / "report.md").read_text()
    assert "hybrid − better single leg" in report and "| a2 | fact |" in report
    assert (out / "metrics.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    again = CliRunner().invoke(command, [str(questions), "-i", "default", "-o", str(tmp_path / "run2"), "-c", str(out),
                                         "-n", "2", "-w", "0,1"])
    assert again.exit_code == 0, again.output
    report2 = (tmp_path / "run2" / "report.md").read_text()
    assert "Compared with the earlier run" in report2 and "Dense weight sweep" in report2


def run_module(*args, home):
    env = {**os.environ, "FORUM_RAG_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "eval", *args], capture_output=True, text=True, cwd=REPO, env=env,
                          timeout=600)


def test_bad_question_files_fail_with_one_line(home, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "question": "?", "kind": "fact"}\n', encoding="utf-8")
    result = run_module(str(bad), "--index", "default", home=home)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "gold_post_ids or gold_substrings" in result.stderr
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    result = run_module(str(broken), "--index", "default", home=home)
    assert result.returncode == 2 and "broken.jsonl:1" in result.stderr and "malformed JSON" in result.stderr
    assert run_module(home=home).returncode == 2  # neither a question file nor --semeval


def test_bundled_question_sets_are_valid_and_big_enough():
    sample = load(REPO / "eval" / "questions" / "sample.jsonl")
    tmc = load(REPO / "eval" / "questions" / "tmc.jsonl")
    assert len(sample) >= 25 and len(tmc) >= 30
    for qs in (sample, tmc):
        kinds = {q.kind for q in qs}
        assert {"fact", "who-said", "unanswerable"} <= kinds
    assert "reaction" in {q.kind for q in sample}
    assert all(q.speaker for q in tmc if q.kind == "who-said")
