"""Render the application icon from its SVG sources into every size the platforms want.

Run from the repository root after changing an SVG (the outputs are committed):

    python packaging/make_icons.py

Writes ``resources/icons/mentor-desk-<size>.png`` for every size in :data:`SIZES` (16 and 24 px
come from the simplified ``mentor-desk-16.svg``, which stays readable that small), plus
``mentor-desk.ico`` (Windows) and ``mentor-desk.icns`` (macOS). Rendering uses Qt's own SVG
renderer, so nothing beyond the app's dependencies is needed; the .ico and .icns need Pillow
(the ``packaging`` extra).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "mentor-desk.svg"
SMALL_SOURCE = ICONS / "mentor-desk-16.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Below this size the full drawing turns to mush; the small variant is used instead.
SMALL_LIMIT = 24
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return ICONS / f"mentor-desk-{size}.png"


def render(source: Path, size: int, target: Path) -> None:
    """Render ``source`` into a transparent ``size`` x ``size`` PNG at ``target``."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"{source} is not a valid SVG file.")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target), "PNG"):
        raise SystemExit(f"Could not write {target}.")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for size in SIZES:
        render(SMALL_SOURCE if size <= SMALL_LIMIT else SOURCE, size, png_path(size))
    del app
    try:
        from PIL import Image
    except ImportError:
        print("Pillow is missing: PNGs written, .ico and .icns skipped (pip install Pillow).")
        return 1
    frames = [Image.open(png_path(size)).convert("RGBA") for size in ICO_SIZES]
    # Pillow scales down from the largest frame unless given each size's own rendering.
    frames[-1].save(
        ICONS / "mentor-desk.ico",
        sizes=[(size, size) for size in ICO_SIZES],
        append_images=frames[:-1],
    )
    big = Image.open(png_path(512)).convert("RGBA")
    big.save(ICONS / "mentor-desk.icns", append_images=[Image.open(png_path(s)) for s in SIZES])
    print(f"Wrote {len(SIZES)} PNGs, mentor-desk.ico and mentor-desk.icns into {ICONS}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
