"""Gradio web chat over the public `rag` API (see the UI issue)."""
