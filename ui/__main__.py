"""`python -m ui`: the same as `forum-rag ui`."""
from __future__ import annotations

import sys

import click

from index import env  # noqa: F401  (offline defaults before gradio loads)
from index.errors import ForumRagError

from .cli import command


def main() -> None:
    try:
        command.main(prog_name="python -m ui", standalone_mode=False)
    except ForumRagError as exc:
        click.echo(f"forum-rag: error: {exc}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, click.Abort):
        sys.exit(130)


if __name__ == "__main__":
    main()
