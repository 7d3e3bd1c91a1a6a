"""`forum-rag`: a thin command line over the public API.

Every option has a short flag and a FORUM_RAG_* environment fallback. Other
packages add subcommands through the `forum_rag.commands` entry point group
(that is how `ui` and `eval` plug in without this module importing them).
"""
from __future__ import annotations

import json
import os
import sys
from importlib.metadata import entry_points

import click

from index.crawl import DEFAULT_RATE, CrawlOptions
from index.errors import ForumRagError

from . import output

INDEX = click.option("-i", "--index", envvar="FORUM_RAG_INDEX", default=None, help="Index name under FORUM_RAG_HOME, or a path. [env FORUM_RAG_INDEX; default: the bundled sample]")
JSON = click.option("-j", "--json", "as_json", is_flag=True, envvar="FORUM_RAG_JSON", help="Print JSON. [env FORUM_RAG_JSON]")
THREAD = click.option("-t", "--thread", envvar="FORUM_RAG_THREAD", default=None, help="Only this thread (id or part of its title). [env FORUM_RAG_THREAD]")
AUTHOR = click.option("-a", "--author", envvar="FORUM_RAG_AUTHOR", default=None, help="Only words by this member (as author or as the person quoted). [env FORUM_RAG_AUTHOR]")
SINCE = click.option("-S", "--since", envvar="FORUM_RAG_SINCE", default=None, help="Only posts made on or after this date (YYYY-MM-DD). [env FORUM_RAG_SINCE]")
UNTIL = click.option("-U", "--until", envvar="FORUM_RAG_UNTIL", default=None, help="Only posts made on or before this date (YYYY-MM-DD). [env FORUM_RAG_UNTIL]")


class Group(click.Group):
    """Turns expected errors into one line on stderr and exit status 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ForumRagError as exc:
            click.echo(f"forum-rag: error: {exc}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("forum-rag: interrupted", err=True)
            sys.exit(130)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="forum-rag")
def cli() -> None:
    """Ask questions about forum threads; every answer cites the posts it came from."""


@cli.command()
@click.argument("question")
@INDEX
@click.option("-k", "--top-k", "k", type=click.IntRange(1, 100), envvar="FORUM_RAG_K", default=None, help="How many chunks to retrieve. [env FORUM_RAG_K; default 8]")
@click.option("-m", "--model", envvar="FORUM_RAG_MODEL", default=None, help="litellm model for a generated answer, e.g. gpt-4o-mini, anthropic/claude-sonnet-4-5, ollama/llama3 (default: the offline extractive answer). Servers: FORUM_RAG_API_BASE, FORUM_RAG_API_KEY. [env FORUM_RAG_MODEL]")
@THREAD
@AUTHOR
@SINCE
@UNTIL
@JSON
def ask(question: str, index, k, model, thread, author, since, until, as_json: bool) -> None:
    """Answer QUESTION with cited posts (a model's answer streams as it is checked)."""
    from .api import ask as ask_api
    from .api import ask_stream

    options = dict(index=index, k=k, model=model, thread=thread, author=author, since=since, until=until)
    if as_json:
        click.echo(json.dumps(ask_api(question, **options).to_dict(), ensure_ascii=False, indent=2))
        return
    streamed = []
    for item in ask_stream(question, **options):
        if isinstance(item, str):
            click.echo(item, nl=False)
            streamed.append(item)
            continue
        if item.text == "".join(streamed):
            click.echo(output.answer_footer(item))
        else:  # the model failed mid-answer: its replacement follows, with the note saying why
            click.echo("\n\n" + output.answer_text(item))


@cli.command()
@click.argument("question")
@INDEX
@click.option("-k", "--top-k", "k", type=click.IntRange(1, 1000), envvar="FORUM_RAG_K", default=10, show_default=True, help="How many hits. [env FORUM_RAG_K]")
@click.option("-M", "--mode", type=click.Choice(["hybrid", "dense", "lexical"]), envvar="FORUM_RAG_MODE", default="hybrid", show_default=True, help="Retrieval legs to use. [env FORUM_RAG_MODE]")
@THREAD
@AUTHOR
@SINCE
@UNTIL
@JSON
def search(question: str, index, k: int, mode: str, thread, author, since, until, as_json: bool) -> None:
    """Rank the chunks that best match QUESTION (no answer)."""
    from .api import search as search_api

    hits = search_api(question, index=index, k=k, thread=thread, author=author, since=since, until=until, mode=mode)
    if as_json:
        click.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
    else:
        click.echo(output.hits_text(hits))


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@INDEX
@click.option("-f", "--format", "fmt", envvar="FORUM_RAG_FORMAT", default=None, help="Force a source format instead of detecting it. [env FORUM_RAG_FORMAT]")
@click.option("-e", "--embedding-model", envvar="FORUM_RAG_EMBEDDING_MODEL", default=None, help="Embedding model name or local directory. [env FORUM_RAG_EMBEDDING_MODEL; default all-MiniLM-L6-v2, bundled]")
@click.option("-p", "--prune", is_flag=True, envvar="FORUM_RAG_PRUNE", help="Remove posts of the ingested threads that are gone from the source. [env FORUM_RAG_PRUNE]")
@click.option("-A", "--allow-private", is_flag=True, envvar="FORUM_RAG_ALLOW_PRIVATE", help="Let URL sources reach private, loopback and link-local addresses. [env FORUM_RAG_ALLOW_PRIVATE]")
@click.option("-r", "--rate", type=click.FloatRange(min=0, min_open=True), envvar="FORUM_RAG_RATE", default=DEFAULT_RATE, show_default=True, help="Most requests per second to one host when crawling URLs. [env FORUM_RAG_RATE]")
@JSON
def ingest(sources, index, fmt, embedding_model, prune: bool, allow_private: bool, rate: float, as_json: bool) -> None:
    """Add forum SOURCES (files, directories of them, or XenForo/Discourse thread
    URLs to crawl) to an index; only new or edited posts are embedded, only new
    pages fetched."""
    from index.pipeline import ingest as ingest_api

    progress = None if as_json or not sys.stderr.isatty() else output.progress_printer()
    crawl = CrawlOptions(allow_private=allow_private, rate=rate)
    report = ingest_api(sources, index, format=fmt, embedding_model=embedding_model, prune=prune, progress=progress, crawl=crawl)
    if as_json:
        click.echo(json.dumps(output.report_dict(report), ensure_ascii=False, indent=2))
    else:
        click.echo(output.report_text(report))


@cli.command()
@INDEX
@JSON
def info(index, as_json: bool) -> None:
    """Show an index: counts, embedding model, chunker settings, threads."""
    from index.home import index_dir
    from index.pipeline import ensure_index
    from index.store.reader import IndexReader

    reader = IndexReader(ensure_index(index) if index is None else index_dir(index))
    data = output.info_dict(reader)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else output.info_text(data))


def _load_plugins() -> None:
    for entry in entry_points(group="forum_rag.commands"):
        try:
            cli.add_command(entry.load(), entry.name)
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not break the CLI
            if os.environ.get("FORUM_RAG_DEBUG"):
                raise
            click.echo(f"forum-rag: warning: command {entry.name!r} unavailable: {exc}", err=True)


def main() -> None:
    from index import env  # noqa: F401

    _load_plugins()
    cli(prog_name="forum-rag")


if __name__ == "__main__":
    main()
