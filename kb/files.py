"""Which files may sit under ``docs/``: fail closed.

MkDocs copies every file of ``docs/`` into the site as it is, so a file there is published as the
site's own: an ``.html`` or ``.svg`` page runs its scripts in the site's origin, a ``.js`` or ``.css``
file at the path of one of the theme's replaces it on every page. Only Markdown, the attachment types
of the content model and plain images are allowed, nothing under ``assets/`` or ``pagefind/`` (the
theme's and the search's folders), nothing at a path the theme or ``overrides/`` already has, no
symbolic link (it would publish whatever it points to on the build machine), and file names that
make plain URLs.
"""

from __future__ import annotations

import os
import re
from functools import cache
from importlib.resources import files as package_files
from pathlib import Path

from kb.data import DEFAULT_LANGUAGE, LANGUAGES, PROJECT_ROOT
from kb.schema import ATTACHMENT_TYPES

IMAGE_TYPES = ("jpg", "jpeg", "png", "gif", "webp")
FILE_TYPES = tuple(dict.fromkeys(("md", *ATTACHMENT_TYPES, *IMAGE_TYPES)))
# The theme's files, the search index, and the other languages' roots (/en/ is the English site).
RESERVED_FOLDERS = ("assets", "pagefind", *(code for code in LANGUAGES if code != DEFAULT_LANGUAGE))
# How each type's files begin: a file whose bytes are not what its name says (a page saved as .png)
# may be read by a browser as what it is.
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": _ZIP,
    "xlsx": _ZIP,
    "ofd": _ZIP,
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
}
# Letters (Chinese too), digits, - _ . and brackets: no spaces, quotes, <, >, &, #, % or ?.
FILE_NAME = re.compile(r"^[\w\-.()（）]+$")
ALLOWED = "Markdown 文件（.md）、附件（" + "、".join(ATTACHMENT_TYPES) + "）和图片（" + "、".join(IMAGE_TYPES) + "）"


@cache
def theme_paths() -> frozenset[str]:
    """Every path the site's theme writes or reads (Material's templates and assets, ``overrides/``) that
    a file allowed under ``docs/`` could take: of the :data:`FILE_TYPES` (Material has ten thousand icons)."""
    folders = [str(package_files("material") / "templates"), str(PROJECT_ROOT / "overrides")]
    paths: set[str] = set()
    for folder in folders:
        for here, _, names in os.walk(folder):
            below = Path(os.path.relpath(here, folder))
            paths.update((below / name).as_posix() for name in names if _suffix(name) in FILE_TYPES)
    return frozenset(paths)


def problem(rel: str, path: str | Path, is_link: bool) -> tuple[str, str] | None:
    """Why the file at ``rel`` (relative to docs/) may not be published, with what to do; None if it may.
    ``is_link``: whether it is a symbolic link (the caller's directory listing says)."""
    parts = rel.split("/")
    if is_link:  # (a linked folder is returned as it is by kb.validate's walk, never entered)
        return (
            "这是一个符号链接，发布时会把它指向的文件（可能是构建机上的任何文件）一并公开",
            "请删除链接，把文件本身放进 docs/",
        )
    suffix = _suffix(parts[-1])
    if suffix == "md" and not rel.endswith(".md"):  # MkDocs renders x.MD as a page too, unchecked
        return "Markdown 文件的扩展名须写成小写 .md", f"请把文件改名为 {parts[-1].rsplit('.', 1)[0]}.md"
    if suffix not in FILE_TYPES:
        kind = f".{suffix} 文件" if suffix else "没有扩展名的文件"
        return (
            f"docs/ 中不能放 {kind}：网页、脚本、样式表和 SVG 图片会在读者的浏览器中运行或改变网站",
            f"docs/ 中只能放 {ALLOWED}；请删除该文件，或转成 PDF 作为附件",
        )
    if parts[0] in RESERVED_FOLDERS and len(parts) > 1:
        return (
            f"docs/{parts[0]}/ 是网站主题、检索或英文版使用的文件夹，放在这里的文件会替换网站自己的文件",
            "请把文件放到其他文件夹，例如附件放 docs/attachments/、图片放 docs/images/；英文译文写成 原文件名.en.md，放在原文旁边",
        )
    if rel in theme_paths():
        return "该文件与网站主题的文件同名同路径，会替换主题自己的文件", "请换一个文件夹或文件名"
    bad = next((p for p in parts if not FILE_NAME.match(p)), None)
    if bad is not None:
        return (
            f"文件名或文件夹名“{bad}”含有空格、引号或 < > & # % ? 等符号，网址中无法直接使用",
            "只用中英文字母、数字、连字符 -、下划线 _ 和括号，例如 attachments/2024-项目申报表.docx",
        )
    if suffix in SIGNATURES and not _begins_as(path, suffix):
        return (
            f"文件内容不是 .{suffix} 文件（可能是改了扩展名的网页或其他文件），浏览器可能按其真实类型打开",
            f"请用原来的程序另存为真正的 .{suffix} 文件后再上传",
        )
    return None


def _suffix(name: str) -> str:
    """A file name's type, lower case: what follows its last dot; "" without a dot."""
    return name.rpartition(".")[2].lower() if "." in name else ""


def _begins_as(path: str | Path, suffix: str) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(12)
    return head.startswith(SIGNATURES[suffix]) and (suffix != "webp" or head[8:12] == b"WEBP")
