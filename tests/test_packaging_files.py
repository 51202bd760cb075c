"""The desktop integration files, the icons and the PyInstaller spec agree with the app.

The frozen build itself is too slow for the suite: ``bash packaging/build.sh --smoke`` (run by
.ci/run) builds it and runs packaging/smoke_test.py on it.
"""

from __future__ import annotations

import configparser
import importlib.util
import re
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImage

import mentor_desk
from mentor_desk.app import DESKTOP_ID, app_icon

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "packaging" / "linux"
ICONS = ROOT / "resources" / "icons"
DESKTOP_FILE = LINUX / f"{DESKTOP_ID}.desktop"
METAINFO = LINUX / f"{DESKTOP_ID}.metainfo.xml"


def load_make_icons() -> ModuleType:
    # packaging/ is a folder of scripts, not a package (the name belongs to PyPI's `packaging`).
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "packaging/make_icons.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def console_script() -> str:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert list(scripts) == ["mentor-desk"]
    return "mentor-desk"


def test_desktop_file_launches_the_app_with_its_icon() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == mentor_desk.APP_NAME
    assert entry["Exec"].split()[0] == console_script()
    assert entry["Icon"] == DESKTOP_ID
    assert entry["StartupWMClass"] == mentor_desk.APP_ID
    assert entry["Categories"].endswith(";")


def test_metainfo_names_the_same_app_binary_and_version() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == DESKTOP_ID
    assert component.findtext("name") == mentor_desk.APP_NAME
    assert component.findtext("launchable") == DESKTOP_FILE.name
    assert component.findtext("provides/binary") == console_script()
    releases = [release.get("version") for release in component.iter("release")]
    assert releases[0] == mentor_desk.__version__, "add the new version to <releases>, newest first"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", component.find("releases/release").get("date", ""))
    assert component.find("content_rating") is not None
    assert len(component.findall("description/p")) >= 1


def test_metainfo_screenshots_are_the_ones_in_docs() -> None:
    images = [image.text or "" for image in ET.parse(METAINFO).getroot().iter("image")]
    assert images
    for url in images:
        assert url.startswith("https://")
        assert (ROOT / "docs" / "screenshots" / url.rsplit("/", 1)[-1]).is_file(), url


def test_validators_accept_the_desktop_file_and_metainfo() -> None:
    # .ci/run installs desktop-file-utils and appstream; a developer machine may lack them.
    if shutil.which("desktop-file-validate"):
        done = run_tool("desktop-file-validate", str(DESKTOP_FILE))
        assert done.returncode == 0, done.stdout
        assert done.stdout.strip() == ""  # not even a warning
    if shutil.which("appstreamcli"):
        done = run_tool("appstreamcli", "validate", "--no-net", str(METAINFO))
        assert done.returncode == 0, done.stdout
        # Errors, warnings and infos fail; pedantic hints (an uppercase id) are fine, and so is
        # AppStream 1.0's note on <developer_name>, which AppStream 0.16 needs (docs/packaging.md).
        issues = re.findall(r"^[EWI]: .*$", done.stdout, re.MULTILINE)
        assert [line for line in issues if "developer-name-tag-deprecated" not in line] == []


def run_tool(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=60, check=False, encoding="utf-8"
    )


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_every_icon_size_exists_at_its_size(size: int) -> None:
    image = QImage(str(ICONS / f"mentor-desk-{size}.png"))
    assert not image.isNull()
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()
    # Not a blank render: the middle pixel belongs to the drawing.
    assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_icon_sizes_match_the_generator() -> None:
    assert load_make_icons().SIZES == (16, 24, 32, 48, 64, 128, 256, 512)


def test_committed_pngs_are_rendered_from_the_current_svg(tmp_path: Path, qapp: object) -> None:
    make_icons = load_make_icons()
    for size, source in ((16, make_icons.SMALL_SOURCE), (64, make_icons.SOURCE)):
        fresh = tmp_path / f"{size}.png"
        make_icons.render(source, size, fresh)
        # A little slack: another Qt version may anti-alias an edge pixel differently.
        assert largest_difference(fresh, ICONS / f"mentor-desk-{size}.png") <= 16, (
            "the SVG changed: run python packaging/make_icons.py and commit the PNGs"
        )


def largest_difference(first: Path, second: Path) -> int:
    """The largest difference of any colour or alpha channel between two same-sized images."""
    one, two = QImage(str(first)), QImage(str(second))
    assert one.size() == two.size()
    worst = 0
    for y in range(one.height()):
        for x in range(one.width()):
            a, b = one.pixelColor(x, y), two.pixelColor(x, y)
            worst = max(worst, *(abs(p - q) for p, q in zip(a.getRgb(), b.getRgb(), strict=True)))
    return worst


def test_windows_and_macos_icons_exist() -> None:
    ico = (ICONS / "mentor-desk.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00"
    assert int.from_bytes(ico[4:6], "little") == len(load_make_icons().ICO_SIZES)
    assert (ICONS / "mentor-desk.icns").read_bytes()[:4] == b"icns"


def test_window_icon_offers_every_size(qapp: object) -> None:
    sizes = {size.width() for size in app_icon().availableSizes()}
    assert {16, 32, 256, 512} <= sizes


def test_spec_takes_name_and_version_from_the_package() -> None:
    spec = (ROOT / "packaging" / "mentor-desk.spec").read_text()
    assert "VERSION = mentor_desk.__version__" in spec
    assert "APP_NAME = mentor_desk.APP_ID" in spec
    assert mentor_desk.__version__ not in spec
    assert DESKTOP_ID in spec  # the macOS bundle id
    for needed in ("migrations", "sqlcipher3", '"resources"', '"docs"', "mentor-desk.icns"):
        assert needed in spec


def test_spec_keeps_exactly_the_qt_modules_the_app_imports() -> None:
    # The spec excludes every other PySide6 module (PySide6-Addons brings some forty), so a Qt
    # module the app starts importing must be added to QT_MODULES or the frozen build breaks.
    spec = (ROOT / "packaging" / "mentor-desk.spec").read_text()
    declared = re.search(r"^QT_MODULES = \((.*)\)$", spec, re.MULTILINE)
    assert declared is not None
    kept = set(re.findall(r'"(Qt\w+)"', declared.group(1)))
    imported = {
        module
        for path in (ROOT / "mentor_desk").rglob("*.py")
        for module in re.findall(r"\bPySide6\.(Qt\w+)", path.read_text(encoding="utf-8"))
    }
    assert kept == imported
