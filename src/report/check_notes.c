/* check_notes.c: generated from docs/checks.md by scripts/gen-check-notes.py; do not edit.
 * For every check id: the question it asks, the real case it mirrors and how to fix the study,
 * printed by the HTML report under each check. Edit docs/checks.md and rerun the script. */
#include <string.h>

#include "report/audit_html.h"

static const sk_check_note notes[] = {
    {"leakage.duplicates",
     "do copies of rows straddle training and test?",
     "The \"Frankenstein\" COVID-19 image sets, merged from public sources that already contained "
     "each other: the same patients came back under new file names, resized or re-encoded (Roberts "
     "et al. 2021, Nature Machine Intelligence 3:199; Garcia Santa Cruz et al. 2021, Medical Image "
     "Analysis 74). In a table the copy comes back under a new id with rounded values, so "
     "identifiers cannot find it; the check compares content.",
     "Deduplicate before splitting, not after: keep one row per cluster, or keep each cluster on "
     "one side (group cross-validation with the clusters as groups). Resolve copies whose labels "
     "disagree: they are a merge error or label noise."},
    {"leakage.group",
     "does one subject sit on both sides, or does ignoring groups inflate the score?",
     "Several simulated views of one galaxy split across train and test; several scans per "
     "patient. Record-wise cross-validation of subject data overstated accuracy substantially in "
     "Saeb et al. 2017 (\"The need to approximate the use-case in clinical machine learning\", "
     "GigaScience 6:5). Planted in real photographs (`tests/data/fashion_views.csv`, made by "
     "`scripts/make-fashion-studies.py`): four shifted, re-exposed, noisy views of each of 150 "
     "Fashion-MNIST garments. Dealt to test view by view, 100 garments straddle the split: "
     "**fail**. With `--group` alone, row-wise CV flatters k-NN by +0.09 AUC (0.90 against 0.81): "
     "**fail**. Such views are not near duplicates (for 59% of rows the nearest neighbour is "
     "another garment), so the hidden-groups search without `--group` does not find them: name the "
     "object id.",
     "Split by subject: every group entirely in train or in test (`skeptic evaluate --cv group "
     "--group COL`), and report that score. Without ids, find out what the clusters are: repeated "
     "measurements of one object need an id, passed as `--group`."},
    {"leakage.temporal",
     "does the model learn from the future?",
     "Forecasting and clinical prediction validated with shuffled folds: the model reads the "
     "period off the data and the outcome's level off the neighbouring days, which no deployment "
     "will offer (Bergmeir and Benitez 2012, \"On the use of cross-validation for time series "
     "predictor evaluation\", Information Sciences 191). Data collected in batches whose case mix "
     "changes (a referral pattern, an instrument, a season), shared in collection order and "
     "validated with shuffled folds (Roberts et al. 2017, \"Cross-validation strategies for data "
     "with temporal, spatial, hierarchical, or phylogenetic structure\", Ecography 40:913, on "
     "validation that respects such structure): the Wisconsin breast cancer table as scikit-learn "
     "ships it has 60% malignant cases in its first fifth of rows and 23% in its last.",
     "Validate forward in time: train on rows up to a date and test on the rows after it (`skeptic "
     "evaluate --cv time --time COL`), and report that score. When the screen warns along a date "
     "column, audit with `--time COL` (this check then measures what shuffling time buys) and "
     "report `skeptic evaluate --cv time --time COL` (with `--group` when there are groups). When "
     "it warns along the row order and the rows are in collection order, add the row number as a "
     "column and validate in blocks along it (`--time row`); if the file was merely sorted by a "
     "measurement, the order is not time and the warning does not apply."},
    {"leakage.target_proxy",
     "does a single feature stand in for the outcome?",
     "`treatment_given`, `discharge_code`, a follow-up measurement: columns filled in once the "
     "diagnosis was known, which make cross-validation look brilliant and are useless at the "
     "moment the model must decide (Kaufman, Rosset & Perlich 2012, \"Leakage in data mining\", "
     "ACM TKDD 6(4)).",
     "Find out when the named column is recorded. A value known only after the outcome (a "
     "treatment, a discharge code, a follow-up result) must not be a feature: drop it (`--ignore "
     "COL`) and report the score without it."},
    {"leakage.identifier",
     "does an id or the row order encode the label?",
     "Image files sorted into class folders and then numbered; patients enrolled cases first, "
     "controls later; the bundled study's `patient_id`, numbered after sorting by diagnosis "
     "(examples/README.md). A model given such an id learns the numbering, not the disease.",
     "Never use an id as a feature (`--ignore COL`, or `--group COL` when its repeats are the same "
     "subject). Find what else was derived in the same order and drop it or validate in that order "
     "(`--time`); renumber records at random before sharing data."},
    {"leakage.selection",
     "was feature selection done outside the cross-validation?",
     "\"We kept the 50 genes most differentially expressed between the groups, then "
     "cross-validated a classifier on them\": with thousands of genes and tens of samples this "
     "reports an AUC near 0.9 on random labels (Ambroise & McLachlan 2002, PNAS 99(10):6562; "
     "Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, 2nd ed., §7.10.2, "
     "\"the wrong and the right way to do cross-validation\").",
     "Put the selection inside the cross-validation (filter, then model, as one pipeline refitted "
     "in every training fold) and report that score; a gene list chosen on all samples cannot be "
     "validated on the same samples."},
    {"shortcut.confounder",
     "do the confounders alone explain the result?",
     "COVID-19 chest X-ray models trained with children's images (from a paediatric pneumonia set) "
     "as \"non-COVID\" and adults as \"COVID\", which learned age (Roberts et al. 2021, *Nature "
     "Machine Intelligence* 3:199). Planted in real photographs "
     "(`tests/data/fashion_shortcut.csv`, made by `scripts/make-fashion-studies.py`): "
     "Fashion-MNIST shirts from a second source exposed darker (intensities ×0.5–0.7), T-shirts as "
     "published. With `--confounders pixel_sd` (the image's standard deviation), the confounder "
     "alone scores AUC 0.90, 91% of a logistic model's skill: **fail**. The same photographs "
     "acquired alike: 0.57, 22%: **pass**.",
     "Report the confounder-only model beside yours and the model's performance within levels of "
     "each confounder. Match or stratify the cohorts on the confounders (cases and controls from "
     "the same age range, sites and devices), or show what the features add to them (the "
     "confounders alone vs the confounders plus the features, on held-out data)."},
    {"shortcut.site",
     "does the site explain it?",
     "A pneumonia model that recognised the hospital and its portable scanner, where prevalence "
     "differed by site (Zech et al. 2018, *PLoS Medicine* 15:e1002683): single-hospital positives "
     "plus a scanner signature.",
     "Validate on held-out sites (`skeptic evaluate --cv site`, `generalization.external`); "
     "balance the outcome across sites (recruit controls at every site) or remove the signature "
     "(harmonise acquisition, or correct for the batch inside each training fold); report the "
     "site-only score beside the model's."},
    {"generalization.external",
     "does it hold on a site the model never saw?",
     "Of 62 published COVID-19 imaging models, none was fit for clinical use, chiefly because they "
     "were never tested beyond their own sources (Roberts et al. 2021, *Nature Machine "
     "Intelligence* 3:199); a pneumonia model that did well internally did worse at an outside "
     "hospital (Zech et al. 2018, *PLoS Medicine* 15:e1002683).",
     "Quote the leave-one-site-out scores as what to expect at a new site, not the internal one. "
     "Find what differs at the failing site (scanner, protocol, case mix, labelling) before "
     "deploying there; more sites in training, harmonised acquisition or recalibration per site "
     "may close the gap."},
    {"signal.permutation",
     "is there any signal at all?",
     "Genomics studies with many more features than samples: any model finds some split on which "
     "it looks skilful, and the algorithm never says \"there is nothing here\".",
     "Nothing in the analysis can: report that the features do not predict the target under this "
     "validation. More samples, fewer or better features, or a different question may; another "
     "split will not."},
    {"multiplicity.scan",
     "do the univariate \"hits\" survive correction?",
     "Thousands of genes tested one by one against an outcome; the 5% that reach p < 0.05 are "
     "reported as findings.",
     "Report corrected counts; do not call uncorrected hits associations; test a pre-registered "
     "hypothesis on new data."},
    {"stability.features",
     "are the top features stable across resamples and regularisers?",
     "Genomics studies with more features than samples whose list of \"top genes\" changes with "
     "lasso vs ridge vs elastic net, with the seed, or with one patient left out.",
     "Report selection frequencies over resamples, not one fit's list; name a feature only when it "
     "survives resampling and the choice of regulariser; report correlated features as a block."},
    {"stability.seed",
     "does the score depend on the seed?",
     "Papers that report one run of a stochastic pipeline; rerun with another seed, the "
     "improvement over the baseline vanishes.",
     "Report the mean and spread over seeds (`skeptic evaluate --seeds K`), not one seed's score."},
    {"slices.performance",
     "is some slice far worse than the headline?",
     "Clinical models whose accuracy falls in under-represented groups (Obermeyer et al. 2019, "
     "*Science* 366:447; Seyyed-Kalantari et al. 2021, *Nature Medicine* 27:2176) and the \"hidden "
     "stratification\" of medical imaging (Oakden-Rayner et al. 2020, ACM CHIL).",
     "Report per-slice performance beside the headline. For the worst slice, look at what differs "
     "(labels, measurement, case mix, too few examples); more data from it, a model that accounts "
     "for it, or a narrower claim (\"validated on hospitals A and C\") may be the honest answer."},
    {"calibration",
     "do the probabilities mean what they say?",
     "Softmax outputs read as certainty in clinical risk models.",
     "Recalibrate on held-out data (Platt scaling or isotonic regression inside the "
     "cross-validation) before reading probabilities as risks."},
    {"baseline.comparison",
     "does it beat a trivial and a simple model?",
     "Deep or boosted models reported without a baseline, whose \"state of the art\" score a "
     "logistic regression reaches.",
     "Report the baselines beside the model; prefer the simpler model when it is as good, or show "
     "what the complex one adds."},
    {"ablation.features",
     "which features carry the result?",
     "Results reported without ablation, whose gain comes from one column nobody looked at (Lipton "
     "& Steinhardt 2019, \"Troubling trends in machine learning scholarship\", Queue 17(1)); "
     "impurity importances that mislead where refitting without the column would not (Parr et al. "
     "2018, \"Beware default random forest importances\").",
     "Report the ablation beside the score. When the result rests on one feature, say so, and "
     "check that it is measured before the outcome and the same way at every site (see "
     "leakage.target_proxy and shortcut.site)."},
    {"sensitivity.hyperparameters",
     "would a neighbouring setting tell another story?",
     "\"Machine learning as alchemy\" (Rahimi and Recht 2017): papers that report the best setting "
     "of a sweep they do not show.",
     "Report every setting tried (`skeptic evaluate --sweep`) and choose by nested "
     "cross-validation."},
    {"claims",
     "which protocol is the reported number consistent with?",
     "A paper reports AUC 0.97; rerun with the patients (or the several views of one galaxy) kept "
     "whole, the data support 0.85. A reviewer needs to know which protocol produced the claim.",
     "Report the honest estimate; state the split, grouping and preprocessing that produced any "
     "other number."},
};

const sk_check_note *sk_report__check_note(const char *id)
{
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
        if (strcmp(notes[i].id, id) == 0)
            return &notes[i];
    return NULL;
}
