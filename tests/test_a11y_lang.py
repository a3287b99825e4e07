"""kb.lang: Chinese text on an English page marked lang="zh", the rest of the page left as it was."""

from __future__ import annotations

from kb.lang import mark_chinese


def page(body: str) -> str:
    return f'<!doctype html><html lang="en"><head><title>标题</title></head><body>{body}</body></html>'


def test_chinese_alone_in_its_element_marks_the_element_and_mixed_text_gets_spans():
    marked = mark_chinese(
        page('<a href="x">联席会议制度</a><p>The <b>区委宣传部</b> meets, see X委办发〔2023〕7号.</p>'), "en"
    )
    assert '<a href="x" lang="zh">联席会议制度</a>' in marked
    assert '<b lang="zh">区委宣传部</b>' in marked
    assert 'see <span lang="zh">X委办发〔2023〕7号.</span></p>' in marked


def test_words_between_chinese_words_stay_in_one_run():
    assert '<span lang="zh">两个 中文 词</span> and' in mark_chinese(page("<p>两个 中文 词 and English</p>"), "en")


def test_options_scripts_titles_charts_and_marked_text_are_left_as_they_can_only_be():
    body = (
        '<select><option value="a">X区人民政府</option></select><script>var s = "中文";</script>'
        '<svg><text>图</text></svg><div lang="zh-CN"><p>已标记</p></div><br/>'
    )
    marked = mark_chinese(page(body), "en")
    assert '<option value="a" lang="zh">X区人民政府</option>' in marked
    assert marked.replace('<option value="a" lang="zh">', '<option value="a">') == page(body)


def test_entities_comments_and_the_head_are_kept_and_chinese_pages_are_not_touched():
    body = "<p>A &amp; B &#169; <!-- 注释 --></p>"
    assert mark_chinese(page(body), "en") == page(body)
    assert mark_chinese(page("<p>中文 English</p>"), "zh") == page("<p>中文 English</p>")


def test_attributes_are_never_touched_even_with_a_bracket_inside():
    body = '<p title="a > 中文" data-x=\'<b>\'>正文</p><STYLE>p::after { content: "中"; }</STYLE>'
    assert mark_chinese(page(body), "en") == page(body.replace("'<b>'>正文", "'<b>' lang=\"zh\">正文"))


def test_an_element_named_in_chinese_is_marked_and_a_mixed_name_is_left():
    body = '<h2 id="a">Title<a class="headerlink" href="#a" title="本节链接">¶</a></h2><a aria-label="Next: 编辑指南">Next</a><img alt="图片">'
    marked = mark_chinese(page(body), "en")
    assert '<a class="headerlink" href="#a" title="本节链接" lang="zh">¶</a>' in marked
    assert '<a aria-label="Next: 编辑指南">Next</a><img alt="图片" lang="zh">' in marked


def test_long_chinese_text_with_a_latin_tail_is_marked_in_spans():
    # A 修订对照 cell: many Chinese words, then words without Han. The run pattern once backtracked
    # through every split of every word on such text; each word now matches one way only.
    text = "有下列情形之一的，由区委宣传部督促整改：\n\n" + "（一）强化资金保障，提高使用效益；\n\n" * 40 + " X 2024"
    html = f'<html lang="en"><body><table><tr><td><del>{text}</del> tail</td></tr></table></body></html>'
    marked = mark_chinese(html, "en")
    assert f'<del><span lang="zh">{text[: -len(" X 2024")].rstrip()}</span>\n\n X 2024</del> tail' in marked
