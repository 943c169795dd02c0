#!/usr/bin/env bash
# System packages the rendering tests use (tests/test_render.py, evaluations/render.py):
#   libreoffice-writer-nogui   soffice --headless --convert-to pdf (.docx → PDF)
#   poppler-utils              pdfinfo, pdftotext, pdftoppm (page size, text, line boxes, PNG)
#   fonts-noto-cjk             stand-ins for 方正小标宋简体 / 黑体 / 宋体 (docs/fontconfig/fonts.conf)
#   fonts-arphic-gbsn00lp      stand-in for 仿宋_GB2312 (no free 仿宋 exists)
#   fonts-arphic-gkai00mp      stand-in for 楷体_GB2312
# Measured on Debian 12 (bookworm): 55 packages, 147 MB download, 368 MB installed, ~25 s with
# a warm mirror (about a minute cold). Best effort: without soffice the rendering tests skip.
# And for the web pages' browser tests (tests/test_web_e2e.py, Playwright with executable_path):
#   chromium                   Debian's headless browser at /usr/bin/chromium (Playwright cannot
#                              download its own here). Measured: 17 more packages, ~110 MB
#                              download, ~350 MB installed, ~40 s including apt-get update.
#                              Without it the browser tests skip.
set -u
packages="libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-gbsn00lp fonts-arphic-gkai00mp"
packages="$packages chromium"
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: no apt-get; rendering tests will skip"
  exit 0
fi
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "system-deps: not root and no sudo; missing:$missing (rendering tests may skip)"
    exit 0
  fi
fi
start=$(date +%s)
if $sudo apt-get update -qq >/dev/null 2>&1 &&
   DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1; then
  echo "system-deps: installed$missing in $(( $(date +%s) - start )) s"
else
  echo "system-deps: apt install failed for$missing; rendering tests will skip"
fi
exit 0
