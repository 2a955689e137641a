# Sourced by the benchmarks that run a PyTorch reference in /usr/bin/python3 (bench-training.sh,
# bench-updates.sh). Checks that Debian's PyTorch is there and sets:
#   blas            openblas when libopenblas0-pthread is installed, else netlib
#   reference_env   the environment the reference runs with (`env "${reference_env[@]}" python3 ...`)
# Debian's default BLAS is the reference netlib one, which makes PyTorch's matmuls several times
# slower; with OpenBLAS installed the reference runs on it (LD_LIBRARY_PATH only, the system's BLAS
# choice is left alone), the stronger reference, on one OpenBLAS thread: torch's set_num_threads
# leaves OpenBLAS's own pool (2 threads here) alone, and ours runs one PyTorch thread.
/usr/bin/python3 -c 'import torch' 2>/dev/null \
    || { echo "no PyTorch for /usr/bin/python3: apt-get install -y python3-torch" >&2; exit 2; }
openblas=/usr/lib/x86_64-linux-gnu/openblas-pthread
blas=netlib
reference_env=()
if [[ -f $openblas/libblas.so.3 ]]; then
    blas=openblas
    reference_env=(LD_LIBRARY_PATH="$openblas" OPENBLAS_NUM_THREADS=1)
fi
