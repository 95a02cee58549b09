#!/usr/bin/env bash
# Thread scaling on a bigger machine: installs a prebuilt abi3 wheel from .whl/ (built here with
# `maturin build --release -o .whl`) and runs the `parmath bench` suites, writing tables and JSON to
# $OUT (default: ./device-out). Used for the figures in the README; not part of `make test`.
set -euo pipefail
OUT=${OUT:-device-out}
mkdir -p "$OUT"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/parmath-*.whl
export PYTHONPATH=/tmp/site PYTHONUNBUFFERED=1
(lscpu | grep -E 'Model name|^CPU\(s\)|Thread|NUMA node\(s\)'; nproc; python3 -c 'import numpy; print("numpy", numpy.__version__)') | tee "$OUT/machine.txt"
python3 -m parmath info | tee -a "$OUT/machine.txt"
python3 -m parmath bench --quiet --suite scaling --func exp,log --dtype float64,float32 \
    --n 100000000 --repeat 5 --json "$OUT/scaling.json" | tee "$OUT/scaling.txt"
python3 -m parmath bench --quiet --suite strategies --func exp,log --dtype float64,float32 \
    --n 10000000 --repeat 5 --json "$OUT/strategies.json" | tee "$OUT/strategies.txt"
python3 -m parmath bench --quiet --suite threshold --func exp --repeat 5 | tee "$OUT/threshold.txt"
