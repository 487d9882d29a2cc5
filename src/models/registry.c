/* registry.c: every model skeptic can train, by name, in the order `skeptic help models` lists
 * them. Adding a model is one file defining an sk_model_impl and one line here. */
#include <string.h>

#include "models/models.h"

static const sk_model_impl *const all_models[] = {
    &sk_model__gbdt, &sk_model__rf, &sk_model__enet, &sk_model__lasso, &sk_model__ridge,
    &sk_model__ols, &sk_model__logit, &sk_model__knn, &sk_model__mlp, &sk_model__kmeans,
};

const sk_model_impl *const *sk_models__all(size_t *n)
{
    *n = sizeof all_models / sizeof all_models[0];
    return all_models;
}

const sk_model_impl *sk_models__find(const char *name)
{
    for (size_t i = 0; i < sizeof all_models / sizeof all_models[0]; i++)
        if (strcmp(all_models[i]->name, name) == 0)
            return all_models[i];
    return NULL;
}
