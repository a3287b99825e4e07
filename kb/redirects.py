"""Old addresses of moved or renamed pages: ``data/redirects.yml``, in the data folder beside ``docs/``.

Editors add one line per move, old path: new path, both relative to docs/ as in ``related``::

    policies/joint-meeting-2023.md: policies/joint-meeting.md

The checker makes sure the new path exists and the old one does not; the build writes, at the old
address of every language, a small page that sends the reader to the new one.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from kb import routes, source
from kb.catalog import Catalog
from kb.data import DEFAULT_LANGUAGE
from kb.fields import check_reference, suggest
from kb.problems import Problem
from kb.schema import Field

OLD = Field("old", "旧地址", "reference", frozenset(), example="policies/joint-meeting-2023.md")
NEW = Field("new", "新地址", "reference", frozenset(), example="policies/joint-meeting.md")


def redirects_file(docs_dir: Path) -> Path:
    return Path(docs_dir).parent / "data" / "redirects.yml"


def read(docs_dir: Path, root: Path, catalog: Catalog, generated: set[str]) -> tuple[dict[str, str], list[Problem]]:
    """The valid redirects of the docs folder (old path -> new path) and a problem for every bad line.

    ``generated`` holds the paths of the generated pages, which an old path may not shadow either.
    """
    path = redirects_file(docs_dir)
    if not path.is_file():
        return {}, []
    display = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    src = source.parse_mapping(path.read_bytes(), "redirects.yml", display)
    problems = list(src.problems)
    existing = set(catalog.documents) | set(catalog.pages)
    taken = {routes.page(p, DEFAULT_LANGUAGE) for p in existing | generated}  # addresses a page is built at
    redirects = {}
    for old, new in src.meta.items():
        line = src.line_of(old)
        old_path, problem = check_reference(OLD, old)
        new_path, new_problem = check_reference(NEW, new)
        problem = problem or new_problem
        if problem is None and routes.page(old_path, DEFAULT_LANGUAGE) in taken:
            problem = (
                f"旧地址 {old_path} 上仍有页面，跳转会把它盖住",
                "文件改名或移动之后才需要跳转；请删除这一行，或核对旧地址",
            )
        elif problem is None and new_path in src.meta:
            final = src.meta[new_path]
            problem = (f"新地址 {new_path} 本身也已改名", f"请直接写最终地址：{old_path}: {final}")
        elif problem is None and new_path not in existing:
            guess = suggest(new_path, {p: p for p in existing}, cutoff=0.8)
            problem = (
                f"新地址 {new_path} 不存在",
                f"是不是要写 {guess}？"
                if guess
                else "写文件现在的路径（相对于 docs/），例如 policies/joint-meeting.md",
            )
        if problem:
            problems.append(Problem(display, line, str(old), *problem))
        else:
            redirects[old_path] = new_path
    return redirects, problems


def output_path(site_dir: Path, url: str) -> Path:
    """Where the redirect page of ``url`` is written: inside ``site_dir``, whatever ``url`` holds (the
    checker refuses paths that leave docs/; this is the second line, for the build machine's files)."""
    root = site_dir.resolve()
    page = (root / url / "index.html").resolve()
    if not page.is_relative_to(root) or page.parent == root:
        raise ValueError(f"跳转地址 {url} 不在网站文件夹内，已拒绝写入")
    return page


def relative(target: str, base: str) -> str:
    """Site-relative directory URL ``target`` as seen from the directory URL ``base``."""
    return posixpath.relpath(target or ".", base or ".") + "/"
