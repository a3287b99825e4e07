"""kb/checkcache.py: a check that takes the facts of unchanged files from the last run reports exactly
what a check reading every file reports, after any change: of one file, of a file others refer to, of
data/, of the build date, of the code; a deleted file; a cache file cut short, edited or made up."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_DOCS, ROOT, TODAY
from test_rules import CASES, RULES, build_case

from kb import checkcache, data, facts, render, validate
from kb.problems import format_problems


def checked(docs: Path, cache: Path | None, today: dt.date = TODAY) -> str:
    return format_problems(validate.validate(docs, root=docs.parent, today=today, cache=cache)[1])


def from_disk(docs: Path, cache: Path, today: dt.date = TODAY) -> str:
    """A check as a new process makes it: the kept facts read from the cache files, not this process's."""
    checkcache._stores.clear()
    return checked(docs, cache, today)


def same_as_cold(docs: Path, cache: Path, today: dt.date = TODAY) -> str:
    """The problems of a check with the cache, in this process and from disk, which must be those of a
    check that reads every file; returned, for the test to say what they must show."""
    cold = checked(docs, None, today)
    assert checked(docs, cache, today) == cold
    assert from_disk(docs, cache, today) == cold
    return cold


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the fixture docs, and a cache already filled from it."""
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE_DOCS, docs)
    cache = tmp_path / "cache"
    assert checked(docs, cache) == ""
    return docs, cache


@pytest.mark.parametrize("case", CASES)
def test_every_rule_case_gives_the_same_problems_from_the_cache(case, tmp_path):
    docs = build_case(RULES / case, tmp_path)
    cache = tmp_path / "cache"
    expected = [line for line in (RULES / case / "expected.txt").read_text(encoding="utf-8").splitlines() if line]
    assert same_as_cold(docs, cache).splitlines() == expected  # the first run fills the cache
    assert from_disk(docs, cache).splitlines() == expected


def test_files_are_not_read_again_while_unchanged(tree, monkeypatch):
    docs, cache = tree
    monkeypatch.setattr(checkcache, "RACY_NS", 0)  # the files were written just now: trust their times
    from_disk(docs, cache)  # keeps their times
    no_file_read(docs, monkeypatch)
    assert from_disk(docs, cache) == ""


def no_file_read(docs: Path, monkeypatch) -> None:
    """From now on, reading or parsing a file under ``docs`` fails the test."""
    monkeypatch.setattr(validate, "read", lambda *a: pytest.fail("a file was parsed again"))
    read_bytes = Path.read_bytes

    def read_once(path: Path) -> bytes:
        if docs in path.parents:
            pytest.fail(f"{path} was read again")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_once)


def test_a_shard_is_written_for_new_stamps_only_when_many_of_its_files_have_them(tree, monkeypatch):
    """Files touched but the same (a checkout, a check just after a change) are found the same by their
    digest; their shard is written again for that alone only when many of its files were (RESTAMP_MIN),
    not for a few: that wrote every shard of a large library once."""
    docs, cache = tree
    monkeypatch.setattr(checkcache, "RACY_NS", 0)
    monkeypatch.setattr(checkcache, "SHARDS", 1)  # one shard of every file
    checkcache._shard.cache_clear()
    try:
        from_disk(docs, cache)
        (shard,) = cache.glob("*/facts-00.json")
        written = shard.read_bytes()
        files = sorted(docs.rglob("*.md"))
        assert len(files) > 2 * 2
        later = files[0].stat().st_mtime_ns + 10**9
        for path in files[:2]:
            os.utime(path, ns=(later, later))
        assert from_disk(docs, cache) == ""
        assert shard.read_bytes() == written  # two of many: their stamps are not worth a write
        for path in files:
            os.utime(path, ns=(later, later))
        assert from_disk(docs, cache) == ""
        assert shard.read_bytes() != written  # all of them: written with their new stamps

        no_file_read(docs, monkeypatch)
        assert from_disk(docs, cache) == ""  # and trusted from then on
    finally:
        checkcache._shard.cache_clear()


def test_an_edit_that_keeps_size_and_modification_time_is_seen(tree, monkeypatch):
    docs, cache = tree
    monkeypatch.setattr(checkcache, "RACY_NS", 0)
    from_disk(docs, cache)
    path = docs / "policies" / "joint-meeting.md"
    stat = path.stat()
    # the number of joint-meeting-interim.md, the same length
    path.write_bytes(path.read_bytes().replace("X委办发〔2023〕7号".encode(), "X委办发〔2019〕5号".encode()))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as cp -p or an unpacked archive would
    assert path.stat().st_size == stat.st_size
    problems = same_as_cold(docs, cache)
    assert "docs/policies/joint-meeting.md:7: doc_number: 发文字号“X委办发〔2019〕5号”与" in problems


def test_an_edit_of_one_file_gives_its_problems_and_those_across_files(tree):
    docs, cache = tree
    path = docs / "funds" / "special-fund.md"
    text = path.read_text(encoding="utf-8")
    number = next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("doc_number:"))
    other = docs / "policies" / "joint-meeting.md"
    other.write_text(other.read_text(encoding="utf-8").replace("X委办发〔2023〕7号", number), encoding="utf-8")
    problems = same_as_cold(docs, cache)
    assert "docs/funds/special-fund.md:" in problems and "重复" in problems  # the unchanged file is named too


def test_the_checks_across_bodies_run_again_only_when_a_file_says_more_than_before(tree, monkeypatch):
    """make serve validates after each edit: the checks of the bodies' links and the consistency checks
    (kb.consistency) give their last answers again while every file's facts are the same but for the
    body's digest (an edit of the text alone); a citation or a link added is checked, and the problems
    and the catalogue are always those of a check reading every file."""
    docs, cache = tree
    runs = []
    check, check_bodies = validate.consistency.check, validate._Run.check_bodies
    monkeypatch.setattr(validate.consistency, "check", lambda *args: runs.append("wording") or check(*args))
    monkeypatch.setattr(validate._Run, "check_bodies", lambda run: runs.append("bodies") or check_bodies(run))
    path = docs / "policies" / "action-plan.md"  # issued 2021-02-01

    def add(text: str) -> None:
        path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")

    def catalogue() -> dict:
        catalog = validate.validate(docs, root=docs.parent, today=TODAY, cache=cache)[0]
        documents = {p: (d.body_links, d.superseded_by, d.translations) for p, d in catalog.documents.items()}
        return {"documents": documents, "users": catalog.asset_users}

    assert checked(docs, cache) == ""
    before = catalogue()
    runs.clear()
    add("各单位每季度报送一次进展情况。")
    assert same_as_cold(docs, cache) == "" and runs == []
    assert catalogue() == before
    add("按照《X区思想政治工作联席会议制度》（X委办发〔2023〕7号）执行。")
    runs.clear()
    problems = same_as_cold(docs, cache)
    assert "docs/policies/action-plan.md:" in problems and "晚于本文件的成文日期 2021-02-01" in problems
    assert runs == ["bodies", "wording"]  # the first of the three checks; the other two were given its answers
    assert catalogue()["documents"]["policies/action-plan.md"][0] == []
    add("详见[联席会议制度](joint-meeting.md)和[附件](missing.pdf)。")
    runs.clear()
    problems = same_as_cold(docs, cache)
    assert "链接的文件 missing.pdf 不存在" in problems and runs == ["bodies", "wording"]
    linked = catalogue()["documents"]["policies/action-plan.md"][0]
    assert linked == ["policies/joint-meeting.md"] and runs == ["bodies", "wording"]


def test_a_change_to_a_file_that_others_refer_to(tree):
    docs, cache = tree
    interim = docs / "policies" / "joint-meeting-interim.md"
    interim.write_text(
        interim.read_text(encoding="utf-8").replace("validity: repealed", "validity: current"), encoding="utf-8"
    )
    problems = same_as_cold(docs, cache)
    assert (
        "docs/policies/joint-meeting.md:11: supersedes: 被替代的文件 policies/joint-meeting-interim.md 仍标为现行有效"
        in problems
    )


def test_a_deleted_file_is_missed_by_those_that_refer_to_it(tree):
    docs, cache = tree
    (docs / "funds" / "special-fund.md").unlink()
    problems = same_as_cold(docs, cache)
    assert "docs/policies/joint-meeting.md:14: related: 相关文件“funds/special-fund.md”不存在" in problems
    assert "链接的文件 ../funds/special-fund.md 不存在" in problems


def test_a_change_of_data_reads_the_files_again(tree, tmp_path, monkeypatch):
    docs, cache = tree
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    monkeypatch.setenv("KB_DATA_DIR", str(data))
    assert from_disk(docs, cache) == ""
    topics = data / "topics.yml"
    topics.write_text(
        "\n".join(
            line for line in topics.read_text(encoding="utf-8").splitlines() if not line.startswith("structure:")
        ),
        encoding="utf-8",
    )
    problems = same_as_cold(docs, cache)
    assert "docs/policies/joint-meeting.md:4: topics: 主题分类“structure”不在词表中" in problems


def test_a_later_build_date_is_checked_again(tree):
    docs, cache = tree
    problems = same_as_cold(docs, cache, today=dt.date(2023, 4, 1))  # before joint-meeting.md was issued
    assert "docs/policies/joint-meeting.md:9: issued: 成文日期 2023-04-12 晚于今天（2023-04-01）" in problems


def test_another_version_of_the_code_is_another_cache(tmp_path, monkeypatch):
    code = tmp_path / "kb"
    shutil.copytree(checkcache.CODE, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(checkcache, "CODE", code)
    before = checkcache.fingerprint("vocabulary", "renderer")
    (code / "consistency.py").write_text((code / "consistency.py").read_text() + "\n# changed\n")
    assert checkcache.fingerprint("vocabulary", "renderer") != before
    assert checkcache.fingerprint("vocabulary", "other renderer") != checkcache.fingerprint("vocabulary", "renderer")


def shards(cache: Path) -> list[Path]:
    found = sorted(cache.glob("*/facts-*.json"))
    assert found, "the check wrote its cache"
    return found


@pytest.mark.parametrize("damage", ["garbage", "cut short", "edited", "made up", "not a list", "another file"])
def test_a_damaged_cache_is_ignored(tree, damage, capsys):
    docs, cache = tree
    (docs / "policies" / "joint-meeting-interim.md").unlink()  # problems across files
    path = docs / "policies" / "joint-meeting.md"  # and of one file, kept in the cache
    path.write_text(path.read_text(encoding="utf-8").replace("owner:", "foo: bar\nowner:"), encoding="utf-8")
    expected = checked(docs, None)
    assert "未知字段 foo" in expected and "不存在" in expected
    checked(docs, cache)
    for shard in shards(cache):
        data = shard.read_bytes()
        head, _, body = data.partition(b"\n")
        entries = json.loads(body)
        if damage == "garbage":
            shard.write_bytes(b"\x00\xff not json \x80")
        elif damage == "cut short":
            shard.write_bytes(data[: len(data) // 2])
        elif damage == "edited":  # without the digest: a problem taken out by hand
            shard.write_bytes(head + b"\n" + body.replace("未知字段".encode(), "字段".encode()))
        else:  # a digest that matches: entries that are not what kb.facts writes are ignored
            for entry in entries.values():
                if damage == "made up":
                    entry[3][7] = [["x", None, 3]]  # problems of the wrong shape
                elif damage == "not a list":
                    entry[3] = {"problems": []}
                else:
                    entry[3][0] = "policies/other.md"  # facts of another file
            body = json.dumps(entries, ensure_ascii=False).encode()
            header = {
                "format": checkcache.FORMAT,
                "fingerprint": json.loads(head)["fingerprint"],
                "digest": checkcache.digest_of(body),
            }
            shard.write_bytes(json.dumps(header).encode() + b"\n" + body)
    assert from_disk(docs, cache) == expected != ""
    assert from_disk(docs, cache) == expected  # and written again, whole
    assert "Traceback" not in capsys.readouterr().err


def test_a_page_whose_front_matter_json_cannot_hold_is_read_every_time(tree):
    docs, cache = tree
    about = docs / "about.md"
    about.write_text("---\ntitle: 关于\nextra: !!binary aGVsbG8=\nwhen: {1: 2}\n---\n\n正文。\n", encoding="utf-8")
    cold = validate.validate(docs, root=docs.parent, today=TODAY)[0].pages["about.md"]
    checked(docs, cache)
    checkcache._stores.clear()
    kept = validate.validate(docs, root=docs.parent, today=TODAY, cache=cache)[0].pages["about.md"]
    assert kept == cold and kept["extra"] == b"hello"
    with pytest.raises(facts.Unkept):
        facts._value(cold)


def test_front_matter_that_json_writes_otherwise_is_kept_or_read_again(tree):
    docs, cache = tree
    nested = "[" * 40 + "x" + "]" * 40
    (docs / "about.md").write_text(
        f'---\ntitle: "关于\\ud800"\ndeep: {nested}\n---\n\n正文。\n', encoding="utf-8"
    )  # a lone surrogate (YAML's escape), a value nested deeper than is kept
    problems = same_as_cold(docs, cache)
    assert from_disk(docs, cache) == problems
    pages = validate.validate(docs, root=docs.parent, today=TODAY, cache=cache)[0].pages
    assert pages["about.md"]["title"] == "关于\ud800"


def test_a_first_check_in_processes_reports_what_one_process_does(tmp_path):
    from bench.corpus import generate

    docs = tmp_path / "docs"
    generate(250, docs)  # enough files to read them in processes (kb.render.PARALLEL_FROM)
    (docs / "policies" / "extra.md").write_text("---\ntitle: x\n---\n\n<script>x</script>\n", encoding="utf-8")
    alone = validate.validate(docs, root=tmp_path, today=TODAY)
    shared = validate.validate(docs, root=tmp_path, today=TODAY, jobs=2, cache=tmp_path / "cache")
    assert format_problems(shared[1]) == format_problems(alone[1]) != ""
    assert shared[0].documents == alone[0].documents
    assert from_disk(docs, tmp_path / "cache") == format_problems(alone[1])


def test_the_caches_are_kept_outside_the_checkout(monkeypatch, tmp_path):
    """A pull request could commit a .cache/ of its own, made to pass: the check reads its caches only
    from the user's cache folder, one folder per checkout."""
    for cache in (checkcache.ROOT, render.CACHE):
        assert not cache.resolve().is_relative_to(ROOT), cache
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert data._cache_dir().parent == tmp_path / "x-district-kb"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert data._cache_dir().parent == tmp_path / "home" / ".cache" / "x-district-kb"
