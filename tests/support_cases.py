"""Labelled claims for choosing the citation check's threshold.

Excerpts are posts of the bundled sample thread (index/data) plus one quote;
each claim cites one excerpt and is labelled supported (True) or not (False).
Unsupported claims stay on the excerpt's topic, as a model's mistakes do.
Run `python tests/support_cases.py` to print every score.
"""
from __future__ import annotations

from rag.types import Hit

EXCERPTS = {
    "long-shot": ("own", "Lycanthrope", None, "I could be reading too much into Elon's comment but it seemed to me he is now a little less optimistic about DOJO working: from the Q1 call \"I'm not sure I fully understand your question, but I'd look at Dojo as like kind of a long-shot bet, but if it's a long-shot bet that pays off, it will pay off in a very, very big way.\" IIRC his most recent previous comment on DOJO working was that it had a 50/50 chance. Long-shot is below 50/50."),
    "cuda": ("own", "Discoducky", None, "They make more than chips. They make the driver software that runs on those chips, which it tightly tied into their low level AI programming language, CUDA, which they also own. And then their boards use a proprietary high speed network called NVLink along with proprietary switches for same. A huge amount of the AI software ecosystem is essentially tied to NVidia this way."),
    "amd": ("own", "JusRelax", None, "I would say the company that comes close to what Nvidia is doing is actually AMD as their MI300 platform is a one stop shop all in one x86 training computer on one chip. It uses Rocm which is supported natively in Pytorch, however most developers would rather just use CUDA as it's the most consistent to their expectations."),
    "numbers": ("own", "Buckminster", None, "At AI day he said that Dojo would be 6x cheaper than A100. Datacenter is like 66% of nVidia earnings and growing 3x faster(ie 3x higher PE) than gaming over the last 3 years, YoY it was +14% vs -38%."),
    "tsmc": ("own", "Ogre", None, "I must be missing something. I keep reading that Nvidia make chips, but google tells me that Nvidia chips are made by TSMC. So their lead is in chip design?"),
    "fsd": ("own", "Knightshade", None, "Tesla has been quiet on it for a while and we don't know how much of FSD has been switched over to Dojo. If Dojo reaches it's potential and the hardware becomes a viable hardware alternate to say Nvidia to be sold to other companies."),
    "blackwell": ("quote", "bob", "Jensen", "We will ship Blackwell in volume in the fourth quarter, and demand is incredible."),
}

CASES: list[tuple[str, str, bool]] = [
    ("long-shot", "Elon described Dojo as a long-shot bet that could pay off in a very big way.", True),
    ("long-shot", "Lycanthrope thinks Elon now sounds less optimistic about Dojo working.", True),
    ("long-shot", "Elon's earlier comment put Dojo's odds of working at 50/50.", True),
    ("long-shot", "The poster reads long-shot as worse than even odds.", True),
    ("long-shot", "Elon called Dojo a long shot.", True),
    ("cuda", "Nvidia also makes the driver software that runs on its chips.", True),
    ("cuda", "CUDA, Nvidia's programming language, ties much of the AI software ecosystem to Nvidia.", True),
    ("cuda", "Nvidia's boards use a proprietary high-speed network called NVLink.", True),
    ("amd", "JusRelax says AMD comes closest to Nvidia with its MI300 platform.", True),
    ("amd", "ROCm is supported natively in PyTorch, but most developers prefer CUDA.", True),
    ("amd", "Most developers would rather use CUDA.", True),
    ("numbers", "At AI day Dojo was said to be 6x cheaper than the A100.", True),
    ("numbers", "Datacenter makes up about 66% of Nvidia's earnings.", True),
    ("numbers", "Datacenter grew 14% year over year while gaming fell 38%.", True),
    ("tsmc", "One member points out that Nvidia's chips are actually made by TSMC.", True),
    ("tsmc", "Ogre wonders whether Nvidia's lead is really in chip design.", True),
    ("fsd", "Nobody knows how much of FSD has moved over to Dojo.", True),
    ("fsd", "If Dojo reaches its potential, the hardware could be sold to other companies as an alternative to Nvidia.", True),
    ("blackwell", "Jensen said Blackwell will ship in volume in the fourth quarter.", True),
    ("blackwell", "According to Jensen, demand is incredible.", True),
    ("long-shot", "Elon said Dojo is already fully operational and beating expectations.", False),
    ("long-shot", "Elon promised that Dojo would be finished by the end of the year.", False),
    ("long-shot", "Elon said Dojo has a 90% chance of success.", False),
    ("cuda", "Nvidia manufactures its chips in its own factories in Texas.", False),
    ("cuda", "NVLink is cheaper and slower than Ethernet.", False),
    ("amd", "AMD's MI300 is twice as fast as Nvidia's H100.", False),
    ("amd", "Intel's Gaudi chips are the closest competitor to Nvidia.", False),
    ("numbers", "Dojo would be 60x cheaper than the A100.", False),
    ("numbers", "Tesla plans to sell Dojo computers to Amazon.", False),
    ("numbers", "Gaming is the largest part of Nvidia's revenue.", False),
    ("tsmc", "TSMC plans to build a new fab in Arizona next year.", False),
    ("tsmc", "Apple designs the chips that Nvidia sells.", False),
    ("fsd", "Tesla announced that all of FSD now runs on Dojo.", False),
    ("fsd", "Optimus robots will go on sale in 2025.", False),
    ("blackwell", "Jensen said Blackwell was delayed because of a design flaw.", False),
    ("blackwell", "Banana bread should bake for about an hour.", False),
    ("cuda", "The Model Y got a new steering wheel this year.", False),
]

# Known misses of the support score (reported, not counted as a pass): an
# attribution flip ("Bob said ..." of Jensen's words, which citecheck's
# speaker rule catches instead) and a negation ("Elon is more optimistic")
# keep the words and the meaning-space neighbourhood of the excerpt.
HARD = [
    ("blackwell", "Bob said demand for Blackwell is incredible.", False),
    ("long-shot", "Elon is now more optimistic about Dojo working.", False),
]


def hit(key: str) -> Hit:
    kind, author, speaker, text = EXCERPTS[key]
    return Hit(
        chunk_id=0, text=text, kind=kind, speaker=speaker or author, score=1.0, post_id=f"post-{key}", post_number=4,
        thread_id="dojo", thread_title="Project Dojo - the SaaS Product?", author=author,
        posted_at="2023-06-02T10:00:00", url=None, start=0, end=len(text),
    )


def scores(cases=CASES):
    """(key, claim, label, score, lexical-only, semantic-only, missing numbers) per case."""
    from index.embedding import get_embedder
    from rag.compose import support
    from rag.compose.prompt import excerpt

    checker = support.Support(get_embedder(None))
    rows = []
    for key, claim, label in cases:
        e = excerpt(1, hit(key))
        verdict = checker.check(claim, [e])
        rows.append((key, claim, label, verdict))
    return rows


if __name__ == "__main__":
    for key, claim, label, v in scores(CASES + HARD):
        mark = "ok " if v.supported == label else "BAD"
        print(f"{mark} {label!s:5} {v.score:.3f} {list(v.missing_numbers)!s:8} {key:10} {claim}")
