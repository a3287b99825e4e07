"""Every page of both real builds passes the W3C Nu HTML Checker (vnu.jar, pinned in package-lock.json,
installed by ``make test``; run with Debian's Java).

A broken attribute (a quote in a summary that ends a ``content="…"`` early) is a page a browser reads
differently from what the template meant: text becomes attributes, or markup. The checker sees that
where a test on strings does not. Errors only; its warnings and notes (``info``) are not asserted.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Errors that Material's own templates cause, whatever our templates and content: (the checker's message,
# the markup it points at, why). Matched on both, never by page; each must still occur (an upgrade that
# fixes one makes this test name it for removal). Nothing caused by overrides/ or docs/ belongs here.
MATERIAL_ERRORS = [
    (
        r"Attribute “autocomplete” is only allowed when the input type is .*",
        r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__\1" autocomplete="off">',
        "Material's base.html: autocomplete=off on its drawer and search toggles (so Firefox does not restore them)",
    ),
    (
        r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control\.",
        r'<label class="md-nav__title" for="__toc">',
        "Material's partials/toc.html labels the __toc toggle its nav-item.html writes only on pages in the "
        "navigation; documents are not_in_nav (mkdocs.yml)",
    ),
]
# A page with an error of ours, checked in the same run: the checker and this test do see errors.
CANARY = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
    '<meta name="description" content="a national "Role Model" of the era"></head><body>'
    '<input class="md-toggle" type="checkbox" id="__x" autocomplete="off"></body></html>'
)


def run_vnu(*folders: Path) -> list[dict]:
    """The checker's messages for every HTML file under ``folders``, in one Java process (it takes
    seconds to start)."""
    if not shutil.which("java"):
        pytest.fail("java not found: `make deps-system` installs default-jre-headless", pytrace=False)
    if not VNU.is_file():
        pytest.fail(f"{VNU.relative_to(ROOT)} missing: `make test` runs npm ci", pytrace=False)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--skip-non-html", "--no-langdetect", *map(str, folders)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    return json.loads(result.stderr)["messages"]


def material_error(message: dict) -> int | None:
    """The index in MATERIAL_ERRORS of the entry that explains ``message``, or None."""
    for index, (text, markup, _why) in enumerate(MATERIAL_ERRORS):
        if re.fullmatch(text, message["message"]) and re.search(markup, message.get("extract", "")):
            return index
    return None


def where(message: dict, roots: dict[str, Path]) -> str:
    path = message.get("url", "").removeprefix("file:")
    for name, root in roots.items():
        if path.startswith(str(root) + "/"):
            path = f"{name}/{path[len(str(root)) + 1 :]}"
    return f"{path}:{message.get('lastLine', '?')}"


def test_every_page_of_both_builds_is_valid_html(real_sites, tmp_path):
    canary = tmp_path / "canary"
    canary.mkdir()
    (canary / "index.html").write_text(CANARY, encoding="utf-8")
    roots = {**real_sites, "canary": canary}
    messages = run_vnu(*roots.values())
    errors = [m for m in messages if m["type"] != "info"]
    used = {material_error(m) for m in errors} - {None}
    ours = [m for m in errors if material_error(m) is None]

    canary_errors = [m["message"] for m in ours if where(m, roots).startswith("canary/")]
    assert "No space between attributes." in canary_errors  # the quote that ends content="…" early
    assert any(m.startswith("Attribute “autocomplete” is only allowed") for m in canary_errors)  # not Material's toggle

    assert used == set(range(len(MATERIAL_ERRORS))), (
        f"no longer found, remove from MATERIAL_ERRORS: {[MATERIAL_ERRORS[i][2] for i in set(range(len(MATERIAL_ERRORS))) - used]}"
    )
    found = [f"{where(m, roots)}: {m['message']}" for m in ours if not where(m, roots).startswith("canary/")]
    if found:
        pytest.fail(
            f"the Nu HTML Checker found {len(found)} errors:\n" + "\n".join(dict.fromkeys(found)), pytrace=False
        )
