"""Who-said questions about people who are not members: their quoted words
are offered to the answer even when many posts merely talk about them, and
words relayed inside a post ("Musk also said ...: “...”") are credited to them."""
from __future__ import annotations

import json

import pytest

from index.pipeline import ingest
from rag import ask

CHATTER = [
    "Elon Musk keeps promising more sedans every quarter and the factory keeps missing the numbers.",
    "I think Elon should fix the sedans they already sell before anything new.",
    "The sedans out of Fremont are what Elon Musk talks about on every single call.",
    "Fewer sedans is a choice, whatever Elon writes on Twitter.",
    "Elon has an excuse ready every quarter when the sedans fall short.",
    "The paint shop is the bottleneck for the sedans, not anything Elon Musk mentioned.",
]


def _post(n: int, author: str, text: str, day: int) -> dict:
    return {"thread_id": "t1", "thread_title": "Sedan production", "post_id": f"p{n}", "post_number": n,
            "author": author, "posted_at": f"2021-03-{day:02d}T10:00:00", "url": f"https://forum.example/p{n}",
            "text": text}


@pytest.fixture
def thread(tmp_path, home):
    posts = [_post(n, f"member{n % 7}", CHATTER[n % len(CHATTER)] + f" Post {n} of the pile-on.", 1 + n % 20)
             for n in range(1, 31)]
    posts.append(_post(31, "quoter", "Elon Musk said:\n\nIt was physically impossible to produce additional cars "
                       "in those months due to battery cell constraints.\n\"\n\nThere you have it.", 22))
    posts.append(_post(32, "reader", "Here is the article I mentioned. Musk also said in January that he sees no "
                       "problem with orders. “The demand for our sedans is insanely high. The limit is what people "
                       "can afford,” he said.\n\nMake of that what you will.", 23))
    path = tmp_path / "sedans.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in posts), encoding="utf-8")
    ingest([path], tmp_path / "sedans")
    return tmp_path / "sedans"


def test_a_reported_speaker_s_own_quote_is_cited_though_many_posts_discuss_him(thread):
    answer = ask("What reason did Elon give for not building more sedans in the spring?", index=thread)
    mine = [c for c in answer.citations if c.post_id == "p31"]
    assert mine, answer.text
    assert mine[0].speaker == "Elon Musk" and mine[0].author == "quoter"
    assert "cell constraints" in mine[0].quote


def test_words_relayed_after_a_cue_are_credited_to_the_person_asked_about(thread):
    answer = ask("What did Musk say about how many people want the sedans?", index=thread)
    first = answer.citations[0]
    assert first.post_id == "p32" and first.speaker == "Musk", answer.text
    assert first.quote.startswith("The demand for our sedans is insanely high")
