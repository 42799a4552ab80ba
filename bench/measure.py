"""Running one command and summarising repeated runs, for bench/run.py and its task modules.

`timed` runs a command under `/usr/bin/time -v` and returns its wall time, CPU time (user + system of the
child and its threads) and peak resident memory; `Runs` keeps the figures of repeated runs and gives the
median with its min–max spread.
"""
import os
import re
import signal
import statistics
import subprocess
import tempfile
import time


class CommandFailed(Exception):
    """A measured command exited non-zero, was killed, or ran past its time limit."""

    def __init__(self, cmd, reason, stderr=""):
        super().__init__(f"{os.path.basename(cmd[0])} {' '.join(cmd[1:3])}…: {reason}")
        self.reason = reason
        self.stderr = stderr


class Run:
    """One measured process: wall and CPU seconds, peak RSS in MB, its standard output."""

    def __init__(self, wall, cpu, rss_mb, stdout):
        self.wall, self.cpu, self.rss_mb, self.stdout = wall, cpu, rss_mb, stdout


def _field(report, name, cast=float, default=0):
    match = re.search(rf"{re.escape(name)}: (\S+)", report)
    return cast(match.group(1)) if match else default


def _tree_rss_mb(pid):
    """Resident memory of pid's children (the program `time` runs, and anything it started), in MB."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/task/{current}/children") as f:
                children = [int(c) for c in f.read().split()]
        except OSError:
            continue
        for child in children:
            try:
                with open(f"/proc/{child}/status") as f:
                    total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
            except (OSError, StopIteration, ValueError):
                pass
            stack.append(child)
    return total / 1024


def timed(cmd, timeout=None, memory_cap_mb=None, cwd=None):
    """Runs cmd under /usr/bin/time -v; raises CommandFailed (with the reason) unless it succeeds in time.

    The command gets its own process group, so a time limit or memory cap (resident memory, polled every
    0.2 s) ends the measured program too, not only `time`.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t, \
            tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", t.name] + cmd, stdout=out, stderr=err,
                                text=True, cwd=cwd, start_new_session=True)
        stopped = None
        try:
            while proc.poll() is None:
                try:
                    proc.wait(timeout=0.2)
                except subprocess.TimeoutExpired:
                    pass
                if proc.returncode is not None:
                    break
                if timeout is not None and time.perf_counter() - start > timeout:
                    stopped = f"stopped after the {timeout:.0f} s time limit"
                elif memory_cap_mb is not None and _tree_rss_mb(proc.pid) > memory_cap_mb:
                    stopped = f"stopped when its resident memory passed the {memory_cap_mb:.0f} MB cap"
                if stopped:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
        except BaseException:
            # Ctrl-C or SIGTERM of the bench: the measured program runs in its own session, end it too.
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        wall = time.perf_counter() - start
        report = t.read()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if stopped:
        raise CommandFailed(cmd, stopped + f" ({wall:.0f} s)", stderr)
    signalled = re.search(r"Command terminated by signal (\d+)", report)
    if signalled:
        number = int(signalled.group(1))
        reason = f"killed by signal {number}" + (" (out of memory?)" if number == signal.SIGKILL else "")
        raise CommandFailed(cmd, reason, stderr)
    if proc.returncode != 0:
        last = stderr.strip().splitlines()[-1] if stderr.strip() else ""
        raise CommandFailed(cmd, f"exit status {proc.returncode}: {last[:200]}", stderr)
    cpu = _field(report, "User time (seconds)") + _field(report, "System time (seconds)")
    rss = _field(report, "Maximum resident set size (kbytes)", int) / 1024
    return Run(wall, cpu, rss, stdout)


class Runs:
    """The results (dicts of figures) of repeated runs of one system on one task."""

    def __init__(self, results):
        self.results = list(results)
        self.count = len(self.results)

    @classmethod
    def collect(cls, repeat, run):
        return cls(run() for _ in range(repeat))

    def values(self, key):
        return [r[key] for r in self.results if isinstance(r.get(key), (int, float)) and not isinstance(r.get(key), bool)]

    def median(self, key):
        """Median of a numeric field over the runs (None when no run has it); other fields from the first run."""
        v = self.values(key)
        if v:
            return statistics.median(v)
        return self.results[0].get(key) if self.results else None

    def cell(self, key, digits=2):
        """'median' for one run or identical runs, else 'median <sub>min–max</sub>' (markdown small print)."""
        v = self.values(key)
        if not v:
            return "—"
        m = statistics.median(v)
        text = number(m, digits)
        if len(v) > 1 and min(v) != max(v):
            text += f" <sub>{number(min(v), digits)}–{number(max(v), digits)}</sub>"
        return text


def number(x, digits=2):
    """Large figures without decimals, the rest rounded to `digits` places."""
    if isinstance(x, int) or abs(x) >= 1000:
        return f"{x:.0f}"
    return f"{x:.{digits}f}"


def ratio(ours, theirs, higher_is_better=False):
    """TopicKit's advantage: > 1× means TopicKit is faster, smaller or more accurate."""
    if not ours or not theirs:
        return "—"
    r = ours / theirs if higher_is_better else theirs / ours
    return f"{r:.2f}×" if r < 10 else f"{r:.1f}×"


def table(title, header, rows, note=""):
    lines = [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n" + (f"\n{note}\n" if note else "")


def write_atomically(path, text):
    """Writes `text` to `path` through a temporary file and a rename, so a stopped run leaves the old file."""
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
