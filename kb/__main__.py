"""Command line: ``python -m kb check``, ``build``, ``new``, ``import`` and ``schema``.

check   Validate docs/ on its own (no site build): every problem, one per line, errors before warnings;
        exit 1 if any error, or with --strict (``make check STRICT=1``, CI) any warning.
build   Build one audience's site atomically: MkDocs writes into a fresh folder beside the target,
        which replaces the target only when the build succeeded; a failed build leaves it untouched.
new     Create a document (or its English translation) with every field explained (``make new``);
        a refused request prints why, in Chinese, and exits 1.
import  Import Word (.docx) and PDF 公文 (one file or a folder) as documents (``make import``); prints what
        it read, what it guessed and what to check; a refused file prints why, in Chinese, and exits 1.
schema  Write the files generated from kb/schema.py: schemas/*.schema.json and the VS Code snippets.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kb import checkcache
from kb.catalog import AUDIENCES
from kb.data import PROJECT_ROOT, load_vocabulary
from kb.problems import errors, format_problems, warnings
from kb.validate import today_from_env, validate


def check(args: argparse.Namespace) -> int:
    docs = Path(args.docs).resolve()
    if not docs.is_dir():
        print(f"找不到文件夹 {docs}", file=sys.stderr)
        return 2
    catalog, problems = validate(docs, root=PROJECT_ROOT, jobs=os.cpu_count() or 1, cache=checkcache.ROOT)
    failed = errors(problems) or (args.strict and problems)
    if problems:
        print(format_problems(problems, args.format))
    elif args.format == "json":
        print("[]")
    if args.format == "text":
        print(_summary(catalog, problems, args.strict), file=sys.stderr if problems else sys.stdout)
    return 1 if failed else 0


def _summary(catalog, problems, strict: bool) -> str:
    if not problems:
        return f"检查通过：{len(catalog.documents)} 件文件，{len(catalog.pages)} 个普通页面，未发现问题。"
    count = f"共 {len(errors(problems))} 个错误、{len(warnings(problems))} 个警告，涉及 {len({p.path for p in problems})} 个文件。"
    if errors(problems):
        return f"\n{count}"
    if strict:
        return f"\n{count}严格模式（STRICT=1，CI 使用）下警告也须改正。"
    return f"\n{count}警告不影响构建，但 CI（make check STRICT=1）会因警告失败，请逐条核对。"


def build(args: argparse.Namespace) -> int:
    target = Path(args.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    env = dict(
        os.environ, KB_AUDIENCE=args.audience, KB_DOCS_DIR=str(Path(args.docs).resolve()), NO_MKDOCS_2_WARNING="1"
    )
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-f",
        str(PROJECT_ROOT / "mkdocs.yml"),
        "-d",
        str(staging),
    ]
    result = subprocess.run(command, env=env, cwd=PROJECT_ROOT, check=False)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"构建失败：{target.name}/ 保持原样，未被改动。", file=sys.stderr)
        return result.returncode
    previous = target.with_name(f".{target.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    target.chmod(0o755)  # mkdtemp made it private; the web server must read it
    shutil.rmtree(previous, ignore_errors=True)
    print(f"已生成 {args.audience} 版网站：{target}")
    return 0


def new(args: argparse.Namespace) -> int:
    if not Path(args.docs).is_dir():
        print(f"没有创建文件：找不到文件夹 {Path(args.docs).resolve()}", file=sys.stderr)
        return 2
    from kb import scaffold

    today, vocab = today_from_env(), load_vocabulary()
    try:
        if args.lang:
            created = scaffold.new_translation(
                args.docs, args.type, args.slug, args.title, args.lang, today=today, vocab=vocab
            )
        else:
            created = scaffold.new_document(
                args.docs,
                args.type,
                args.slug,
                args.title,
                doc_number=args.doc_number,
                interprets=args.interprets,
                today=today,
                vocab=vocab,
            )
    except scaffold.ScaffoldError as err:
        print(f"没有创建文件：{err}", file=sys.stderr)
        return 1
    print(f"已创建 {created.display}。接下来：")
    print("\n".join(f"  {number}. {note}" for number, note in enumerate(created.notes, 1)))
    if created.problems:
        print("\nmake check 现在对这份文件的提示（按提示填写后就会消失）：")
        print(format_problems(created.problems))
    else:
        print("\nmake check 现在对这份文件没有提示。")
    return 0


def import_(args: argparse.Namespace) -> int:
    from kb import importer

    docs = Path(args.docs).resolve()
    if not docs.is_dir():
        print(f"没有导入：找不到文件夹 {docs}", file=sys.stderr)
        return 2
    today, vocab = today_from_env(), load_vocabulary()
    if args.dir:
        folder = Path(args.dir)
        if not folder.is_dir():
            print(f"没有导入：找不到文件夹 {folder}", file=sys.stderr)
            return 2
        paths = sorted(
            p
            for p in folder.iterdir()
            if p.is_file()
            and not p.name.startswith(("~$", "."))
            and p.suffix.lower() in (".docx", ".pdf", ".doc", ".wps")
        )
        if not paths:
            print(f"没有导入：{folder} 中没有 .docx 或 .pdf 文件", file=sys.stderr)
            return 2
        reports = importer.import_paths(paths, docs, doc_type=args.type, today=today, vocab=vocab)
        for report in reports:
            print(importer.format_report(report), end="\n\n")
        done = [r for r in reports if not r.refused]
        print(
            f"共 {len(reports)} 个文件：导入 {len(done)} 个，拒绝 {len(reports) - len(done)} 个。"
            "请运行 make check，并逐一核对标有“# 自动推断，请核对”的行。"
        )
        return 0 if len(done) == len(reports) else 1
    if not args.file:
        print(
            "没有导入：请给出 FILE=文件路径 或 DIR=文件夹，例如 make import FILE=旧文件/专项资金管理办法.docx",
            file=sys.stderr,
        )
        return 2
    try:
        report = importer.import_file(
            Path(args.file), docs, doc_type=args.type, slug=args.slug, today=today, vocab=vocab
        )
    except importer.Refused as err:
        print(f"没有导入：{err}", file=sys.stderr)
        return 1
    print(importer.format_report(report))
    return 0


def schema(args: argparse.Namespace) -> int:
    from kb import jsonschema, scaffold

    vocab = load_vocabulary()
    for path, text in {**jsonschema.schema_files(vocab), **scaffold.snippet_file(vocab)}.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"已写入 {path.relative_to(PROJECT_ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb", description="X区政策知识库：内容检查与构建")
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="检查 docs/ 中所有文件的元数据和正文")
    check_cmd.add_argument("--format", choices=("text", "github", "json"), default="text")
    check_cmd.add_argument("--docs", default=os.environ.get("KB_DOCS_DIR", str(PROJECT_ROOT / "docs")))
    check_cmd.add_argument("--strict", action="store_true", help="警告也视为失败（CI 使用）")
    check_cmd.set_defaults(run=check)
    build_cmd = commands.add_parser("build", help="构建网站（失败时保留原有输出）")
    build_cmd.add_argument("--audience", choices=AUDIENCES, default=os.environ.get("KB_AUDIENCE", "public"))
    build_cmd.add_argument("--site-dir", default=None)
    build_cmd.add_argument("--docs", default=os.environ.get("KB_DOCS_DIR", str(PROJECT_ROOT / "docs")))
    build_cmd.set_defaults(run=build)
    new_cmd = commands.add_parser("new", help="新建文件或英文译文（make new）")
    new_cmd.add_argument("type", nargs="?", default="", help="policy、fund、talent、case 或 interpretation")
    new_cmd.add_argument("slug", nargs="?", default="", help="文件名（不含 .md），如 activity-subsidy")
    new_cmd.add_argument("--title", default="")
    new_cmd.add_argument("--doc-number", default="")
    new_cmd.add_argument("--interprets", default="", help="所解读文件的路径（政策解读）")
    new_cmd.add_argument("--lang", default="", help="en：为已有文件创建英文译文")
    new_cmd.add_argument("--docs", default=os.environ.get("KB_DOCS_DIR", str(PROJECT_ROOT / "docs")))
    new_cmd.set_defaults(run=new)
    import_cmd = commands.add_parser("import", help="导入 Word（.docx）或 PDF 公文（make import）")
    import_cmd.add_argument("file", nargs="?", default="", help="要导入的 .docx 或 .pdf 文件")
    import_cmd.add_argument("--dir", default="", help="导入文件夹中所有 .docx 和 .pdf 文件")
    import_cmd.add_argument("--type", default="", help="policy、fund、talent、case 或 interpretation（不给则自动识别）")
    import_cmd.add_argument("--slug", default="", help="文件名（不含 .md；不给则由标题拼音生成）")
    import_cmd.add_argument("--docs", default=os.environ.get("KB_DOCS_DIR", str(PROJECT_ROOT / "docs")))
    import_cmd.set_defaults(run=import_)
    schema_cmd = commands.add_parser("schema", help="生成 schemas/*.schema.json 和 VS Code 代码片段")
    schema_cmd.set_defaults(run=schema)
    args = parser.parse_args(argv)
    if args.command == "build" and args.site_dir is None:
        args.site_dir = str(PROJECT_ROOT / ("site" if args.audience == "public" else "site-internal"))
    return args.run(args)


def _exit_now(code: int) -> None:
    """Leave without taking apart, object by object, what a check read: 20,000 documents are millions
    of objects, and Python's tidying up after them took a quarter of a second the editor waits for.
    Everything is written by then (the cache, in :func:`kb.validate.validate`; the processes that
    rendered bodies have been joined): only the output streams are flushed."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    code = main()
    if sys.argv[1:2] == ["check"]:
        _exit_now(code)
    sys.exit(code)
