"""Batch evaluation of `rag.ask` / `rag.search` over question sets in eval/questions."""
