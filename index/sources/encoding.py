"""Bytes to text: UTF-8, or for an HTML page the charset it declares.

Old forum pages (phpBB 2, vBulletin 3) are often ISO-8859-1 / windows-1252.
An HTML page that declares no charset and is not UTF-8 is read as
windows-1252, which is what browsers do with such a page (the WHATWG
encoding standard's default); any other non-UTF-8 file is refused.
"""
from __future__ import annotations

import codecs
import re

from ..errors import InputError

_META = re.compile(rb"""(?:<meta[^>]+charset|<\?xml[^>]+encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!doctype html|<html|<head|<meta|<!--|<li |<div |<table )", re.I)
# WHATWG: these labels all mean windows-1252.
_LATIN = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii", "l1", "cp819", "windows-1252"}


def decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = exc
    head = data[:4096]
    if not _HTML.search(head.lstrip(b"\xef\xbb\xbf")):
        raise InputError(
            source, f"not valid UTF-8 (byte 0x{data[problem.start]:02x} at offset {problem.start}); re-save it as UTF-8"
        ) from None
    declared = _META.search(head)
    label = declared.group(1).decode("ascii", "replace").lower() if declared else "windows-1252"
    encoding = "cp1252" if label in _LATIN else label
    try:
        codecs.lookup(encoding)
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise InputError(source, f"HTML page is not valid {label} (as declared or assumed): {exc}") from None
