"""The Gradio Blocks app: chat in the middle, index, filters and uploads in
the sidebar, and an `ask` API endpoint that returns the JSON answer contract."""
from __future__ import annotations

from pathlib import Path

import gradio as gr

from index.errors import ForumRagError

from . import chat, controls
from .catalog import Catalog
from .settings import Settings

CSS = (Path(__file__).parent / "style.css").read_text(encoding="utf-8")
JS = (Path(__file__).parent / "page.js").read_text(encoding="utf-8")
ANSWERS = "answers"  # concurrency group shared by the chat and the API


def _query(index, thread, author, k, model, since, until) -> chat.Query:
    return chat.Query(index or None, thread or None, author or None, int(k) if k else None, model or None, since or None, until or None)


def _chat_events(catalog: Catalog, c: controls.Controls, chatbot: gr.Chatbot, question: gr.Textbox, turns: gr.State, settings: Settings) -> None:
    pending = gr.State("")

    def answer(q, messages, history, *controls_values):
        # The box empties once the answer starts: a question turned away as
        # "busy" stays there to send again.
        box = ""
        for messages, history in chat.respond(catalog, q, messages, history, _query(*controls_values)):
            yield messages, history, box
            box = gr.update()

    run = dict(fn=answer, inputs=[pending, chatbot, turns, *c.query_inputs()], outputs=[chatbot, turns, question],
               concurrency_id=ANSWERS, concurrency_limit=settings.concurrency, api_visibility="private", show_progress="hidden")

    def example(selected: gr.SelectData) -> str:
        return selected.value["text"]

    question.submit(lambda q: q, question, pending, queue=False, api_visibility="private").then(**run)
    chatbot.example_select(example, None, pending, queue=False, api_visibility="private").then(**run)

    def api_ask(question: str, index: str = "", thread: str = "", author: str = "", k: int = 0, model: str = "") -> dict:
        """Answer a question from the posts of an index; returns {question, answer, abstained, citations, timings, notes}."""
        try:
            return chat.ask_api(catalog, question, _query(index, thread, author, k, model, None, None))
        except ForumRagError as exc:
            raise gr.Error(str(exc)) from None

    gr.api(api_ask, api_name="ask", concurrency_id=ANSWERS, concurrency_limit=settings.concurrency)


def build(settings: Settings, catalog: Catalog | None = None) -> gr.Blocks:
    catalog = catalog or Catalog(settings.index)
    with gr.Blocks(title="forum-rag", fill_height=True) as demo:
        turns = gr.State([])
        with gr.Sidebar(width=330, elem_id="fr-sidebar"):
            c = controls.sidebar(catalog, settings)
            controls.ingest_panel(catalog, settings, c)
        header = gr.HTML(controls.header_html(catalog, catalog.default_key), elem_id="fr-header")
        chatbot = gr.Chatbot(
            value=[], elem_id="fr-chat", render_markdown=False, sanitize_html=True, show_label=False,
            examples=controls.example_messages(catalog, catalog.default_key), placeholder=controls.PLACEHOLDER,
            feedback_options=None, buttons=[], layout="panel", group_consecutive_messages=False, scale=1, height="70vh",
        )
        question = gr.Textbox(placeholder="Ask about the posts…  (e.g. what did someone say about something)", show_label=False,
                              submit_btn="Ask", autofocus=True, max_lines=6, elem_id="fr-question")
        _chat_events(catalog, c, chatbot, question, turns, settings)
        controls.wire(catalog, c, header, chatbot, turns)
    demo.queue(max_size=settings.queue_size, default_concurrency_limit=settings.concurrency)
    return demo


def launch_options(settings: Settings) -> dict:
    """Everything launch() needs; the theme keeps to bundled fonts (no outside requests)."""
    return dict(
        server_name=settings.host, server_port=settings.port, auth=settings.auth, share=False,
        max_file_size=f"{settings.max_upload_mb}mb", ssr_mode=False, pwa=False, mcp_server=False,
        footer_links=["api"], show_error=False, theme=gr.themes.Default(primary_hue="indigo", neutral_hue="slate"), css=CSS, js=JS,
    )
