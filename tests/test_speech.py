"""Reported speech: whose words a quotation inside a post is."""
from __future__ import annotations

import pytest

from rag.speech import carries_words, reported_speech, same_person

ELON = (
    "I could be reading too much into Elon's comment but it seemed to me he is now a little less optimistic about "
    "DOJO working: from the Q1 call \"I'm not sure I fully understand your question, but I'd look at Dojo as like "
    "kind of a long-shot bet, but if it's a long-shot bet that pays off, it will pay off in a very, very big way.\""
)


def words(sentence: str, before: str = ""):
    found = reported_speech(sentence, before)
    return (found.speaker, sentence[found.start : found.end]) if found else None


def test_possessive_cue_credits_the_quotation_to_elon():
    speaker, quoted = words(ELON)
    assert speaker == "Elon"
    assert quoted.startswith("I'm not sure") and quoted.endswith("very big way.")


@pytest.mark.parametrize(
    ("sentence", "before", "speaker", "start"),
    [
        ("Just after the report, Tesla Chief Executive Elon Musk tweeted, “The data show that the crash rate dropped by almost 40%.”",
         "", "Elon Musk", "The data show"),
        ("It was physically impossible to make more Model 3’s in Q1 due to cell constraints.", "Elon Musk said:",
         "Elon Musk", "It was physically"),
        ("...using word of mouth and referrals works for the first 500K customers.", "ntam said:", "ntam", "...using"),
        ("“The demand for Model 3 is insanely high.", "Musk also said in January that demand is fine.", "Musk", "The demand"),
        ("“We will have a million robotaxis on the road next year,” he said at the event.",
         "Elon Musk spoke at Autonomy Day.", None, None),
        ('Elon in the last Earnings Call: "We can now build a second line in China for half the cost."', "",
         "Elon", "We can now"),
        ("According to Cathie Wood, \"the hardware makers get dwarfed by the software makers every time\".", "",
         "Cathie Wood", "the hardware"),
    ],
)
def test_reported_speech_forms(sentence, before, speaker, start):
    found = words(sentence, before)
    if speaker is None:
        assert found is None  # "he said", and the sentence before names nobody as speaking
    else:
        assert found[0] == speaker and found[1].startswith(start)


def test_a_quotation_without_a_named_speaker_is_nobody_s():
    assert words('I said "this is not what I meant at all folks" to him.') is None
    assert words('The sign says "EV charging only for ninety minutes" there.') is None


def test_quotation_matching_stays_linear_on_long_unclosed_quotes():
    text = '"' + "word " * 5000  # nested quantifiers used to backtrack exponentially here
    assert carries_words(text) is False
    assert carries_words('He wrote "five words are enough here" yesterday.') is True


def test_same_person_compares_name_words():
    assert same_person("Elon", "Elon Musk") and same_person("musk", "Elon Musk")
    assert not same_person("Elon", "mspohr") and not same_person(None, "Elon")
