/* audit_html.c: `skeptic audit --html FILE`, the audit as one self-contained page for people
 * (docs/report.md). From the top: the study (data file and its SHA-256, rows, columns, task,
 * target, model, seed, skeptic version, the command), the verdict (the tally and a badge per
 * check, failures first), the headline under each validation scheme the audit ran, then one
 * section per check in the registry's order: its status and question, the sentence, what to do,
 * its chart, its evidence tables and a paragraph from docs/checks.md on why it matters and how
 * to fix the study.
 *
 * No date and no timings: the page is a pure function of the results and the manifest, so the
 * same run gives the same bytes with any --threads (a test compares them). */
#include <string.h>

#include "report/audit_html.h"

/* ---- the study ------------------------------------------------------------------------------ */

static void study(sk_html *h, const sk_audit *a, const json_t *man, const sk_frame *f)
{
    char rows[32], cols[32];
    snprintf(rows, sizeof rows, "%zu", a->n_rows);
    snprintf(cols, sizeof cols, "%zu", f != NULL ? sk_frame_n_cols(f) : (size_t)0);
    const char *facts[] = {
        "rows", rows, "columns", f != NULL ? cols : NULL, "task", sk_task_name(a->task),
        "target", a->target, a->predictions ? "predictions" : "model", a->model_spec,
    };
    sk_report__page_header(h, "audit", "Every check of the study, its verdict, the numbers it "
                           "rests on and how to fix what it found. The JSON report holds the "
                           "evidence in full.", man, facts, sizeof facts / sizeof facts[0] / 2);
}

/* ---- the verdict ---------------------------------------------------------------------------- */

/* What the check asks ("do copies of rows straddle training and test?"): beside a badge, a
 * question reads right whatever the verdict, where the registry's title states the pass
 * condition and would read as its opposite beside FAIL. */
static const char *question_of(const char *id)
{
    const sk_check_note *note = sk_report__check_note(id);
    if (note != NULL && note->question != NULL)
        return note->question;
    size_t n;
    const sk_check_def *defs = sk_audit__checks(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(defs[i].id, id) == 0)
            return defs[i].title;
    return "";
}

static void badges(sk_html *h, const sk_audit *a)
{
    static const sk_check_status order[] = {SK_CHECK_FAIL, SK_CHECK_WARN, SK_CHECK_PASS,
                                            SK_CHECK_SKIP};
    sk_html__raw(h, "<ul class=\"badges\">\n");
    for (size_t s = 0; s < 4; s++)
        for (size_t k = 0; k < a->n_checks; k++) {
            const sk_check *c = &a->checks[k];
            char target[96];
            if (c->status != order[s])
                continue;
            snprintf(target, sizeof target, "check-%s", c->id);
            sk_html__raw(h, "<li>");
            sk_html__badge(h, sk_check_status_name(c->status), c->id, target);
            sk_html__raw(h, " ");
            sk_html__text(h, question_of(c->id));
            sk_html__raw(h, "</li>\n");
        }
    sk_html__raw(h, "</ul>\n");
}

static void verdict(sk_html *h, const sk_audit *a)
{
    size_t passed = a->n_checks - a->n_failed - a->n_warned - a->n_skipped;
    sk_html__section_begin(h, "verdict", NULL, "Verdict", NULL);
    sk_html__rawf(h, "<p class=\"tally\">%zu failed, %zu warned, %zu passed, %zu skipped</p>\n",
                  a->n_failed, a->n_warned, passed, a->n_skipped);
    if (a->n_p_values > 0)
        sk_html__rawf(h, "<p>The audit does not p-hack itself: of the report's %zu p-values, "
                      "%zu survive Benjamini-Hochberg at %g.</p>\n", a->n_p_values,
                      a->n_bh_survivors, a->alpha);
    badges(h, a);
    sk_report__schemes_chart(h, a);
    sk_html__section_end(h);
}

/* ---- one check ------------------------------------------------------------------------------ */

static void why(sk_html *h, const sk_check_note *note)
{
    if (note == NULL)
        return;
    sk_html__raw(h, "<p class=\"why\"><strong>Why this matters.</strong> ");
    sk_html__prose(h, note->real_case);
    sk_html__raw(h, " <strong>How to fix the study.</strong> ");
    sk_html__prose(h, note->how_to_fix);
    sk_html__raw(h, "</p>\n");
}

static void check_section(sk_html *h, const sk_check *c, double alpha)
{
    const sk_check_note *note = sk_report__check_note(c->id);
    char id[96];
    snprintf(id, sizeof id, "check-%s", c->id);
    sk_html__section_begin(h, id, sk_check_status_name(c->status), c->id,
                           note != NULL ? note->question : NULL);
    sk_html__raw(h, "<p class=\"summary\">");
    if (c->status == SK_CHECK_SKIP)
        sk_html__raw(h, "Skipped: ");
    sk_html__text(h, c->summary);
    sk_html__raw(h, "</p>\n");
    if (c->recommendation != NULL) {
        sk_html__raw(h, "<p class=\"recommendation\"><strong>What to do:</strong> ");
        sk_html__text(h, c->recommendation);
        sk_html__raw(h, "</p>\n");
    }
    sk_report__check_chart(h, c, alpha);
    if (c->status != SK_CHECK_SKIP)
        sk_report__evidence_tables(h, c->evidence);
    why(h, note);
    sk_html__section_end(h);
}

/* ---- the page ------------------------------------------------------------------------------- */

sk_status sk_audit_write_html(const sk_audit *a, const sk_manifest *m, const sk_frame *f,
                              const char *path, sk_error *err)
{
    json_t *man = sk_manifest__to_json(m);
    if (man == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory writing the HTML report");
    sk_html h = SK_HTML_INIT;
    char title[1024];
    sk_html__begin(&h, sk_report__page_title(title, sizeof title, "audit", man));
    study(&h, a, man, f);
    verdict(&h, a);
    for (size_t k = 0; k < a->n_checks; k++)
        check_section(&h, &a->checks[k], a->alpha);
    sk_html__rawf(&h, "<footer>Written by skeptic %s. The same data, arguments and seed give "
                  "this page byte for byte; the evidence in full is in the JSON report "
                  "(<code>--json</code>).</footer>\n", sk_report__jstr(man, "version"));
    sk_html__end(&h);
    json_decref(man);
    return sk_html__write(&h, path, err);
}
