"""XenForo 1 thread pages and post fragments (TMC ran XenForo 1 until 2019).

    <li id="post-ID" class="message ..." data-author="NAME">
      .messageDetails a.postNumber "#N" (href posts/ID/)
      abbr.DateTime[data-time] (unix) or span.DateTime[title] ("Mar 9, 2019 at 6:41 PM")
      blockquote.messageText                        the body
      div.bbCodeQuote[data-author] > aside > .attribution "NAME said: ↑" (a.AttributionLink goto/post?id=ID)
          blockquote.quoteContainer > .quote, .quoteExpand "Click to expand..."
      .likesSummary / .dark_postrating_outputlist  reactions (counts only on TMC)
"""
from __future__ import annotations

import re

from ..records import ParsedThread, Post, Thread
from .dates import from_unix, iso
from .htmlblocks import Dialect, Node, Quote, attr, classes, blocks_from_node, text_of
from .pages import absolute, count, finish, heading, link_base, page_url, thread_id, title_or_stem
from .textquotes import mentions

FORMAT = "xenforo"
_POST_ID = re.compile(r"post-(\d+)$")
_GOTO = re.compile(r"(?:goto/post\?id=|#post-)(\d+)")
# "NAME said:" in a few languages: the name, then the verb.
_SAID = re.compile(r"^(?P<name>.+?)\s+(?:said|wrote|napisał\(a\)|schrieb|a dit|dijo|ha scritto|schreef)\s*:?$", re.I)


def quote_author(title: str) -> str | None:
    """The member named in a quote title; a title in another language still
    ends in one word with a colon ("Kris napisał(a):")."""
    title = title.replace("↑", "").strip()
    match = _SAID.match(title)
    if match:
        return match.group("name").strip()
    parts = title.rsplit(" ", 1)
    return parts[0].strip() if len(parts) == 2 and parts[1].endswith(":") else None


def quote(node: Node) -> Quote | None:
    if "bbCodeQuote" not in classes(node):
        return None
    link = node.css_first("a.AttributionLink")
    where = _GOTO.search(attr(link, "href") or "")
    author = attr(node, "data-author") or quote_author(text_of(node.css_first(".attribution")))
    body = node.css_first(".quoteContainer .quote") or node.css_first(".quoteContainer") or node
    return Quote(author, where.group(1) if where else None, body)


def _date(item: Node) -> str | None:
    stamp = item.css_first(".messageDetails abbr.DateTime[data-time], abbr.DateTime[data-time]")
    if stamp is not None:
        return from_unix(attr(stamp, "data-time"))
    shown = item.css_first(".messageDetails .DateTime[title], .DateTime[title]")
    return iso(attr(shown, "title"))


def _post(item: Node, thread: Thread, position: int, base: str | None, dialect: Dialect) -> Post | None:
    match = _POST_ID.search(attr(item, "id") or "")
    if match is None:
        return None
    body = item.css_first("blockquote.messageText") or item.css_first(".messageContent")
    blocks = [b for b in (blocks_from_node(body, dialect) if body is not None else []) if b.text]
    number = item.css_first("a.postNumber")
    # data-href "posts/ID/permalink" is XenForo's stable per-post address.
    stable = (attr(number, "data-href") or "").removesuffix("permalink")
    permalink = absolute(stable or attr(number, "href") or attr(item.css_first("a.datePermalink"), "href"), base)
    return Post(
        id=match.group(1), thread_id=thread.id, number=count(text_of(number)) or position, blocks=tuple(blocks),
        author=attr(item, "data-author"), posted_at=_date(item), permalink=permalink, mentions=mentions(blocks),
        reactions=_likes(item),
    )


def _likes(item: Node) -> dict[str, tuple[str, ...]]:
    # TMC's rating add-on shows only counts ("Like x 10"): nothing to file.
    names = tuple(text_of(a) for a in item.css(".likesSummary .LikeText a.username"))
    return {"Like": names} if names else {}


def parse(tree, source: str, dialect: Dialect, thread_url: str | None, native_id: str | None) -> list[ParsedThread]:
    """A XenForo 1 page; `thread_url` and `native_id` come from xenforo.page_info."""
    base = link_base(tree, page_url(tree, source))
    title = title_or_stem(heading(tree, ".titleBar h1, h1"), source)
    thread = Thread(thread_id(FORMAT, native_id, title), title, thread_url, FORMAT)
    posts, warnings = [], []
    for position, item in enumerate(tree.css("li.message[data-author]"), start=1):
        post = _post(item, thread, position, base, dialect)
        if post is None:
            warnings.append(f"{source}: message {position} has no post id, skipped")
        else:
            posts.append(post)
    return [finish(thread, posts, warnings, source)]
