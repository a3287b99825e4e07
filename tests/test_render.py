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


def test_the_next_process_reads_what_this_one_rendered(tmp_path, monkeypatch):
    cache = tmp_path / "cache.json"
    first = fresh(cache)
    expected = first.read(BODY)
    first.save()
    second = fresh(cache)
    monkeypatch.setattr(second._markdown, "convert", lambda text: pytest.fail("rendered again"))
    assert second.read(BODY) == expected


def test_a_cache_of_other_settings_or_unreadable_is_ignored(tmp_path):
    cache = tmp_path / "cache.json"
    first = fresh(cache)
    first.read(BODY)
    first.save()
    other = render.Renderer(["tables"], {}, cache=cache)  # other extensions: another fingerprint
    assert other._done == {}
    cache.write_text("{not json", encoding="utf-8")
    assert fresh(cache).read(BODY).links == ("joint-meeting.md#第二条",)
