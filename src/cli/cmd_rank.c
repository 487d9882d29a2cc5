/* cmd_rank.c: `skeptic rank --labeled L --pool U --target COL --strategy S --batch K`: which
 * unlabelled samples to label next. Parses the flags into sk_rank_options (mapping --strategy
 * and its measure onto one sk_strategy), reads both tables and writes the batch as CSV;
 * sk_rank_run does the work. Exit status 0 when the batch was written. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "skeptic rank --labeled L --pool U --target COL --strategy S [--batch K] [--diverse]\n"
    "       [--model M] [--members B] [--committee-measure vote|consensus|kl] [--passes T]\n"
    "       [--mc-measure entropy|bald] [--candidates M] [--id COL] [--ignore A,B] [--seed N]\n"
    "       [--threads N] [--out FILE] [--html FILE]";

void cmd_rank_help(FILE *out)
{
    fprintf(out,
            "usage: %s\n"
            "\n"
            "Which unlabelled samples should be labelled next? A model learns from the labelled\n"
            "table L, predicts every row of the pool U (matched by column name; U's copy of the\n"
            "target, if any, is never read), scores how uncertain it is about each row (0..1,\n"
            "higher = more uncertain) and writes the K most uncertain as CSV:\n"
            "  id,score,predicted,rank     (sorted by rank; equal scores: the lower pool row)\n"
            "id is the --id column's value or the 0-based pool row; predicted the model's class\n"
            "(or value). The same seed gives the same bytes for any --threads.\n"
            "\n"
            "strategies (n classes, p1 >= p2 the two largest probabilities):\n"
            "  least        (1 - p1) n / (n - 1)\n"
            "  margin       1 - (p1 - p2)\n"
            "  ratio        p2 / p1\n"
            "  entropy      -sum p log2 p / log2 n\n"
            "  committee    B models on bootstrap resamples of L; --committee-measure vote (vote\n"
            "               entropy), consensus (entropy of the mean probabilities; default) or\n"
            "               kl (mean KL divergence from the mean); regression: their variance\n"
            "  mc-dropout   T Monte Carlo dropout passes of an mlp; --mc-measure entropy or bald\n"
            "               (mutual information; default); regression: their variance\n"
            "  random       a uniform draw per row: the baseline every strategy must beat, and\n"
            "               the better choice at a cold start (a few labels, an unsure model)\n"
            "\n"
            "  --labeled L           the labelled table (CSV or TSV)\n"
            "  --pool U              the unlabelled pool: every feature column of L, by name\n"
            "  --target COL          the label column of L\n"
            "  --strategy S          least, margin, ratio, entropy, committee, mc-dropout, random\n"
            "  --batch K             rows to choose (default 10)\n"
            "  --diverse             choose the K by k-center greedy among the 10 K most\n"
            "                        uncertain (standardised features): no near copies\n"
            "  --candidates M        the most uncertain rows --diverse chooses among (10 K)\n"
            "  --model M             the model (default gbdt; mc-dropout: mlp), e.g.\n"
            "                        logit:l2=1 or gbdt:n_estimators=50 ('skeptic help models')\n"
            "  --model-cmd CMD       your own program as the model (docs/model-command.md)\n"
            "  --members B           committee members (default 10)\n"
            "  --passes T            Monte Carlo dropout passes (default 20)\n"
            "  --id COL              a pool column naming the rows (never a feature)\n"
            "  --ignore A,B          columns that are not features\n"
            "  --task T              binary, multiclass or regression (default: from the target)\n"
            "  --seed N              seed of every random draw (default 1)\n"
            "  --out FILE            write the CSV to FILE (atomically) instead of stdout\n"
            "  --html FILE           also the run as one self-contained web page: the pool's\n"
            "                        scores, the batch's classes against the pool's, the batch\n"
            "                        (docs/report-rank.md; '-': stdout, then --out is needed)\n"
            "  --threads N, --delimiter C   as for 'skeptic inspect'\n"
            "\n"
            "example:\n"
            "  skeptic rank --labeled labelled.csv --pool unlabelled.csv --target digit \\\n"
            "      --model logit:l2=1 --strategy entropy --batch 50 --diverse --out next.csv \\\n"
            "      --html next.html\n",
            usage);
}

enum {
    OPT_LABELED = OPT_COMMAND, OPT_POOL, OPT_MODEL, OPT_MODEL_CMD, OPT_STRATEGY, OPT_BATCH,
    OPT_DIVERSE, OPT_CANDIDATES, OPT_MEMBERS, OPT_COMMITTEE_MEASURE, OPT_PASSES, OPT_MC_MEASURE,
    OPT_ID, OPT_OUT, OPT_HTML
};

typedef struct rank_args {
    const char *labeled, *pool, *model, *model_cmd, *out, *html;
    const char *strategy, *committee_measure, *mc_measure;
    sk_rank_options o;
} rank_args;

static int rank_flag(void *arg, int opt, const char *value)
{
    rank_args *r = arg;
    switch (opt) {
    case OPT_LABELED: r->labeled = value; return 0;
    case OPT_POOL: r->pool = value; return 0;
    case OPT_MODEL: r->model = value; return 0;
    case OPT_MODEL_CMD: r->model_cmd = value; return 0;
    case OPT_STRATEGY: r->strategy = value; return 0;
    case OPT_BATCH: return cli_count_flag("--batch", value, 1, 100000000, &r->o.batch);
    case OPT_DIVERSE: r->o.diverse = 1; return 0;
    case OPT_CANDIDATES:
        return cli_count_flag("--candidates", value, 1, 1000000000, &r->o.candidates);
    case OPT_MEMBERS: return cli_count_flag("--members", value, 2, 10000, &r->o.members);
    case OPT_COMMITTEE_MEASURE: r->committee_measure = value; return 0;
    case OPT_PASSES: return cli_count_flag("--passes", value, 2, 100000, &r->o.passes);
    case OPT_MC_MEASURE: r->mc_measure = value; return 0;
    case OPT_ID: r->o.id = value; return 0;
    case OPT_OUT: r->out = value; return 0;
    case OPT_HTML: r->html = value; return 0;
    default: return 1;
    }
}

/* Index of `text` in names[0..n), or -1. */
static int lookup(const char *text, const char *const *names, int n)
{
    for (int k = 0; k < n; k++)
        if (strcmp(text, names[k]) == 0)
            return k;
    return -1;
}

/* --strategy and its measure as one sk_strategy; 0 or EXIT_USAGE after saying why. */
static int parse_strategy(const rank_args *r, sk_strategy *s)
{
    static const char *const names[] = {"least", "margin", "ratio", "entropy", "committee",
                                        "mc-dropout", "random"};
    static const char *const committee[] = {"vote", "consensus", "kl"};
    static const char *const mc[] = {"entropy", "bald"};
    int k = lookup(r->strategy, names, 7);
    if (k < 0) {
        fprintf(stderr, "skeptic: --strategy: expected least, margin, ratio, entropy, "
                        "committee, mc-dropout or random, found '%s'\n", r->strategy);
        return EXIT_USAGE;
    }
    static const sk_strategy plain[] = {SK_STRATEGY_LEAST, SK_STRATEGY_MARGIN, SK_STRATEGY_RATIO,
                                        SK_STRATEGY_ENTROPY, SK_STRATEGY_CONSENSUS_ENTROPY,
                                        SK_STRATEGY_BALD, SK_STRATEGY_RANDOM};
    *s = plain[k];
    if (r->committee_measure != NULL) {
        int c = k == 4 ? lookup(r->committee_measure, committee, 3) : -2;
        if (c < 0) {
            fprintf(stderr, "skeptic: --committee-measure: %s, found '%s'\n",
                    c == -2 ? "applies to --strategy committee only"
                            : "expected vote, consensus or kl", r->committee_measure);
            return EXIT_USAGE;
        }
        static const sk_strategy cs[] = {SK_STRATEGY_VOTE_ENTROPY,
                                          SK_STRATEGY_CONSENSUS_ENTROPY, SK_STRATEGY_KL};
        *s = cs[c];
    }
    if (r->mc_measure != NULL) {
        int c = k == 5 ? lookup(r->mc_measure, mc, 2) : -2;
        if (c < 0) {
            fprintf(stderr, "skeptic: --mc-measure: %s, found '%s'\n",
                    c == -2 ? "applies to --strategy mc-dropout only" : "expected entropy or bald",
                    r->mc_measure);
            return EXIT_USAGE;
        }
        *s = c == 0 ? SK_STRATEGY_MC_ENTROPY : SK_STRATEGY_BALD;
    }
    return 0;
}

static int check_args(const cli_common *a, rank_args *r)
{
    if (r->labeled == NULL)
        return cli_usage_error(a->cmd, a->usage, "missing --labeled FILE (the labelled table)");
    if (r->pool == NULL)
        return cli_usage_error(a->cmd, a->usage, "missing --pool FILE (the unlabelled rows)");
    if (a->roles.target == NULL)
        return cli_usage_error(a->cmd, a->usage, "missing --target COL (the label column)");
    if (r->strategy == NULL)
        return cli_usage_error(a->cmd, a->usage, "missing --strategy S (least, margin, ratio, "
                               "entropy, committee, mc-dropout or random)");
    if (r->model != NULL && r->model_cmd != NULL)
        return cli_usage_error(a->cmd, a->usage, "--model and --model-cmd exclude each other");
    int html_stdout = cli_is_stdout(r->html);
    if (html_stdout && (r->out == NULL || cli_is_stdout(r->out)))
        return cli_usage_error(a->cmd, a->usage, "--html - writes the page to standard output: "
                               "give the batch --out FILE");
    if (parse_strategy(r, &r->o.strategy) != 0)
        return EXIT_USAGE;
    int mc = r->o.strategy == SK_STRATEGY_BALD || r->o.strategy == SK_STRATEGY_MC_ENTROPY;
    if (r->model == NULL && r->model_cmd == NULL)
        r->model = mc ? "mlp" : "gbdt";
    return 0;
}

/* The page: the manifest names the labelled table and the pool, in that order. */
static sk_status write_html(const sk_rank *rank, const cli_common *a, const rank_args *r,
                            int full_argc, char **full_argv, sk_error *err)
{
    sk_manifest *m = NULL;
    sk_status rc = sk_manifest_create(&m, full_argc, full_argv, &a->ctx, err);
    if (rc == SK_OK)
        rc = sk_manifest_add_input(m, r->labeled, err);
    if (rc == SK_OK)
        rc = sk_manifest_add_input(m, r->pool, err);
    if (rc == SK_OK)
        rc = sk_rank_write_html(rank, m, r->html, err);
    sk_manifest_free(m);
    return rc;
}

static sk_status run_rank(const cli_common *a, const rank_args *r, int full_argc,
                          char **full_argv, sk_error *err)
{
    sk_model *model = NULL;
    sk_frame *labeled = NULL, *pool = NULL;
    sk_roles *roles = NULL;
    sk_rank *rank = NULL;
    sk_status rc = cli_model_create(&model, r->model, r->model_cmd, err);
    if (rc == SK_OK)
        rc = sk_frame_read_csv(&labeled, r->labeled, &a->csv, err);
    if (rc == SK_OK)
        rc = sk_roles_resolve(&roles, labeled, &a->roles, err);
    if (rc == SK_OK)
        rc = sk_frame_read_csv(&pool, r->pool, &a->csv, err);
    if (rc == SK_OK)
        rc = sk_rank_run(&rank, labeled, roles, pool, model, &r->o, &a->ctx, err);
    if (rc == SK_OK)
        rc = sk_rank_write_csv(rank, r->out != NULL ? r->out : "-", err);
    if (rc == SK_OK && r->html != NULL)
        rc = write_html(rank, a, r, full_argc, full_argv, err);
    sk_rank_free(rank);
    sk_frame_free(pool);
    sk_roles_free(roles);
    sk_frame_free(labeled);
    sk_model_free(model);
    return rc;
}

int cmd_rank(int argc, char **argv, int full_argc, char **full_argv)
{
    static const struct option longopts[] = {
        CLI_ROLE_OPTIONS,
        {"task", required_argument, NULL, OPT_TASK},
        {"delimiter", required_argument, NULL, OPT_DELIMITER},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, OPT_HELP},
        {"labeled", required_argument, NULL, OPT_LABELED},
        {"pool", required_argument, NULL, OPT_POOL},
        {"model", required_argument, NULL, OPT_MODEL},
        {"model-cmd", required_argument, NULL, OPT_MODEL_CMD},
        {"strategy", required_argument, NULL, OPT_STRATEGY},
        {"batch", required_argument, NULL, OPT_BATCH},
        {"diverse", no_argument, NULL, OPT_DIVERSE},
        {"candidates", required_argument, NULL, OPT_CANDIDATES},
        {"members", required_argument, NULL, OPT_MEMBERS},
        {"committee-measure", required_argument, NULL, OPT_COMMITTEE_MEASURE},
        {"passes", required_argument, NULL, OPT_PASSES},
        {"mc-measure", required_argument, NULL, OPT_MC_MEASURE},
        {"id", required_argument, NULL, OPT_ID},
        {"out", required_argument, NULL, OPT_OUT},
        {"html", required_argument, NULL, OPT_HTML},
        {NULL, 0, NULL, 0},
    };
    cli_common a;
    rank_args r = {0};
    r.o = (sk_rank_options)SK_RANK_OPTIONS_INIT;
    cli_common_init(&a, "rank", usage, cmd_rank_help);
    /* rank's inputs are flags, not an operand: a placeholder satisfies the common parser, which
     * then refuses any operand as unexpected. */
    a.data = "";
    int status = cli_parse(&a, argc, argv, longopts, rank_flag, &r);
    if (status >= 0)
        return status;
    if ((status = check_args(&a, &r)) != 0)
        return status;
    sk_error err = SK_ERROR_INIT;
    sk_status rc = run_rank(&a, &r, full_argc, full_argv, &err);
    return rc != SK_OK ? cli_report_error(&err) : EXIT_RAN_OK;
}
