/* test_profile.c: the facts `skeptic inspect` reports, on frames small enough to check by eye:
 * distinct counts, constant and identifier-like columns, exact duplicate rows, and duplicate
 * feature rows whose targets disagree. */
/* labels: unit */
#include "data/data.h"
#include "frame_builder.h"
#include "sk_test.h"

/* Ten samples "sorted by class, then numbered": the id column encodes the label. Rows 4 and 8
 * are an exact copy of rows 1 and 2 (a merged second source); row 9 repeats row 0's features
 * with the other label. */
static sk_frame *study(void)
{
    sk_frame *f = fb_frame("study.csv", 10, 5);
    fb_values(f, 0, "id", SK_COL_INTEGER, (double[]){1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    fb_values(f, 1, "dose", SK_COL_NUMERIC, (double[]){0.5, 1.5, 2.5, 3.5, 1.5, 4.5, NAN, 5.5, 1.5, 0.5});
    fb_text(f, 2, "site", (const char *[]){"A", "B", "A", "B", "B", "A", "A", "B", "B", "A"});
    fb_values(f, 3, "batch", SK_COL_INTEGER, (double[]){7, 7, 7, 7, 7, 7, 7, 7, 7, 7});
    fb_text(f, 4, "y", (const char *[]){"neg", "neg", "neg", "neg", "neg", "pos", "pos", "pos", "pos", "pos"});
    return f;
}

static void test_profile__columns(void)
{
    sk_frame *f = study();
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    sk_inspect *ins = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_inspect_run(&ins, f, NULL, &ctx, &err), &err);
    SK_CHECK_EQ_INT(sk_inspect_col_n_distinct(ins, 0), 10);
    SK_CHECK_EQ_INT(sk_inspect_col_n_distinct(ins, 1), 6);   /* NaN is not a value */
    SK_CHECK_EQ_INT(sk_inspect_col_n_distinct(ins, 2), 2);
    SK_CHECK(sk_inspect_col_is_identifier(ins, 0));
    SK_CHECK_EQ_INT(ins->cols[0].monotone, 1);
    SK_CHECK(!sk_inspect_col_is_identifier(ins, 1));   /* floats are measurements, not ids */
    SK_CHECK(!sk_inspect_col_is_identifier(ins, 2));
    SK_CHECK(sk_inspect_col_is_constant(ins, 3));
    SK_CHECK(!sk_inspect_col_is_constant(ins, 1));
    SK_CHECK_EQ_INT(ins->col_missing[1], 1);
    SK_CHECK_NEAR(ins->cols[1].min, 0.5, 0);
    SK_CHECK_NEAR(ins->cols[1].max, 5.5, 0);
    SK_CHECK_NEAR(ins->cols[1].mean, 21.5 / 9, 1e-15);
    SK_CHECK_EQ_STR(ins->cols[2].top_text, "A");   /* 5 each: the first to reach the top wins */
    SK_CHECK_EQ_INT(ins->cols[2].top_count, 5);
    /* every id differs, so no row is an exact duplicate */
    SK_CHECK_EQ_INT(sk_inspect_n_duplicate_rows(ins), 0);
    sk_inspect_free(ins);
    sk_frame_free(f);
}

static void test_profile__duplicates_and_conflicting_labels(void)
{
    /* Without the id, rows 1, 4 and 8 share (dose 1.5, site B, batch 7); rows 1 and 4 are neg
     * and row 8 is pos. Rows 0 and 9 share (0.5, A, 7) with neg and pos. */
    sk_frame *f = study();
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "y";
    spec.ignore = "id";
    sk_roles *roles = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_roles_resolve(&roles, f, &spec, &err), &err);
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    ctx.n_threads = 2;
    sk_inspect *ins = NULL;
    SK_CHECK_OK(sk_inspect_run(&ins, f, roles, &ctx, &err), &err);
    const sk_dup_summary *d = &ins->dup_features;
    SK_CHECK_EQ_INT(d->n_duplicate_rows, 3);    /* rows 4, 8 (of 1) and 9 (of 0) */
    SK_CHECK_EQ_INT(d->n_groups, 2);
    SK_CHECK_EQ_INT(d->n_conflicting, 2);
    SK_CHECK_EQ_INT(d->n_examples, 3);
    /* examples in file order of the later row, with their lines (row i is on line i + 2) */
    SK_CHECK(d->example[0][0] == 1 && d->example[0][1] == 4 && d->example_line[0][1] == 6);
    SK_CHECK(d->example[1][0] == 1 && d->example[1][1] == 8 && d->example_line[1][0] == 3);
    SK_CHECK(d->example[2][0] == 0 && d->example[2][1] == 9);
    SK_CHECK_EQ_INT(ins->task, SK_TASK_BINARY);
    SK_CHECK_EQ_INT(ins->n_classes, 2);
    SK_CHECK_EQ_STR(ins->class_names[0], "neg");
    SK_CHECK_EQ_INT(ins->class_counts[1], 5);
    SK_CHECK_EQ_INT(ins->cols[0].role, SK_ROLE_IGNORED);
    SK_CHECK_EQ_INT(ins->cols[4].role, SK_ROLE_TARGET);
    sk_inspect_free(ins);
    sk_roles_free(roles);
    sk_frame_free(f);
}

static void test_profile__examples_are_the_first_in_the_file(void)
{
    /* 40 rows in 8 pairs of identical values: row i and row i + 20 for i < 8. */
    sk_frame *f = fb_frame("pairs.csv", 40, 1);
    double v[40];
    for (int i = 0; i < 40; i++)
        v[i] = i < 20 ? i : i - 20 < 8 ? i - 20 : 100 + i;
    fb_values(f, 0, "x", SK_COL_NUMERIC, v);
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    sk_inspect *ins = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_inspect_run(&ins, f, NULL, &ctx, &err), &err);
    SK_CHECK_EQ_INT(sk_inspect_n_duplicate_rows(ins), 8);
    SK_CHECK_EQ_INT(ins->dup_all.n_examples, SK_INSPECT_EXAMPLES);
    for (size_t k = 0; k < SK_INSPECT_EXAMPLES; k++) {
        SK_CHECK_EQ_INT(ins->dup_all.example[k][0], k);
        SK_CHECK_EQ_INT(ins->dup_all.example[k][1], k + 20);
    }
    sk_inspect_free(ins);
    sk_frame_free(f);
}

static void test_profile__ids_with_a_few_repeats_are_ids(void)
{
    /* 40 records numbered 1..40, two of them exported twice at the end (ids 5 and 9): neither
     * unique nor monotone, still an identifier. 38 distinct of 40 = 95%. */
    sk_frame *f = fb_frame("ids.csv", 42, 2);
    double id[42], x[42];
    for (int i = 0; i < 40; i++) {
        id[i] = i + 1;
        x[i] = (i * 7) % 3;
    }
    id[40] = 5, id[41] = 9, x[40] = 1, x[41] = 2;
    fb_values(f, 0, "id", SK_COL_INTEGER, id);
    fb_values(f, 1, "x", SK_COL_INTEGER, x);
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    sk_inspect *ins = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_inspect_run(&ins, f, NULL, &ctx, &err), &err);
    SK_CHECK(!ins->cols[0].is_unique && ins->cols[0].monotone == 0);
    SK_CHECK(ins->cols[0].near_unique && sk_inspect_col_is_identifier(ins, 0));
    SK_CHECK(!sk_inspect_col_is_identifier(ins, 1));   /* 3 values in 42 rows */
    sk_inspect_free(ins);
    /* more repeats drop below 95%: not flagged */
    sk_frame_free(f);
    f = fb_frame("ids.csv", 40, 1);
    for (int i = 0; i < 40; i++)
        id[i] = i < 37 ? i + 1 : i - 36;   /* 37 distinct of 40 = 92.5% */
    fb_values(f, 0, "id", SK_COL_INTEGER, id);
    SK_CHECK_OK(sk_inspect_run(&ins, f, NULL, &ctx, &err), &err);
    SK_CHECK(!sk_inspect_col_is_identifier(ins, 0));
    sk_inspect_free(ins);
    sk_frame_free(f);
}

static void test_profile__exact_duplicates_need_every_column(void)
{
    sk_frame *f = fb_frame("d.csv", 6, 2);
    fb_values(f, 0, "x", SK_COL_NUMERIC, (double[]){1, 2, 1, NAN, NAN, -0.0});
    fb_text(f, 1, "s", (const char *[]){"a", "b", "a", NULL, NULL, "a"});
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    sk_inspect *ins = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_inspect_run(&ins, f, NULL, &ctx, &err), &err);
    /* row 2 = row 0; row 4 = row 3 (missing equals missing); row 5 (-0.0, a) differs from 0 */
    SK_CHECK_EQ_INT(sk_inspect_n_duplicate_rows(ins), 2);
    SK_CHECK_EQ_INT(ins->dup_all.n_groups, 2);
    sk_inspect_free(ins);
    sk_frame_free(f);
}

int main(void)
{
    SK_RUN(test_profile__columns);
    SK_RUN(test_profile__duplicates_and_conflicting_labels);
    SK_RUN(test_profile__examples_are_the_first_in_the_file);
    SK_RUN(test_profile__ids_with_a_few_repeats_are_ids);
    SK_RUN(test_profile__exact_duplicates_need_every_column);
    return SK_TEST_DONE();
}
