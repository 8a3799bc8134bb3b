"""Peak memory, as the benchmarks report it: the process's resident peak and Python's traced
peak of one call."""

import resource
import tracemalloc


def peak_rss_mib():
    """The process's peak resident memory so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def traced_peak(function):
    """(function's result, its peak Python allocation in MiB), measured apart: tracing slows it."""
    tracemalloc.start()
    try:
        result = function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak / 2**20
