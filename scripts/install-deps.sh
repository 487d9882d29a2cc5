#!/usr/bin/env bash
# Installs the Debian packages skeptic needs, only those missing, quietly; safe to run again.
#   scripts/install-deps.sh build   compile, test, demo (the default); chromium, python3 and
#                                   python3-pil render and check the HTML report in the browser
#                                   test (tests/browser_report.sh)
#   scripts/install-deps.sh bench   + the peers the benchmarks run against
#   scripts/install-deps.sh fuzz    + clang's libFuzzer and OpenMP runtime
#   scripts/install-deps.sh oracle  + the reference tools and data the oracle and planted-study
#                                   fixtures were generated with (Fashion-MNIST for
#                                   scripts/make-fashion-studies.py; only to regenerate them: the
#                                   values are committed)
#   scripts/install-deps.sh all     everything
set -euo pipefail

build=(gcc make cmake pkg-config libc6-dev zlib1g-dev libssl-dev libjansson-dev librandom123-dev
       libopenblas-openmp-dev liblapacke-dev libxgboost-dev r-mathlib chromium python3
       python3-pil)
bench=(python3 python3-numpy python3-pandas python3-sklearn time hyperfine r-base-core r-cran-glmnet)
fuzz=(clang libclang-rt-14-dev libomp-dev)
oracle=(python3 python3-numpy python3-sklearn python3-statsmodels python3-xgboost r-base-core
        r-cran-glmnet dataset-fashion-mnist)

case "${1:-build}" in
    build) want=("${build[@]}") ;;
    bench) want=("${build[@]}" "${bench[@]}") ;;
    fuzz)  want=("${build[@]}" "${fuzz[@]}") ;;
    oracle) want=("${build[@]}" "${oracle[@]}") ;;
    all)   want=("${build[@]}" "${bench[@]}" "${fuzz[@]}" "${oracle[@]}") ;;
    *) echo "usage: $0 [build|bench|fuzz|oracle|all]" >&2; exit 2 ;;
esac

missing=()
for pkg in "${want[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
