"""Threads as the index stores them: one per thread id, each post id once."""
from __future__ import annotations

from .records import ParsedThread, Post, Thread


def merge_threads(threads: list[ParsedThread]) -> tuple[list[ParsedThread], list[str]]:
    """One ParsedThread per thread id (the pages of a thread arrive apart,
    and --prune must see the whole thread at once) and each post id once:
    overlapping pages or files repeat posts, and two forums may number posts
    alike. The last copy of a post is kept."""
    owner: dict[str, str] = {}
    posts: dict[str, dict[str, Post]] = {}
    info: dict[str, tuple[Thread, list[str]]] = {}
    notes: list[str] = []
    repeated = 0
    for parsed in threads:
        tid = parsed.thread.id
        thread, warnings = info.get(tid, (parsed.thread, []))
        # A later page may know more (a URL) than an earlier one.
        info[tid] = (parsed.thread if parsed.thread.url or thread.url is None else thread, warnings + list(parsed.warnings))
        for post in parsed.posts:
            first = owner.setdefault(post.id, tid)
            if first != tid:
                posts[first].pop(post.id, None)
                owner[post.id] = tid
                notes.append(f"post id {post.id} is in threads {first} and {tid}; the index keeps the one in {tid}")
            repeated += post.id in posts.setdefault(tid, {})
            posts[tid][post.id] = post
    merged = []
    for tid, (thread, warnings) in info.items():
        kept = sorted(posts.get(tid, {}).values(), key=lambda p: p.number)
        if kept:
            merged.append(ParsedThread(thread, tuple(kept), tuple(warnings)))
    if repeated:
        notes.append(f"{repeated} repeated post id(s); the last copy of each was kept")
    return merged, notes
