#!/usr/bin/env bash
# Puts the pinned Codat documents into specs/: copied from ../shared/specs (beside the
# checkout) when that folder exists, downloaded from the pinned commit otherwise.
# The sha256 is checked either way; a mismatch is an error naming the file and both sums.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
shared="${PAYABLES_SHARED_SPECS:-$here/../../shared/specs}"

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

status=0
while IFS=$'\t' read -r file repository commit path expected; do
    case "$file" in ''|'#'*) continue ;; esac
    target="$here/$file"
    if [ -f "$target" ] && [ "$(sha256 "$target")" = "$expected" ]; then
        continue
    fi
    tmp="$target.partial"
    if [ -f "$shared/$file" ]; then
        cp "$shared/$file" "$tmp"
        source="$shared/$file"
    else
        source="https://raw.githubusercontent.com/$repository/$commit/$path"
        if ! curl -fsSL "$source" -o "$tmp"; then
            echo "specs/sync.sh: error: cannot download $file from $source" >&2
            rm -f "$tmp"; status=1; continue
        fi
    fi
    actual="$(sha256 "$tmp")"
    if [ "$actual" != "$expected" ]; then
        echo "specs/sync.sh: error: $file from $source has sha256 $actual, expected $expected (pinned in specs/pins.tsv)" >&2
        rm -f "$tmp"; status=1; continue
    fi
    chmod u+w "$tmp"
    mv -f "$tmp" "$target"
    echo "specs/sync.sh: $file ($expected) from $source"
done < "$here/pins.tsv"
exit $status
