"""The Jinja templates of ``overrides/partials/kb/``, rendered with one language's labels.

The hooks pass the theme's folders (overrides first) and the site; an environment is made once
per set of folders.
"""

from __future__ import annotations

from typing import Any

import jinja2

_environments: dict[tuple[str, ...], jinja2.Environment] = {}


def render(dirs: list[str], name: str, context: dict, site: Any, lang: str, **extra: Any) -> str:
    """Render ``partials/kb/<name>`` with ``context``, the labels ``t``, ``lang``, ``audience`` and ``extra``."""
    key = tuple(dirs)
    if key not in _environments:
        _environments.clear()
        _environments[key] = jinja2.Environment(loader=jinja2.FileSystemLoader(key), autoescape=True)
    template = _environments[key].get_template(f"partials/kb/{name}")
    return template.render(context, t=site.vocab.translator(lang), lang=lang, audience=site.audience, **extra)
