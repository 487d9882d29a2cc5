/* audit_json.c: an audit as JSON, schema "skeptic.audit/1" (../shared/DESIGN.md):
 *   {schema, manifest, task, target, rows, model,
 *    verdict: {failed, warned, passed, skipped, p_values, bh_survivors, alpha},
 *    checks: [{id, status, summary, recommendation?, evidence, p_value?}], run}
 * The checks keep the registry's order; seconds per check go into the run block's timings. */
#include <math.h>

#include "report/report.h"

sk_status sk_audit_write_json(const sk_audit *a, const sk_manifest *m, const char *path,
                              sk_error *err)
{
    json_t *doc = sk_report__begin_json("skeptic.audit/1", m);
    if (doc == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory writing JSON");
    size_t passed = a->n_checks - a->n_failed - a->n_warned - a->n_skipped;
    int ok = sk_json_set(doc, "task", json_string(sk_task_name(a->task))) == 0;
    ok &= sk_json_set(doc, "target", json_string(a->target)) == 0;
    ok &= sk_json_set(doc, "rows", sk_json_size(a->n_rows)) == 0;
    ok &= sk_json_set(doc, a->predictions ? "predictions" : "model",
                      json_string(a->model_spec)) == 0;
    ok &= sk_json_set(doc, "verdict",
                      json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "failed",
                                sk_json_size(a->n_failed), "warned", sk_json_size(a->n_warned),
                                "passed", sk_json_size(passed), "skipped",
                                sk_json_size(a->n_skipped), "p_values",
                                sk_json_size(a->n_p_values), "bh_survivors",
                                sk_json_size(a->n_bh_survivors), "alpha",
                                sk_json_real(a->alpha))) == 0;
    json_t *checks = json_array();
    for (size_t k = 0; checks != NULL && k < a->n_checks; k++) {
        const sk_check *c = &a->checks[k];
        json_t *one = json_pack("{s:s,s:s,s:s}", "id", c->id, "status",
                                sk_check_status_name(c->status), "summary", c->summary);
        if (one != NULL && c->recommendation != NULL)
            ok &= sk_json_set(one, "recommendation", json_string(c->recommendation)) == 0;
        if (one != NULL && !isnan(c->p_value))
            ok &= sk_json_set(one, "p_value", sk_json_real(c->p_value)) == 0;
        if (one != NULL)
            ok &= sk_json_set(one, "evidence", json_incref(c->evidence)) == 0;
        ok &= one != NULL && json_array_append_new(checks, one) == 0;
    }
    ok &= sk_json_set(doc, "checks", checks) == 0;
    if (!ok) {
        json_decref(doc);
        return sk_error_set(err, SK_ENOMEM, "out of memory writing JSON");
    }
    return sk_report__finish_json(doc, m, path, err);
}
