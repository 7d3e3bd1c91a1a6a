"""XenForo thread pages saved as HTML (any page of a thread); TMC runs XenForo.

XenForo 2 markup read here::

    <article class="message ..." data-author="NAME" data-content="post-ID">
      .message-attribution-main time[datetime]     the date
      .message-attribution-opposite a "#N"          post number and permalink
      article.message-body .bbWrapper               the body
      blockquote.bbCodeBlock--quote[data-quote=NAME][data-source="post: ID"]
          .bbCodeBlock-title "NAME said:" / .bbCodeBlock-expandLink "Click to expand..."
      ul.attachmentList .file-name                  attachments (placeholders)
      .reactionsBar (kinds as img titles, members as <bdi>, "and N others")

Pages without these fall back to XenForo 1 (`li.message[data-author]`,
`.quoteContainer`, "NAME said: ↑"), see xenforo1.py.

For a crawler: `page_info(html, url)` gives the thread's canonical URL, this
page's number, the page count and the next page's URL when the page shows
them (XenForo 2 `.pageNav`, XenForo 1 `.PageNav[data-last]`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Block, ParsedThread, Post, Thread
from . import xenforo1
from .dates import iso
from .htmlblocks import Dialect, Node, Quote, attr, classes, blocks_from_html, blocks_from_node, parse_html, text_of
from .pages import absolute, count, finish, heading, link_base, page_url, thread_id, title_or_stem
from .textquotes import mentions, merge_adjacent

FORMAT = "xenforo"
_POST_ID = re.compile(r"(?:^|[^\w-])(?:js-)?post-(\d+)$")
_SOURCE_POST = re.compile(r"^\s*post:\s*(\d+)\s*$")
_GOTO = re.compile(r"(?:goto/post\?id=|/posts/|#post-)(\d+)")
_THREAD_URL = re.compile(r"^(?P<thread>.*?/threads/(?:[^/?#]*\.)?(?P<id>\d+))(?:/(?:page-(?P<page>\d+))?)?/?(?:[?#].*)?$")
def _has_class(node: Node, name: str) -> bool:
    return name in classes(node)


def _xf2_quote(node: Node) -> Quote | None:
    if not _has_class(node, "bbCodeBlock--quote"):
        return None
    source = _SOURCE_POST.match(attr(node, "data-source") or "")
    post_id = source.group(1) if source else None
    jump = node.css_first(".bbCodeBlock-sourceJump")
    if post_id is None and jump is not None:
        where = _GOTO.search(attr(jump, "href") or "") or _GOTO.search(attr(jump, "data-content-selector") or "")
        post_id = where.group(1) if where else None
    author = attr(node, "data-quote")
    if author is None:
        title = node.css_first(".bbCodeBlock-title")
        author = xenforo1.quote_author(text_of(title)) if title is not None else None
    body = node.css_first(".bbCodeBlock-expandContent") or node.css_first(".bbCodeBlock-content") or node
    return Quote(author, post_id, body)


def _placeholder(node: Node) -> str | None:
    if _has_class(node, "bbMediaWrapper") or node.attributes.get("data-s9e-mediaembed") is not None:
        frame = node.css_first("iframe")
        src = attr(frame, "src") or attr(frame, "data-s9e-mediaembed-src")
        if src:
            return f"[media: {src.split('?', 1)[0]}]"
        site, key = attr(node, "data-media-site-id"), attr(node, "data-media-key")
        return f"[media: {site} {key}]" if site else "[media]"
    if _has_class(node, "bbCodeBlock--unfurl"):
        url = attr(node, "data-url")
        return f"[link: {url}]" if url else ""
    return None


DIALECT = Dialect(
    quote=lambda node: _xf2_quote(node) or xenforo1.quote(node),
    chrome=frozenset(
        "bbCodeBlock-title bbCodeBlock-expandLink bbCodeSpoiler-button js-selectToQuoteEnd "
        "messageTextEndMarker attribution quoteExpand".split()
    ),
    placeholder=_placeholder,
)


def body_blocks(html: str) -> list[Block]:
    """One XenForo post body (the inside of .bbWrapper) as blocks."""
    return blocks_from_html(html, DIALECT)


@dataclass(frozen=True)
class PageInfo:
    thread_url: str | None  # the thread's canonical first-page URL
    thread_id: str | None  # XenForo's numeric thread id
    page: int  # this page's number (1 when the page does not say)
    pages: int | None  # how many pages the thread has, when shown
    next_url: str | None  # the next page's absolute URL, when shown


def page_info(html: str, url: str | None = None) -> PageInfo:
    tree = parse_html(html)
    return _page_info(tree, page_url(tree, url or ""))


def _page_info(tree, here: str | None) -> PageInfo:
    match = _THREAD_URL.match(here or "")
    thread_url = match.group("thread") + "/" if match else None
    page = int(match.group("page")) if match and match.group("page") else 1
    nav = tree.css_first(".pageNav, .PageNav")
    current = count(text_of(nav.css_first(".pageNav-page--current"))) if nav else None
    numbers = [count(text_of(a)) for a in nav.css(".pageNav-page a, a")] if nav else []
    pages = max([n for n in numbers if n] + [count(attr(nav, "data-last")) or 0], default=0) if nav else 0
    nxt = tree.css_first("a.pageNav-jump--next") or (nav.css_first('a[rel="next"]') if nav else None)
    if nxt is None:
        nxt = next((a for a in (nav.css("a.text") if nav else []) if "next" in text_of(a).lower()), None)
    return PageInfo(
        thread_url=thread_url,
        thread_id=match.group("id") if match else None,
        page=current or count(attr(nav, "data-page")) or page,
        pages=pages or (1 if nav is None and tree.css_first("[data-content^='post-']") else None),
        next_url=absolute(attr(nxt, "href"), link_base(tree, here)),
    )


_SNIFF = re.compile(
    r"""data-content=["']post-\d+|class=["'][^"']*\bbbWrapper\b|<li[^>]+class=["'][^"']*\bmessage\b[^>]*data-author="""
    r"""|data-author=[^>]*>[\s\S]*\bmessageText\b"""
)


def sniff(head: str) -> bool:
    return bool(_SNIFF.search(head))


def _reactions(article: Node) -> dict[str, tuple[str, ...]]:
    bar = article.css_first(".reactionsBar")
    if bar is None:
        return {}
    kinds = [attr(img, "title") or attr(img, "alt") for img in bar.css(".reactionSummary img, .reaction img")]
    kinds = list(dict.fromkeys(k for k in kinds if k)) or ["Reaction"]
    link = bar.css_first(".reactionsBar-link")
    users = tuple(text_of(b) for b in (link.css("bdi") if link else []) if text_of(b))
    # XenForo names at most three members ("and 7 others"); the kinds are not
    # told per member, so members are filed under all kinds together.
    return {", ".join(kinds): users} if users or kinds else {}


def _post(article: Node, thread: Thread, position: int, base: str | None) -> Post | None:
    match = _POST_ID.search(attr(article, "data-content") or attr(article, "id") or "")
    if match is None:
        return None
    post_id = match.group(1)
    body = article.css_first(".message-body .bbWrapper") or article.css_first(".bbWrapper")
    blocks = blocks_from_node(body, DIALECT) if body is not None else []
    files = [attr(f, "title") or text_of(f) for f in article.css(".attachmentList .file-name")]
    if files:
        blocks.append(Block("own", "\n".join(f"[attachment: {f}]" for f in files if f)))
    number_link = next((a for a in article.css(".message-attribution-opposite a") if text_of(a).startswith("#")), None)
    when = article.css_first(".message-attribution-main time[datetime]") or article.css_first("time[datetime]")
    permalink = absolute(attr(number_link, "href"), base)
    if permalink is None and thread.url:
        permalink = thread.url.split("/threads/")[0] + f"/posts/{post_id}/"
    author = attr(article, "data-author") or text_of(article.css_first(".message-name .username")) or None
    blocks = merge_adjacent([b for b in blocks if b.text])
    return Post(
        id=post_id, thread_id=thread.id, number=count(text_of(number_link)) or position, blocks=tuple(blocks),
        author=author, posted_at=iso(attr(when, "datetime")), permalink=permalink,
        reactions=_reactions(article), mentions=mentions(blocks),
    )


def parse(text: str, source: str) -> list[ParsedThread]:
    tree = parse_html(text)
    here = page_url(tree, source)
    info = _page_info(tree, here)
    articles = tree.css(".message[data-content^='post-']")
    if not articles:
        return xenforo1.parse(tree, source, DIALECT, info.thread_url, info.thread_id)
    title = title_or_stem(heading(tree, "h1.p-title-value", drop=".label, .labelLink"), source)
    thread = Thread(thread_id(FORMAT, info.thread_id, title), title, info.thread_url, FORMAT)
    offset = (info.page - 1) * len(articles) if info.page > 1 else 0
    posts, warnings = [], []
    for position, article in enumerate(articles, start=offset + 1):
        post = _post(article, thread, position, link_base(tree, here))
        if post is None:
            warnings.append(f"{source}: message {position} has no post id, skipped")
        else:
            posts.append(post)
    return [finish(thread, posts, warnings, source)]
