"""kb/render.py: a body as the site renders it, read for the checker, and kept on disk between runs."""

from __future__ import annotations

import pytest
from conftest import ROOT

from kb import render

BODY = '第一段。\n\n[联席会议](joint-meeting.md#第二条){: onclick="x()" }\n\n![图](../images/chart.png)\n'


def fresh(cache):
    return render.Renderer(*render.markdown_settings(ROOT / "mkdocs.yml"), cache=cache)


def test_a_body_is_read_as_published(tmp_path):
    page = fresh(tmp_path / "cache.json").read(BODY)
    assert [(r.tag, r.attribute, r.reason) for r in page.removals] == [("a", "onclick", "event")]
    assert page.links == ("joint-meeting.md#第二条",) and page.sources == ("../images/chart.png",)


def bodies(count: int, start: int = 0) -> list[str]:
    return [f"{BODY}\n第{n}段。\n" for n in range(start, start + count)]


def test_the_next_process_reads_what_this_one_rendered(tmp_path, monkeypatch):
    cache = tmp_path / "cache.json"
    first = fresh(cache)
    expected = [first.read(body) for body in bodies(render.LOAD_FROM)]
    first.save()
    second = fresh(cache)
    monkeypatch.setattr(second._markdown, "convert", lambda text: pytest.fail("rendered again"))
    assert [second.read(body) for body in bodies(render.LOAD_FROM)] == expected


def test_a_few_new_bodies_do_not_write_the_file_again(tmp_path):
    """make serve saves after every edit: one new body is quicker to render again than a large
    library's file to write. The bodies kept are written with the next batch that is worth it."""
    cache = tmp_path / "cache.json"
    first = fresh(cache)
    for body in bodies(render.LOAD_FROM):
        first.read(body)
    first.save()
    written = cache.stat().st_mtime_ns, cache.read_bytes()
    few = bodies(render.LOAD_FROM - 1, start=render.LOAD_FROM)
    for body in few:
        first.read(body)
    first.save(keep=first._done)
    assert (cache.stat().st_mtime_ns, cache.read_bytes()) == written
    first.read(f"{BODY}\n又一段。\n")  # one more makes a batch
    first.save(keep=first._done)
    assert len(render._load(cache, first.fingerprint)) == 2 * render.LOAD_FROM


def test_a_cache_of_other_settings_or_unreadable_is_ignored(tmp_path):
    cache = tmp_path / "cache.json"
    first = fresh(cache)
    for body in bodies(render.LOAD_FROM):
        first.read(body)
    first.save()
    assert cache.is_file()
    other = render.Renderer(["tables"], {}, cache=cache)  # other extensions: another fingerprint
    assert other._done == {}
    cache.write_text("{not json", encoding="utf-8")
    assert fresh(cache).read(BODY).links == ("joint-meeting.md#第二条",)
