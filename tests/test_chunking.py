from __future__ import annotations

from index.chunking import Chunker, ChunkerSettings
from index.records import Block, Post
from index.tokens import token_counter

count = token_counter()


def make_post(*blocks: Block, author: str | None = "Bob") -> Post:
    return Post(id="p1", thread_id="t", number=1, blocks=tuple(blocks), author=author)


def chunker(max_tokens=200, overlap=40, fits=None) -> Chunker:
    return Chunker(ChunkerSettings(max_tokens=max_tokens, overlap_tokens=overlap), count, fits)


def test_quote_becomes_its_own_chunk_spoken_by_the_quoted_member():
    post = make_post(
        Block("quote", "Dojo is a long-shot bet.", quoted_author="Elon", quoted_post_id="42"),
        Block("own", "I think it will pay off."),
    )
    chunks = chunker().chunk_post(post)
    assert [(c.kind, c.speaker, c.quoted_post_id) for c in chunks] == [("quote", "Elon", "42"), ("own", "Bob", None)]
    for c in chunks:
        assert post.text[c.start : c.end] == c.text


def test_unknown_author_stays_unknown():
    chunks = chunker().chunk_post(make_post(Block("own", "Some words here."), author=None))
    assert chunks[0].speaker is None


def long_paragraphs(n_paragraphs: int, sentences: int) -> str:
    return "\n\n".join(
        " ".join(f"Paragraph {p} sentence {s} talks about batteries and charging speed." for s in range(sentences))
        for p in range(n_paragraphs)
    )


def test_chunks_respect_budget_and_cut_only_between_sentences():
    text = long_paragraphs(6, 9)
    post = make_post(Block("own", text))
    chunks = chunker(max_tokens=120, overlap=20).chunk_post(post)
    assert len(chunks) > 3
    for c in chunks:
        assert count(c.text) <= 120 + 5  # joined text may differ by a token or two at seams
        assert post.text[c.start : c.end] == c.text
        assert c.text.startswith("Paragraph") and c.text.endswith(".")
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    words = [i for i, ch in enumerate(text) if not ch.isspace()]
    assert all(i in covered for i in words), "every word lands in some chunk"


def test_overlap_repeats_a_short_sentence_when_a_paragraph_is_cut():
    text = " ".join(f"Sentence number {i} is about the Model 3 heat pump." for i in range(40))
    chunks = chunker(max_tokens=60, overlap=20).chunk_post(make_post(Block("own", text)))
    assert len(chunks) > 2
    assert any(a.end > b.start for a, b in zip(chunks, chunks[1:])), "consecutive pieces share a sentence"


def test_one_sentence_over_budget_is_cut_between_words():
    text = " ".join(["supercharger"] * 400)
    chunks = chunker(max_tokens=50).chunk_post(make_post(Block("own", text)))
    assert len(chunks) > 1
    assert all(count(c.text) <= 52 for c in chunks)


def test_model_limit_splits_again():
    text = long_paragraphs(1, 8)
    fits = lambda t: len(t) < 200  # a model that reads fewer tokens than the budget
    chunks = chunker(max_tokens=500, fits=fits).chunk_post(make_post(Block("own", text)))
    assert len(chunks) > 1 and all(len(c.text) < 200 for c in chunks)


def test_chunk_hash_follows_text():
    a, b = chunker().chunk_post(make_post(Block("own", "Same words."), Block("quote", "Same words.", quoted_author="X")))
    assert a.hash == b.hash
