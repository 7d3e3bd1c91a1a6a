"""The sidebar: index picker, filters, new chat, and adding posts."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import gradio as gr

from index.errors import ForumRagError
from rag.api import DEFAULT_K

from . import examples, uploads
from .catalog import Catalog, counted
from .settings import Settings

PLACEHOLDER = (
    "### Ask about the forum threads in this index\n\n"
    "Every sentence of an answer links to the post it came from: click a number to see who wrote it, when, and the exact words."
)
FILE_TYPES = [".txt", ".csv", ".jsonl", ".json", ".html", ".htm"]
ANYONE, ALL_THREADS = ("Anyone", ""), ("All threads", "")


@dataclass
class Controls:
    index: gr.Dropdown
    thread: gr.Dropdown
    author: gr.Dropdown
    since: gr.DateTime
    until: gr.DateTime
    k: gr.Slider
    model: gr.Dropdown
    new_chat: gr.Button

    def query_inputs(self) -> list:
        return [self.index, self.thread, self.author, self.k, self.model, self.since, self.until]


def index_choices(catalog: Catalog) -> list[tuple[str, str]]:
    return [(s.label, s.key) for s in catalog.summaries()]


def header_html(catalog: Catalog, key: str | None) -> str:
    s = catalog.summary(key)
    return (
        '<div class="fr-title">forum-rag <span class="fr-tagline">answers that cite the posts</span></div>'
        f'<div class="fr-subtitle">Index <b>{escape(s.key)}</b> · {counted(s.posts, "post")} · {counted(s.threads, "thread")}</div>'
    )


def example_messages(catalog: Catalog, key: str | None) -> list[dict]:
    titles = [title for title, _ in catalog.threads(key)]
    return [{"text": q} for q in examples.questions(titles, catalog.authors(key))]


def _filters(catalog: Catalog, key: str | None) -> tuple[list, list]:
    threads = [ALL_THREADS, *catalog.threads(key)]
    authors = [ANYONE, *((name, name) for name in catalog.authors(key))]
    return threads, authors


def sidebar(catalog: Catalog, settings: Settings) -> Controls:
    key = catalog.default_key
    threads, authors = _filters(catalog, key)
    index = gr.Dropdown(index_choices(catalog), value=key, label="Index", interactive=True, elem_id="fr-index")
    new_chat = gr.Button("New chat", variant="secondary", size="sm", elem_id="fr-new-chat")
    with gr.Accordion("Filters", open=True):
        thread = gr.Dropdown(threads, value="", label="Thread", interactive=True, elem_id="fr-thread")
        author = gr.Dropdown(authors, value="", label="Member", info="Their words: as author, or quoted by others",
                             interactive=True, elem_id="fr-author")
        with gr.Row():
            since = gr.DateTime(include_time=False, type="string", label="From", elem_id="fr-since")
            until = gr.DateTime(include_time=False, type="string", label="To", elem_id="fr-until")
        k = gr.Slider(1, 30, value=DEFAULT_K, step=1, label="Posts to search", elem_id="fr-k")
        model = gr.Dropdown([("Offline: quotes from the posts", ""), *((m, m) for m in settings.models)],
                            value=settings.models[0] if settings.models else "",
                            label="Answer with", visible=bool(settings.models), interactive=True, elem_id="fr-model")
    return Controls(index, thread, author, since, until, k, model, new_chat)


def wire(catalog: Catalog, c: Controls, header: gr.HTML, chatbot: gr.Chatbot, turns: gr.State) -> None:
    def on_index(key):
        threads, authors = _filters(catalog, key)
        return (gr.update(choices=threads, value=""), gr.update(choices=authors, value=""),
                header_html(catalog, key), gr.update(examples=example_messages(catalog, key)))

    c.index.change(on_index, c.index, [c.thread, c.author, header, chatbot], api_visibility="private", queue=False)
    c.new_chat.click(lambda: ([], []), None, [chatbot, turns], api_visibility="private", queue=False)
    chatbot.clear(lambda: [], None, turns, api_visibility="private", queue=False)


def _status(text: str, ok: bool) -> str:
    return f'<div class="fr-status {"fr-ok" if ok else "fr-error"}">{escape(text)}</div>'


def ingest_panel(catalog: Catalog, settings: Settings, c: Controls) -> None:
    with gr.Accordion("Add posts", open=False, elem_id="fr-add"):
        files = gr.File(file_count="multiple", file_types=FILE_TYPES, label=f"Forum files · up to {settings.max_upload_mb} MB each",
                        height=130, elem_id="fr-files")
        url = gr.Textbox(label="…or a thread URL", placeholder="https://forum.example/threads/…",
                         visible=settings.allow_url_ingest, elem_id="fr-url")
        target = gr.Dropdown(index_choices(catalog), value=catalog.default_key, label="Add to index",
                             interactive=True, elem_id="fr-target")
        new_name = gr.Textbox(label="…or a new index", placeholder="new-index-name", elem_id="fr-new-index")
        add = gr.Button("Add posts", variant="primary", elem_id="fr-add-button")
        status = gr.HTML(elem_id="fr-add-status")

    def run(paths, link, existing, name, progress=gr.Progress()):
        def report(stage: str, done: int, total: int) -> None:
            progress((done, total), desc=f"{stage} {done}/{total}")

        try:
            if paths:
                outcome = uploads.add_files(catalog, paths, existing, name, settings.max_upload_mb, report)
            elif link and link.strip():
                outcome = uploads.add_url(catalog, settings.allow_url_ingest, link, existing, name, report)
            else:
                raise ForumRagError("choose one or more files to add" + (", or give a thread URL" if settings.allow_url_ingest else ""))
        except ForumRagError as exc:
            return _status(str(exc), False), gr.update(), gr.update(), gr.update(), gr.update()
        choices = index_choices(catalog)
        return (_status(outcome.message, True), gr.update(choices=choices, value=outcome.key),
                gr.update(choices=choices, value=outcome.key), None, "")

    add.click(run, [files, url, target, new_name], [status, c.index, target, files, new_name],
              concurrency_id="ingest", concurrency_limit=1, api_visibility="private")
    c.index.change(lambda key: key, c.index, target, queue=False, api_visibility="private")
