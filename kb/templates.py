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
    key = tuple(dict.fromkeys(dirs))  # mkdocs-static-i18n adds its folder again in each further language's run
    if key not in _environments:
        _environments.clear()
        _environments[key] = jinja2.Environment(loader=jinja2.FileSystemLoader(key), autoescape=True)
    template = _environments[key].get_template(f"partials/kb/{name}")
    return template.render(context, t=site.vocab.translator(lang), lang=lang, audience=site.audience, **extra)


_compiled: dict[tuple, bytes] = {}  # (extensions, autoescape, template name and file) -> its compiled code


class _Compiled(jinja2.BytecodeCache):
    """Templates compiled by an earlier environment of this process with the same extensions; Jinja
    compiles again any whose source changed (it checks a checksum of the source)."""

    def __init__(self, env: jinja2.Environment):
        self.env = env

    def _key(self, bucket: jinja2.bccache.Bucket) -> tuple:
        return tuple(sorted(self.env.extensions)), bool(self.env.autoescape), bucket.key

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = _compiled.get(self._key(bucket))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        _compiled[self._key(bucket)] = bucket.bytecode_to_string()


def reuse_compiled(env: jinja2.Environment) -> None:
    """Let ``env`` load the templates other environments of this process compiled: MkDocs makes a new
    environment for each build, and ``make serve`` builds again after every change."""
    env.bytecode_cache = _Compiled(env)
