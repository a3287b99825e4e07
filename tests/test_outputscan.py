"""tests/outputscan.py, the scan every test build goes through: hostile files, each kind found with
its file named; the project's own builds pass it."""

from __future__ import annotations

from pathlib import Path

from outputscan import MATERIAL_ASSETS, PROJECT_ASSETS, pagefind_bundle, scan_site

SITEMAP = "<urlset><url><loc>https://kb.example/</loc></url><url><loc>https://kb.example/a/</loc></url></urlset>"


def scan(tmp_path: Path, files: dict[str, str | bytes]) -> list[str]:
    """scan_site over a folder holding ``files`` (and a sitemap: the site is https://kb.example/)."""
    for name, content in {"sitemap.xml": SITEMAP, **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return scan_site(tmp_path)


def page(body: str, head: str = "") -> str:
    return f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>t</title>{head}</head><body>{body}</body></html>'


def test_event_handlers_on_any_element_in_any_namespace(tmp_path):
    assert scan(
        tmp_path,
        {
            "plain.html": page('<p onclick="steal()">x</p><a href="#" ONMOUSEOVER=go()>y</a>'),
            # <img> breaks out of SVG's <style>, which a browser does not read as a style sheet there.
            "svg-style.html": page("<svg><style><img src=x onerror=alert(1)></style></svg>"),
            # With JavaScript on, <noscript> is raw text: its end tag inside the attribute value ends it.
            "noscript.html": page('<noscript><p title="</noscript><img src=y onerror=alert(2)>"></p></noscript>'),
            "math.html": page('<math><mi onfocus="alert(3)" tabindex=0>x</mi></math>'),
            "logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="urn:x"><rect x:onclick="a()" onload="b()"/></svg>',
        },
    ) == [
        "logo.svg: <rect> event-handler attribute onclick='a()'",
        "logo.svg: <rect> event-handler attribute onload='b()'",
        "math.html: <mi> event-handler attribute onfocus='alert(3)'",
        "noscript.html: <img> event-handler attribute onerror='alert(2)'",
        "plain.html: <p> event-handler attribute onclick='steal()'",
        "plain.html: <a> event-handler attribute onmouseover='go()'",
        "svg-style.html: <img> event-handler attribute onerror='alert(1)'",
    ]


def test_script_and_data_addresses_as_the_url_parser_reads_them(tmp_path):
    assert scan(
        tmp_path,
        {
            "urls.html": page(
                '<a href="&#106;ava&#x09;script&colon;alert(1)">entities, tab</a>'
                '<a href="&#1;&#32;JavaScript:alert(2)">control and space before</a>'
                '<form action="vbscript:msgbox(3)"><button formaction="javascript:alert(4)">b</button></form>'
                '<a href="data:text/html,&lt;script&gt;alert(5)&lt;/script&gt;">data page</a>'
                '<img src="data:image/svg+xml,&lt;svg/&gt;" alt=""><img src="data:image/png;base64,AA==" alt="">'
                '<img srcset="ok.png 1x, javascript:alert(6) 2x" alt="">'
                '<svg><a xlink:href="javascript:alert(7)"><animate attributeName="href" values="#x;javascript:alert(8)"/>'
                '<set attributeName="xlink:href" to="javascript:alert(9)"/><text>t</text></a></svg>'
                '<a href="javascript-guide/">a relative address</a><a href="mailto:kb@example.org">mail</a>'
            )
        },
    ) == [
        "urls.html: <a> href='java\\tscript:alert(1)': script or data address",
        "urls.html: <a> href='\\x01 JavaScript:alert(2)': script or data address",
        "urls.html: <form> action='vbscript:msgbox(3)': script or data address",
        "urls.html: <button> formaction='javascript:alert(4)': script or data address",
        "urls.html: <a> href='data:text/html,<script>alert(5)</script>': script or data address",
        "urls.html: <img> src='data:image/svg+xml,<svg/>': script or data address",
        "urls.html: <img> srcset='javascript:alert(6)': script or data address",
        "urls.html: <a> xlink:href='javascript:alert(7)': script or data address",
        "urls.html: <animate> values='javascript:alert(8)': script or data address",
        "urls.html: <set> to='javascript:alert(9)': script or data address",
    ]


def test_inline_scripts_other_than_materials_and_the_data_blocks(tmp_path):
    material = (PROJECT_ASSETS.parent / "partials" / "javascripts" / "base.html").read_text(encoding="utf-8")
    allowed = material[material.index("<script ") : material.index("</script>") + len("</script>")]
    assert scan(
        tmp_path,
        {
            "ok.html": page(
                '<script id="__config" type="application/json">{"base": "."}</script>'
                '<script type="application/json" id="kb-search-config">{"facets": []}</script>'
                '<script src="assets/javascripts/kb-search.js"></script>'
                + allowed.replace("{{ config.extra.scope | d(base_url) }}", ".")
            ),
            "assets/javascripts/kb-search.js": (PROJECT_ASSETS / "javascripts" / "kb-search.js").read_bytes(),
            "attachments/notes.png": "alert(1)",
            "bad.html": page(
                "<script>alert(1)</script>"
                '<script id="__config" type="application/json" data-x="1">{}</script>'
                '<script type="text/plain">alert(2)</script>'
                '<script id="kb-search-config" type="application/json">alert(3)</script>'
                '<script src="attachments/notes.png"></script>'
                "<svg><script>alert(4)</script></svg>"
            ),
            "twice.html": page('<script id="__config" type="application/json">{}</script>' * 2),
            "icon.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(5)</script></svg>',
        },
    ) == [
        "bad.html: inline <script> not allowed by deploy/nginx.conf: 'alert(1)'",
        "bad.html: inline <script> not allowed by deploy/nginx.conf: '{}'",
        "bad.html: inline <script> not allowed by deploy/nginx.conf: 'alert(2)'",
        "bad.html: <script id=kb-search-config>: not JSON: 'alert(3)'",
        "bad.html: <script src='attachments/notes.png'>: not a .js file of the site",
        "bad.html: <script> in the http://www.w3.org/2000/svg namespace: 'alert(4)'",
        "icon.svg: <script> in the http://www.w3.org/2000/svg namespace: 'alert(5)'",
        "twice.html: <script id=__config> 2 times",
    ]


def test_loads_from_another_host_in_every_spelling(tmp_path):
    assert scan(
        tmp_path,
        {
            "loads.html": page(
                '<img src="https://kb.example/own.png" alt=""><img src="/\\evil.example/1.png" alt="">'
                '<img src="https:evil.example/2.png" alt=""><video poster="HTTPS://Evil.Example/3.png"></video>'
                '<picture><source srcset="a.png 1x, //evil.example/4.png 2x"></picture><input type="image" src="//evil.example/5">'
                '<svg><image href="https://evil.example/6.png"/><use xlink:href="https://evil.example/7.svg#a"/></svg>'
                '<p style="background:url(&quot;https://evil.example/8.png&quot;)">x</p><table background="//evil.example/9.png"></table>'
                '<audio src="ftp://evil.example/10.mp3"></audio><track src="https://evil.example/11.vtt">'
                '<a href="https://gov.example/">a link the reader follows</a>',
                '<link rel="stylesheet" href="//cdn.example/12.css"><link rel="icon" href="\\\\evil.example\\13.png">'
                '<link rel="modulepreload" href="https://cdn.example/14.js"><link rel="canonical" href="https://other.example/">'
                '<style>@import "\\2f\\2f evil.example/15.css"; b{background:image-set("https://evil.example/16.png" 1x)}</style>'
                '<script src="https://cdn.example/17.js"></script>',
            )
        },
    ) == [
        "loads.html: <link> href loads from another host: '//cdn.example/12.css'",
        "loads.html: <link> href loads from another host: '\\\\\\\\evil.example\\\\13.png'",
        "loads.html: <link> href loads from another host: 'https://cdn.example/14.js'",
        "loads.html: <style> css loads from another host: '//evil.example/15.css'",
        "loads.html: <style> css loads from another host: 'https://evil.example/16.png'",
        "loads.html: <script> src loads from another host: 'https://cdn.example/17.js'",
        "loads.html: <script src='https://cdn.example/17.js'>: not a .js file of the site",
        "loads.html: <img> src loads from another host: '/\\\\evil.example/1.png'",
        "loads.html: <img> src loads from another host: 'https:evil.example/2.png'",
        "loads.html: <video> poster loads from another host: 'HTTPS://Evil.Example/3.png'",
        "loads.html: <source> srcset loads from another host: '//evil.example/4.png'",
        "loads.html: <input> src loads from another host: '//evil.example/5'",
        "loads.html: <image> href loads from another host: 'https://evil.example/6.png'",
        "loads.html: <use> xlink:href loads from another host: 'https://evil.example/7.svg#a'",
        "loads.html: <p> style loads from another host: 'https://evil.example/8.png'",
        "loads.html: <table> background loads from another host: '//evil.example/9.png'",
        "loads.html: <audio> src loads from another host: 'ftp://evil.example/10.mp3'",
        "loads.html: <track> src loads from another host: 'https://evil.example/11.vtt'",
    ]


def test_frames_plugins_base_and_refreshes(tmp_path):
    assert scan(
        tmp_path,
        {
            "embeds.html": page(
                '<iframe src="x.html"></iframe><object data="m.swf"></object><embed src="m.swf">'
                '<applet code="A.class"></applet>',
                head='<base href="/elsewhere/">',
            ),
            "frames.html": '<!doctype html><html><head><title>t</title></head><frameset><frame src="a.html"></frameset></html>',
            "old/index.html": page("", head='<meta http-equiv="refresh" content="0; url=../new/">'),
            "away.html": page("", head='<meta http-equiv="Refresh" content="0;URL=\'https://evil.example/\'">'),
            "script.html": page("", head='<meta http-equiv="refresh" content="1; url=javascript:alert(1)">'),
        },
    ) == [
        "away.html: <meta http-equiv=refresh> to 'https://evil.example/': only a relative address is allowed",
        "embeds.html: <base> element",
        "embeds.html: <iframe> element",
        "embeds.html: <object> element",
        "embeds.html: <embed> element",
        "embeds.html: <applet> element",
        "frames.html: <frameset> element",
        "frames.html: <frame> element",
        "script.html: <meta http-equiv=refresh> to 'javascript:alert(1)': only a relative address is allowed",
    ]


def test_scripts_and_style_sheets_must_be_the_themes_the_projects_or_pagefinds(tmp_path):
    bundle = pagefind_bundle()
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-ui.js", "pagefind-ui.css"} <= set(bundle)
    material_js = next(MATERIAL_ASSETS.glob("javascripts/bundle.*.min.js")).read_bytes()
    assert scan(
        tmp_path,
        {
            "assets/javascripts/bundle.min.js": material_js,  # Material's, under any name
            "assets/javascripts/kb-browse.js": (PROJECT_ASSETS / "javascripts" / "kb-browse.js").read_bytes(),
            "assets/stylesheets/kb.css": (PROJECT_ASSETS / "stylesheets" / "kb.css").read_bytes(),
            "assets/javascripts/kb-browse2.js": (PROJECT_ASSETS / "javascripts" / "kb-browse.js").read_bytes()
            + b";x()",
            "assets/stylesheets/extra.css": "a{color:red}",
            "pagefind/pagefind.js": bundle["pagefind.js"],
            "en/pagefind/pagefind-ui.css": bundle["pagefind-ui.css"],
            "pagefind/pagefind-worker.js": bundle["pagefind-worker.js"] + b"\nfetch('//evil.example')",
            "search/pagefind.js": bundle["pagefind.js"],  # Pagefind's file, outside a bundle
            "attachments/tool.js": "alert(1)",
        },
    ) == [
        "assets/javascripts/kb-browse2.js: .js file that is not Material's, the project's (overrides/assets/) or Pagefind's",
        "assets/stylesheets/extra.css: .css file that is not Material's, the project's (overrides/assets/) or Pagefind's",
        "attachments/tool.js: .js file that is not Material's, the project's (overrides/assets/) or Pagefind's",
        "pagefind/pagefind-worker.js: not the file Pagefind writes as pagefind-worker.js",
        "search/pagefind.js: .js file that is not Material's, the project's (overrides/assets/) or Pagefind's",
    ]


def test_svg_and_xml_files_parsed_as_xml(tmp_path):
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>'
    assert scan(
        tmp_path,
        {
            "feed.xml": '<?xml version="1.0"?><?xml-stylesheet href="feed.xsl" type="text/xsl"?>'
            '<feed xmlns="http://www.w3.org/2005/Atom"><entry><summary type="html">'
            "&lt;img src=x onerror=alert(1)&gt;</summary><summary>&lt;img onerror=x&gt; as text</summary></entry></feed>",
            "bomb.xml": bomb,
            "chart.svg": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            '<a xlink:href="javascript:alert(2)"><image href="https://evil.example/i.png"/></a></svg>',
        },
    ) == [
        "bomb.xml: not well-formed or unsafe XML: DTDForbidden(name='x', system_id=None, public_id=None)",
        "chart.svg: <a> xlink:href='javascript:alert(2)': script or data address",
        "chart.svg: <image> href loads from another host: 'https://evil.example/i.png'",
        "feed.xml: <?xml-stylesheet?>: a style sheet (XSLT can run script)",
        "feed.xml: summary (HTML): <img> event-handler attribute onerror='alert(1)'",
    ]


# -- the project's builds ----------------------------------------------------------------------------


def test_the_fixture_builds_pass_the_scan(fixture_sites):
    """build_site scans every build; here the scan is seen to read the pages, scripts and bundles."""
    for site in fixture_sites.values():
        assert (site / "pagefind" / "pagefind.js").is_file() and (site / "en" / "pagefind" / "pagefind.js").is_file()
        assert scan_site(site) == []


def test_a_stray_script_in_a_built_site_is_found(fixture_sites, tmp_path):
    """make check refuses such files under docs/ (kb/files.py); were one to reach a site all the same (a
    build from an older checkout, a file copied in by hand), the scan names it."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(fixture_sites["public"], site)
    (site / "images").mkdir()
    (site / "images" / "macro.js").write_text("alert(1)", encoding="utf-8")
    (site / "images" / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(2)"/>', encoding="utf-8"
    )
    assert scan_site(site) == [
        "images/chart.svg: <svg> event-handler attribute onload='alert(2)'",
        "images/macro.js: .js file that is not Material's, the project's (overrides/assets/) or Pagefind's",
    ]
