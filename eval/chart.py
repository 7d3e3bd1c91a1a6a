"""A PNG bar chart of a run's headline metrics (and an earlier run's, when
compared), drawn with Pillow so the eval needs no plotting library."""
from __future__ import annotations

import io
from pathlib import Path

from .summary import HEADLINE

WIDTH, ROW, LEFT, RIGHT, TOP = 900, 34, 230, 70, 60
NEW, OLD, GRID, INK = (46, 110, 184), (178, 178, 178), (225, 225, 225), (30, 30, 30)


Bar = tuple[str, "float | None", "float | None"]  # label, value, earlier value


def _values(summary: dict) -> list[tuple[str, float | None]]:
    rows = [(k, summary.get(k)) for k in HEADLINE]
    rows += [(f"nDCG@10 {mode}", leg.get("ndcg@10")) for mode, leg in summary.get("legs", {}).items()]
    return rows


def summary_bars(summary: dict, old: dict | None = None) -> list[Bar]:
    earlier = dict(_values(old)) if old else {}
    return [(label, value, earlier.get(label)) for label, value in _values(summary)]


def draw(rows: list[Bar], title: str) -> bytes:
    """Horizontal bars on a 0..1 scale, one per row."""
    from PIL import Image, ImageDraw, ImageFont

    compared = any(old is not None for _, _, old in rows)
    height = TOP + ROW * len(rows) + 40
    image = Image.new("RGB", (WIDTH, height), "white")
    pen = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=14)
    span = WIDTH - LEFT - RIGHT
    pen.text((16, 14), title, fill=INK, font=ImageFont.load_default(size=16))
    for tick in range(0, 11, 2):
        x = LEFT + span * tick / 10
        pen.line([(x, TOP - 6), (x, height - 30)], fill=GRID)
        pen.text((x - 8, height - 26), f"{tick / 10:.1f}", fill=INK, font=font)
    for i, (label, value, old) in enumerate(rows):
        y = TOP + i * ROW
        pen.text((16, y + 8), label, fill=INK, font=font)
        if old is not None:
            pen.rectangle([LEFT, y + 3, LEFT + span * old, y + 11], fill=OLD)
        if value is not None:
            pen.rectangle([LEFT, y + 12, LEFT + span * value, y + 26], fill=NEW)
        pen.text((LEFT + span * (value or 0) + 6, y + 10), "–" if value is None else f"{value:.3f}", fill=INK, font=font)
    if compared:
        pen.text((WIDTH - 260, 16), "blue: this run   grey: earlier run", fill=INK, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def write(path: Path, rows: list[Bar], title: str) -> Path:
    data = draw(rows, title)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
