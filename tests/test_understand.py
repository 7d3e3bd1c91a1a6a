"""Question understanding against a small hand-made catalog (no model, no index)."""
from __future__ import annotations

from datetime import date

import pytest

from rag.understand import Catalog, understand
from rag.understand.names import NameMatcher, find_mentions
from rag.understand.when import find_period

NAMES = {"gnuarm": 59, "EVNow": 87, "Daniel in SD": 36, "AlanSubie4Life": 82, "mspohr": 47, "Tam": 38, "daniel": 3}
THREADS = {
    "t1": "Rear Drive Unit Failed",
    "t2": "Tesla Model 3 in Australia",
    "t3": "Superchargers Visited",
    "t4": "Clean your solar panels!",
}
CATALOG = Catalog(NAMES, THREADS, date(2019, 5, 24), date(2019, 5, 31))  # May 31 2019 was a Friday


def test_speaker_phrases_match_index_names_fuzzily():
    u = understand("What did evnow say about the Model Y line?", cat=CATALOG)
    assert u.speakers == ("EVNow",) and not u.reported and u.wants_words
    assert "evnow" not in u.topic.casefold() and "Model Y line" in u.topic
    assert understand("According to AlanSubie4life, is it safe?", cat=CATALOG).speakers == ("AlanSubie4Life",)
    assert understand("What is Daniel in SD's view on FSD?", cat=CATALOG).speakers == ("Daniel in SD",)
    assert understand("What did @mspohr post about CUDA?", cat=CATALOG).speakers == ("mspohr",)
    # a near miss of a long name still matches; a far one does not
    assert understand("What did gnuarms say?", cat=CATALOG).speakers == ("gnuarm",)
    assert understand("What did gnomes say?", cat=CATALOG).speakers == ()


def test_a_name_the_index_lacks_is_a_reported_speaker():
    u = understand("What did Elon say about Dojo in Q1?", cat=CATALOG)
    assert u.speakers == () and u.reported == ("Elon",)
    assert "Elon" in u.topic  # kept: posts relaying his words mention him


@pytest.mark.parametrize(
    "question",
    ["What did people say about the wipers?", "What did the service center find?", "What did they think of it?",
     "Posts from May about chargers"],
)
def test_generic_subjects_are_not_speakers(question):
    u = understand(question, cat=CATALOG)
    assert u.speakers == () and u.reported == ()


def test_weak_by_from_needs_an_exact_name():
    assert find_mentions("Any posts by gnuarm on charging?", NameMatcher(NAMES))[0].name == "gnuarm"
    assert find_mentions("Quotes from the Q1 call about margins", NameMatcher(NAMES)) == []


def test_thread_scope_from_the_question():
    u = understand("What did Daniel in SD think of the warranty in the Rear Drive Unit thread?", cat=CATALOG)
    assert u.thread_ids == ("t1",) and u.speakers == ("Daniel in SD",)
    assert "Rear Drive" not in u.topic and "warranty" in u.topic
    assert understand('Any tips in "Superchargers Visited" for Minnesota?', cat=CATALOG).thread_ids == ("t3",)
    assert understand("In the thread about cleaning solar panels, is rain enough?", cat=CATALOG).thread_ids == ("t4",)
    assert understand("Is the Model 3 in this thread any good?", cat=CATALOG).thread_ids == ()


NOW = date(2019, 5, 31)


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("on May 28", date(2019, 5, 28), date(2019, 5, 28)),
        ("on 28th May 2019", date(2019, 5, 28), date(2019, 5, 28)),
        ("in May 2019", date(2019, 5, 1), date(2019, 5, 31)),
        ("in Q1", date(2019, 1, 1), date(2019, 3, 31)),
        ("in the first quarter of 2018", date(2018, 1, 1), date(2018, 3, 31)),
        ("yesterday", date(2019, 5, 30), date(2019, 5, 30)),
        ("last week", date(2019, 5, 20), date(2019, 5, 26)),
        ("this week", date(2019, 5, 27), date(2019, 6, 2)),
        ("over the weekend", date(2019, 5, 25), date(2019, 5, 26)),
        ("on Tuesday", date(2019, 5, 28), date(2019, 5, 28)),
        ("last Friday", date(2019, 5, 24), date(2019, 5, 24)),
        ("in the last 3 days", date(2019, 5, 29), date(2019, 5, 31)),
        ("since May 29", date(2019, 5, 29), date.max),
        ("after May 29", date(2019, 5, 30), date.max),
        ("before May 27", date.min, date(2019, 5, 26)),
        ("last month", date(2019, 4, 1), date(2019, 4, 30)),
    ],
)
def test_time_expressions_are_read_against_the_corpus_dates(phrase, start, end):
    period = find_period(f"What was said {phrase} about superchargers?", NOW)
    assert period is not None and (period.start, period.end) == (start, end), phrase


def test_may_the_verb_is_not_a_month():
    assert find_period("They may 3D print the part", NOW) is None


def test_dates_outside_the_corpus_stay_in_the_topic():
    u = understand("What did Elon say about Dojo in Q1?", cat=CATALOG)
    assert u.period is None and "Q1" in u.topic and u.notes
    dated = understand("What did people say on May 28 about the drive unit?", cat=CATALOG)
    assert (dated.since, dated.until) == ("2019-05-28", "2019-05-28") and "May 28" not in dated.topic
    no_dates = understand("What was said last week?", cat=Catalog(NAMES, THREADS, None, None))
    assert no_dates.period is None


def test_relative_dates_in_a_long_story_are_not_applied():
    story = ("I arrived in Doha yesterday with my family and we need to open a bank account quickly because my "
             "employer pays salaries only into local accounts and I also want to send money home every month. "
             "Which bank is best?")
    assert understand(story, cat=CATALOG).period is None


def test_reaction_questions_are_recognised():
    assert understand("Who liked the post about the datacenter market?", cat=CATALOG).wants_reactions
    assert not understand("Does the car like cold weather?", cat=CATALOG).wants_reactions


def test_named_things_are_found_but_dates_demonyms_and_thread_titles_are_not():
    from rag.understand.named import find_names

    assert find_names("What is the price of a Model Y in Germany?") == (("Model",), ("Germany",))
    assert find_names("How many goals did Lionel Messi score?") == (("Lionel", "Messi"),)
    assert find_names("What did Elon say about Dojo in Q1?") == (("Elon",), ("Dojo",))
    assert find_names("What was said in May 2019?") == ()
    assert find_names("What did the Chinese carmaker say?") == ()
    assert find_names("Who posted in the Rear Drive Unit thread?", "Rear Drive Unit Failed") == ()
    assert find_names("Germany: what is the price?") == ()  # the question's first word is just capitalised
    assert find_names("Thanks. What did the Cybertruck cost? Is it out?") == (("Cybertruck",),)


class MentionCounts:
    """A reader whose lexical leg finds `counts[phrase]` chunks for a quoted phrase."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts

    def matching(self, query: str, limit: int) -> int:
        return min(limit, self.counts.get(query.strip('"'), 0))


def test_a_member_the_posts_mostly_talk_about_is_searched_as_reported():
    cat = Catalog({"Elon Musk": 1, "gnuarm": 59}, THREADS, date(2019, 5, 24), date(2019, 5, 31))
    talked = understand("What did Elon Musk say about cell supply?", MentionCounts({"Elon Musk": 30, "Musk": 40}), cat)
    assert talked.speakers == () and talked.reported == ("Elon Musk",) and "Elon Musk" in talked.topic
    member = understand("What did gnuarm say about cell supply?", MentionCounts({"gnuarm": 2}), cat)
    assert member.speakers == ("gnuarm",) and not member.reported


def test_short_common_words_never_match_a_member_fuzzily():
    cat = Catalog({"WASD": 12, "Tam": 38}, THREADS, date(2019, 5, 24), date(2019, 5, 31))
    assert understand("What was said on May 30 about referral miles?", cat=cat).speakers == ()
    assert understand("What did Tam say about referrals?", cat=cat).speakers == ("Tam",)
