"""SemEval-2016 Task 3 as open retrieval, on a tiny hand-written file in its format."""
from __future__ import annotations

import pytest

from eval import semeval
from index.errors import InputError

XML = """<?xml version="1.0" encoding="UTF-8"?>
<xml version="1.0">
<OrgQuestion ORGQ_ID="Q1">
  <OrgQSubject>Good bank</OrgQSubject>
  <OrgQBody>Which bank in Doha is good for sending money home?</OrgQBody>
  <Thread THREAD_SEQUENCE="Q1_R1">
    <RelQuestion RELQ_ID="Q1_R1" RELQ_DATE="2013-05-02 19:43:00" RELQ_USERNAME="ankukuma" RELQ_RELEVANCE2ORGQ="PerfectMatch">
      <RelQSubject>Best bank</RelQSubject>
      <RelQBody>Which is the best bank in Qatar for money transfers?</RelQBody>
    </RelQuestion>
    <RelComment RELC_ID="Q1_R1_C1" RELC_DATE="2013-05-03 07:23:20" RELC_USERNAME="Dilgeer" RELC_RELEVANCE2ORGQ="Good">
      <RelCText>Commercial Bank has cheap transfers to India and good customer service.</RelCText>
    </RelComment>
    <RelComment RELC_ID="Q1_R1_C2" RELC_DATE="2013-05-03 08:00:00" RELC_USERNAME="joker" RELC_RELEVANCE2ORGQ="Bad">
      <RelCText>Keep your money under the mattress, ha ha.</RelCText>
    </RelComment>
  </Thread>
</OrgQuestion>
<OrgQuestion ORGQ_ID="Q1">
  <OrgQSubject>Good bank</OrgQSubject>
  <OrgQBody>Which bank in Doha is good for sending money home?</OrgQBody>
  <Thread THREAD_SEQUENCE="Q1_R2">
    <RelQuestion RELQ_ID="Q1_R2" RELQ_DATE="2012-01-01 10:00:00" RELQ_USERNAME="sam" RELQ_RELEVANCE2ORGQ="Irrelevant">
      <RelQSubject>Camel racing</RelQSubject>
      <RelQBody>Where can I watch camel racing near Doha this winter?</RelQBody>
    </RelQuestion>
    <RelComment RELC_ID="Q1_R2_C1" RELC_DATE="2012-01-01 11:00:00" RELC_USERNAME="ali" RELC_RELEVANCE2ORGQ="Bad">
      <RelCText>Al Shahaniya race track has camel races every Friday in winter.</RelCText>
    </RelComment>
  </Thread>
</OrgQuestion>
<OrgQuestion ORGQ_ID="Q2">
  <OrgQSubject>Camels</OrgQSubject>
  <OrgQBody>Where do camel races take place?</OrgQBody>
  <Thread THREAD_SEQUENCE="Q2_R1">
    <RelQuestion RELQ_ID="Q2_R1" RELQ_DATE="2012-02-01 10:00:00" RELQ_USERNAME="sam" RELQ_RELEVANCE2ORGQ="Relevant">
      <RelQSubject>Racing camels</RelQSubject>
      <RelQBody>Is there a camel race track outside the city?</RelQBody>
    </RelQuestion>
    <RelComment RELC_ID="Q2_R1_C1" RELC_DATE="2012-02-01 11:00:00" RELC_USERNAME="ali" RELC_RELEVANCE2ORGQ="Good">
      <RelCText>Yes, Al Shahaniya, about an hour west of Doha, races on Fridays.</RelCText>
    </RelComment>
  </Thread>
</OrgQuestion>
</xml>
"""


@pytest.fixture
def semeval_file(tmp_path):
    path = tmp_path / "mini-semeval.xml"
    path.write_text(XML, encoding="utf-8")
    return path


def test_load_turns_threads_into_posts_and_labels_into_relevance(semeval_file):
    rows, queries = semeval.load(semeval_file)
    assert {r["post_id"] for r in rows} == {"Q1_R1", "Q1_R1_C1", "Q1_R1_C2", "Q1_R2", "Q1_R2_C1", "Q2_R1", "Q2_R1_C1"}
    by_id = {q.id: q for q in queries}
    assert by_id["Q1"].relevant == {"Q1_R1", "Q1_R1_C1"}  # PerfectMatch question + Good comment
    assert by_id["Q2"].relevant == {"Q2_R1", "Q2_R1_C1"}
    assert by_id["Q1"].text.startswith("Good bank. Which bank")
    comment = next(r for r in rows if r["post_id"] == "Q1_R1_C1")
    assert (comment["thread_id"], comment["post_number"], comment["author"]) == ("Q1_R1", 2, "Dilgeer")


def test_malformed_semeval_input_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<xml><OrgQuestion>", encoding="utf-8")
    with pytest.raises(InputError, match="malformed XML"):
        semeval.load(bad)
    with pytest.raises(InputError, match="no SemEval XML"):
        semeval.load(tmp_path / "empty-dir-does-not-exist")


def test_evaluate_scores_the_three_legs_side_by_side(semeval_file, home):
    rows, queries = semeval.load(semeval_file)
    semeval.ensure_index(rows)
    results = semeval.evaluate(queries)
    legs = semeval.summarize(results)
    assert set(legs) == {"hybrid", "dense", "lexical"}
    for leg in legs.values():
        assert set(leg) == {"ndcg@10", "map@10", "recall@10"} and all(0.0 <= v <= 1.0 for v in leg.values())
    assert legs["hybrid"]["recall@10"] == 1.0  # 7 posts: everything relevant is in the top 10
    report = semeval.render(results, semeval_file)
    assert "hybrid − better single leg" in report and "| lexical |" in report
