"""`python -m bench`: run every benchmark and print its figures."""

import subprocess
import sys

from bench import flyers, messages

if __name__ == "__main__":
    flyers.main()
    messages.main()
    # The planning benchmark sets Django up on its own throwaway database: its own process.
    subprocess.run([sys.executable, "-m", "bench.planning"], check=True)
