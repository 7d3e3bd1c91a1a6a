"""Detection, --format, directories, HTML table bodies and bad input, through
the CLI in-process (an unexpected exception would fail the test)."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import tree_bytes
from index.errors import InputError
from index.sources import parse_file

FIXTURES = Path(__file__).parent / "fixtures"
XF_PAGE = FIXTURES / "xenforo" / "xf2-thread-page1.html"


def run(*args):
    from rag.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def one_line_error(result, *needles):
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert all(n in lines[0] for n in needles), lines[0]


def test_table_html_bodies(tmp_path):
    path = tmp_path / "export.jsonl"
    rows = [
        {"id": "101", "title": "T", "user": "ann", "html": "<p>First <b>post</b>.</p>"},
        {"id": "102", "title": "T", "user": "bob", "html": '<blockquote data-quote="ann" data-source="post: 101" '
         'class="bbCodeBlock bbCodeBlock--quote"><div class="bbCodeBlock-title">ann said:</div>'
         '<div class="bbCodeBlock-content">First post.</div></blockquote>Agreed.'},
        {"id": "103", "title": "T", "user": "cy", "html": "<img src='x.png'><script>alert(1)</script>"},
        {"id": "104", "title": "T", "user": "dee", "html": "<div> </div>"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    [thread] = parse_file(path)
    first, reply, image = thread.posts
    assert first.text == "First post."
    assert [(b.kind, b.quoted_author, b.quoted_post_id, b.text) for b in reply.blocks] == [
        ("quote", "ann", "101", "First post."), ("own", None, None, "Agreed.")
    ]
    assert image.text == "[image]"
    assert thread.warnings == (f"{path}: row 4: no text left once markup is removed, skipped",)


def test_directory_ingests_supported_files_and_skips_the_rest(tmp_path):
    source = tmp_path / "dump"
    (source / "sub").mkdir(parents=True)
    shutil.copy(XF_PAGE, source / "page1.html")
    shutil.copy(FIXTURES / "discourse" / "t_812.json", source / "sub" / "topic")  # no extension needed
    (source / "notes.txt").write_text("just a shopping list\n")
    (source / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (source / ".hidden").write_text("ignored")
    result = run("ingest", str(source), "--index", "dirtest")
    assert result.exit_code == 0, result.output + result.stderr
    assert "index now holds 2 threads, 6 posts" in result.output  # 3 XenForo + 3 Discourse posts
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped:")]
    assert any("notes.txt: unknown format" in line for line in skipped)
    assert any("logo.png: binary file" in line for line in skipped)
    assert not any(".hidden" in line for line in result.output.splitlines())


def test_format_forces_a_parser(tmp_path):
    page = tmp_path / "page.dat"
    shutil.copy(XF_PAGE, page)
    assert parse_file(page, format="xenforo")[0].thread.id == "xenforo-154321"
    with pytest.raises(InputError, match="unknown --format 'vbulletin4'"):
        parse_file(page, format="vbulletin4")
    with pytest.raises(InputError, match="page.dat: malformed JSON"):
        parse_file(page, format="discourse")


def test_windows_1252_html_page_is_read_as_declared(tmp_path):
    page = tmp_path / "old.html"
    html = XF_PAGE.read_text().replace('<meta charset="utf-8" />', '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1" />')
    page.write_bytes(html.replace("FSD networks on video.", "FSD networks \u2014 on video.").encode("cp1252"))
    post = parse_file(page)[0].posts[0]
    assert "FSD networks \u2014 on video." in post.text


def bad_inputs(tmp_path: Path) -> dict[Path, str]:
    huge = "word " * 1_100_000  # 5.5 MB of text in one post
    page = XF_PAGE.read_text()
    start = page.index('<div class="bbWrapper">') + len('<div class="bbWrapper">')
    only_huge = tmp_path / "huge.html"
    first_post_end = page.index("</article>", page.index('data-content="post-5590001"'))
    only_huge.write_text(page[:start] + huge + page[page.index("</div>", start):first_post_end] + "</article></body></html>")
    bad_csv = tmp_path / "broken.csv"
    bad_csv.write_text('id,title,message\n1,T,"unterminated\n', encoding="utf-8")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,title,message\n1,T,Caf\xe9 racer\n".encode("latin-1"))
    cases = {
        tmp_path / "tagsoup.html": ("<html><body><div class='bbWrapper'><b>unclosed <i>tags", "no posts found"),
        tmp_path / "broken.json": ('{"post_stream": {"posts": [', "malformed JSON"),
        bad_csv: (None, "malformed CSV"),
        latin: (None, "not valid UTF-8"),
        tmp_path / "empty-thread.html": ('<html><body><div class="block-body"></div><div class="bbWrapper"></div></body></html>', "no posts found"),
        only_huge: (None, "over the 200,000-character limit"),
        tmp_path / "blob.bin": (b"\x00\x01\x02" * 5000, "binary file"),
    }
    for path, (content, _) in cases.items():
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif content is not None:
            path.write_text(content)
    return {path: problem for path, (_, problem) in cases.items()}


def test_bad_inputs_one_line_each_and_index_unchanged(sample_index, tmp_path):
    before = tree_bytes(sample_index)
    for path, problem in bad_inputs(tmp_path).items():
        one_line_error(run("ingest", str(path)), str(path), problem)
        assert tree_bytes(sample_index) == before, path
    # A directory holding only bad files is bad as a whole: nothing is written.
    one_line_error(run("ingest", str(tmp_path)), str(tmp_path), "no supported forum files")
    assert tree_bytes(sample_index) == before


def test_huge_post_beside_good_ones_is_skipped_with_a_line(tmp_path):
    page = XF_PAGE.read_text()
    start = page.index('<div class="bbWrapper">') + len('<div class="bbWrapper">')
    path = tmp_path / "page.html"
    path.write_text(page[:start] + "x " * 3_000_000 + page[start:])
    [thread] = parse_file(path)
    assert [p.id for p in thread.posts] == ["5590007", "5590012"]
    assert thread.warnings == (
        f"{path}: post 5590001: 6,000,160 characters of text, over the 200,000-character limit for one post, skipped",
    )


def test_tmc_csv_empty_rows_reported_as_skipped(shared, tmp_path):
    # The first 200 data rows of the real export, to keep the test quick.
    with open(shared / "corpora/tmc_posts_csv/postids_3500000_3600000.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    empty = sum(1 for r in rows[1:201] if not r[4].strip())
    small = tmp_path / "tmc.csv"
    with open(small, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows[:201])
    result = run("ingest", str(small), "--index", "tmcsmall", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.output)
    assert report["posts_added"] == 200 - empty
    assert len(report["skipped"]) == empty and all("empty post text, skipped" in s for s in report["skipped"])
