"""SpamAssassin, an engine no one here wrote, scoring messages as they would be sent.

Local rules only (`-L`: no DNS blocklists, URIBL, Razor, Pyzor, DCC or DKIM/SPF
lookups) and no user preferences (`-x`). One `spamd` serves a whole run: SpamAssassin
loads its rules once (a second or two) instead of once per message (`spamassassin -t`, 0.6 to
0.9 s each), and `spamc` sends it the messages, two at a time. It listens on a Unix
socket in a private temporary folder: no port to pick or collide with, and no other
user of the machine can reach it. `MAILKIT_SPAMD` names another `spamd`; its `spamc` is
looked for beside it, then on the PATH.

A rule's points are either *content* (what the message says and carries: body,
subject, the headers the sender writes) or *delivery* (relays, reverse DNS, DKIM, SPF,
DMARC, reputation lists, Bayes: what the sending service and the receiving side add,
which a local file cannot show). `DELIVERY` tells them apart by the rule's name.

A library: it scores bytes and parses the report; composing the message is the
caller's (commands/send.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from .model import Finding

NAME = "spamassassin"  # the family of its findings
SPAMD_ENV = "MAILKIT_SPAMD"
INSTALL = (f"install it (Debian, Ubuntu: apt-get install spamd spamc, as scripts/bootstrap.sh "
           f"does; macOS: brew install spamassassin) or set {SPAMD_ENV} to a spamd")
START_TIMEOUT = 90.0  # s: spamd compiles its rules first; a loaded CI machine is slow
#: Rules about the way a message travels and who sent it, not what it says: relays and
#: their reverse DNS, authentication, reputation lists, Bayes, the sending clock.
DELIVERY = re.compile(
    r"^(?:T_)?(?:RCVD_|RDNS_|NO_RECEIVED$|NO_RELAYS$|ALL_TRUSTED$|DKIM|DMARC|SPF_|ARC_|"
    r"BAYES_|TXREP|AWL|RAZOR|PYZOR|DCC_|URIBL_|SURBL_|DNSWL|HELO_|FSL_HELO|DOS_|DYN_|"
    r"KHOP_|DATE_IN_)|NORDNS")
_ROW = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s+([A-Z][A-Z0-9_]+)\s+(.*?)\s*$")
_VERSION = re.compile(r"running version (\S+?)\)")
SBIN = "/usr/sbin:/usr/local/sbin"  # where Debian puts spamd: not on every user's PATH


class SpamAssassinError(RuntimeError):
    """SpamAssassin is missing, did not start, or did not answer."""


@dataclass(frozen=True)
class Hit:
    """One rule that fired, with its points as SpamAssassin's report rounds them."""

    rule: str
    points: float
    description: str

    @property
    def content(self) -> bool:
        return DELIVERY.search(self.rule) is None


@dataclass(frozen=True)
class Score:
    """SpamAssassin's verdict on one message."""

    points: float
    required: float  # from this many points, the message is spam
    hits: tuple[Hit, ...]

    @property
    def content(self) -> float:
        return round(sum(h.points for h in self.hits if h.content), 1)

    @property
    def delivery(self) -> float:
        return round(sum(h.points for h in self.hits if not h.content), 1)


def parse_report(report: str) -> Score:
    """`spamc -R`'s output: `points/required`, then the report with its table of rules
    (a description may wrap onto indented lines)."""
    head, _, rest = report.partition("\n")
    try:
        points, required = (float(x) for x in head.strip().split("/"))
    except ValueError:
        raise SpamAssassinError(f"spamc gave no score: {head.strip()[:80]!r}") from None
    hits: list[list] = []
    table = False
    for line in rest.splitlines():
        if not table:
            table = bool(line.strip()) and set(line.strip()) <= {"-", " "}
            continue
        row = _ROW.match(line)
        if row:
            hits.append([row.group(2), float(row.group(1)), row.group(3)])
        elif hits and line.startswith(" " * 8) and line.strip():
            hits[-1][2] += " " + line.strip()
        elif not line.strip():
            break
    return Score(points, required, tuple(Hit(r, p, d) for r, p, d in hits))


def find(environ: Mapping[str, str] = os.environ) -> tuple[str, str]:
    """The `spamd` and `spamc` to run: `MAILKIT_SPAMD`'s, or the installed ones."""
    path = environ.get("PATH", os.defpath)
    named = environ.get(SPAMD_ENV, "").strip()
    if named:
        spamd = shutil.which(named, path=path) or ""
        if not spamd:
            raise SpamAssassinError(f"{SPAMD_ENV}={named}: no such program")
    else:
        spamd = shutil.which("spamd", path=f"{path}{os.pathsep}{SBIN}") or ""
        if not spamd:
            raise SpamAssassinError(f"SpamAssassin is not installed: {INSTALL}")
    spamc = (shutil.which("spamc", path=str(Path(spamd).parent))
             or shutil.which("spamc", path=path))
    if not spamc:
        raise SpamAssassinError(f"no spamc beside {spamd} nor on the PATH: {INSTALL}")
    return spamd, spamc


class Spamd:
    """A private `spamd -L` for one run; `score()` a message through `spamc`."""

    def __init__(self, environ: Mapping[str, str] = os.environ, workers: int = 2) -> None:
        self.spamd, self.spamc = find(environ)
        self.workers = workers
        self.version = ""
        self.seconds = 0.0  # to start
        self._proc: subprocess.Popen | None = None
        self._dir = ""

    def __enter__(self) -> Spamd:
        start = time.perf_counter()
        self._dir = tempfile.mkdtemp(prefix="mailkit-spamd-")  # 0700: ours alone
        self.socket = os.path.join(self._dir, "spamd.sock")
        self.log = Path(self._dir) / "spamd.log"
        env = {**os.environ, "LANG": "C", "LC_ALL": "C"}  # the report in English
        with open(self.log, "wb") as log:
            self._proc = subprocess.Popen(
                [self.spamd, "-L", "-x", f"--socketpath={self.socket}", "--min-children=1",
                 f"--max-children={self.workers}", "-s", "stderr"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env)
        try:
            self._wait()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        self.seconds = time.perf_counter() - start
        return self

    def _wait(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                raise SpamAssassinError(f"spamd stopped (exit {self._proc.returncode}): "
                                        f"{self._tail()}")
            if os.path.exists(self.socket) and subprocess.run(
                    [self.spamc, "-U", self.socket, "-K"], capture_output=True).returncode == 0:
                found = _VERSION.search(self.log.read_text("utf-8", "replace"))
                self.version = found.group(1) if found else ""
                return
            time.sleep(0.1)
        raise SpamAssassinError(f"spamd did not answer in {START_TIMEOUT:.0f} s: {self._tail()}")

    def _tail(self) -> str:
        try:
            lines = self.log.read_text("utf-8", "replace").strip().splitlines()
        except OSError:
            return "no log"
        return " | ".join(lines[-3:]) or "no log"

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()  # spamd stops its children
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None
        shutil.rmtree(self._dir, ignore_errors=True)

    def score(self, message: bytes) -> Score:
        """One message through spamc (`-x`: an error, never a silent pass)."""
        size = str(max(len(message) + 4096, 512_000))  # spamc skips what is over its limit
        try:
            done = subprocess.run([self.spamc, "-U", self.socket, "-x", "-R", "-s", size],
                                  input=message, capture_output=True, timeout=120)
        except subprocess.TimeoutExpired:
            raise SpamAssassinError(f"spamc gave no answer in 120 s: {self._tail()}") from None
        if done.returncode not in (0, 1):
            raise SpamAssassinError(f"spamc failed (exit {done.returncode}): "
                                    f"{done.stderr.decode('utf-8', 'replace').strip()[:200]}"
                                    f" | {self._tail()}")
        return parse_report(done.stdout.decode("utf-8", "replace"))

    def score_all(self, messages: Sequence[bytes]) -> list[Score]:
        with ThreadPoolExecutor(self.workers) as pool:
            return list(pool.map(self.score, messages))


def findings(score: Score, version: str = "") -> list[Finding]:
    """A finding per rule that fired, and the score: any content point is an error (the
    gate is 0 content points); delivery points, and rules worth nothing, are info."""
    out = []
    for hit in score.hits:
        kind = "content" if hit.content else "delivery"
        severity = "error" if hit.content and hit.points > 0 else "info"
        out.append(Finding(severity, NAME, f"{hit.points:.1f} {kind} points: "
                           f"{hit.description}", hit.rule))
    engine = f"SpamAssassin {version}".strip()
    out.append(Finding("info", NAME, f"{engine}, local rules only: {score.points:.1f} points "
                       f"(content {score.content:.1f}, delivery {score.delivery:.1f}; "
                       f"spam from {score.required:.1f}); reverse DNS, DKIM, SPF, DMARC, "
                       "blocklists and Bayes are not scored offline", "score"))
    return out
