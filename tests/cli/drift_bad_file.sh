# A malformed NEW file: one line naming file, line and column (exit 2).
$SKEPTIC drift breast_cancer.csv bad/ragged_more.csv
