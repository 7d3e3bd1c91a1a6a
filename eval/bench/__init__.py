"""`forum-rag bench`: measured speed of ingest, search, ask and start-up.

Run `forum-rag bench --help`; docs/PERFORMANCE.md has the results and the
commands that produced them.
"""
