"""Which site adapter a URL needs: by its shape, else by what it serves."""
from __future__ import annotations

from types import ModuleType

from ..errors import InputError
from ..sources import xenforo as xenforo_pages
from ..sources.htmlblocks import parse_html
from ..sources.pages import page_url
from . import discourse, xenforo
from .client import CrawlClient
from .errors import FetchError

ADAPTERS: dict[str, ModuleType] = {xenforo.NAME: xenforo, discourse.NAME: discourse}


def _by_shape(url: str) -> ModuleType | None:
    return next((a for a in ADAPTERS.values() if a.matches(url)), None)


def adapter_for(client: CrawlClient, url: str, site: str | None) -> tuple[ModuleType, str]:
    """The adapter and the URL to start it from."""
    if site is not None:
        if site not in ADAPTERS:
            raise InputError(url, f"--format {site} cannot be crawled (crawlable: {', '.join(ADAPTERS)})")
        return ADAPTERS[site], url
    adapter = _by_shape(url)
    if adapter is not None:
        return adapter, url
    # An unusual address: ask the page what it is (its canonical URL, or
    # XenForo markup that names its thread).
    html, here = client.get_text(url)
    canonical = page_url(parse_html(html), "")
    if canonical and (adapter := _by_shape(canonical)) is not None:
        return adapter, canonical
    if xenforo_pages.sniff(html[:65536]):
        thread = xenforo_pages.page_info(html, here).thread_url
        if thread:
            return xenforo, thread
    raise FetchError(url, f"not a thread page the crawler knows (it reads {' and '.join(ADAPTERS)} threads)")
