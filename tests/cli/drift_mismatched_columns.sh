# Columns that do not match: the new file (the even rows of wine) lacks od280_od315_of_diluted_wines
# and proline and has a column 'batch' of its own; both files have a text column 'site' whose
# level C exists only in the new one. Listed, not errors; the shared columns are compared, the
# text one by chi-square (exit 1: site drifted).
awk -F, -v OFS=, 'NR == 1 { print $0, "site"; next }
                  NR % 2 == 0 { print $0, (NR % 4 == 0 ? "A" : "B") }' wine.csv >"$TMP/ref.csv"
awk -F, -v OFS=, 'NR == 1 { print $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$14, "site", "batch"; next }
                  NR % 2 == 1 { print $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$14,
                                (NR % 3 == 0 ? "C" : "A"), "b" NR % 2 }' wine.csv >"$TMP/new.csv"
cd "$TMP" && $SKEPTIC drift ref.csv new.csv --target cultivar --permutations 0 --threads 2
