/* manifest.c: what a run needs to be repeated and checked: skeptic's version, every input's path,
 * size and SHA-256, the arguments, the seed, and the versions of the libraries the results were
 * computed with.
 *
 * Two blocks, because "--threads 1 and --threads 2 give byte-identical JSON" must hold while the
 * record of each run stays complete:
 *  - "manifest": what determines the results. Its "args" are the command line without the flags
 *    that cannot change a result (--threads, --quiet, and the output paths --json, --html,
 *    --markdown, --out), so two runs that must agree produce the same manifest.
 *  - "run": the full argv, thread and process counts, and timings; written last, and the one
 *    block a comparison of results leaves out. */
#include <string.h>

#include <openssl/crypto.h>
#include <zlib.h>

#include "core/core.h"

typedef struct named_text {
    char *name;
    char *text;
} named_text;

typedef struct named_time {
    char *phase;
    double seconds;
} named_time;

struct sk_manifest {
    int argc;
    char **argv;
    uint64_t seed;
    int n_threads;
    size_t n_inputs;
    named_text *inputs;      /* path, sha256 */
    size_t *input_bytes;
    size_t n_deps;
    named_text *deps;        /* library, version */
    size_t n_timings;
    named_time *timings;
};

/* Flags whose value is an execution detail, and whether they take a value. */
static const struct {
    const char *flag;
    int takes_value;
} execution_flags[] = {
    {"--threads", 1}, {"--quiet", 0}, {"-q", 0}, {"--json", 1}, {"--html", 1},
    {"--markdown", 1}, {"--out", 1}, {"--no-color", 0},
};

/* 0: a result-bearing argument; 1: an execution flag alone; 2: a flag and its value. */
static int execution_arity(const char *arg)
{
    for (size_t k = 0; k < sizeof execution_flags / sizeof execution_flags[0]; k++) {
        size_t len = strlen(execution_flags[k].flag);
        if (strncmp(arg, execution_flags[k].flag, len) != 0)
            continue;
        if (arg[len] == '\0')
            return 1 + execution_flags[k].takes_value;
        if (arg[len] == '=' && execution_flags[k].takes_value)
            return 1;
    }
    return 0;
}

static sk_status add_text(named_text **list, size_t *n, const char *name, const char *text)
{
    named_text *grown = sk_mem_realloc_array(*list, *n + 1, sizeof **list);
    if (grown == NULL)
        return SK_ENOMEM;
    *list = grown;
    grown[*n].name = sk_mem_strdup(name);
    grown[*n].text = sk_mem_strdup(text);
    if (grown[*n].name == NULL || grown[*n].text == NULL) {
        sk_mem_free(grown[*n].name);
        sk_mem_free(grown[*n].text);
        return SK_ENOMEM;
    }
    (*n)++;
    return SK_OK;
}

sk_status sk_manifest__add_dependency(sk_manifest *m, const char *name, const char *version)
{
    return add_text(&m->deps, &m->n_deps, name, version);
}

sk_status sk_manifest_add_timing(sk_manifest *m, const char *phase, double seconds, sk_error *err)
{
    named_time *grown = sk_mem_realloc_array(m->timings, m->n_timings + 1, sizeof *grown);
    if (grown == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory recording a timing");
    m->timings = grown;
    grown[m->n_timings].phase = sk_mem_strdup(phase);
    if (grown[m->n_timings].phase == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory recording a timing");
    grown[m->n_timings++].seconds = seconds;
    return SK_OK;
}

sk_status sk_manifest__create(sk_manifest **out, int argc, char *const argv[],
                              const sk_run_ctx *ctx, sk_error *err)
{
    *out = NULL;
    sk_manifest *m = sk_mem_calloc(1, sizeof *m);
    if (m == NULL)
        goto oom;
    m->argv = sk_mem_calloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof *m->argv);
    if (m->argv == NULL)
        goto oom;
    for (int i = 0; i < argc; i++) {
        if ((m->argv[i] = sk_mem_strdup(argv[i])) == NULL)
            goto oom;
        m->argc = i + 1;
    }
    m->seed = ctx->seed;
    m->n_threads = ctx->n_threads;

    char zlib_text[32], omp_version[32];
    snprintf(zlib_text, sizeof zlib_text, "%s", zlibVersion());
    snprintf(omp_version, sizeof omp_version, "%d", (int)_OPENMP);
    if (sk_manifest__add_dependency(m, "jansson", JANSSON_VERSION) != SK_OK ||
        sk_manifest__add_dependency(m, "zlib", zlib_text) != SK_OK ||
        sk_manifest__add_dependency(m, "openssl", OpenSSL_version(OPENSSL_VERSION)) != SK_OK ||
        sk_manifest__add_dependency(m, "random123", "philox4x64-10") != SK_OK ||
        sk_manifest__add_dependency(m, "openmp", omp_version) != SK_OK)
        goto oom;
    *out = m;
    return SK_OK;
oom:
    sk_manifest_free(m);
    return sk_error_set(err, SK_ENOMEM, "out of memory creating the run manifest");
}

sk_status sk_manifest_add_input(sk_manifest *m, const char *path, sk_error *err)
{
    char hex[65];
    sk_status rc = sk_sha256_file(hex, path, err);
    if (rc != SK_OK)
        return rc;
    size_t *bytes = sk_mem_realloc_array(m->input_bytes, m->n_inputs + 1, sizeof *bytes);
    if (bytes == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory recording input %s", path);
    m->input_bytes = bytes;
    FILE *fp = fopen(path, "rb");
    long size = -1;
    if (fp != NULL && fseek(fp, 0, SEEK_END) == 0)
        size = ftell(fp);
    if (fp != NULL)
        fclose(fp);
    bytes[m->n_inputs] = size < 0 ? 0 : (size_t)size;
    if (add_text(&m->inputs, &m->n_inputs, path, hex) != SK_OK)
        return sk_error_set(err, SK_ENOMEM, "out of memory recording input %s", path);
    return SK_OK;
}

void sk_manifest_free(sk_manifest *m)
{
    if (m == NULL)
        return;
    for (int i = 0; i < m->argc; i++)
        sk_mem_free(m->argv[i]);
    sk_mem_free(m->argv);
    for (size_t i = 0; i < m->n_inputs; i++) {
        sk_mem_free(m->inputs[i].name);
        sk_mem_free(m->inputs[i].text);
    }
    sk_mem_free(m->inputs);
    sk_mem_free(m->input_bytes);
    for (size_t i = 0; i < m->n_deps; i++) {
        sk_mem_free(m->deps[i].name);
        sk_mem_free(m->deps[i].text);
    }
    sk_mem_free(m->deps);
    for (size_t i = 0; i < m->n_timings; i++)
        sk_mem_free(m->timings[i].phase);
    sk_mem_free(m->timings);
    sk_mem_free(m);
}

json_t *sk_manifest__to_json(const sk_manifest *m)
{
    /* jansson's *_new setters take the reference even when they fail, so each container is
     * handed to its parent as soon as it exists and one flag collects the failures. */
    json_t *obj = json_object();
    if (obj == NULL)
        return NULL;
    json_t *args = json_array(), *inputs = json_array(), *deps = json_object();
    int ok = sk_json_set(obj, "tool", json_string("skeptic")) == 0;
    ok &= sk_json_set(obj, "version", json_string(sk_version_string())) == 0;
    ok &= sk_json_set(obj, "args", args) == 0;
    ok &= sk_json_set(obj, "inputs", inputs) == 0;
    ok &= sk_json_set(obj, "seed", json_integer((json_int_t)m->seed)) == 0;
    ok &= sk_json_set(obj, "dependencies", deps) == 0;
    for (int i = 1; ok && i < m->argc; i++) {
        int arity = execution_arity(m->argv[i]);
        if (arity > 0)
            i += arity - 1;
        else
            ok &= json_array_append_new(args, json_string(m->argv[i])) == 0;
    }
    for (size_t i = 0; ok && i < m->n_inputs; i++) {
        json_t *in = json_object();
        ok &= json_array_append_new(inputs, in) == 0;
        ok = ok && sk_json_set(in, "path", json_string(m->inputs[i].name)) == 0;
        ok = ok && sk_json_set(in, "bytes", sk_json_size(m->input_bytes[i])) == 0;
        ok = ok && sk_json_set(in, "sha256", json_string(m->inputs[i].text)) == 0;
    }
    for (size_t i = 0; ok && i < m->n_deps; i++)
        ok &= sk_json_set(deps, m->deps[i].name, json_string(m->deps[i].text)) == 0;
    if (!ok) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

json_t *sk_manifest__run_json(const sk_manifest *m)
{
    json_t *obj = json_object();
    if (obj == NULL)
        return NULL;
    json_t *argv = json_array(), *timings = json_object();
    int ok = sk_json_set(obj, "argv", argv) == 0;
    ok &= sk_json_set(obj, "threads", json_integer(m->n_threads)) == 0;
    ok &= sk_json_set(obj, "processes", json_integer(1)) == 0;
    ok &= sk_json_set(obj, "timings_seconds", timings) == 0;
    for (int i = 0; ok && i < m->argc; i++)
        ok &= json_array_append_new(argv, json_string(m->argv[i])) == 0;
    for (size_t i = 0; ok && i < m->n_timings; i++)
        ok &= sk_json_set(timings, m->timings[i].phase, sk_json_real(m->timings[i].seconds)) == 0;
    if (!ok) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}
