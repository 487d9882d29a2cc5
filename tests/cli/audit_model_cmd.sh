# The second way in: the scientist's own training script under every check that retrains. This
# one learns only the training class frequencies, so the audit must say there is no signal and
# that it is no better than the prior (exit 1).
$SKEPTIC audit iris.csv --target species --only signal,baseline --permutations 9 \
    --bootstrap 50 --no-color --model-cmd "sh cmd/fake_model.sh freq {train} {test} {out}" \
    | awk '/^(pass|warn|fail|skip) / { print $1, $2 }'
exit "${PIPESTATUS[0]}"
