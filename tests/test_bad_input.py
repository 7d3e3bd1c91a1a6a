"""Bad input: one line naming the input and the problem, exit 2, index untouched."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, tree_bytes


def ingest_cli(home, *args):
    env = {**os.environ, "FORUM_RAG_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", "ingest", *args, "--index", "default"],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=300,
    )


def bad_inputs(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n \n")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 said:\n\u00a0\n".encode("latin-1"))
    (tmp_path / "notes.txt").write_text("just some notes without any forum structure\n")
    (tmp_path / "adir").mkdir()
    return {
        "missing.txt": "no such file",
        "empty.txt": "empty file",
        "blank.txt": "empty file",
        "binary.txt": "binary file",
        "latin1.txt": "not valid UTF-8",
        "notes.txt": "unknown format",
        "adir": "directory has no files",
    }


def test_each_bad_input_fails_in_one_line_and_leaves_the_index_alone(sample_index, home, tmp_path):
    before = tree_bytes(sample_index)
    for name, problem in bad_inputs(tmp_path).items():
        path = tmp_path / name
        result = ingest_cli(home, str(path))
        assert result.returncode == 2, (name, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, (name, result.stderr)
        assert str(path) in lines[0] and problem in lines[0], lines[0]
        assert "Traceback" not in result.stderr
        assert tree_bytes(sample_index) == before, name


def test_one_bad_file_among_good_ones_writes_nothing(sample_index, home, tmp_path):
    before = tree_bytes(sample_index)
    good = tmp_path / "good.txt"
    good.write_text("T\n\nThis site may earn commission on affiliate links.\nA fine post.\n\u00a0\nAnother.\n")
    result = ingest_cli(home, str(good), str(tmp_path / "missing.txt"))
    assert result.returncode == 2 and "missing.txt: no such file" in result.stderr
    assert tree_bytes(sample_index) == before


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_is_an_error(sample_index, home, question):
    env = {**os.environ, "FORUM_RAG_HOME": str(home)}
    result = subprocess.run([sys.executable, "-m", "rag.cli", "ask", question], capture_output=True, text=True, cwd=REPO, env=env)
    assert result.returncode == 2 and "question is empty" in result.stderr


def test_unknown_index_is_an_error(home):
    env = {**os.environ, "FORUM_RAG_HOME": str(home)}
    result = subprocess.run([sys.executable, "-m", "rag.cli", "ask", "hi there", "-i", "nope"], capture_output=True, text=True, cwd=REPO, env=env)
    assert result.returncode == 2 and "not found" in result.stderr and len(result.stderr.strip().splitlines()) == 1
