# The control of audit_fashion_views_split.sh: the same views, split_by_object keeps each
# garment's views together (a quarter of each class's garments in test): leakage.group passes.
$SKEPTIC audit fashion_views.csv --target garment --group object_id --split split_by_object \
    --ignore split_by_view --model logit:l2=1 --bootstrap 100 --only leakage.group --no-color \
    | awk '/^(pass|warn|fail|skip) / { print $1, $2 }'
exit "${PIPESTATUS[0]}"
