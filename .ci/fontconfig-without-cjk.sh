#!/usr/bin/env bash
# Write a fontconfig configuration that sees the machine's fonts minus every CJK one, to show
# that PDFs and pages need no system CJK font (the project ships its own). Usage:
#   FONTCONFIG_FILE="$(.ci/fontconfig-without-cjk.sh DIR)" command…
# It lists each folder that holds a font file, leaving out every folder holding a font that
# covers Chinese, Japanese or Korean; a configuration without any font at all makes Pango crash,
# so it fails when nothing is left.
set -euo pipefail
dir="${1:?usage: $0 DIR}"
mkdir -p "$dir/cache"
conf="$dir/fonts.conf"

cjk_dirs="$(for lang in zh ja ko; do fc-list ":lang=$lang" --format '%{file}\n'; done \
  | xargs -r -d '\n' dirname | sort -u)"
all_dirs="$(fc-list --format '%{file}\n' | xargs -r -d '\n' dirname | sort -u)"
keep="$(comm -23 <(printf '%s\n' "$all_dirs") <(printf '%s\n' "$cjk_dirs") | sed '/^$/d')"
if [ -z "$keep" ]; then
  echo "没有非中日韩字体目录可用（至少需要一种字体，例如 fonts-dejavu-core）" >&2
  exit 1
fi

{
  echo '<?xml version="1.0"?>'
  echo '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
  echo '<fontconfig>'
  while IFS= read -r d; do
    # fontconfig also reads a folder's subfolders: the check below catches a CJK one there.
    printf '  <dir>%s</dir>\n' "$d"
  done <<<"$keep"
  printf '  <cachedir>%s/cache</cachedir>\n' "$dir"
  echo '</fontconfig>'
} >"$conf"

# Prove it: fonts are left, and none of them covers Chinese.
[ -n "$(FONTCONFIG_FILE="$conf" fc-list)" ]
if [ -n "$(FONTCONFIG_FILE="$conf" fc-list :lang=zh)" ]; then
  echo "隐藏中文字体失败：" >&2
  FONTCONFIG_FILE="$conf" fc-list :lang=zh >&2
  exit 1
fi
echo "$conf"
