#!/usr/bin/env bash
# Compiles every src/main/cuda/*.cu to PTX under src/main/resources/org/jsbi/cuda, and records beside each the
# SHA-256 of its source, the nvcc release and the flags, which CudaPtxFreshnessTest checks.
# compute_75 is the oldest target nvcc 13 accepts; the driver JIT-compiles the PTX for the card it runs on.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../resources/org/jsbi/cuda"
flags="--ptx -arch=compute_75 --fmad=false -O3"
command -v nvcc >/dev/null || { echo "build-ptx: nvcc not found on PATH (install the CUDA toolkit)" >&2; exit 1; }
release="$(nvcc --version | sed -n 's/.*release \([0-9.]*\), V\([0-9.]*\).*/\2/p')"
mkdir -p "$out"
for cu in "$here"/*.cu; do
  name="$(basename "$cu" .cu)"
  # shellcheck disable=SC2086
  (cd "$here" && nvcc $flags -o "$out/$name.ptx" "$name.cu")
  {
    echo "source-sha256=$(sha256sum "$cu" | cut -d' ' -f1)"
    echo "nvcc=$release"
    echo "flags=$flags"
  } > "$out/$name.ptx.properties"
  echo "build-ptx: $name.cu -> $name.ptx (nvcc $release)"
done
