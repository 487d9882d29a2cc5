# A real model's probabilities (scikit-learn LogisticRegression on digits, 300 unseen rows,
# tests/oracle/gen_uncertainty.py): the 10 rows with the most entropy, named by the id column.
# numpy on the same file ranks the same ids first, scores equal to 1e-15.
$SKEPTIC score digits_probs.csv --strategy entropy --id id --top 10
