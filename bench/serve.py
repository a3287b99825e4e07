"""How long after saving a document ``make serve`` shows the change.

Runs the ``mkdocs serve`` command of the Makefile's ``serve`` target (its flags, another port) on the
scratch copy, waits for the first build, then edits one document and polls its page until the edit is
served. The document is restored afterwards and the server stopped (its own process group only).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from kb.data import PROJECT_ROOT


def make_serve_flags() -> list[str]:
    """The arguments of ``mkdocs serve`` in the Makefile's ``serve`` target, without ``--dev-addr``."""
    recipe = re.search(r"^serve:.*\n\t.*?mkdocs serve(.*)$", (PROJECT_ROOT / "Makefile").read_text(), re.M)
    flags = recipe.group(1).split() if recipe else []
    return [f for i, f in enumerate(flags) if f != "--dev-addr" and (i == 0 or flags[i - 1] != "--dev-addr")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, text: str | None, limit_s: float) -> float | None:
    """Seconds until ``url`` answers (and contains ``text``), polling every 0.2 s; None after the limit."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit_s:
        body = _get(url)
        if body is not None and (text is None or text in body):
            return time.perf_counter() - start
        time.sleep(0.2)
    return None


def measure(
    docs: Path,
    document: str,
    env: dict,
    log: Path,
    extra_flags: tuple[str, ...] = (),
    edits: int = 2,
    limit_s: float = 1800,
) -> dict:
    """Start the server on ``docs``, edit ``document`` (a path under docs/) ``edits`` times."""
    port = _free_port()
    flags = [*make_serve_flags(), *extra_flags, "--dev-addr", f"127.0.0.1:{port}"]
    command = [sys.executable, "-m", "mkdocs", "serve", *flags]
    url = f"http://127.0.0.1:{port}/{document.removesuffix('.md')}/"
    source = docs / document
    original = source.read_bytes()
    result: dict = {"command": "mkdocs serve " + " ".join(flags), "document": document, "edits": []}
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=dict(env, KB_DOCS_DIR=str(docs)),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        result["first_build_s"] = _wait_for(url, None, limit_s)
        for n in range(edits if result["first_build_s"] is not None else 0):
            marker = f"BENCHEDIT{n}{time.time_ns()}"
            time.sleep(1.5)  # a new modification time, and the watcher settled
            source.write_bytes(original + f"\n\n{marker}\n".encode())
            result["edits"].append(_wait_for(url, marker, limit_s))
    finally:
        source.write_bytes(original)
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    done = [s for s in result["edits"] if s is not None]
    result["change_shown_s"] = max(done) if done and len(done) == len(result["edits"]) else None
    return result
