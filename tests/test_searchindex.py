"""The spaced copy Pagefind indexes: Han characters stand alone; values and scripts are untouched."""

from kb.searchindex import spaced


def test_han_characters_stand_alone_in_text():
    assert spaced("<p>联席会议制度</p>") == "<p> 联  席  会  议  制  度 </p>"


def test_mixed_text_keeps_latin_and_digits_together():
    assert spaced("<dd>X宣发〔2024〕3号</dd>") == "<dd>X 宣  发  〔 2024 〕 3 号 </dd>"


def test_filter_meta_and_sort_values_are_untouched():
    html = ('<span data-pagefind-filter="issuer">中共X区委宣传部</span><span data-pagefind-meta="title">标题</span>'
            '<span data-pagefind-sort="date">2024-01-01</span><b>正文</b>')
    assert spaced(html) == html.replace("<b>正文</b>", "<b> 正  文 </b>")


def test_scripts_styles_and_attributes_are_untouched():
    html = '<script>var a = "中文";</script><style>p::before{content:"中"}</style><a title="标题">链接</a>'
    assert spaced(html) == html.replace(">链接<", "> 链  接 <")
