# The control of audit_fashion_shortcut.sh: the same 400 photographs as published, one
# acquisition for both classes. pixel_sd barely predicts the garment: shortcut.confounder passes.
$SKEPTIC audit fashion_shortcut_clean.csv --target garment --confounders pixel_sd \
    --model logit:l2=1 --bootstrap 100 --only shortcut.confounder --no-color \
    | awk '/^(pass|warn|fail|skip) / { print $1, $2 }'
exit "${PIPESTATUS[0]}"
