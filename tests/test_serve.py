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


def test_the_garbage_of_a_rebuild_is_collected_when_no_other_follows_soon(monkeypatch):
    """After the first build of make serve Python collects nothing by itself: a rebuild's garbage is
    collected QUIET_S after it when no other rebuild began meanwhile, SHOWN_S after a rebuild that
    followed an uncollected one, and at the start of a rebuild when two rebuilds' garbage is waiting
    (rebuilds that failed end without a collection); a plain build leaves the collector alone."""
    import gc
    import weakref

    class Cycle:
        pass

    def garbage() -> weakref.ref:
        cycle = Cycle()
        cycle.itself = cycle
        return weakref.ref(cycle)

    monkeypatch.setattr(serve, "QUIET_S", 0.3)
    monkeypatch.setattr(serve, "SHOWN_S", 0.1)
    kb = types.SimpleNamespace(serving=True, built={}, collector=None, uncollected=0, stale={"zh": None})
    try:
        gc.enable()
        first = garbage()
        serve.rebuild_starts(kb)  # the first build: nothing to do
        serve.collect_when_idle(kb)
        assert first() is None and not gc.isenabled() and kb.uncollected == 0
        kb.built, kb.stale = {"zh": ("site", object())}, {"zh": object()}  # rebuilds from now on
        serve.rebuild_starts(kb)
        one = garbage()
        serve.collect_when_idle(kb)
        assert kb.collector.interval == 0.3
        waiting = kb.collector
        serve.rebuild_starts(kb)  # an edit saved before the collection
        waiting.join(1)
        assert not waiting.is_alive() and one() is not None and kb.uncollected == 2
        two = garbage()
        serve.collect_when_idle(kb)
        assert kb.collector.interval == 0.1
        kb.collector.join(5)
        assert one() is None and two() is None and kb.uncollected == 0
        serve.rebuild_starts(kb)
        three = garbage()
        serve.rebuild_starts(kb)  # the last one failed: no collection was asked for
        assert three() is not None and kb.uncollected == 2
        serve.rebuild_starts(kb)
        assert three() is None and kb.uncollected == 1
        plain = types.SimpleNamespace(serving=False, built={"zh": ("site", object())}, collector=None, uncollected=0)
        serve.rebuild_starts(plain)
        assert plain.uncollected == 0
    finally:
        if kb.collector is not None:
            kb.collector.cancel()
        gc.enable()


def test_a_rebuild_gets_copies_of_the_files_while_the_folder_holds_the_same(tmp_path, monkeypatch):
    """MkDocs' Files of the docs folder are made once per session and copied to each rebuild while the
    folder holds the same files; a file added or removed is seen at once."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    docs = copy_fixture(tmp_path)
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site"))
    made = getattr(mkdocs_build.get_files, "made", mkdocs_build.get_files)
    monkeypatch.setattr(mkdocs_build, "get_files", made)
    serve.remember_files()
    serve.remember_files()  # a second session start changes nothing
    remembered = mkdocs_build.get_files

    def described(files) -> list[tuple]:
        return [(f.src_uri, f.dest_uri, f.url, f.abs_src_path, f.abs_dest_path, f.inclusion) for f in files]

    first, second = remembered(config), remembered(config)
    assert described(first) == described(second) == described(made(config))
    assert all(a is not b for a, b in zip(first, second, strict=True))
    second.get_file_from_path("policies/joint-meeting.md").page = "a page of this build"
    assert getattr(remembered(config).get_file_from_path("policies/joint-meeting.md"), "page", None) is None
    (docs / "policies" / "new-rules.md").write_text("---\ntitle: 新\n---\n", encoding="utf-8")
    (docs / "cases" / "lao-ma.md").unlink()
    now = [f.src_uri for f in remembered(config)]
    assert "policies/new-rules.md" in now and "cases/lao-ma.md" not in now
    assert described(remembered(config)) == described(made(config))


def test_pages_made_in_a_session_have_the_addresses_and_date_mkdocs_gives_them(tmp_path, monkeypatch):
    from mkdocs.config import load_config
    from mkdocs.structure import pages as mkdocs_pages
    from mkdocs.structure.files import File

    monkeypatch.setattr(
        mkdocs_pages.Page,
        "_set_canonical_url",
        getattr(mkdocs_pages.Page._set_canonical_url, "made", mkdocs_pages.Page._set_canonical_url),
    )
    monkeypatch.setattr(mkdocs_pages, "get_build_date", mkdocs_pages.get_build_date)
    docs = tmp_path / "docs"
    docs.mkdir()
    configs = [
        load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site"), site_url=url)
        for url in ("https://example.org/kb/", "https://example.org/other", "")
    ]

    def made(config) -> list[tuple]:
        pages = [
            mkdocs_pages.Page(None, File(path, str(docs), config.site_dir, True), config)
            for path in ("index.md", "policies/joint-meeting.md", "en/about.md")
        ]
        return [(p.canonical_url, p.abs_url, p.update_date) for p in pages]

    expected = [made(config) for config in configs]
    serve.lighter_pages()
    serve.lighter_pages()  # a second session start changes nothing
    assert [made(config) for config in configs] == expected
    assert [made(config) for config in configs] == expected  # and again, remembered
    assert expected[0][1][:2] == ("https://example.org/kb/policies/joint-meeting/", "/kb/policies/joint-meeting/")
    assert expected[1][1][:2] == ("https://example.org/other/policies/joint-meeting/", "/other/policies/joint-meeting/")
    assert expected[2][1][:2] == (None, None)
    assert len(mkdocs_pages.Page._set_canonical_url.remembered) == 9


def test_a_rebuild_gets_copies_of_the_theme_files_and_sees_a_new_override(tmp_path, monkeypatch):
    """The theme's files are found once per session; each rebuild gets its own copies, the docs folder's
    own file still wins over the theme's, a file added to the overrides folder is seen, and a run with
    other static templates (a rebuild writes no sitemap) gets the files it would have without a new
    listing of the theme."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files, set_exclusions

    overrides = tmp_path / "overrides"  # the theme's custom_dir, beside the settings
    shutil.copytree(ROOT / "overrides", overrides)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    config = load_config(str(tmp_path / "mkdocs.yml"), docs_dir=str(ROOT / "docs"), site_dir=str(tmp_path / "site"))
    assert config.theme.custom_dir == str(overrides)
    env = config.theme.get_env()
    made = getattr(Files.add_files_from_theme, "made", Files.add_files_from_theme)
    listings = []

    def listed(files: Files, env, config) -> None:
        listings.append(config.theme.static_templates.copy())
        made(files, env, config)

    monkeypatch.setattr(Files, "add_files_from_theme", listed)
    serve.remember_theme_files()
    serve.remember_theme_files()  # a second session start changes nothing

    def theme_files(how) -> Files:
        files = Files([File("assets/images/favicon.png", config.docs_dir, config.site_dir, True)])
        how(files, env, config)
        set_exclusions(files, config)  # as a build does after the plugins' on_files
        return files

    def described(files: Files) -> list[tuple]:
        return [(f.src_uri, f.abs_src_path, f.abs_dest_path, f.url, f.inclusion) for f in files]

    first, second = theme_files(Files.add_files_from_theme), theme_files(Files.add_files_from_theme)
    assert described(first) == described(second) == described(theme_files(made))
    assert len(first) > 50 and first.get_file_from_path("assets/images/favicon.png").abs_src_path.startswith(
        config.docs_dir
    )
    assert all(a is not b for a, b in zip(first, second, strict=True))
    assert len(listings) == 1 and first.get_file_from_path("sitemap.xml") is None
    (overrides / "assets" / "kb-new.css").write_text("p {}\n", encoding="utf-8")
    env = config.theme.get_env()
    now = theme_files(Files.add_files_from_theme)
    assert now.get_file_from_path("assets/kb-new.css") is not None
    assert described(now) == described(theme_files(made))
    assert len(listings) == 2
    templates = config.theme.static_templates.copy()
    config.theme.static_templates.discard("sitemap.xml")
    rebuild = theme_files(Files.add_files_from_theme)
    assert described(rebuild) == described(theme_files(made)) and rebuild.get_file_from_path("sitemap.xml")
    assert len(listings) == 2 and config.theme.static_templates == templates - {"sitemap.xml"}


def test_a_rebuild_gets_copies_of_the_files_mkdocs_static_i18n_chose(tmp_path, monkeypatch):
    """mkdocs-static-i18n's choice of a file for each address of a language, and of its alternates, is
    made once while it is asked with the same files; each call gets copies of its own that list
    themselves among their alternates, after the theme's files of the call (a rebuild has other theme
    files than the first build: no sitemap); a file added to the docs folder is chosen at once."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, get_files
    from mkdocs_static_i18n import reconfigure

    docs = copy_fixture(tmp_path)
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site"))
    plugin = config.plugins["i18n"]
    plugin.current_language = "en"
    plugins = getattr(
        reconfigure.ExtendedPlugin.reconfigure_files, "made", reconfigure.ExtendedPlugin.reconfigure_files
    )
    calls = []

    def made(*args):
        calls.append(args)
        return plugins(*args)

    monkeypatch.setattr(reconfigure.ExtendedPlugin, "reconfigure_files", made)
    serve.remember_i18n_layout()
    serve.remember_i18n_layout()  # a second session start changes nothing
    remembered = reconfigure.ExtendedPlugin.reconfigure_files
    theme = File("assets/kb.css", str(ROOT / "overrides"), config.site_dir, True)
    sitemap = File("sitemap.xml", str(ROOT / "overrides"), config.site_dir, True)

    def chosen(how, *themes: File) -> list:
        files = get_files(config)
        for file in themes or (theme,):
            files.append(file)
        return list(how(plugin, files, config))

    def described(files: list) -> list[tuple]:
        return [
            (
                f.src_uri,
                f.dest_uri,
                f.url,
                getattr(f, "locale", None),
                {k: v.url for k, v in getattr(f, "alternates", {}).items()},
            )
            for f in files
        ]

    first, second, expected = chosen(remembered), chosen(remembered), chosen(made)
    assert described(first) == described(second) == described(expected)
    meeting = [f for f in second if f.src_uri == "policies/joint-meeting.en.md"]
    assert (
        meeting
        and meeting[0].alternates["en"] is meeting[0]
        and meeting[0].alternates["zh"].url == "policies/joint-meeting/"
    )
    assert all(a is not b for a, b in zip(first, second, strict=True) if a is not theme)
    assert theme in second  # the theme's files pass through as they are
    asked = len(calls)
    third = chosen(remembered, sitemap, theme)
    assert described(third) == described(chosen(made, sitemap, theme)) and third[:2] == [sitemap, theme]
    assert len(calls) == asked + 1  # the docs folder's files were chosen before: only made above was asked
    (docs / "policies" / "new-rules.en.md").write_text("---\ntitle: New\n---\n", encoding="utf-8")
    (docs / "policies" / "new-rules.md").write_text("---\ntitle: 新\n---\n", encoding="utf-8")
    assert described(chosen(remembered)) == described(chosen(made))
    assert "policies/new-rules.en.md" in [f.src_uri for f in chosen(remembered)]
