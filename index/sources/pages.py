"""What every saved-page format needs: where the page lives, absolute links,
numbers written for humans, and one ParsedThread per page."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from ..errors import InputError
from ..records import ParsedThread, Post, Thread
from .htmlblocks import LexborHTMLParser, attr, text_of
from .textdump import slugify

# One post's text above this is not a forum post (XenForo allows 25,000
# characters, Discourse 32,000, phpBB 60,000): it is skipped, not embedded.
MAX_POST_CHARS = 200_000


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def page_url(tree: LexborHTMLParser, source: str) -> str | None:
    """The page's own address: the URL it was fetched from, else what the
    page says (canonical link, og:url, <base>)."""
    if is_url(source):
        return source
    for selector, name in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content"), ("base", "href")):
        value = attr(tree.css_first(selector), name)
        if value and is_url(value):
            return value
    return None


def link_base(tree: LexborHTMLParser, here: str | None) -> str | None:
    """What relative links on the page are relative to: <base href>, else the page."""
    base = attr(tree.css_first("base"), "href")
    return absolute(base, here) if base else here


def absolute(href: str | None, base: str | None) -> str | None:
    if not href:
        return None
    if base and not is_url(href):
        return urljoin(base, href)
    return href


def count(text: str | None) -> int | None:
    """'#1,234' -> 1234."""
    digits = re.sub(r"[^\d]", "", text or "")
    return int(digits) if digits else None


def title_or_stem(title: str | None, source: str) -> str:
    if title:
        return title
    stem = Path(source.rstrip("/")).stem if not is_url(source) else urlsplit(source).path.strip("/")
    return stem.replace("-", " ").replace("_", " ").strip() or "Untitled thread"


def heading(tree: LexborHTMLParser, selectors: str, drop: str = "") -> str | None:
    node = tree.css_first(selectors)
    if node is None:
        return None
    if drop:
        node = node.clone()  # the page itself stays whole
        for label in node.css(drop):
            label.decompose()
    return text_of(node) or None


def thread_id(platform: str, native_id: str | None, title: str) -> str:
    return f"{platform}-{native_id}" if native_id else slugify(title)


def oversized(post: Post, source: str) -> str | None:
    size = len(post.text)
    if size <= MAX_POST_CHARS:
        return None
    return f"{source}: post {post.id}: {size:,} characters of text, over the {MAX_POST_CHARS:,}-character limit for one post, skipped"


def finish(thread: Thread, posts: list[Post], warnings: list[str], source: str) -> ParsedThread:
    """Drops empty and repeated posts (each with a skip line) and refuses a
    page without a single post."""
    kept, notes = [], list(warnings)
    seen: set[str] = set()
    for post in posts:
        problem = None
        if not post.text.strip():
            problem = f"{source}: post {post.id}: no text, skipped"
        if problem is None and post.id in seen:
            problem = f"{source}: post {post.id}: appears twice, skipped"
        if problem:
            notes.append(problem)
            continue
        seen.add(post.id)
        kept.append(post)
    if not kept:
        detail = f" ({'; '.join(n.split(': ', 1)[-1] for n in notes[:3])})" if notes else ""
        raise InputError(source, f"no posts found in this {thread.source_format} page{detail}")
    return ParsedThread(thread, tuple(kept), tuple(notes))
