"""Cold-process time and peak memory of `jixiao generate` on the example department.

Targets (issue 2): under 2 s and under 300 MB on the 2-core machines. Each run is a fresh Python
process, as a user's command would be; peak memory is the child's max RSS from wait4().

    .venv/bin/python evals/generate_benchmark.py [--runs 5] [--data examples/taojiang-rsj-2024.yaml]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 2.0
TARGET_MB = 300.0


def run_once(data: Path, workdir: Path) -> tuple[float, float, int]:
    output = workdir / "out.docx"
    command = [sys.executable, "-m", "assistant.cli", "generate", str(data), "-o", str(output),
               "--text", str(workdir / "out.txt")]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1) or not output.exists():
        raise SystemExit(f"generate failed with exit {code}: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024, code  # ru_maxrss is KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=ROOT / "examples" / "taojiang-rsj-2024.yaml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        results = [run_once(args.data, Path(directory)) for _ in range(args.runs)]
    times = [r[0] for r in results]
    memory = max(r[1] for r in results)
    median = statistics.median(times)
    print(f"jixiao generate {args.data.name}: {args.runs} cold runs")
    print(f"  wall time  median {median:.2f} s, max {max(times):.2f} s   (target < {TARGET_SECONDS:.0f} s)")
    print(f"  peak RSS   {memory:.0f} MB                    (target < {TARGET_MB:.0f} MB)")
    ok = max(times) < TARGET_SECONDS and memory < TARGET_MB
    print("  result     " + ("within targets" if ok else "OUTSIDE TARGETS"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
