"""End to end on the bundled sample with the real bundled model."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from index.store.reader import IndexReader
from rag import ask, search

from conftest import REPO

ELON_QUESTION = "What did Elon say about Dojo in Q1?"


def post_texts(index_dir, citations):
    reader = IndexReader(index_dir)
    return reader.posts(c.post_id for c in citations)


def test_elon_dojo_q1_quotes_the_long_shot_bet(sample_index):
    answer = ask(ELON_QUESTION)
    assert not answer.abstained
    first = answer.citations[0]
    assert "long-shot bet" in first.quote
    assert first.post_number == 4
    assert "[1]" in answer.text
    posts = post_texts(sample_index, answer.citations)
    for c in answer.citations:
        text = posts[c.post_id].text
        assert text[c.quote_start : c.quote_end] == c.quote


@pytest.mark.parametrize(
    "question",
    ["Who makes Nvidia's chips?", "Will Tesla sell Dojo chips to other companies?", "What is CUDA?"],
)
def test_every_excerpt_is_an_exact_substring_of_its_post(sample_index, question):
    answer = ask(question)
    assert answer.citations
    posts = post_texts(sample_index, answer.citations)
    for n, c in enumerate(answer.citations, start=1):
        assert c.n == n and f"[{n}]" in answer.text
        assert c.quote in posts[c.post_id].text


@pytest.mark.parametrize("question", ["How long should I bake banana bread?", "Who won the 2018 football World Cup?"])
def test_unanswerable_question_abstains_and_cites_nothing(sample_index, question):
    answer = ask(question)
    assert answer.abstained and not answer.citations
    assert "don't" in answer.text


def test_default_index_is_built_from_the_sample_on_first_use(home):
    assert not (home / "indexes" / "default").exists()
    answer = ask(ELON_QUESTION)
    assert (home / "indexes" / "default" / "CURRENT").is_file()
    assert answer.citations[0].thread_title == "Project Dojo - the SaaS Product?"


def test_search_returns_ranked_hits_with_post_fields(sample_index):
    hits = search("Nvidia CUDA moat", k=5)
    assert 0 < len(hits) <= 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert {"chunk_id", "text", "kind", "speaker", "score", "post_id", "post_number", "author", "url"} <= set(hits[0].to_dict())
    assert any("CUDA" in h.text for h in hits[:3])


def test_search_modes_differ_but_share_the_contract(sample_index):
    for mode in ("dense", "lexical", "hybrid"):
        hits = search("long-shot bet", k=3, mode=mode)
        assert hits and hits[0].post_number == 4


def run_cli(*args, env_home):
    env = {**os.environ, "FORUM_RAG_HOME": str(env_home)}
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=300
    )


def test_cli_ask_json_matches_the_contract(sample_index, home):
    result = run_cli("ask", ELON_QUESTION, "--json", env_home=home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"answer", "abstained", "citations", "timings"} <= set(data)
    assert data["abstained"] is False
    citation = data["citations"][0]
    for field in ("n", "post_id", "post_number", "thread_title", "author", "posted_at", "url", "speaker", "quote", "score"):
        assert field in citation
    assert "long-shot bet" in citation["quote"]


def test_cli_search_json_with_k(sample_index, home):
    result = run_cli("search", "Nvidia moat", "--json", "-k", "2", env_home=home)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert len(hits) == 2 and {"post_id", "text", "speaker", "score"} <= set(hits[0])


def test_cli_info_and_help(sample_index, home):
    result = run_cli("info", "--json", env_home=home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["counts"]["posts"] == 7 and data["embedding_model"].endswith("all-MiniLM-L6-v2")
    for command in ("ask", "search", "ingest", "info"):
        shown = run_cli(command, "--help", env_home=home)
        assert shown.returncode == 0 and "--index" in shown.stdout, command


def test_cli_ingest_then_ask_a_new_index(home, tmp_path):
    source = tmp_path / "wipers.txt"
    source.write_text(
        "Wiper talk\n\nThis site may earn commission on affiliate links.\n"
        "The auto wipers go crazy in light drizzle on 2019.16.2.\n\u00a0\n"
        "Mine park the blades halfway up the windscreen after every update.\n",
        encoding="utf-8",
    )
    result = run_cli("ingest", str(source), "--index", "wipers", env_home=home)
    assert result.returncode == 0, result.stderr
    assert "2 new" in result.stdout and "1 thread, 2 posts" in result.stdout
    result = run_cli("ask", "Do the auto wipers misbehave in drizzle?", "-i", "wipers", "--json", env_home=home)
    data = json.loads(result.stdout)
    assert data["citations"][0]["thread_title"] == "Wiper talk"
    assert "drizzle" in data["citations"][0]["quote"]


def test_date_range_limits_answers_and_hits_to_posts_made_in_it(tmp_path, home):
    from index.pipeline import ingest
    from index.errors import ForumRagError

    fixture = REPO / "tests" / "fixtures" / "hostile-thread.jsonl"  # posts of May 1, 2 and 3, 2021
    ingest([fixture], tmp_path / "dated")
    question = "How much battery degradation after two years?"
    every = search(question, index=tmp_path / "dated", k=10)
    assert {h.posted_at[:10] for h in every} == {"2021-05-01", "2021-05-02", "2021-05-03"}
    later = search(question, index=tmp_path / "dated", k=10, since="2021-05-02")
    assert later and {h.posted_at[:10] for h in later} <= {"2021-05-02", "2021-05-03"}
    first_day = ask(question, index=tmp_path / "dated", until="2021-05-01")
    assert first_day.citations and {c.posted_at[:10] for c in first_day.citations} == {"2021-05-01"}
    with pytest.raises(ForumRagError, match="YYYY-MM-DD"):
        ask(question, index=tmp_path / "dated", since="May 2")
    with pytest.raises(ForumRagError, match="after"):
        search(question, index=tmp_path / "dated", since="2021-05-03", until="2021-05-01")
