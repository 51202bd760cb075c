#!/usr/bin/env bash
# Build the frozen one-folder app into dist/mentor-desk/ (Linux and macOS; Windows: see
# docs/packaging.md). From a fresh clone: `bash packaging/build.sh`.
#
# The build gets its own venv, build/venv (made on first use with python3, or $PYTHON), holding
# the app's dependencies and PyInstaller; the system Python and any .venv are left alone.
# Prints the build time and size at the end.
# Options: --smoke also runs packaging/smoke_test.py on the result.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=1 ;;
    *) echo "usage: bash packaging/build.sh [--smoke]" >&2; exit 2 ;;
  esac
done

started=$(date +%s)
venv=build/venv
mkdir -p build
# The venv holds the dependencies only; the spec freezes this checkout's code. When
# pyproject.toml changes the venv is made afresh rather than upgraded in place: pip never removes
# a package the new requirements merely stop naming (PySide6-Pdf 6.12 would stay behind next to
# PySide6-Addons 6.11, both owning PySide6/QtPdf*), and a stale one would end up in the build.
if [[ ! build/venv.stamp -nt pyproject.toml ]]; then
  rm -rf "$venv" build/venv.stamp
fi
if [[ ! -x $venv/bin/python ]]; then
  echo "Making the build venv in $venv"
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip >build/pip.log 2>&1 || true
fi
# setuptools' chatter goes to a log that is shown only when pip fails.
if [[ ! -e build/venv.stamp ]]; then
  echo "Installing the app's dependencies and PyInstaller into $venv"
  if ! { "$venv/bin/python" -m pip install -q ".[packaging]" &&
    "$venv/bin/python" -m pip uninstall -q -y mentor-desk; } >build/pip.log 2>&1; then
    cat build/pip.log >&2
    exit 1
  fi
  touch build/venv.stamp
fi

rm -rf dist/mentor-desk
"$venv/bin/python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/mentor-desk.spec

seconds=$(( $(date +%s) - started ))
size=$(du -sh dist/mentor-desk | cut -f1)
files=$(find dist/mentor-desk -type f | wc -l)
echo "Built dist/mentor-desk/ in ${seconds} s: ${size} in ${files} files."

if (( smoke )); then
  "$venv/bin/python" packaging/smoke_test.py
fi
