#!/usr/bin/env bash
# Render the first pages of a .docx to PNG for a visual check.
#
#   tools/preview_docx.sh DOCX OUTDIR [PAGES]
#
# Converts DOCX to PDF with LibreOffice (headless, throwaway profile) using the
# font substitutions in tools/fontconfig/fonts.conf (仿宋/楷体/小标宋/宋体 -> Noto
# Serif CJK SC, 黑体 -> Noto Sans CJK SC), then writes OUTDIR/page-N.png for the
# first PAGES pages (default 4) at 60 dpi. The PDF is kept in OUTDIR as well.
# Needs: libreoffice-writer(-nogui), poppler-utils, fonts-noto-cjk.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
    echo "usage: $0 DOCX OUTDIR [PAGES]" >&2
    exit 2
fi
docx=$1
outdir=$2
pages=${3:-4}
[[ -f $docx ]] || { echo "$0: no such file: $docx" >&2; exit 2; }
[[ $pages =~ ^[1-9][0-9]*$ ]] || { echo "$0: PAGES must be a positive integer" >&2; exit 2; }
for tool in soffice pdftoppm; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found (install libreoffice-writer-nogui and poppler-utils)" >&2; exit 1; }
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export FONTCONFIG_FILE="$here/fontconfig/fonts.conf"
profile=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-lo-profile.XXXXXX")
trap 'rm -rf "$profile"' EXIT

mkdir -p "$outdir"
soffice -env:UserInstallation="file://$profile" --headless --norestore \
    --convert-to pdf --outdir "$outdir" "$docx" >/dev/null
pdf="$outdir/$(basename "${docx%.*}").pdf"
[[ -f $pdf ]] || { echo "$0: LibreOffice produced no PDF for $docx" >&2; exit 1; }
rm -f "$outdir"/page-*.png
pdftoppm -png -r 60 -f 1 -l "$pages" "$pdf" "$outdir/page"
ls "$outdir"/page-*.png
