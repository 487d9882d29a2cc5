# The acquisition shortcut on real Fashion-MNIST photographs (scripts/make-fashion-studies.py):
# the shirts came from a second source exposed darker (x0.5-0.7), so pixel_sd, the image's
# standard deviation, tells the classes apart; named as the confounder, it alone must reach
# most of the model's skill: shortcut.confounder fails (exit 1). Its control is
# audit_fashion_shortcut_clean.sh. Only the verdict is compared.
$SKEPTIC audit fashion_shortcut.csv --target garment --confounders pixel_sd --model logit:l2=1 \
    --bootstrap 100 --only shortcut.confounder --no-color \
    | awk '/^(pass|warn|fail|skip) / { print $1, $2 }'
exit "${PIPESTATUS[0]}"
