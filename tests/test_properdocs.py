"""Platform continuity: MkDocs 1.x is no longer maintained and MkDocs 2.0 drops plugins and themes;
ProperDocs continues MkDocs 1.x. The same mkdocs.yml, plugin and theme build the same site with it:
the same pages, byte for byte but for the generator's name."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import BUILD_DATE, FIXTURE_DOCS, ROOT
from outputscan import scan_site

GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


def pages(site: Path) -> dict[str, str]:
    """Every file of a site but the search bundles (written by Pagefind, not the site generator)."""
    return {
        p.relative_to(site).as_posix(): GENERATOR.sub("", p.read_text(encoding="utf-8", errors="replace"))
        for p in sorted(site.rglob("*"))
        if p.is_file() and "pagefind" not in p.parts
    }


def test_properdocs_builds_the_same_site(fixture_sites, tmp_path):
    env = dict(
        os.environ,
        KB_DOCS_DIR=str(FIXTURE_DOCS),
        KB_BUILD_DATE=BUILD_DATE,
        KB_AUDIENCE="public",
        NO_MKDOCS_2_WARNING="1",
    )
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("properdocs")),
            "build",
            "--strict",
            "-f",
            str(ROOT / "mkdocs.yml"),
            "-d",
            str(tmp_path / "site"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    built = pages(tmp_path / "site")
    expected = pages(fixture_sites["public"])
    assert sorted(built) == sorted(expected)
    assert [name for name in expected if built[name] != expected[name]] == []
    assert (tmp_path / "site" / "pagefind" / "pagefind.js").is_file()
    assert scan_site(tmp_path / "site") == []
