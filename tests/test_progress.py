from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner

from rag.output import progress_printer, report_text, skip_reasons

PAGE = Path(__file__).parent / "fixtures" / "xenforo" / "xf2-thread-page1.html"


def test_progress_bar_shows_stage_units_rate_and_eta():
    stream = io.StringIO()
    show = progress_printer(stream)
    show("parse", 1, 2)
    show("parse", 2, 2)
    show("embed", 64, 128)
    show("embed", 128, 128)
    text = stream.getvalue()
    assert "\rparse [" in text and "2/2 files" in text and "files/s" in text
    assert "64/128 chunks" in text and "chunks/s ETA" in text and text.endswith("\n")


def test_summary_groups_skip_reasons():
    skipped = [f"a.csv: row {n}: empty post text, skipped" for n in (2, 3)] + ["b.html: unknown format (...), skipped"]
    assert skip_reasons(skipped) == [("empty post text", 2), ("unknown format (...)", 1)]


def test_cli_ingest_is_silent_when_not_a_tty_and_prints_a_summary(tmp_path):
    from rag.cli import cli

    result = CliRunner().invoke(cli, ["ingest", str(PAGE), "--index", "p"], catch_exceptions=False)
    assert result.exit_code == 0 and result.stderr == ""  # stderr is not a terminal here: no bar
    assert "3 new" in result.output and "posts/s" in result.output
    assert "index now holds 1 thread, 3 posts" in result.output
    as_json = CliRunner().invoke(cli, ["ingest", str(PAGE), "--index", "p", "--json"], catch_exceptions=False)
    assert as_json.stderr == "" and json.loads(as_json.output)["posts_unchanged"] == 3


def test_report_text_caps_long_lists():
    class Report:
        index, posts_added, posts_updated, posts_unchanged, posts_removed = "i", 1, 0, 0, 0
        embedded, reused_vectors, totals, seconds = 1, 0, {}, {"embed": 1.0}
        skipped = [f"f: row {n}: empty post text, skipped" for n in range(30)]
        warnings: list = []

    text = report_text(Report())
    assert "skipped 30: 30 empty post text" in text and "… and 10 more" in text
