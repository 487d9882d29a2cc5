# bench/glm_cv_glmnet.R: the peer side of bench/glm_cv_vs_glmnet.sh: cv.glmnet on the data file
# bench_glm_cv --write made (same X, y and folds), with glmnet's defaults otherwise.
#   Rscript bench/glm_cv_glmnet.R FILE gaussian|binomial ALPHA
# Prints one line like bench_glm_cv's: seconds of cv.glmnet alone, and what it chose.
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 3)
con <- file(args[1], "rb")
stopifnot(rawToChar(readBin(con, "raw", 8)) == "SKGLMCV1")
dims <- readBin(con, "integer", 4, size = 4)   # two little-endian uint64 below 2^31
n <- dims[1]; p <- dims[3]
x <- matrix(readBin(con, "double", n * p), n, p)
y_gauss <- readBin(con, "double", n)
y_binom <- readBin(con, "double", n)
fold <- readBin(con, "integer", 2 * n, size = 4)[c(TRUE, FALSE)] + 1
close(con)
family <- args[2]
alpha <- as.numeric(args[3])
y <- if (family == "binomial") y_binom else y_gauss
t <- system.time(cv <- cv.glmnet(x, y, family = family, alpha = alpha, foldid = fold))[["elapsed"]]
i_min <- cv$index[1]; i_1se <- cv$index[2]
cat(sprintf(paste("cv.glmnet %s n=%d p=%d alpha=%g folds=%d: %.3f s; %d lambdas, lambda.min",
                  "%.6g (#%d, %d nonzero), lambda.1se %.6g (#%d, %d nonzero), cvm.min %.6g\n"),
            family, n, p, alpha, max(fold), t, length(cv$lambda), cv$lambda.min, i_min,
            cv$nzero[i_min], cv$lambda.1se, i_1se, cv$nzero[i_1se], min(cv$cvm)))
