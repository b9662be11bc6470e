#!/usr/bin/env bash
# The measurements that two cores cannot give, in one run on a bigger machine: the
# fits with every core (issue 24's 16-core targets) and the network on a GPU
# (issue 25's), each step under its own time limit so that a slow step leaves the
# others their results.
#
#   bash benchmarks/big_machine.sh prepare    # here, with the package index: fills
#                                             # .whl/ and .mnist/ for a machine offline
#   bash benchmarks/big_machine.sh run [DIR]  # there: results in DIR (big-machine-results/)
#
# "prepare" downloads, for the Python of the other machine (PYTHON_VERSION, 3.12 by
# default), the wheels of what such a machine may lack (pooch and platformdirs,
# skorch, scikit-learn at this checkout's version) into .whl/, and the four official
# MNIST files into .mnist/ (rebuilt by ../shared/mnist-mirror/make_mirror.py where it
# is beside the checkout, else copied from MNISTKIT_MIRROR). Both folders are listed
# in .git/info/exclude: they travel only when asked for.
#
# "run" installs .whl/ (if there) into a folder of its own, serves .mnist/ (if there
# and MNISTKIT_MIRROR is unset) on 127.0.0.1, and runs mnistkit from this checkout:
#   - bench_scaling.py --jobs -1: default, one-vs-rest, accurate and compare fits with
#     every core (wall, CPU, accuracy), after its yardstick;
#   - where torch sees a GPU, bench_cnn.py on it: 10 and 30 epochs, then an ensemble
#     of three networks of 15 epochs.
# At most nine minutes, the sum of the steps' limits.
# QUICK=1 makes every step small (3,000 training images, 1 epoch on the CPU): a check
# of the script itself (76 s on two cores on 2026-12-06).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
PYTHON=${PYTHON:-python3}

prepare() {
    local version=${PYTHON_VERSION:-3.12}
    local sklearn
    sklearn=$("$PYTHON" -c "import sklearn; print(sklearn.__version__)") || exit 1
    mkdir -p .git/info .whl .mnist
    for folder in /.whl/ /.mnist/ /big-machine-results/; do
        grep -qxF "$folder" .git/info/exclude 2>/dev/null || echo "$folder" >> .git/info/exclude
    done
    "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: \
        --python-version "$version" --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
        --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
        -d .whl pooch platformdirs skorch "scikit-learn==$sklearn" || exit 1
    if [ -f ../shared/mnist-mirror/make_mirror.py ]; then
        "$PYTHON" ../shared/mnist-mirror/make_mirror.py .mnist || exit 1
        rm -f .mnist/mnist.npz  # the IDX files are what mnistkit downloads
    else
        local mirror=${MNISTKIT_MIRROR:?"set MNISTKIT_MIRROR, or put ../shared beside the checkout"}
        for name in train-images-idx3-ubyte train-labels-idx1-ubyte \
                    t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
            curl -fsS -o ".mnist/$name.gz" "${mirror%/}/$name.gz" || exit 1
        done
    fi
    du -sh .whl .mnist
    echo "Carry .whl and .mnist; there, run: bash benchmarks/big_machine.sh run"
}

step() {  # step NAME SECONDS COMMAND...: its output on screen and in $out/NAME.txt
    local name=$1 seconds=$2
    shift 2
    echo "== $name (at most $seconds s)"
    timeout "$seconds" "$@" 2>&1 | tee "$out/$name.txt"
    echo "== $name: exit status ${PIPESTATUS[0]}"
}

run() {
    out=${1:-big-machine-results}
    mkdir -p "$out"
    export PYTHONUNBUFFERED=1 PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
    if [ -d .whl ] && compgen -G ".whl/*.whl" > /dev/null; then
        local site=${TMPDIR:-/tmp}/mnistkit-big-machine-site
        "$PYTHON" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir \
            --upgrade --target "$site" .whl/*.whl || exit 1
        export PYTHONPATH="$site:$PYTHONPATH"
    fi
    if [ -z "${MNISTKIT_MIRROR:-}" ] && [ -d .mnist ]; then
        local port=${BIG_MACHINE_PORT:-48765}
        (cd .mnist && exec "$PYTHON" -m http.server "$port" --bind 127.0.0.1 > /dev/null 2>&1) &
        trap 'kill $! 2> /dev/null' EXIT
        sleep 1
        if ! kill -0 $! 2> /dev/null; then
            echo "could not serve .mnist/ on port $port (in use?): set BIG_MACHINE_PORT" >&2
            exit 1
        fi
        export MNISTKIT_MIRROR=http://127.0.0.1:$port/
    fi
    export MNISTKIT_DATA_DIR=${MNISTKIT_DATA_DIR:-${TMPDIR:-/tmp}/mnistkit-big-machine-data}

    local quick=${QUICK:-0} size=() epochs=(--epochs 10,30) ensembles=(--epochs 15)
    local networks=(--networks 3) device=cuda
    if [ "$quick" = 1 ]; then
        size=(--train-size 3000)
        epochs=(--epochs 1 --limit 3000)
        ensembles=(--epochs 1 --limit 3000)
        networks=(--networks 2)
        device=cpu
    fi
    step machine 60 "$PYTHON" -c "
import os, platform, sklearn, numpy, scipy, joblib
print(platform.platform(), platform.python_version(), os.cpu_count(), 'CPUs')
print('numpy', numpy.__version__, 'scipy', scipy.__version__, 'scikit-learn',
      sklearn.__version__, 'joblib', joblib.__version__)
try:
    import torch
    print('torch', torch.__version__, 'GPU:',
          torch.cuda.get_device_name() if torch.cuda.is_available() else 'none')
except ImportError:
    print('torch: not installed')
from mnistkit import fetch_mnist
for subset in ('train', 'test'):
    print(subset, fetch_mnist(subset=subset, return_X_y=True)[0].shape)
"
    step scaling 240 "$PYTHON" benchmarks/bench_scaling.py \
        --rows default,ovr,accurate,compare --jobs -1 "${size[@]}"
    if [ "$quick" = 1 ] || "$PYTHON" -c "import torch, sys; sys.exit(not torch.cuda.is_available())" \
            2> /dev/null; then
        step cnn 110 "$PYTHON" benchmarks/bench_cnn.py "${epochs[@]}" --device "$device"
        step cnn-ensembles 120 "$PYTHON" benchmarks/bench_cnn.py "${ensembles[@]}" \
            "${networks[@]}" --device "$device"
    else
        echo "== no GPU that torch sees: the network's steps are left out"
    fi
    echo "Results in $out/"
}

case ${1:-} in
    prepare) prepare ;;
    run) run "${2:-}" ;;
    *) sed -n '2,/^set -uo/p' "$0" | sed '$d'; exit 2 ;;
esac
