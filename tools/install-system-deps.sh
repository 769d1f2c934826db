#!/bin/sh
# Debian packages the tests and the document preview need: LibreOffice (docx → PDF, to prove the
# package opens), poppler (pdfinfo/pdffonts/pdftoppm) and CJK fonts. Skipped when already present.
set -e
missing=""
command -v soffice >/dev/null 2>&1 || missing="$missing libreoffice-writer-nogui"
command -v pdffonts >/dev/null 2>&1 || missing="$missing poppler-utils"
fc-list 2>/dev/null | grep -q "Noto Serif CJK" || missing="$missing fonts-noto-cjk"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"  # browser tests (tests/browser/)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"  # store tests (tests/store/)
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != "0" ]; then
    echo "需要安装系统软件包：$missing（请以 root 运行，或执行 sudo apt-get install -y$missing）" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q $missing >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null; }
