"""``make serve`` as an editor uses it: the real ``mkdocs serve --dirty --livereload`` in a process of its
own, on a copy of the fixture and of ``data/``; an edit to a label in ``data/`` shows on the next
rebuild (the vocabulary is read again, ``data/`` is watched), as an edit to a document does. The
server learns of changes from the operating system (hooks/serve.py)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import types
import urllib.request

import pytest
from conftest import BUILD_DATE, ROOT, copy_fixture
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.inotify import InotifyObserver
from watchdog.observers.polling import PollingObserver

from hooks import search, serve


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, text: str, seconds: float) -> str:
    """The page at ``url`` once it contains ``text``; fails after ``seconds``."""
    deadline, page = time.monotonic() + seconds, ""
    while time.monotonic() < deadline:
        try:
            page = fetch(url)
        except OSError:
            page = ""
        if text in page:
            return page
        time.sleep(0.3)
    pytest.fail(f"{url} did not show {text!r} within {seconds} s", pytrace=False)


@pytest.fixture
def served(tmp_path):
    docs, data = copy_fixture(tmp_path), tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    port = free_port()
    env = dict(
        os.environ, KB_DOCS_DIR=str(docs), KB_DATA_DIR=str(data), KB_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1"
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "-f",
            str(ROOT / "mkdocs.yml"),
            "--dev-addr",
            f"127.0.0.1:{port}",
            "--livereload",
            "--dirty",
            "--no-strict",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}/", docs, data
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
        assert "Traceback" not in err, err[-2000:]


def test_a_label_edited_while_serving_shows_on_the_next_rebuild(served):
    base, docs, data = served
    page = wait_for(base + "policies/", "政策文件", 120)
    assert "组织保障专题" not in page
    labels = data / "topics.yml"
    labels.write_text(
        labels.read_text(encoding="utf-8").replace("{zh: 工作格局,", "{zh: 组织保障专题,"), encoding="utf-8"
    )
    wait_for(base + "topics/structure/", "组织保障专题", 60)
    # and a document edited after it, as before
    doc = docs / "policies" / "joint-meeting.md"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace(
            "title: X区思想政治工作联席会议制度", "title: X区思想政治工作联席会议规则"
        ),
        encoding="utf-8",
    )
    wait_for(base + "policies/joint-meeting/", "联席会议规则", 60)
    # Search catches up once the site is left alone: the index of the last rebuild is put in place.
    wait_for(base + "pagefind/pagefind-entry.json", '"page_count"', search.QUIET_S + 60)


def test_a_served_sites_index_waits_until_the_site_is_left_alone(monkeypatch):
    started = []

    def start_index(site_dir, lang, background=False):
        started.append((site_dir, lang, background))
        return subprocess.Popen(["sleep", "60"])

    monkeypatch.setattr(search, "start_index", start_index)
    again = search.Later(ROOT / "site", "zh", delay_s=0.3)
    again.stop()  # a rebuild came before it started
    time.sleep(0.6)
    assert not started and again.process is None
    left_alone = search.Later(ROOT / "site", "zh", delay_s=0.05)
    deadline = time.monotonic() + 5
    while left_alone.process is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started == [(ROOT / "site", "zh", True)]
    running = left_alone.process
    assert running.poll() is None
    left_alone.stop()  # the next rebuild stops it, and goes on while it ends
    assert running.wait(timeout=5) == -signal.SIGTERM
    ended = search.Later(ROOT / "site", "zh", delay_s=0.05)
    deadline = time.monotonic() + 5
    while ended.process is None and time.monotonic() < deadline:
        time.sleep(0.05)
    ended.stop(wait=True)  # the end of serving waits for it
    assert ended.process.poll() == -signal.SIGTERM


def _server_watching(folder):
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(folder))
    server.watch(str(folder))
    server.watch(str(folder))  # asked twice (MkDocs counts): one unwatch must not drop it
    return server


def _notices_a_change(server, folder) -> bool:
    server.observer.start()
    try:
        time.sleep(0.3)
        (folder / "policies.md").write_text("changed", encoding="utf-8")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not server._want_rebuild:
            time.sleep(0.05)
        return server._want_rebuild
    finally:
        server.observer.stop()
        server.observer.join()


def test_serve_learns_of_changes_from_the_system_not_by_polling(tmp_path):
    """MkDocs polls every watched file twice a second (12 s to show an edit at 10,000 documents); make
    serve's observer is the system's, and it still sees a change in a folder MkDocs asked to watch."""
    server = _server_watching(tmp_path)
    assert isinstance(server.observer, PollingObserver)
    serve.watch_natively(server)
    assert isinstance(server.observer, InotifyObserver)
    server.unwatch(str(tmp_path))
    assert _notices_a_change(server, tmp_path)


def test_reading_a_watched_file_is_not_a_change(tmp_path):
    """Every rebuild reads the documents, and the system reports each read: taken for a change, it would
    start another rebuild, for ever. Only writing, creating, deleting or moving a file is one."""
    (tmp_path / "policies.md").write_text("before", encoding="utf-8")
    server = _server_watching(tmp_path)
    serve.watch_natively(server)
    server.observer.start()
    try:
        time.sleep(0.3)
        assert (tmp_path / "policies.md").read_text(encoding="utf-8") == "before"
        time.sleep(0.5)
        assert not server._want_rebuild
    finally:
        server.observer.stop()
        server.observer.join()
    server = _server_watching(tmp_path)
    serve.watch_natively(server)
    assert _notices_a_change(server, tmp_path)


def test_serve_keeps_polling_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_WATCH", "poll")
    server = serve.on_serve(None, _server_watching(tmp_path), None, lambda: None)
    assert isinstance(server.observer, PollingObserver)
    assert _notices_a_change(server, tmp_path)


def test_each_rebuild_gets_its_own_copy_of_a_remembered_i18n_file(tmp_path, monkeypatch):
    """mkdocs-static-i18n's copy of a file is made once per session; every call gets a copy of its own,
    the same as the plugin's (address, language), on which MkDocs may set a page and alternates."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File
    from mkdocs_static_i18n import reconfigure, suffix

    docs, site = tmp_path / "docs", tmp_path / "site"
    docs.mkdir()
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site))
    original = File("policies/joint-meeting.en.md", str(docs), str(site), True)
    made = getattr(
        suffix.create_i18n_file, "made", suffix.create_i18n_file
    )  # another test's build may have started serving
    monkeypatch.setattr(suffix, "create_i18n_file", made)
    inside = getattr(reconfigure.is_relative_to, "__wrapped__", reconfigure.is_relative_to)
    monkeypatch.setattr(reconfigure, "is_relative_to", inside)
    expected = made(original, "en", "zh", ["zh", "en"], config)
    serve.remember_i18n_files()
    serve.remember_i18n_files()  # a second session start changes nothing
    remembered = suffix.create_i18n_file
    first, second = (remembered(original, "en", "zh", ["zh", "en"], config) for _ in range(2))
    assert len(remembered.remembered) == 1
    assert first is not second and first.alternates is not second.alternates
    for copy in (first, second):
        assert (copy.dest_path, copy.url, copy.locale, copy.norm_src_uri) == (
            expected.dest_path,
            expected.url,
            expected.locale,
            expected.norm_src_uri,
        )
        assert copy.alternates == {"en": copy}
    first.alternates["zh"] = original
    assert "zh" not in second.alternates
    # another language is another copy
    assert remembered(original, "zh", "zh", ["zh", "en"], config).dest_path != first.dest_path
    # and whether a file is in the docs folder is asked once
    assert [reconfigure.is_relative_to(original.abs_src_path, str(place)) for place in (docs, site, docs)] == [
        True,
        False,
        True,
    ]
    assert reconfigure.is_relative_to.cache_info().hits == 1
    # and its lists of languages are made once per settings (a rebuild brings new ones)
    plugin = object.__new__(reconfigure.ExtendedPlugin)
    zh, en = (types.SimpleNamespace(locale=code, default=code == "zh") for code in ("zh", "en"))
    plugin.config = types.SimpleNamespace(languages=[zh, en])
    assert (plugin.all_languages, plugin.default_language) == (["zh", "en"], "zh")
    plugin.all_languages.append("fr")  # each caller gets its own list
    assert plugin.all_languages == ["zh", "en"]
    plugin.config = types.SimpleNamespace(languages=[types.SimpleNamespace(locale="en", default=True)])
    assert (plugin.all_languages, plugin.default_language) == (["en"], "en")


def test_a_rebuilds_garbage_is_collected_once_the_page_is_shown(monkeypatch):
    """After the first build make serve collects the garbage at once, after a rebuild when idle, and
    freezes what survives (so that the next rebuild's collections skip it); a later rebuild replaces a
    collection not yet run."""
    import gc
    import weakref

    class Cycle:
        pass

    def garbage() -> weakref.ref:
        cycle = Cycle()
        cycle.itself = cycle
        return weakref.ref(cycle)

    monkeypatch.setattr(serve, "IDLE_S", 0.2)
    kb = types.SimpleNamespace(collector=None, stale={"zh": None, "en": None})  # no previous build
    gc.disable()  # only make serve's collections may find it
    try:
        first = garbage()
        serve.collect_when_idle(kb)  # the first build
        assert first() is None and gc.get_freeze_count() > 0
        kb.stale = {"zh": object(), "en": object()}  # what a rebuild found changed
        later = garbage()
        serve.collect_when_idle(kb)
        replaced = kb.collector
        serve.collect_when_idle(kb)
        replaced.join(1)
        assert kb.collector is not replaced and not replaced.is_alive() and later() is not None
        kb.collector.join(5)
        assert later() is None and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_rebuild_reads_the_site_without_collecting(monkeypatch):
    """A rebuild of make serve reads and validates the site with the collector paused, and freezes what it
    read; a first build (nothing built yet) and a plain build leave the collector alone."""
    import gc

    try:
        for serving, built, paused in ((True, {"zh": ("site", None)}, True), (True, {}, False), (False, {}, False)):
            kb = types.SimpleNamespace(serving=serving, built=built, collector=None)
            gc.unfreeze()
            with serve.reading_without_collection(kb):
                assert gc.isenabled() is not paused
                kept = [object()]
            assert gc.isenabled() and (gc.get_freeze_count() > 0) is paused, (serving, built)
            del kept
    finally:
        gc.unfreeze()
        gc.enable()
