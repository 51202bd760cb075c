#!/usr/bin/env bash
# Install Mentor Desk for the current user into ~/.local (no root needed):
#
#   bash packaging/linux/install.sh              # install (or update)
#   bash packaging/linux/install.sh --uninstall  # remove everything it installed
#
# The app is the frozen build in dist/mentor-desk/ when there is one (copied to
# ~/.local/lib/mentor-desk, so the checkout can go), else the `mentor-desk` command already on
# PATH (pip install). Either way it adds the launcher (.desktop), the icons under hicolor and the
# AppStream metainfo. PREFIX=/some/dir installs somewhere else. Your data folder is never touched.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
app_id="io.github.mentordesk.MentorDesk"
prefix="${PREFIX:-$HOME/.local}"
bin="$prefix/bin/mentor-desk"
lib="$prefix/lib/mentor-desk"
share="$prefix/share"
desktop="$share/applications/$app_id.desktop"
metainfo="$share/metainfo/$app_id.metainfo.xml"
sizes=(16 24 32 48 64 128 256 512)

refresh_caches() {
  # Menus and docks pick the change up sooner; both tools are optional.
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$share/applications" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$share/icons/hicolor" 2>/dev/null || true
  fi
}

uninstall() {
  # The launcher goes only if it is ours: a pip-installed mentor-desk in the same place stays.
  if [[ -L $bin && $(readlink "$bin") == "$lib/mentor-desk" ]]; then rm -f "$bin"; fi
  rm -rf "$lib"
  rm -f "$desktop" "$metainfo" "$share/icons/hicolor/scalable/apps/$app_id.svg"
  for size in "${sizes[@]}"; do
    rm -f "$share/icons/hicolor/${size}x${size}/apps/$app_id.png"
  done
  refresh_caches
  echo "Removed Mentor Desk from $prefix (your data folder was not touched)."
}

install_app() {
  local exe
  if [[ -x $root/dist/mentor-desk/mentor-desk ]]; then
    rm -rf "$lib"
    mkdir -p "$lib" "$prefix/bin"
    cp -a "$root/dist/mentor-desk/." "$lib/"
    ln -sfn "$lib/mentor-desk" "$bin"
    exe="$bin"
  elif exe="$(command -v mentor-desk)"; then
    echo "No frozen build in dist/; using the installed command $exe"
  else
    echo "Nothing to install: build the app first (bash packaging/build.sh) or pip install it." >&2
    exit 1
  fi
  mkdir -p "$share/applications" "$share/metainfo" "$share/icons/hicolor/scalable/apps"
  # An absolute Exec: the desktop session's PATH often lacks ~/.local/bin.
  sed -e "s|^Exec=mentor-desk|Exec=$exe|" -e "s|^TryExec=mentor-desk|TryExec=$exe|" \
    "$here/$app_id.desktop" >"$desktop"
  install -m 644 "$here/$app_id.metainfo.xml" "$metainfo"
  install -m 644 "$root/resources/icons/mentor-desk.svg" \
    "$share/icons/hicolor/scalable/apps/$app_id.svg"
  for size in "${sizes[@]}"; do
    install -D -m 644 "$root/resources/icons/mentor-desk-$size.png" \
      "$share/icons/hicolor/${size}x${size}/apps/$app_id.png"
  done
  refresh_caches
  echo "Installed Mentor Desk into $prefix: start it from your applications menu or run $exe."
}

case "${1:-}" in
  "") install_app ;;
  --uninstall) uninstall ;;
  *) echo "usage: bash packaging/linux/install.sh [--uninstall]" >&2; exit 2 ;;
esac
