"""SemEval-2016 Task 3 (Qatar Living) as open retrieval over all its posts.

Every related question and comment becomes a post (one thread per related
question) in one index; each original question is a query over all of it.
Relevant: comments labelled Good for the original question, and related
questions labelled PerfectMatch or Relevant. The lexical, dense and hybrid
legs are scored side by side: nDCG@10, MAP@10 (normalised by min(R, 10)) and
Recall@10 over the first 10 distinct posts."""
from __future__ import annotations

import json
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from index.errors import InputError
from index.home import index_dir
from index.store import generations
from rag import search

from . import metrics as m
from .runner import MODES, dense_weight

INDEX = "eval-semeval2016-task3"
SEARCH_DEPTH = 40
DEPTH = 10
MAX_QUERY_CHARS = 2000
GOOD_COMMENT = {"Good"}
GOOD_QUESTION = {"PerfectMatch", "Relevant"}


@dataclass(frozen=True)
class Query:
    id: str
    text: str
    relevant: frozenset[str]


def _files(path: Path) -> list[Path]:
    files = sorted(path.glob("*.xml")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise InputError(str(path), "no SemEval XML file found")
    return files


def _thread(thread: ET.Element, posts: dict[str, dict]) -> tuple[str, str, list[str]]:
    rq = thread.find("RelQuestion")
    if rq is None:
        raise InputError(thread.get("THREAD_SEQUENCE", "?"), "thread without RelQuestion")
    tid = rq.get("RELQ_ID")
    subject = (rq.findtext("RelQSubject") or "").strip()
    text = "\n\n".join(p for p in (subject, (rq.findtext("RelQBody") or "").strip()) if p)
    posts[tid] = {"thread_id": tid, "thread_title": subject or tid, "post_id": tid, "post_number": 1,
                  "author": rq.get("RELQ_USERNAME"), "posted_at": rq.get("RELQ_DATE"), "text": text}
    good = []
    for n, rc in enumerate(thread.findall("RelComment"), start=2):
        cid = rc.get("RELC_ID")
        posts[cid] = {"thread_id": tid, "thread_title": subject or tid, "post_id": cid, "post_number": n,
                      "author": rc.get("RELC_USERNAME"), "posted_at": rc.get("RELC_DATE"),
                      "text": (rc.findtext("RelCText") or "").strip()}
        if rc.get("RELC_RELEVANCE2ORGQ") in GOOD_COMMENT:
            good.append(cid)
    return tid, rq.get("RELQ_RELEVANCE2ORGQ", ""), good


def load(path: Path) -> tuple[list[dict], list[Query]]:
    """(posts as table rows, queries with their relevant post ids)."""
    posts: dict[str, dict] = {}
    texts: dict[str, str] = {}
    relevant: dict[str, set[str]] = {}
    for file in _files(path):
        try:
            root = ET.parse(file).getroot()
        except ET.ParseError as exc:
            raise InputError(str(file), f"malformed XML: {exc}") from None
        for org in root.iter("OrgQuestion"):
            qid = org.get("ORGQ_ID")
            texts[qid] = ". ".join(t for t in ((org.findtext("OrgQSubject") or "").strip(), (org.findtext("OrgQBody") or "").strip()) if t)
            wanted = relevant.setdefault(qid, set())
            for thread in org.findall("Thread"):
                tid, label, good = _thread(thread, posts)
                wanted.update(good)
                if label in GOOD_QUESTION:
                    wanted.add(tid)
    if not posts:
        raise InputError(str(path), "no OrgQuestion/Thread elements")
    rows = [p for p in posts.values() if p["text"]]
    queries = [Query(qid, texts[qid][:MAX_QUERY_CHARS], frozenset(ids)) for qid, ids in relevant.items() if ids and texts[qid]]
    return rows, queries


def ensure_index(rows: Sequence[dict], rebuild: bool = False, progress=None) -> Path:
    from index.pipeline import ingest

    directory = index_dir(INDEX)
    if rebuild or generations.current(directory) is None:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "semeval2016-task3.jsonl"
            source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
            ingest([source], INDEX, progress=progress)
    return directory


def _flags(query: Query, mode: str) -> list[bool]:
    hits = search(query.text, index=INDEX, k=SEARCH_DEPTH, mode=mode)
    posts = list(dict.fromkeys(h.post_id for h in hits))[:DEPTH]
    return [p in query.relevant for p in posts]


def score(flags: Sequence[bool], n_relevant: int) -> dict[str, float]:
    return {
        "ndcg@10": m.ndcg_at(flags, DEPTH, n_relevant),
        "map@10": m.average_precision(flags, min(n_relevant, DEPTH)),
        "recall@10": m.recall_at(flags, DEPTH, n_relevant),
    }


def _understood(text: str) -> dict:
    """What question understanding read into a query (a forum question is not
    addressed to the index, so filters here are worth knowing about)."""
    from rag import session
    from rag.understand import understand

    u = understand(text, session.retriever(INDEX).reader)
    return {"speakers": list(u.speakers), "reported": list(u.reported), "threads": len(u.thread_ids),
            "period": u.period.text if u.period else None}


def evaluate(queries: Sequence[Query], modes: Sequence[str] = MODES,
             progress: Callable[[int, int, str], None] | None = None) -> list[dict]:
    rows = []
    for n, q in enumerate(queries, start=1):
        legs = {mode: score(_flags(q, mode), len(q.relevant)) for mode in modes}
        rows.append({"id": q.id, "relevant": len(q.relevant), "legs": legs, "understood": _understood(q.text)})
        if progress:
            progress(n, len(queries), q.id)
    return rows


def sweep(queries: Sequence[Query], weights: Sequence[float]) -> list[dict]:
    table = []
    for weight in weights:
        with dense_weight(weight):
            per_q = [score(_flags(q, "hybrid"), len(q.relevant)) for q in queries]
        table.append({"dense_weight": weight, **{k: m.mean(r[k] for r in per_q) for k in ("ndcg@10", "map@10", "recall@10")}})
    return table


def summarize(rows: Sequence[dict]) -> dict[str, dict[str, float | None]]:
    modes = list(rows[0]["legs"]) if rows else []
    return {mode: {k: m.mean(r["legs"][mode][k] for r in rows) for k in ("ndcg@10", "map@10", "recall@10")} for mode in modes}


def _filtered(understood: dict) -> bool:
    return bool(understood.get("speakers") or understood.get("threads") or understood.get("period"))


def render(rows: Sequence[dict], source: Path, sweep_rows: Sequence[dict] = (), chart: str | None = None) -> str:
    legs = summarize(rows)
    keys = ("ndcg@10", "map@10", "recall@10")
    lines = ["# SemEval-2016 Task 3 (Qatar Living): open retrieval", "", f"- source: `{source}`",
             f"- queries: {len(rows)} original questions with at least one relevant post; "
             f"relevant posts per query: {m.mean(r['relevant'] for r in rows):.1f} on average",
             f"- queries where question understanding set a speaker, thread or date: "
             f"{sum(1 for r in rows if _filtered(r.get('understood') or {}))}", "",
             "| retrieval | " + " | ".join(keys) + " |", "| --- |" + " --- |" * len(keys)]
    lines += [f"| {mode} | " + " | ".join(f"{v[k]:.4f}" for k in keys) + " |" for mode, v in legs.items()]
    if {"hybrid", "dense", "lexical"} <= set(legs):
        best = {k: max(legs["dense"][k], legs["lexical"][k]) for k in keys}
        lines.append("| hybrid − better single leg | " + " | ".join(f"{legs['hybrid'][k] - best[k]:+.4f}" for k in keys) + " |")
    if chart:
        lines += ["", f"![legs]({chart})"]
    if sweep_rows:
        lines += ["", "## Dense weight sweep (hybrid)", "", "| dense weight | " + " | ".join(keys) + " |", "| --- |" + " --- |" * len(keys)]
        lines += [f"| {r['dense_weight']} | " + " | ".join(f"{r[k]:.4f}" for k in keys) + " |" for r in sweep_rows]
    return "\n".join(lines) + "\n"


def bars(rows: Sequence[dict]) -> list[tuple[str, float | None, float | None]]:
    return [(f"{k} {mode}", v[k], None) for k in ("ndcg@10", "map@10", "recall@10") for mode, v in summarize(rows).items()]
