#!/usr/bin/env bash
# Keep rendered pages of a generated package in OUTDIR for reviewers: the first two pages of the
# report and the first page of each attachment (found by its "附件N" label at the top of a page).
#
#   tools/preview_package.sh DOCX OUTDIR
set -euo pipefail
docx=$1
outdir=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$outdir"
"$here/preview_docx.sh" "$docx" "$outdir" 2
pdf=$(ls "$outdir"/*.pdf)
pages=$(pdfinfo "$pdf" | awk '/^Pages/{print $2}')
for n in $(seq 1 "$pages"); do
    # LibreOffice puts a space between CJK and digits in the text layer: "附件 1".
    label=$(pdftotext -f "$n" -l "$n" "$pdf" - | head -1 | tr -d ' ')
    if [[ $label =~ ^附件[0-9]+$ ]]; then
        pdftoppm -png -r 60 -f "$n" -l "$n" -singlefile "$pdf" "$outdir/$label"
    fi
done
rm -f "$pdf"
ls "$outdir"
