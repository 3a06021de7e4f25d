"""`python -m bench` runs every benchmark; `python -m bench NAME [options]` runs one.

Each benchmark is a module with `DESCRIPTION` and `main(argv) -> int`. When all are run, each gets
its own interpreter, so that one benchmark's settings and database never leak into another.
"""
from __future__ import annotations

import importlib
import subprocess
import sys

BENCHMARKS = {
    "comments": "bench.comment_submission",
    "reading": "bench.comment_reading",
    "alignment": "bench.alignment",
    "campaigns": "bench.campaigns",
    "digests": "bench.digests",
}


def _usage() -> str:
    lines = ["usage: python -m bench [NAME [options]]", "", "benchmarks:"]
    for name, module in BENCHMARKS.items():
        lines.append(f"  {name:<12} {importlib.import_module(module).DESCRIPTION}")
    lines.append("")
    lines.append("`python -m bench NAME --help` lists the options of one benchmark.")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv and argv[0] in {"-h", "--help"}:
        print(_usage())
        return 0
    if argv:
        name, options = argv[0], argv[1:]
        if name not in BENCHMARKS:
            print(f"unknown benchmark {name!r}\n\n{_usage()}", file=sys.stderr)
            return 2
        return importlib.import_module(BENCHMARKS[name]).main(options)
    failed = []
    for name in BENCHMARKS:
        print(f"=== benchmark: {name} ===", flush=True)
        if subprocess.run([sys.executable, "-m", "bench", name], check=False).returncode != 0:
            failed.append(name)
        print(flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
