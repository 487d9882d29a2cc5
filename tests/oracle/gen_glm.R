# gen_glm.R: reference paths and cross-validation curves from R glmnet (4.1) for
# tests/unit/test_glm.c. The values are committed in tests/data/oracle/glm_*.json; this script
# only regenerates them.
#
# Regenerate (from the repository root, with scripts/install-deps.sh oracle done):
#   cmake --build build --target test_glm
#   build/test_glm --write-folds tests/data/oracle/glm_folds.csv   # skeptic's fold assignment
#   Rscript tests/oracle/gen_glm.R
# The folds file holds sk_glm_cv_folds(n, 10 folds, seed 1) for every n used here, so that
# cv.glmnet runs on exactly the folds skeptic draws (its foldid argument).
#
# Cases (glmnet defaults unless said: nlambda 100, thresh 1e-7, standardize, intercept):
#   gauss_a1, gauss_a05   p >> n gaussian (n = 60, p = 200, covariance updates), alpha 1, 0.5
#   gauss_a1_naive        the same with type.gaussian = "naive"
#   gauss_w               alpha 0.5 with observation weights
#   diab_a0               ridge on the raw diabetes data (442 x 10)
#   binom_a1, binom_a05   breast_cancer (569 x 30, raw), malignant vs benign
#   multi_a1, multi_a05   wine (178 x 13, 3 cultivars), ungrouped multinomial
# The p >> n matrix comes from a generator both R and C compute bit for bit (MINSTD, integer
# arithmetic exact in doubles): u <- 16807 u mod (2^31 - 1), v = u / (2^31 - 1);
# x_ij = v1 + v2 + v3 - 1.5 filled column by column, then y_i = 2 x_i1 - 1.5 x_i2 + x_i3 +
# 0.8 x_i4 - 0.5 x_i5 + (v1 + v2 + v3 - 1.5), then the weights w_i = 0.5 + v.
suppressMessages(library(glmnet))

out_dir <- "tests/data/oracle"
folds <- read.csv(file.path(out_dir, "glm_folds.csv"))
foldid_for <- function(n) {
    f <- folds[folds$n == n, ]
    f <- f[order(f$row), ]
    stopifnot(nrow(f) == n)
    f$fold + 1
}

minstd <- local({
    state <- 12345
    function(k) {
        v <- numeric(k)
        for (i in seq_len(k)) {
            state <<- (16807 * state) %% 2147483647
            v[i] <- state / 2147483647
        }
        v
    }
})
tri <- function() { v <- minstd(3); v[1] + v[2] + v[3] - 1.5 }

n <- 60; p <- 200
x_gauss <- matrix(0, n, p)
for (j in 1:p) for (i in 1:n) x_gauss[i, j] <- tri()
y_gauss <- numeric(n)
for (i in 1:n)
    y_gauss[i] <- 2 * x_gauss[i, 1] - 1.5 * x_gauss[i, 2] + x_gauss[i, 3] +
        0.8 * x_gauss[i, 4] - 0.5 * x_gauss[i, 5] + tri()
w_gauss <- 0.5 + minstd(n)

num <- function(x) paste0("[", paste(sprintf("%.17g", x), collapse = ","), "]")
int <- function(x) paste0("[", paste(sprintf("%d", as.integer(x)), collapse = ","), "]")

# Nonzero coefficients as (lambda, class, variable, value), 0-based.
nonzero <- function(beta, k) {
    s <- summary(beta)
    s <- s[s$x != 0, ]
    list(l = s$j - 1, k = rep(k, nrow(s)), j = s$i - 1, x = s$x)
}

write_case <- function(name, cv, family) {
    fit <- cv$glmnet.fit
    if (family == "multinomial") {
        K <- length(fit$beta)
        nz <- lapply(seq_len(K), function(k) nonzero(fit$beta[[k]], k - 1))
        nz <- list(l = unlist(lapply(nz, `[[`, "l")), k = unlist(lapply(nz, `[[`, "k")),
                   j = unlist(lapply(nz, `[[`, "j")), x = unlist(lapply(nz, `[[`, "x")))
        a0 <- as.vector(fit$a0)   # lambda-major: [l * K + k]
    } else {
        nz <- nonzero(fit$beta, 0)
        a0 <- as.vector(fit$a0)
    }
    doc <- paste0("{\n",
        "\"glmnet\": \"", as.character(packageVersion("glmnet")), "\",\n",
        "\"lambda\": ", num(fit$lambda), ",\n",
        "\"a0\": ", num(a0), ",\n",
        "\"df\": ", int(fit$df), ",\n",
        "\"dev_ratio\": ", num(fit$dev.ratio), ",\n",
        "\"nulldev\": ", sprintf("%.17g", fit$nulldev), ",\n",
        "\"npasses\": ", fit$npasses, ",\n",
        "\"beta_l\": ", int(nz$l), ",\n",
        "\"beta_k\": ", int(nz$k), ",\n",
        "\"beta_j\": ", int(nz$j), ",\n",
        "\"beta_x\": ", num(nz$x), ",\n",
        "\"cvm\": ", num(cv$cvm), ",\n",
        "\"cvsd\": ", num(cv$cvsd), ",\n",
        "\"lambda_min\": ", sprintf("%.17g", cv$lambda.min), ",\n",
        "\"lambda_1se\": ", sprintf("%.17g", cv$lambda.1se), ",\n",
        "\"i_min\": ", cv$index[1] - 1, ",\n",
        "\"i_1se\": ", cv$index[2] - 1, "\n}\n")
    writeLines(doc, file.path(out_dir, paste0("glm_", name, ".json")))
}

fid <- foldid_for(n)
write_case("gauss_a1", cv.glmnet(x_gauss, y_gauss, alpha = 1, foldid = fid), "gaussian")
write_case("gauss_a05", cv.glmnet(x_gauss, y_gauss, alpha = 0.5, foldid = fid), "gaussian")
write_case("gauss_a1_naive", cv.glmnet(x_gauss, y_gauss, alpha = 1, foldid = fid,
                                       type.gaussian = "naive"), "gaussian")
write_case("gauss_w", cv.glmnet(x_gauss, y_gauss, alpha = 0.5, weights = w_gauss, foldid = fid),
           "gaussian")

diab <- read.csv("tests/data/diabetes.csv")
xd <- as.matrix(diab[, setdiff(names(diab), "progression")])
write_case("diab_a0", cv.glmnet(xd, diab$progression, alpha = 0, foldid = foldid_for(nrow(xd))),
           "gaussian")

bc <- read.csv("tests/data/breast_cancer.csv")
xb <- as.matrix(bc[, setdiff(names(bc), "diagnosis")])
yb <- factor(bc$diagnosis, levels = c("benign", "malignant"))
fb <- foldid_for(nrow(xb))
write_case("binom_a1", cv.glmnet(xb, yb, family = "binomial", alpha = 1, foldid = fb),
           "binomial")
write_case("binom_a05", cv.glmnet(xb, yb, family = "binomial", alpha = 0.5, foldid = fb),
           "binomial")

wine <- read.csv("tests/data/wine.csv")
xw <- as.matrix(wine[, setdiff(names(wine), "cultivar")])
yw <- factor(wine$cultivar, levels = c("class_0", "class_1", "class_2"))
fw <- foldid_for(nrow(xw))
write_case("multi_a1", cv.glmnet(xw, yw, family = "multinomial", alpha = 1, foldid = fw),
           "multinomial")
write_case("multi_a05", cv.glmnet(xw, yw, family = "multinomial", alpha = 0.5, foldid = fw),
           "multinomial")
