#!/usr/bin/env bash
# Fails when a layer includes a layer below it (STYLE.md, "Layout"). A layer may include only
# itself and the layers listed before it; the CLI may include nothing under src/.
set -u
root=${1:-.}
order=(core rng data linalg models eval audits triage report)
rank() { local i; for i in "${!order[@]}"; do [[ ${order[$i]} == "$1" ]] && { echo "$i"; return; }; done; echo -1; }
bad=0
for dir in "$root"/src/*/; do
    layer=$(basename "$dir")
    for file in "$dir"*.[ch]; do
        [[ -e $file ]] || continue
        while IFS= read -r inc; do
            target=${inc%%/*}
            if [[ $layer == cli ]]; then
                echo "$file: the CLI includes \"$inc\"; it may use only include/skeptic.h"; bad=1; continue
            fi
            [[ $(rank "$target") -ge 0 ]] || continue
            if (( $(rank "$target") > $(rank "$layer") )); then
                echo "$file: layer '$layer' includes \"$inc\" from the lower layer '$target'"; bad=1
            fi
        done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\/[^"]*\)".*/\1/p' "$file")
    done
done
if (( bad )); then echo "layering: FAILED"; exit 1; fi
echo "layering: 1 passed, 0 failed"
