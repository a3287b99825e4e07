"""Run one build with its phases timed, for the benchmark only (no timing code in the product).

    python -m bench.timed_build REPORT.json kb build --audience public --docs D --site-dir S
    python -m bench.timed_build REPORT.json mkdocs build -f plain/mkdocs.yml -d S

``kb build`` runs the product's own command line in this process. Its MkDocs step, which it starts as
``python -m mkdocs build …``, runs here too, with the same arguments and environment, so that it can be
timed: every plugin and hook event handler is wrapped to measure its own time (excluding nested
builds), and every ``build()`` call (mkdocs-static-i18n makes one per further language) records its
span and language. Any other command the build starts (e.g. ``pagefind``) runs as usual and is timed.
REPORT.json gets the events' times by origin and event, the language spans and the external steps.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

_real_run = subprocess.run


class Recorder:
    def __init__(self):
        self.events: dict[tuple[str, str, str], float] = defaultdict(float)  # (origin, event, lang) -> s
        self.calls: dict[tuple[str, str, str], int] = defaultdict(int)
        self.spans: list[dict] = []  # one per build(): language, seconds, nested seconds
        self.steps: list[dict] = []  # external commands
        self.config_seconds = 0.0  # loading mkdocs.yml and the plugins
        self.mkdocs_end: float | None = None  # when the MkDocs step ended (kb build then replaces the site)
        self.stack: list[list[float]] = []  # [time spent in nested timed work] per open frame
        self.lang = "?"
        self.depth = 0  # builds in progress

    def timed(self, run, record):
        """Call ``run()``; its time minus nested timed work goes to ``record(own, total)``."""
        self.stack.append([0.0])
        start = time.perf_counter()
        try:
            return run()
        finally:
            total = time.perf_counter() - start
            nested = self.stack.pop()[0]
            if self.stack:
                self.stack[-1][0] += total
            record(total - nested, total)

    def wrap_events(self, plugins) -> None:
        if getattr(plugins, "_bench_timed", False):
            return
        plugins._bench_timed = True
        for event, methods in plugins.events.items():
            for i, method in enumerate(methods):
                origin = plugins._event_origins.get(method, getattr(method, "__module__", "?"))
                wrapper = self._event_wrapper(method, origin, event)
                methods[i] = wrapper
                plugins._event_origins[wrapper] = origin

    def _event_wrapper(self, method, origin: str, event: str):
        def wrapper(*args, **kwargs):
            def record(own, total):
                key = (origin, event, self.lang)
                self.events[key] += own
                self.calls[key] += 1

            return self.timed(lambda: method(*args, **kwargs), record)

        wrapper.mkdocs_priority = getattr(method, "mkdocs_priority", 0)
        return wrapper

    def wrap_build(self, build):
        def timed_build(config, *args, **kwargs):
            self.wrap_events(config.plugins)
            i18n = config.plugins.get("i18n")
            lang = (i18n.current_language or i18n.default_language) if i18n else config.theme["language"]
            outer, self.lang = self.lang, lang
            span = {"lang": lang, "depth": self.depth}
            self.depth += 1

            def record(own, total):
                span["seconds"] = total
                self.spans.append(span)

            try:
                return self.timed(lambda: build(config, *args, **kwargs), record)
            finally:
                self.lang, self.depth = outer, self.depth - 1

        return timed_build

    def run(self, command, *args, env=None, cwd=None, **kwargs):
        """``subprocess.run``: MkDocs in this process, anything else as usual, both timed."""
        if list(command[1:3]) == ["-m", "mkdocs"]:
            with _environment(env), _directory(cwd):
                status = run_mkdocs(list(command[3:]))
            self.mkdocs_end = time.perf_counter()
            return subprocess.CompletedProcess(command, status)
        start = time.perf_counter()
        result = _real_run(command, *args, env=env, cwd=cwd, **kwargs)
        self.steps.append({"command": [str(c) for c in command], "seconds": time.perf_counter() - start})
        return result

    def wrap_config(self, load_config):
        def timed_load_config(*args, **kwargs):
            start = time.perf_counter()
            try:
                return load_config(*args, **kwargs)
            finally:
                self.config_seconds += time.perf_counter() - start

        return timed_load_config

    def report(self) -> dict:
        return {
            "config_seconds": self.config_seconds,
            "events": [
                {"origin": o, "event": e, "lang": lang, "seconds": s, "calls": self.calls[o, e, lang]}
                for (o, e, lang), s in sorted(self.events.items())
            ],
            "spans": self.spans,
            "steps": self.steps,
        }


@contextlib.contextmanager
def _environment(env):
    saved = dict(os.environ)
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _directory(path):
    saved = os.getcwd()
    os.chdir(path or saved)
    try:
        yield
    finally:
        os.chdir(saved)


def run_mkdocs(argv: list[str]) -> int:
    """``mkdocs ARGV`` in this process; its exit status."""
    from mkdocs.__main__ import cli

    try:
        cli.main(args=argv, prog_name="mkdocs", standalone_mode=False)
    except Exception as err:
        print(f"mkdocs failed: {err}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    report_path, tool, *args = argv
    recorder = Recorder()
    import mkdocs.commands.build as mkdocs_build
    import mkdocs.config

    with contextlib.suppress(ImportError):  # imported first: it keeps its own reference to build()
        import mkdocs_static_i18n.plugin as i18n_plugin

        i18n_plugin.build = recorder.wrap_build(i18n_plugin.build)
    mkdocs_build.build = recorder.wrap_build(mkdocs_build.build)
    mkdocs.config.load_config = recorder.wrap_config(mkdocs.config.load_config)
    subprocess.run = recorder.run
    start = time.perf_counter()
    if tool == "kb":
        from kb.__main__ import main as kb_main

        status = kb_main(args)
    else:
        status = run_mkdocs(args)
    end = time.perf_counter()
    report = recorder.report() | {
        "status": status,
        "seconds": end - start,
        "after_mkdocs_seconds": end - recorder.mkdocs_end if recorder.mkdocs_end else 0.0,
    }
    Path(report_path).write_text(json.dumps(report, indent=1), encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
