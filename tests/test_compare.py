"""修订对照 logic (kb/compare.py): articles, pairing of renumbered articles, character-level changes."""

from __future__ import annotations

import pytest

from kb.compare import Unit, align, chinese_number, compare, diff_text, plain, summary, units

OLD = """各镇街：

## 第一章　总则

**第一条**　为了规范教育培训，制定本办法。

**第二条**　本办法适用于镇街和社区。

## 第二章　培训

**第三条**　镇街每半年至少组织1次集中培训。

**第四条**　培训情况每年报区委宣传部。

中共X区委宣传部　2019年6月10日
"""

NEW = """各镇街：

## 第一章　总则

**第一条**　为了规范教育培训，制定本办法。

**第二条**　本办法适用于镇街、社区和网格。

**第三条**　新任网格员应当参加岗前培训。

## 第二章　培训

**第四条**　镇街每季度至少组织1次集中培训。
"""


@pytest.mark.parametrize(
    "text, number",
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十三", 23),
        ("一百零五", 105),
        ("一百一十", 110),
        ("7", 7),
        ("两", 2),
        ("条", None),
    ],
)
def test_chinese_numbers(text, number):
    assert chinese_number(text) == number


def test_plain_drops_markup_and_keeps_lines():
    text = '**要点。**见[专项资金办法](../funds/x.md)。\n\n| 对象 | 学时 |\n|---|---|\n| 网格员 | 24 |\n\n!!! note "注意"\n    内容'
    assert plain(text) == "要点。见专项资金办法。\n\n对象　学时\n网格员　24\n\n注意\n内容"


def test_articles_are_cut_at_each_article_and_chapter_heading():
    found = units(OLD, by_article=True)
    assert [(u.label, u.number) for u in found] == [
        ("", None),
        ("第一条", 1),
        ("第二条", 2),
        ("第三条", 3),
        ("第四条", 4),
    ]
    assert found[0].text == "各镇街："
    assert found[1].text == "为了规范教育培训，制定本办法。"  # the label and the 全角 space are not text
    assert found[4].text.endswith("中共X区委宣传部　2019年6月10日")  # the signature ends the last article


def test_documents_without_articles_are_cut_at_their_top_headings():
    body = "前言。\n\n## 一、现状\n\n现状。\n\n### （一）成效\n\n成效。\n\n## 二、目标\n\n目标。\n"
    found = units(body, by_article=False)
    assert [u.label for u in found] == ["", "一、现状", "二、目标"]
    assert found[1].text == "现状。\n\n（一）成效\n\n成效。"  # lower headings stay in their section's text


def test_renumbered_articles_pair_by_content_and_new_ones_stand_alone():
    pairs = align(units(OLD, True), units(NEW, True))
    labels = [(o.label if o else None, n.label if n else None) for o, n in pairs]
    assert labels == [
        ("", ""),
        ("第一条", "第一条"),
        ("第二条", "第二条"),
        (None, "第三条"),
        ("第三条", "第四条"),
        ("第四条", None),
    ]


def test_same_number_breaks_a_tie_between_equally_similar_articles():
    old = [Unit("第一条", 1, "甲乙丙丁"), Unit("第二条", 2, "甲乙丙丁")]
    new = [Unit("第二条", 2, "甲乙丙丁")]
    assert align(old, new) == [(old[0], None), (old[1], new[0])]


def test_character_level_changes_with_short_unchanged_runs_folded():
    old, new = diff_text("镇街每半年至少组织1次集中培训。", "镇街每季度至少组织1次集中培训。")
    assert old == [("equal", "镇街每"), ("del", "半年"), ("equal", "至少组织1次集中培训。")]
    assert new == [("equal", "镇街每"), ("ins", "季度"), ("equal", "至少组织1次集中培训。")]
    # "和" alone between two changes would read 社区<del>…</del>和<del>…</del>: it is folded into one change.
    old, new = diff_text("甲社区和乙街道", "丙网格和丁小区")
    assert [op for op, _ in old] == ["del"] and [op for op, _ in new] == ["ins"]
    assert "".join(t for _, t in old) == "甲社区和乙街道" and "".join(t for _, t in new) == "丙网格和丁小区"


def test_compare_marks_every_kind_of_change():
    rows = compare(OLD, NEW)
    by_new = {row.new.label: row for row in rows if row.new}
    assert by_new["第一条"].status == "same"
    assert by_new["第二条"].status == "changed"
    assert by_new["第二条"].old_segments == (("equal", "本办法适用于镇街"), ("del", "和社区"), ("equal", "。"))
    assert by_new["第二条"].new_segments == (("equal", "本办法适用于镇街"), ("ins", "、社区和网格"), ("equal", "。"))
    assert by_new["第三条"].status == "added" and by_new["第三条"].new_segments == (
        ("ins", "新任网格员应当参加岗前培训。"),
    )
    renumbered = by_new["第四条"]
    assert renumbered.status == "changed" and renumbered.renumbered and renumbered.old.label == "第三条"
    assert ("del", "半年") in renumbered.old_segments and ("ins", "季度") in renumbered.new_segments
    deleted = [row for row in rows if row.status == "deleted"]
    assert [row.old.label for row in deleted] == ["第四条"]
    assert summary(rows) == {"changed": 2, "added": 1, "deleted": 1, "same": 2, "renumbered": 1}


def test_identical_texts_are_all_same():
    rows = compare(OLD, OLD)
    assert {row.status for row in rows} == {"same"} and summary(rows)["renumbered"] == 0
