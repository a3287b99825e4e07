"""Shared fixtures: real MkDocs builds of a docs tree, per audience, into pytest's tmp_path."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DOCS = ROOT / "tests" / "fixtures" / "site" / "docs"
BUILD_DATE = "2026-11-28"
TODAY = dt.date.fromisoformat(BUILD_DATE)


def build_site(docs_dir: Path, site_dir: Path, audience: str = "public", site_url: str | None = None) -> Path:
    """Build ``docs_dir`` with the project's mkdocs.yml (strict) into ``site_dir``; return site_dir."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    env = {"KB_AUDIENCE": audience, "KB_BUILD_DATE": BUILD_DATE, "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        env["KB_SITE_URL"] = site_url
    saved = {key: os.environ.get(key) for key in [*env, "KB_SITE_URL"]}
    os.environ.update(env)
    try:
        config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs_dir), site_dir=str(site_dir))
        build(config)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return site_dir


def copy_fixture(tmp_path: Path) -> Path:
    """A writable copy of the fixture docs tree, for tests that add or break files."""
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE_DOCS, docs)
    return docs


@pytest.fixture(scope="session")
def fixture_sites(tmp_path_factory) -> dict[str, Path]:
    """The fixture docs built once per audience: {'public': site_dir, 'internal': site_dir}."""
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    base = tmp_path_factory.mktemp("fixture-sites")
    return {aud: build_site(FIXTURE_DOCS, base / aud, aud) for aud in ("public", "internal")}
