"""vBulletin thread pages (showthread.php) saved as HTML, as served by the
Something Awful Forums (vBulletin 3, heavily customised).

    table.post[id=postID]             one post
    dt.author                         the author
    td.postdate                       "#  ?  Mar 31, 2019 14:11"
    td.postbody                       the body
    div.bbc-block > h4 "NAME posted:" (a.quote_link ...postid=ID) > blockquote
"""
from __future__ import annotations

import re

from ..records import ParsedThread, Post, Thread
from .dates import iso
from .htmlblocks import Dialect, Node, Quote, attr, blocks_from_node, classes, parse_html, text_of
from .pages import absolute, finish, heading, link_base, page_url, thread_id, title_or_stem
from .textquotes import mentions

FORMAT = "vbulletin"
_POSTED = re.compile(r"^(?P<name>.+?)\s+(?:posted|said|wrote):?\s*$", re.I)
_POST_ID = re.compile(r"postid=(\d+)|#post(\d+)")
_THREAD = re.compile(r"threadid=(\d+)|[?&]t=(\d+)")
_DATE = re.compile(r"([A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d\d(?:\s*[AP]M)?)")


def _quote(node: Node) -> Quote | None:
    if "bbc-block" not in classes(node):
        return None
    title = node.css_first("h4")
    body = next((c for c in node.iter() if c.tag == "blockquote"), None)
    if title is None or body is None:
        return None  # a code or spoiler block, not a quote
    named = _POSTED.match(text_of(title))
    link = title.css_first("a.quote_link")
    where = _POST_ID.search(attr(link, "href") or "")
    # A broken header ('Agronox" post="493812414 posted:') still names someone.
    name = named.group("name").split('"')[0].strip() if named else None
    return Quote(name or None, next(g for g in where.groups() if g) if where else None, body)


DIALECT = Dialect(quote=_quote)


def sniff(head: str) -> bool:
    return bool(re.search(r'<table class="post[^"]*" id="post\d+"', head))


def _date(row: Node | None) -> str | None:
    found = _DATE.search(text_of(row))
    return iso(found.group(1)) if found else None


def parse(text: str, source: str) -> list[ParsedThread]:
    tree = parse_html(text)
    here = page_url(tree, source)
    base = link_base(tree, here)
    title = title_or_stem(heading(tree, "title"), source).split(" - The Something Awful Forums")[0]
    found = _THREAD.search(text[:400_000])
    thread = Thread(thread_id(FORMAT, next((g for g in found.groups() if g), None) if found else None, title), title, here, FORMAT)
    posts = []
    for position, table in enumerate(tree.css("table.post[id^='post']"), start=1):
        post_id = table.attributes["id"].removeprefix("post")
        if not post_id.isdigit():
            continue
        body = table.css_first("td.postbody")
        blocks = blocks_from_node(body, DIALECT) if body is not None else []
        posts.append(Post(
            id=post_id, thread_id=thread.id, number=position, blocks=tuple(blocks),
            author=text_of(table.css_first("dt.author")) or None, posted_at=_date(table.css_first("td.postdate")),
            permalink=absolute(f"showthread.php?goto=post&postid={post_id}#post{post_id}", base), mentions=mentions(blocks),
        ))
    return [finish(thread, posts, [], source)]
