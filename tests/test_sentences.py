from index.sentences import paragraph_spans, sentence_spans


def pieces(text, spans):
    return [text[s:e] for s, e in spans]


def test_sentences_keep_closing_quotes_and_abbreviations():
    text = 'He said "it works." Then e.g. the car left! Did it?\n- a list item'
    assert pieces(text, sentence_spans(text)) == ['He said "it works."', "Then e.g. the car left!", "Did it?", "- a list item"]


def test_decimal_numbers_do_not_end_sentences():
    text = "Version 2019.16.2 is out. It adds 3.5 kW charging."
    assert pieces(text, sentence_spans(text)) == ["Version 2019.16.2 is out.", "It adds 3.5 kW charging."]


def test_paragraphs_split_on_blank_lines():
    text = "one\ntwo\n\n\nthree"
    assert pieces(text, paragraph_spans(text)) == ["one\ntwo", "three"]
