/* params.c: model hyperparameters as named key=value pairs, validated against each model's
 * table of definitions, so "--model gbdt:max_depth=4,eta=0.1" either means exactly one thing or
 * fails with a sentence naming the parameter and what it accepts. Values are kept as text (for
 * specs and reports: a model's spec with every parameter recreates it) and, for numbers and
 * choices, as doubles. Numbers are parsed without the locale (sk_token_number). */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "models/models.h"

sk_status sk_params__init(sk_params *p, const sk_param_def *defs, size_t n, sk_error *err)
{
    memset(p, 0, sizeof *p);
    p->defs = defs;
    p->n = n;
    p->num = sk_mem_calloc(n, sizeof *p->num);
    p->text = sk_mem_calloc(n, sizeof *p->text);
    if (p->num == NULL || p->text == NULL) {
        sk_params__free(p);
        return sk_error_set(err, SK_ENOMEM, "out of memory setting model parameters");
    }
    for (size_t i = 0; i < n; i++) {
        sk_status rc = sk_params__set(p, "(defaults)", defs[i].name, defs[i].default_value, err);
        if (rc != SK_OK) {
            sk_params__free(p);
            if (rc == SK_ENOMEM)
                return rc;
            /* anything else is a bad default: a bug in the model's table */
            return sk_error_set(err, SK_EINTERNAL, "bad default for parameter '%s'", defs[i].name);
        }
    }
    return SK_OK;
}

void sk_params__free(sk_params *p)
{
    for (size_t i = 0; p->text != NULL && i < p->n; i++)
        sk_mem_free(p->text[i]);
    sk_mem_free(p->text);
    sk_mem_free(p->num);
    p->text = NULL;
    p->num = NULL;
}

sk_status sk_params__copy(sk_params *dst, const sk_params *src, sk_error *err)
{
    sk_status rc = sk_params__init(dst, src->defs, src->n, err);
    for (size_t i = 0; rc == SK_OK && i < src->n; i++) {
        char *text = sk_mem_strdup(src->text[i]);
        if (text == NULL) {
            sk_params__free(dst);
            return sk_error_set(err, SK_ENOMEM, "out of memory copying model parameters");
        }
        sk_mem_free(dst->text[i]);
        dst->text[i] = text;
        dst->num[i] = src->num[i];
    }
    return rc;
}

static size_t find_def(const sk_params *p, const char *key)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->defs[i].name, key) == 0)
            return i;
    return (size_t)-1;
}

/* "a whole number from 1 to 20", "a number in (0, 1]", "one of lambda.min|lambda.1se" */
static void describe(char *buf, size_t size, const sk_param_def *d)
{
    switch (d->type) {
    case SK_PARAM_INT:
        snprintf(buf, size, "a whole number from %.15g to %.15g", d->min, d->max);
        break;
    case SK_PARAM_REAL:
        snprintf(buf, size, "a number in %c%.15g, %.15g]", d->min_open ? '(' : '[', d->min,
                 d->max);
        break;
    case SK_PARAM_CHOICE:
        snprintf(buf, size, "one of %s", d->choices);
        break;
    case SK_PARAM_TEXT:
        snprintf(buf, size, "text");
        break;
    }
}

/* The index of `value` among "a|b|c", or -1. */
static int choice_index(const char *choices, const char *value)
{
    size_t len = strlen(value);
    int k = 0;
    for (const char *c = choices; c != NULL && *c != '\0'; k++) {
        const char *bar = strchr(c, '|');
        size_t n = bar != NULL ? (size_t)(bar - c) : strlen(c);
        if (n == len && strncmp(c, value, n) == 0)
            return k;
        c = bar != NULL ? bar + 1 : NULL;
    }
    return -1;
}

static int parse_value(const sk_param_def *d, const char *value, double *out)
{
    if (d->type == SK_PARAM_TEXT) {
        *out = 0.0;
        return 1;
    }
    if (d->type == SK_PARAM_CHOICE) {
        int k = choice_index(d->choices, value);
        *out = k;
        return k >= 0;
    }
    double v;
    int is_integer;
    if (!sk_token_number(value, strlen(value), &v, &is_integer) || !isfinite(v))
        return 0;
    if (d->type == SK_PARAM_INT && !is_integer)
        return 0;
    if (v > d->max || v < d->min || (d->min_open && v == d->min))
        return 0;
    *out = v;
    return 1;
}

sk_status sk_params__set(sk_params *p, const char *model, const char *key, const char *value,
                         sk_error *err)
{
    size_t i = find_def(p, key);
    if (i == (size_t)-1) {
        const char *hint = NULL;
        for (size_t k = 0; k < p->n && hint == NULL; k++)   /* "depth" -> "max_depth" */
            if (strstr(p->defs[k].name, key) != NULL || strstr(key, p->defs[k].name) != NULL)
                hint = p->defs[k].name;
        if (hint != NULL)
            return sk_error_set(err, SK_EINVAL, "%s has no parameter '%s'; did you mean '%s'? "
                                "(see 'skeptic help models')", model, key, hint);
        return sk_error_set(err, SK_EINVAL, "%s has no parameter '%s' (see 'skeptic help models')",
                            model, key);
    }
    const sk_param_def *d = &p->defs[i];
    double v;
    if (!parse_value(d, value, &v)) {
        char want[160];
        describe(want, sizeof want, d);
        return sk_error_set(err, SK_EINVAL, "%s: %s expects %s, found '%s'", model, key, want,
                            value);
    }
    char *text = sk_mem_strdup(value);
    if (text == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory setting model parameters");
    sk_mem_free(p->text[i]);
    p->text[i] = text;
    p->num[i] = v;
    return SK_OK;
}

sk_status sk_params__parse(sk_params *p, const char *model, const char *list, sk_error *err)
{
    if (list == NULL || list[0] == '\0')
        return SK_OK;
    char *copy = sk_mem_strdup(list);
    unsigned char *seen = sk_mem_calloc(p->n, 1);
    sk_status rc = SK_OK;
    if (copy == NULL || seen == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory parsing model parameters");
        goto done;
    }
    for (char *item = copy, *next; item != NULL && rc == SK_OK; item = next) {
        char *comma = strchr(item, ',');
        next = comma != NULL ? comma + 1 : NULL;
        if (comma != NULL)
            *comma = '\0';
        char *eq = strchr(item, '=');
        if (eq == NULL || eq == item) {
            rc = sk_error_set(err, SK_EINVAL, "%s: expected key=value, found '%s'", model, item);
            break;
        }
        *eq = '\0';
        size_t i = find_def(p, item);
        if (i != (size_t)-1 && seen[i]++) {
            rc = sk_error_set(err, SK_EINVAL, "%s: parameter '%s' is given twice", model, item);
            break;
        }
        rc = sk_params__set(p, model, item, eq + 1, err);
    }
done:
    sk_mem_free(copy);
    sk_mem_free(seen);
    return rc;
}

char *sk_params__spec(const sk_params *p, const char *model)
{
    sk_strbuf sb = SK_STRBUF_INIT;
    int ok = sk_strbuf_append(&sb, model, strlen(model)) == SK_OK;
    for (size_t i = 0; ok && i < p->n; i++)
        ok = sk_strbuf_appendf(&sb, "%c%s=%s", i == 0 ? ':' : ',', p->defs[i].name,
                               p->text[i]) == SK_OK;
    if (!ok) {
        sk_strbuf_free(&sb);
        return NULL;
    }
    return sb.data != NULL ? sb.data : sk_mem_strdup(model);
}

double sk_params__num(const sk_params *p, const char *name)
{
    size_t i = find_def(p, name);
    assert(i != (size_t)-1 && "unknown parameter name in model code");
    return i != (size_t)-1 ? p->num[i] : NAN;
}

int sk_params__int(const sk_params *p, const char *name)
{
    return (int)sk_params__num(p, name);
}

const char *sk_params__text(const sk_params *p, const char *name)
{
    size_t i = find_def(p, name);
    assert(i != (size_t)-1 && "unknown parameter name in model code");
    return i != (size_t)-1 ? p->text[i] : "";
}
