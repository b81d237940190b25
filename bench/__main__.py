"""`python -m bench`: run every benchmark and print its figures.

Each benchmark sets Django up on its own throwaway database, so each runs in a fresh process.
"""

import subprocess
import sys

BENCHMARKS = [
    "bench.flyers",
    "bench.messages",
    "bench.coverage",
    "bench.reports",
    "bench.planning",
]

if __name__ == "__main__":
    wanted = sys.argv[1:] or BENCHMARKS
    failed = 0
    for module in wanted:
        failed |= subprocess.call([sys.executable, "-m", module])
    sys.exit(failed)
