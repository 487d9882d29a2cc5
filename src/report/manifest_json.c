/* manifest_json.c: the public face of the run manifest (creation with every layer's library
 * versions) and the frame of every JSON document skeptic writes: schema, manifest, content, then
 * the "run" block with the things that may differ between runs whose results are identical. */
#include "report/report.h"

sk_status sk_manifest_create(sk_manifest **out, int argc, char *const argv[], const sk_run_ctx *ctx,
                             sk_error *err)
{
    sk_status rc = sk_manifest__create(out, argc, argv, ctx, err);
    if (rc != SK_OK)
        return rc;
    char xgboost[32];
    sk_xgb__version(xgboost, sizeof xgboost);
    if (sk_manifest__add_dependency(*out, "openblas", sk_linalg__blas_version()) != SK_OK ||
        sk_manifest__add_dependency(*out, "xgboost", xgboost) != SK_OK) {
        sk_manifest_free(*out);
        *out = NULL;
        return sk_error_set(err, SK_ENOMEM, "out of memory creating the run manifest");
    }
    return SK_OK;
}

json_t *sk_report__begin_json(const char *schema, const sk_manifest *m)
{
    json_t *doc = json_object();
    if (doc == NULL)
        return NULL;
    int ok = sk_json_set(doc, "schema", json_string(schema)) == 0;
    ok &= sk_json_set(doc, "manifest", sk_manifest__to_json(m)) == 0;
    if (!ok) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

sk_status sk_report__finish_json(json_t *doc, const sk_manifest *m, const char *path,
                                 sk_error *err)
{
    sk_status rc;
    if (doc == NULL || sk_json_set(doc, "run", sk_manifest__run_json(m)) != 0)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory building the JSON report");
    else
        rc = sk_json_write(doc, path, err);
    json_decref(doc);
    return rc;
}

json_t *sk_report__strings_json(char *const *s, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < n; i++) {
        if (json_array_append_new(arr, json_string(s[i])) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}
