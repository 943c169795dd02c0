#!/usr/bin/env bash
# System packages some tests use (LibreOffice for rendering the .docx, Chinese fonts).
# Best effort: the tests that need them skip when they are absent.
set -u
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  need=""
  command -v soffice >/dev/null 2>&1 || need="$need libreoffice-writer-nogui"
  [ -n "$need" ] && { apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need fonts-noto-cjk fonts-arphic-gbsn00lp fonts-arphic-gkai00mp poppler-utils >/dev/null 2>&1 || echo "system-deps: apt install failed; rendering tests will skip"; }
fi
exit 0
