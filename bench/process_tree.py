"""Run a command and measure its wall time and the peak memory of its whole process tree.

The kernel's maximum resident size of a process (what bench/run.py reads for the DuckDB steps) leaves out children
that the process does not wait for, such as the JVM that PySpark starts for dbt-spark: most of a Spark build's
memory. So here the memory of the process and every descendant is summed, every 0.1 s, from /proc, and the largest
sum is the peak (a peak shorter than a sample can be missed: a close lower bound, not exact). Each process counts
its proportional set size (Pss), not its resident size: the JVM forks short-lived children (Hadoop runs chmod and
the like) that share all its pages until they exec, and resident sizes would count those pages twice.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
SAMPLE_SECONDS = 0.1


def parents() -> dict[int, int]:
    """Each running process's parent."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # The command name, in parentheses, may hold spaces: the fields after it are split.
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                found[int(entry.name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                pass  # gone meanwhile
    return found


def memory_bytes(pid: int) -> int:
    """A process's proportional set size; its resident size where the kernel gives no Pss; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


def tree_memory_bytes(root: int) -> int:
    """The summed memory of root and all its descendants."""
    children: dict[int, list[int]] = {}
    for pid, parent in parents().items():
        children.setdefault(parent, []).append(pid)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += memory_bytes(pid)
        stack.extend(children.get(pid, []))
    return total


def run_sampled(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int, bytes]:
    """Run the command; return its wall time (s), the peak memory of its process tree (MB of 2^20 bytes, as
    bench/run.py counts), its exit code and its output (stdout and stderr together)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output: list[bytes] = []
    reader = threading.Thread(target=lambda: output.append(process.stdout.read() if process.stdout else b""))
    reader.start()
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_memory_bytes(process.pid))
        time.sleep(SAMPLE_SECONDS)
    reader.join()
    return time.perf_counter() - started, peak / (1 << 20), process.returncode, b"".join(output)
