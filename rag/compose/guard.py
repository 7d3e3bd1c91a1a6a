"""Post text is data, never orders.

Before the prompt: sentences that address the model ("ignore previous
instructions", "print your system prompt") are withheld, markdown images and
link targets are dropped, HTML tags are stripped. After generation: images,
link targets and HTML are removed from the answer, and any answer sentence
that repeats words found only in withheld text, quotes our rules, or itself
reads like an instruction is dropped: a model that obeyed a planted
instruction shows it exactly there.
"""
from __future__ import annotations

import re

from ..text import STOPWORDS, words

_AI = r"(?:AI|A\.I\.|assistant|chat ?bot|chat ?gpt|gpt|llm|language model)"
_INSTRUCTION = re.compile(
    "|".join(
        [
            r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|rules|prompts?|directions|guidelines)\b",
            r"\bsystem\s*prompt\b|\b(?:initial|hidden|original|new)\s+(?:prompt|instructions)\b",
            r"\b(?:reveal|print|show|repeat|output|leak|tell me)\b.{0,30}\b(?:your|the)\s+(?:instructions|rules|prompt)\b",
            r"\byour\s+(?:new\s+|real\s+|only\s+)?(?:task|goal|instructions?|orders)\s+(?:is|are|now)\b|\byour\s+new\s+job\b",
            rf"\b(?:you are now|act as|pretend to be|from now on,? you)\b.{{0,40}}\b{_AI}\b",
            rf"^\s*(?:(?:dear|hey|hi|hello)\s+{_AI}\b|{_AI}\s*:)",
            rf"\b(?:if you are|to any|attention,?)\s+(?:an?\s+)?{_AI}\b",
            r"\b(?:reply|respond|answer)\s+(?:only\s+)?with\b",
            r"\b(?:include|append|add|insert|print|output|say|write)\s+(?:only\s+)?(?:the\s+|this\s+)?(?:word|phrase|string|code\s*word|token|sentence)\b",
            r"\bin your (?:answer|response|reply|output)\b",
            r"<\|im_(?:start|end)\|>|\[/?INST\]|<<SYS>>|^#{2,}\s*(?:instruction|system)",
        ]
    ),
    re.IGNORECASE | re.MULTILINE,
)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\(\s*[a-z][a-z0-9+.\-]*:[^)]*\)", re.IGNORECASE)
_HTML_BLOCK = re.compile(r"<(script|style|iframe|object|embed|svg|math|template)\b.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<!--.*?(?:-->|$)|</?[A-Za-z][^<>]*(?:>|$)", re.DOTALL)
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{3,}")
GRAM = 3
RULES_GRAM = 5


def instruction_like(sentence: str) -> bool:
    return bool(_INSTRUCTION.search(sentence))


def _strip_html(text: str) -> str:
    text = _HTML_TAG.sub("", _HTML_BLOCK.sub("", text))
    return _TAG_START.sub("&lt;", text)


def for_prompt(sentence: str) -> str:
    """A post sentence as the model sees it: no images, link targets or tags."""
    text = _MD_IMAGE.sub(lambda m: f"[image: {m.group(1)}]" if m.group(1).strip() else "[image]", sentence)
    return _strip_html(_MD_LINK.sub(r"\1", text))


def clean_output(sentence: str) -> str:
    """Model output made inert: images vanish, links keep their words only,
    HTML never renders."""
    return _strip_html(_MD_LINK.sub(r"\1", _MD_IMAGE.sub("", sentence)))


def _identifiers(text: str) -> set[str]:
    out = set()
    for token in _IDENTIFIER.findall(text):
        if any(c.isdigit() for c in token) and any(c.isalpha() for c in token) or "-" in token.strip("-") or "_" in token or token.isupper():
            out.add(token.casefold())
    return out


def _grams(text: str, n: int, content_only: bool = True) -> set[tuple[str, ...]]:
    tokens = words(text)
    grams = {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}
    return {g for g in grams if not content_only or any(t not in STOPWORDS for t in g)}


class Taint:
    """Recognises answer sentences that echo withheld post text or our rules."""

    def __init__(self, withheld: list[str], allowed: str, rules: str) -> None:
        hidden = " ".join(withheld)
        self.identifiers = _identifiers(hidden) - _identifiers(allowed)
        self.grams = _grams(hidden, GRAM) - _grams(allowed, GRAM, content_only=False)
        self.rules = _grams(rules, RULES_GRAM, content_only=False)

    def __call__(self, sentence: str) -> bool:
        if instruction_like(sentence) or self.identifiers & _identifiers(sentence):
            return True
        if self.grams & _grams(sentence, GRAM):
            return True
        return bool(self.rules & _grams(sentence, RULES_GRAM, content_only=False))
