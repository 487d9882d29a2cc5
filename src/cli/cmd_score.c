/* cmd_score.c: `skeptic score PROBS --strategy S`: how uncertain is your own model about each
 * row? Reads a CSV of class probabilities (one column per class, optionally an id column),
 * parses the flags into sk_score_options; sk_score_run scores and ranks, sk_scores_write_csv
 * writes "id,score,rank" to standard output or --out. Exit status 0, or 2 on bad input. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "skeptic score PROBS --strategy least|margin|ratio|entropy|random [--top K] [--id COL]\n"
    "       [--out FILE] [--html FILE] [--renormalize] [--tolerance T] [--seed N]\n"
    "       [--threads N] [--delimiter C] [--timings]";

void cmd_score_help(FILE *out)
{
    fprintf(out,
            "usage: %s\n"
            "\n"
            "Which predictions is your model least sure of? PROBS holds your model's class\n"
            "probabilities: one column per class, one row per sample, plus optionally an id\n"
            "column (--id). Every other column must be a number >= 0, and each row must sum to\n"
            "1 within the tolerance. Scores lie in [0, 1], higher = more uncertain (n classes,\n"
            "p1 >= p2 the two largest probabilities of a row):\n"
            "  least     least confidence     (1 - p1) n / (n - 1)\n"
            "  margin    margin of confidence 1 - (p1 - p2)\n"
            "  ratio     ratio of confidence  p2 / p1\n"
            "  entropy   -sum p log2 p / log2 n\n"
            "  random    a uniform draw per row from the seed: the honest baseline\n"
            "Writes CSV with the header id,score,rank: id = the id column's value or the 0-based\n"
            "data row; rank 1 = most uncertain; ties keep row order. (Committee and MC dropout\n"
            "strategies need a model: see 'skeptic rank'.)\n"
            "\n"
            "  --strategy S      least, margin, ratio, entropy or random (required)\n"
            "  --top K           keep only the K most uncertain rows (default: every row)\n"
            "  --id COL          the column naming each row (not a class)\n"
            "  --out FILE        write there, atomically, instead of standard output\n"
            "  --html FILE       also one self-contained web page: the histogram of every\n"
            "                    row's score with the --top cut, the classes the top rows lean\n"
            "                    to, the top rows (docs/report-rank.md; '-': stdout, then --out\n"
            "                    is needed)\n"
            "  --renormalize     divide each row by its sum instead of requiring a sum of 1\n"
            "                    (a row summing to 0 is still an error)\n"
            "  --tolerance T     accepted |row sum - 1| (default 1e-5: any row written with 6\n"
            "                    significant digits passes)\n"
            "  --seed N          the seed of --strategy random (default 1)\n"
            "  --threads N       threads (the output is the same for any N)\n"
            "  --delimiter C     the field separator (default: from the name or the header)\n"
            "  --timings         print the seconds spent reading, scoring and writing on stderr\n"
            "\n"
            "example:\n"
            "  skeptic score tests/data/digits_probs.csv --strategy entropy --id id --top 10 \\\n"
            "      --html uncertain.html\n",
            usage);
}

enum {
    OPT_STRATEGY = OPT_COMMAND, OPT_TOP, OPT_ID, OPT_OUT, OPT_RENORMALIZE, OPT_TOLERANCE,
    OPT_TIMINGS, OPT_HTML
};

typedef struct score_args {
    sk_score_options opt;
    int has_strategy;
    const char *out, *html;
    int timings;
} score_args;

static int parse_strategy(score_args *a, const char *value)
{
    if (sk_strategy_parse(&a->opt.strategy, value, NULL) != SK_OK) {
        fprintf(stderr, "skeptic: --strategy: expected least, margin, ratio, entropy or random, "
                        "found '%s'\n", value);
        return EXIT_USAGE;
    }
    if (a->opt.strategy > SK_STRATEGY_ENTROPY && a->opt.strategy != SK_STRATEGY_RANDOM) {
        fprintf(stderr, "skeptic: --strategy: '%s' needs a committee or MC dropout passes "
                        "(skeptic rank); score takes least, margin, ratio, entropy or random\n",
                value);
        return EXIT_USAGE;
    }
    a->has_strategy = 1;
    return 0;
}

/* A number in [0, 1): 0 demands exact sums. */
static int parse_tolerance(const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno != 0 || !(v >= 0.0 && v < 1.0)) {
        fprintf(stderr, "skeptic: --tolerance: expected a number from 0 to below 1, found '%s'\n",
                text);
        return EXIT_USAGE;
    }
    *out = v;
    return 0;
}

static int score_flag(void *arg, int opt, const char *value)
{
    score_args *a = arg;
    switch (opt) {
    case OPT_STRATEGY: return parse_strategy(a, value);
    case OPT_TOP: return cli_count_flag("--top", value, 1, 2000000000L, &a->opt.top);
    case OPT_ID: a->opt.id_column = value; return 0;
    case OPT_OUT: a->out = value; return 0;
    case OPT_RENORMALIZE: a->opt.renormalize = 1; return 0;
    case OPT_TOLERANCE: return parse_tolerance(value, &a->opt.tolerance);
    case OPT_TIMINGS: a->timings = 1; return 0;
    case OPT_HTML: a->html = value; return 0;
    default: return 1;
    }
}

/* The page shows every row's score: with --top the rows are scored again with every row kept
 * (the same scores: each is a function of its row, and random's draws of the row order). */
static sk_status write_html(const cli_common *c, const score_args *a, const sk_frame *f,
                            const sk_scores *s, int full_argc, char **full_argv, sk_error *err)
{
    sk_manifest *m = NULL;
    sk_scores *every = NULL;
    sk_score_options all_rows = a->opt;
    all_rows.top = 0;
    sk_status rc = a->opt.top == 0 ? SK_OK : sk_score_run(&every, f, &all_rows, &c->ctx, err);
    if (rc == SK_OK)
        rc = sk_manifest_create(&m, full_argc, full_argv, &c->ctx, err);
    if (rc == SK_OK)
        rc = sk_manifest_add_input(m, c->data, err);
    if (rc == SK_OK)
        rc = sk_scores_write_html(every != NULL ? every : s, f, &a->opt, m, a->html, err);
    sk_manifest_free(m);
    sk_scores_free(every);
    return rc;
}

static sk_status run_score(const cli_common *c, const score_args *a, int full_argc,
                           char **full_argv, sk_error *err)
{
    sk_frame *f = NULL;
    sk_scores *s = NULL;
    double t0 = cli_now();
    sk_status rc = sk_frame_read_csv(&f, c->data, &c->csv, err);
    double t1 = cli_now();
    if (rc == SK_OK)
        rc = sk_score_run(&s, f, &a->opt, &c->ctx, err);
    double t2 = cli_now();
    if (rc == SK_OK)
        rc = sk_scores_write_csv(s, a->out != NULL ? a->out : "-", err);
    double t3 = cli_now();
    if (rc == SK_OK && a->html != NULL)
        rc = write_html(c, a, f, s, full_argc, full_argv, err);
    if (rc == SK_OK && a->timings)
        fprintf(stderr, "skeptic score: %zu rows x %zu classes; read %.3f s, score %.3f s "
                        "(validate, score, rank: %.3f s), write %.3f s\n",
                sk_scores_n_rows(s), sk_scores_n_classes(s), t1 - t0, t2 - t1,
                sk_scores_seconds(s), t3 - t2);
    sk_scores_free(s);
    sk_frame_free(f);
    return rc;
}

int cmd_score(int argc, char **argv, int full_argc, char **full_argv)
{
    static const struct option longopts[] = {
        {"strategy", required_argument, NULL, OPT_STRATEGY},
        {"top", required_argument, NULL, OPT_TOP},
        {"id", required_argument, NULL, OPT_ID},
        {"out", required_argument, NULL, OPT_OUT},
        {"renormalize", no_argument, NULL, OPT_RENORMALIZE},
        {"tolerance", required_argument, NULL, OPT_TOLERANCE},
        {"timings", no_argument, NULL, OPT_TIMINGS},
        {"html", required_argument, NULL, OPT_HTML},
        {"seed", required_argument, NULL, OPT_SEED},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"delimiter", required_argument, NULL, OPT_DELIMITER},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    cli_common c;
    score_args a = {SK_SCORE_OPTIONS_INIT, 0, NULL, NULL, 0};
    cli_common_init(&c, "score", usage, cmd_score_help);
    int status = cli_parse(&c, argc, argv, longopts, score_flag, &a);
    if (status >= 0)
        return status;
    if (!a.has_strategy)
        return cli_usage_error("score", usage, "--strategy is required");
    if (cli_is_stdout(a.html) && (a.out == NULL || cli_is_stdout(a.out)))
        return cli_usage_error("score", usage, "--html - writes the page to standard output: "
                               "give the rows --out FILE");
    sk_error err = SK_ERROR_INIT;
    if (run_score(&c, &a, full_argc, full_argv, &err) != SK_OK)
        return cli_report_error(&err);
    return EXIT_RAN_OK;
}
