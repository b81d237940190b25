"""`python -m bench [name ...]`: run the named benchmarks (bench/<name>.py), or all of them.

Each runs in a process of its own (`python -m bench.<name>`): each sets Django up on its own
database. Examples: `python -m bench paths`, `BENCH_SCALE=small python -m bench paths` (CI),
`DATABASE_URL=postgres://…/mediation_bench python -m bench paths flyers`;
`python -m bench --list` names them. A benchmark is a module of this package with a `main()`;
helpers (volume, http, report, views, urls, sync) have none.
"""

import pkgutil
import subprocess
import sys
from pathlib import Path

HELPERS = {"volume", "http", "report", "views", "urls", "sync"}


def available() -> list[str]:
    folder = Path(__file__).resolve().parent
    names = [module.name for module in pkgutil.iter_modules([str(folder)])]
    return sorted(name for name in names if not name.startswith("_") and name not in HELPERS)


def main(argv: list[str]) -> int:
    names = [name.removeprefix("bench.") for name in argv] or available()
    if names == ["--list"]:
        print("\n".join(available()))
        return 0
    unknown = [name for name in names if name not in available()]
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}")
        return 2
    failed = []
    for name in names:
        print(f"=== bench {name}", flush=True)
        if subprocess.call([sys.executable, "-m", f"bench.{name}"]):
            failed.append(name)
    if failed:
        print(f"Failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
