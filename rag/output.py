"""How the CLI shows answers, hits, ingest reports and index info as text."""
from __future__ import annotations

import sys
import textwrap
import time
from dataclasses import asdict
from typing import Callable, Sequence

from .types import Answer, Hit


def _post_label(number: int, author: str | None, posted_at: str | None) -> str:
    date = f", {posted_at[:10]}" if posted_at else ""
    return f"post #{number} by {author or 'unknown author'}{date}"


def answer_text(answer: Answer) -> str:
    return answer.text + answer_footer(answer)


def answer_footer(answer: Answer) -> str:
    """Notes and sources: what follows the answer's text (also after a stream)."""
    lines = []
    for note in answer.notes:
        lines.append(f"note: {note}")
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
    for c in answer.citations:
        speaker = f" — words of {c.speaker}" if c.kind == "quote" and c.speaker else ""
        lines.append(f"[{c.n}] {c.thread_title} · {_post_label(c.post_number, c.author, c.posted_at)}{speaker}")
        lines.append(f"    {c.url or 'post id ' + c.post_id}")
    return "".join("\n" + line for line in lines)


def hits_text(hits: Sequence[Hit]) -> str:
    if not hits:
        return "No matching posts."
    blocks = []
    for rank, h in enumerate(hits, start=1):
        who = h.speaker or h.author or "unknown"
        kind = f"quote of {who}" if h.kind == "quote" else who
        head = f"{rank:>2}. {h.score:.3f}  {h.thread_title} · {_post_label(h.post_number, h.author, h.posted_at)} · {kind}"
        body = textwrap.shorten(h.text.replace("\n", " "), width=240, placeholder=" …")
        blocks.append(f"{head}\n    {body}")
    return "\n".join(blocks)


def report_dict(report) -> dict:
    data = asdict(report)
    data["changed"] = report.changed
    return data


def _counted(number: int, plural: str) -> str:
    return f"{number:,} {plural if number != 1 else plural[:-1]}"


def report_text(report, max_lines: int = 20) -> str:
    t = report.totals
    secs = sum(report.seconds.values())
    seen = report.posts_added + report.posts_updated + report.posts_unchanged
    lines = [
        f"{report.index}: {report.posts_added} new, {report.posts_updated} edited, "
        f"{report.posts_unchanged} unchanged, {report.posts_removed} removed posts; "
        f"{report.embedded} chunks embedded, {report.reused_vectors} reused ({secs:.1f}s, {seen / max(secs, 1e-9):.0f} posts/s)",
        "index now holds " + ", ".join(_counted(t.get(noun, 0), noun) for noun in ("threads", "posts", "chunks")),
    ]
    if report.skipped:
        lines.append(f"skipped {len(report.skipped)}: " + ", ".join(f"{n} {why}" for why, n in skip_reasons(report.skipped)))
    notes = [f"skipped: {s}" for s in report.skipped] + [f"warning: {w}" for w in report.warnings]
    lines += notes[:max_lines]
    if len(notes) > max_lines:
        lines.append(f"… and {len(notes) - max_lines} more (all of them with --json)")
    return "\n".join(lines)


def skip_reasons(skipped: Sequence[str]) -> list[tuple[str, int]]:
    """'empty post text' x 16, ...: the reason is the last part of each line."""
    counts: dict[str, int] = {}
    for line in skipped:
        why = line.rsplit(": ", 1)[-1].removesuffix(", skipped").removesuffix(" skipped")
        counts[why] = counts.get(why, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


def info_dict(reader) -> dict:
    m = reader.manifest
    return {
        "index": str(reader.index_dir),
        "generation": m.generation,
        "created_at": m.created_at,
        "embedding_model": m.embedding_model,
        "dimension": m.dimension,
        "chunker": m.chunker,
        "counts": m.counts,
        "threads": [{"id": t.id, "title": t.title, "url": t.url, "format": t.source_format} for t in reader.threads().values()],
    }


def info_text(data: dict) -> str:
    c = data["counts"]
    lines = [
        f"index: {data['index']} (generation {data['generation']}, {data['created_at']})",
        f"holds: {c.get('threads', 0)} threads, {c.get('posts', 0)} posts, {c.get('chunks', 0)} chunks",
        f"embedding model: {data['embedding_model']} ({data['dimension']} dimensions)",
        "chunker: " + ", ".join(f"{k}={v}" for k, v in data["chunker"].items()),
        "threads:",
    ]
    threads = data["threads"]
    lines += [f"  {t['title']}  [{t['id']}, {t['format']}]" for t in threads[:20]]
    if len(threads) > 20:
        lines.append(f"  … and {len(threads) - 20} more")
    return "\n".join(lines)


UNITS = {"parse": "files", "embed": "chunks", "fetch pages": "pages", "fetch posts": "posts"}


def progress_printer(stream=sys.stderr) -> Callable[[str, int, int], None]:
    """A one-line progress bar per stage with rate and ETA, redrawn in place."""
    # A stage's clock starts when the previous stage last reported.
    started: dict[str, float] = {}
    last = [time.perf_counter()]

    def show(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        elapsed = max(now - started.setdefault(stage, last[0]), 1e-6)
        last[0] = now
        rate = done / elapsed
        eta = (total - done) / rate if rate > 0 else 0.0
        width = 28
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done >= total else ""
        unit = UNITS.get(stage, "")
        stream.write(f"\r{stage} [{bar}] {done}/{total} {unit} {rate:.1f} {unit or 'items'}/s ETA {eta:.0f}s{end}")
        stream.flush()

    return show
