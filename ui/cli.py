"""`forum-rag ui` (and `python -m ui`): serve the web chat."""
from __future__ import annotations

import click

from index.errors import ForumRagError

from .settings import DEFAULT_HOST, DEFAULT_PORT, Settings, parse_auth


@click.command("ui", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-i", "--index", envvar="FORUM_RAG_INDEX", default=None, help="Index to open first (name under FORUM_RAG_HOME, or a path). [env FORUM_RAG_INDEX; default: the bundled sample]")
@click.option("-H", "--host", envvar="FORUM_RAG_UI_HOST", default=DEFAULT_HOST, show_default=True, help="Address to bind; anything but loopback needs --auth. [env FORUM_RAG_UI_HOST]")
@click.option("-p", "--port", type=click.IntRange(1, 65535), envvar="FORUM_RAG_UI_PORT", default=DEFAULT_PORT, show_default=True, help="Port. [env FORUM_RAG_UI_PORT]")
@click.option("-A", "--auth", envvar="FORUM_RAG_UI_AUTH", default=None, help="USER:PASSWORD to sign in (prefer the env var: arguments show in ps). [env FORUM_RAG_UI_AUTH]")
@click.option("-m", "--model", "models", multiple=True, envvar="FORUM_RAG_MODEL", help="litellm model to offer besides the offline answer; repeatable. [env FORUM_RAG_MODEL]")
@click.option("-U", "--allow-url-ingest", is_flag=True, envvar="FORUM_RAG_UI_ALLOW_URLS", help="Let the page add a thread by URL (crawled; private addresses refused). [env FORUM_RAG_UI_ALLOW_URLS]")
@click.option("-s", "--max-upload-mb", type=click.IntRange(1, 1024), envvar="FORUM_RAG_UI_MAX_UPLOAD_MB", default=20, show_default=True, help="Largest file the page accepts. [env FORUM_RAG_UI_MAX_UPLOAD_MB]")
@click.option("-q", "--queue-size", type=click.IntRange(1, 1000), envvar="FORUM_RAG_UI_QUEUE", default=16, show_default=True, help="Questions that may wait; beyond that the page says busy. [env FORUM_RAG_UI_QUEUE]")
def command(index, host, port, auth, models, allow_url_ingest, max_upload_mb, queue_size) -> None:
    """Serve the web chat (Gradio) on HOST:PORT, localhost by default."""
    settings = Settings(index=index, host=host, port=port, auth=parse_auth(auth), models=tuple(models),
                        allow_url_ingest=allow_url_ingest, max_upload_mb=max_upload_mb, queue_size=queue_size)
    serve(settings)


def serve(settings: Settings) -> None:
    settings.check()
    from .app import build, launch_options  # gradio loads here, not at CLI start

    demo = build(settings)
    try:
        _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, **launch_options(settings))
    except OSError as exc:
        raise ForumRagError(f"{settings.host}:{settings.port}: cannot serve there ({exc}); pick another --port") from None
    click.echo(f"forum-rag ui: {url} (Ctrl+C to stop)", err=True)
    try:
        demo.block_thread()
    finally:
        demo.close()
