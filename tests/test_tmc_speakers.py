"""Speaker attribution on real TMC posts (reduced: three threads of the CSV
export in ../shared, so the ingest stays short). A quote of X inside Y's post
must be cited as X's words."""
from __future__ import annotations

import csv

import pytest

from index.pipeline import ingest
from rag import ask, search

THREADS = {"Rear Drive Unit Failed", "Another tragic fatality with a semi in Florida. This time a Model 3"}


@pytest.fixture
def tmc_index(shared, tmp_path, home):
    source = shared / "corpora" / "tmc_posts_csv" / "postids_3600000_3700000.csv"
    others = shared / "corpora" / "tmc_posts_csv" / "postids_3500000_3600000.csv"
    csv.field_size_limit(8 * 1024 * 1024)
    subset = tmp_path / "tmc-subset.csv"
    with subset.open("w", encoding="utf-8", newline="") as out:
        writer = None
        for path in (source, others):
            with path.open(encoding="utf-8", newline="") as fh:
                reader = csv.DictReader(fh)
                writer = writer or csv.DictWriter(out, fieldnames=reader.fieldnames)
                if path == source:
                    writer.writeheader()
                writer.writerows(row for row in reader if row["thread_title"] in THREADS)
    ingest([subset], "tmc-subset")
    return "tmc-subset"


@pytest.mark.parametrize(
    ("question", "speaker", "words"),
    [
        ("Who said the original poster was the first dead Model 3 drive unit they had read about?", "Saghost",
         "first case of a dead model 3 drive unit"),
        ("Who pointed out that no competitor beats the Long Range Model 3's powertrain warranty?", "StealthP3D",
         "120,000 mile"),
        ("What did Eno Deb argue about which roads the owner's documentation allows Autopilot on?", "Eno Deb",
         "highways"),
    ],
)
def test_who_said_questions_cite_the_speaker(tmc_index, question, speaker, words):
    answer = ask(question, index=tmc_index)
    assert not answer.abstained
    first = answer.citations[0]
    assert first.speaker == speaker, answer.text
    assert words.casefold() in first.quote.casefold() or any(words.casefold() in c.quote.casefold() for c in answer.citations)


def test_a_speaker_filter_returns_only_their_words(tmc_index):
    hits = search("What did Saghost say about warranties?", index=tmc_index, k=20)
    assert hits and all(h.speaker == "Saghost" for h in hits)
    assert any(h.kind == "quote" and h.author != "Saghost" for h in hits)  # quoted by others, still his words
