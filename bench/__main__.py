"""`python -m bench`: run every benchmark and print its figures."""

import subprocess
import sys

from bench import flyers

if __name__ == "__main__":
    flyers.main()
    # Each benchmark sets Django up on its own throwaway database: a process of its own.
    subprocess.run([sys.executable, "-m", "bench.planning"], check=True)
