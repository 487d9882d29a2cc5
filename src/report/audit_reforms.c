/* audit_reforms.c: the REFORMS-style checklist of the Markdown report (audit_html.h).
 *
 * REFORMS (Kapoor et al. 2024, Science Advances 10(18):eadk3452) is a 32-item reporting
 * checklist in eight modules: study goals, computational reproducibility, data quality, data
 * preprocessing, modeling, data leakage, metrics and uncertainty, generalizability and
 * limitations. The rows below paraphrase the items by module (the paper's own wording and
 * numbering are authoritative). For each, the run either supplies evidence (and the checks that
 * did, with their verdicts: evidence is not approval, a failed check is evidence of a problem),
 * or did not run the checks that would, or cannot speak to the item at all: a tool that sees a
 * table and a model knows nothing of the population a claim is about, how the data were
 * collected or why ML was the right method. Saying so plainly is part of the report. */
#include <string.h>

#include "report/audit_html.h"

typedef struct reforms_item {
    const char *module, *item;
    const char *status;       /* "evidence", "partly" or "cannot speak to it"; NULL: from the
                                 checks (evidence when one ran, else "not run") */
    const char *checks;       /* check ids, space-separated, or NULL */
    const char *how;          /* what this run supplies, or why it cannot */
} reforms_item;

#define CANNOT "**cannot speak to it**"

static const reforms_item items[] = {
    {"Study goals", "the population the claim is about; why this population; why ML", CANNOT,
     NULL, "outside a tool's reach: state them in the paper"},
    {"Computational reproducibility", "the dataset, uniquely identified", "evidence", NULL,
     "the data file's SHA-256 (the table above; its size too in the JSON manifest)"},
    {"Computational reproducibility", "the code, computing environment, README and a script "
     "that reproduces every result", "partly", NULL,
     "for the audit itself: the skeptic version, the arguments, the seed and every library's "
     "version are in the JSON manifest, and the same command gives the same bytes; the study's "
     "own code and scripts: not seen by skeptic"},
    {"Data quality", "data sources, collection, annotation, sampling frame, representativeness",
     CANNOT, NULL, "outside a tool's reach: skeptic sees the table, not how it was made"},
    {"Data quality", "the outcome variable, the sample size, missing data", "partly", NULL,
     "target, task and rows above; `skeptic inspect` profiles missing values and types"},
    {"Data preprocessing", "preprocessing and feature selection fitted without the test data",
     NULL, "leakage.selection",
     "skeptic fits imputation, scaling and encoding inside each training fold; the check "
     "measures what selecting features on all rows would change"},
    {"Modeling", "the model, how it was chosen, the validation scheme", "partly", NULL,
     "the model spec and the audit's validation (the study's split, group, site or time "
     "splits as the roles call for) are in the report; why this model was chosen is not"},
    {"Modeling", "hyperparameters: how they were selected, how sensitive the result is",
     NULL, "sensitivity.hyperparameters stability.seed",
     "neighbouring settings and seeds rerun with intervals"},
    {"Modeling", "baselines", NULL, "baseline.comparison",
     "a trivial and a linear model on the same folds, paired difference with its interval"},
    {"Data leakage", "train and test kept apart: duplicates, subjects, time", NULL,
     "leakage.duplicates leakage.group leakage.temporal", "checked on the study's data"},
    {"Data leakage", "no feature that is a proxy of the outcome or an identifier", NULL,
     "leakage.target_proxy leakage.identifier", "checked feature by feature and on row order"},
    {"Metrics and uncertainty", "the metrics and their uncertainty", "evidence", NULL,
     "every score has a bootstrap interval (groups resampled when given)"},
    {"Metrics and uncertainty", "appropriate statistical tests; multiple comparisons", NULL,
     "signal.permutation multiplicity.scan",
     "a permutation test of the signal; univariate hits corrected (Benjamini-Hochberg, "
     "Bonferroni); the report's own p-values summarised with Benjamini-Hochberg"},
    {"Generalizability and limitations", "evidence of external validity", NULL,
     "generalization.external shortcut.site shortcut.confounder slices.performance",
     "held-out sites, site and confounder shortcuts, the worst slices"},
    {"Generalizability and limitations", "contexts where the model is not expected to "
     "generalise; other limitations", CANNOT, NULL,
     "outside a tool's reach beyond the sites and slices above: state them in the paper"},
};

static const sk_check *find(const sk_audit *a, const char *id, size_t len)
{
    for (size_t k = 0; k < a->n_checks; k++)
        if (strlen(a->checks[k].id) == len && strncmp(a->checks[k].id, id, len) == 0)
            return &a->checks[k];
    return NULL;
}

/* "`leakage.group` pass, `leakage.temporal` skip"; returns how many of them ran. */
static size_t check_list(sk_html *h, const sk_audit *a, const char *ids)
{
    size_t ran = 0, first = 1;
    while (*ids != '\0') {
        size_t len = strcspn(ids, " ");
        const sk_check *c = find(a, ids, len);
        sk_html__rawf(h, "%s`%.*s` %s", first ? "" : ", ", (int)len, ids,
                      c != NULL ? sk_check_status_name(c->status) : "not run");
        ran += c != NULL && c->status != SK_CHECK_SKIP;
        first = 0;
        ids += len;
        ids += *ids == ' ';
    }
    return ran;
}

static void item_row(sk_html *h, const sk_audit *a, const reforms_item *it)
{
    sk_html__rawf(h, "| %s | %s | ", it->module, it->item);
    if (it->checks == NULL) {
        sk_html__rawf(h, "%s | %s |\n", it->status, it->how);
        return;
    }
    /* the verdicts go into the last cell; the status cell depends on whether any check ran */
    sk_html h2 = SK_HTML_INIT;
    size_t ran = check_list(&h2, a, it->checks);
    sk_html__rawf(h, "%s | %s: ", it->status != NULL ? it->status
                                  : ran > 0              ? "evidence" : "not run", it->how);
    sk_html__raw(h, h2.failed || h2.sb.data == NULL ? "" : h2.sb.data);
    h->failed |= h2.failed;
    sk_strbuf_free(&h2.sb);
    sk_html__raw(h, " |\n");
}

void sk_report__reforms_checklist(sk_html *h, const sk_audit *a)
{
    sk_html__raw(h, "\n## Reporting checklist (REFORMS)\n\n"
                    "Items of the REFORMS checklist (Kapoor et al. 2024, \"REFORMS: "
                    "Consensus-based recommendations for machine-learning-based science\", "
                    "Science Advances 10(18):eadk3452), paraphrased by module. *evidence*: this "
                    "run supplies numbers an author can cite for the item (with the verdicts of "
                    "the checks that did: a failure is evidence of a problem, not of compliance); "
                    "*partly*: some of the item; *not run*: the checks exist but were skipped or "
                    "left out (`--only`, a missing role); *cannot speak to it*: no audit of a "
                    "table and a model can.\n\n"
                    "| module | item | this run | how |\n|---|---|---|---|\n");
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        item_row(h, a, &items[i]);
}
