"""phpBB topic pages (viewtopic.php) saved as HTML.

phpBB 3 (prosilver)::

    <div id="pID" class="post ...">
      .postbody .author   "by <strong>NAME</strong> » Wed Jan 02, 2013 7:14 pm"
      .postbody .content  the body
      blockquote > [div >] cite "NAME wrote:" (3.1+: a link to viewtopic.php?p=ID)

phpBB 2 (subSilver tables): `span.name a[name=ID]` + `strong` for the
author, `td.postdetails` "Posted: DATE", `td.postbody` for the body.
Posts carry no number on the page; they are numbered in page order.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..records import ParsedThread, Post, Thread
from .dates import iso
from .htmlblocks import Dialect, Node, Quote, blocks_from_node, classes, parse_html, text_of
from .pages import absolute, finish, heading, link_base, page_url, thread_id, title_or_stem
from .textquotes import mentions

FORMAT = "phpbb"
_WROTE = re.compile(r"^(?P<name>.+?)\s+wrote\b", re.I)
_POST_LINK = re.compile(r"[?&]p=(\d+)")
_TOPIC = re.compile(r"[?&]t=(\d+)")


def _cite(node: Node) -> Node | None:
    for child in node.iter():
        if child.tag == "cite":
            return child
        if child.tag == "div":
            return next((c for c in child.iter() if c.tag == "cite"), None)
    return None


def _quote(node: Node) -> Quote | None:
    if node.tag != "blockquote":
        return None
    cite = _cite(node)
    name = _WROTE.match(text_of(cite)) if cite is not None else None
    links = cite.css("a[href]") if cite is not None else []
    where = next((m for a in links if (m := _POST_LINK.search(a.attributes.get("href") or ""))), None)
    return Quote(name.group("name").strip() if name else None, where.group(1) if where else None, node)


def _placeholder(node: Node) -> str | None:
    if node.tag == "cite" or (node.tag == "dt" and node.parent is not None and "codebox" in classes(node.parent)):
        return ""
    return None


DIALECT = Dialect(quote=_quote, placeholder=_placeholder)


def sniff(head: str) -> bool:
    return bool(re.search(r"viewtopic\.php|phpBB", head)) and bool(
        re.search(r'<div id="p\d+" class="post|class="postbody"|<span class="name">', head)
    )


def _phpbb3(tree, thread: Thread) -> list[Post]:
    posts = []
    for position, item in enumerate(tree.css("div.post[id^='p']"), start=1):
        author_line = item.css_first(".postbody .author")
        who = author_line.css_first("strong") if author_line is not None else None
        when = text_of(author_line).split("»")[-1] if author_line is not None else None
        body = item.css_first(".postbody .content")
        blocks = blocks_from_node(body, DIALECT) if body is not None else []
        post_id = item.attributes["id"][1:]
        posts.append(Post(
            id=post_id, thread_id=thread.id, number=position, blocks=tuple(blocks), author=text_of(who) or None,
            posted_at=iso(when), permalink=f"viewtopic.php?p={post_id}#p{post_id}", mentions=mentions(blocks),
        ))
    return posts


def _phpbb2(tree, thread: Thread) -> list[Post]:
    posts = []
    names = tree.css("span.name")
    bodies = [td for td in tree.css("td.postbody") if td.css_first("span.postdetails") is None or td.text(deep=True).strip()]
    dates = [td for td in tree.css("td.postdetails") if "Posted:" in td.text(deep=True)]
    for position, (name, body, date) in enumerate(zip(names, bodies, dates), start=1):
        anchor = name.css_first("a[name]")
        post_id = anchor.attributes.get("name") if anchor is not None else str(position)
        posted = re.search(r"Posted:\s*(.+?)\s*(?:Post subject|$)", text_of(date))
        blocks = blocks_from_node(body, DIALECT)
        posts.append(Post(
            id=str(post_id), thread_id=thread.id, number=position, blocks=tuple(blocks),
            author=text_of(name.css_first("strong")) or None, posted_at=iso(posted.group(1)) if posted else None,
            permalink=f"viewtopic.php?p={post_id}#{post_id}", mentions=mentions(blocks),
        ))
    return posts


def parse(text: str, source: str) -> list[ParsedThread]:
    tree = parse_html(text)
    here = page_url(tree, source)
    base = link_base(tree, here)
    title = title_or_stem(heading(tree, "h2.topic-title, #page-body h2, h2, a.maintitle"), source)
    topic = _TOPIC.search(here or "") or _TOPIC.search(" ".join(a.attributes.get("href") or "" for a in tree.css("h2 a, a.maintitle")))
    thread = Thread(thread_id(FORMAT, topic.group(1) if topic else None, title), title, here, FORMAT)
    posts = _phpbb3(tree, thread) or _phpbb2(tree, thread)
    if base:
        posts = [replace(p, permalink=absolute(p.permalink, base)) for p in posts]
    return [finish(thread, posts, [], source)]
