#!/bin/sh
# System packages the tests need: Chromium (browser tests, driven by playwright, which never
# downloads a browser of its own), a font with Chinese glyphs for its screenshots, gettext's
# msgfmt (compilemessages), and Pango, which WeasyPrint needs for the phase PDFs (the portal
# needs it too: the Dockerfile installs it). Installed with apt only where missing; `make run`
# never calls this.
set -eu
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -x /usr/bin/chromedriver ] || missing="$missing chromium-driver"
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$missing fonts-wqy-microhei"
command -v msgfmt >/dev/null 2>&1 || missing="$missing gettext"
{ /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null; } | grep -q 'libpangoft2-1\.0\.so\.0' \
    || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
[ -n "$missing" ] || exit 0

if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
else
    echo "sysdeps: missing:$missing; not root, so not installing them (browser tests will fail)." >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "sysdeps: missing:$missing, and there is no apt-get here; install them yourself." >&2
    exit 0
fi
echo "sysdeps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
