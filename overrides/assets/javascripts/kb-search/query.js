/* Chinese text as kb/searchindex.py cuts it, for the search scripts: a query cut into the pairs the
 * index holds (queryParts), an excerpt of the index's copy joined back into text (readExcerpt), and
 * the Chinese runs of a text marked lang="zh" on a page of another language (textFor, markChinese).
 * The character classes are not written here: kb/cjk.py defines them, the page's search configuration
 * carries them ("chars": han, punctuation, breaks, and the copy's mark of a gap), and chinese(chars)
 * builds its expressions from them.
 */

var PAGE_LANG = document.documentElement.lang;
var EXCERPT_WORD = /(<mark>)?([^\s<]+)(?:<\/mark>)?/g;

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/* The functions over Chinese text of a page whose configuration carries ``chars`` (kb/cjk.py). */
export function chinese(chars) {
  var han = chars.han;
  var gap = chars.gap;
  var cjk = "[" + han + chars.punctuation + "]";
  var HAS_HAN = new RegExp("[" + han + "]");
  var HAN_RUN = new RegExp("\\S*[" + han + "]\\S*(?:\\s+\\S*[" + han + "]\\S*)*", "g");
  var BREAKS = new RegExp("[" + chars.breaks + "]+");
  // As kb/searchindex.py: a unit is a Han character, a CJK punctuation mark, or a run of Latin letters
  // and digits; a word of the index is units with nothing between them.
  var UNIT = new RegExp("[A-Za-z0-9]+|" + cjk, "g");
  var WORD = new RegExp("[A-Za-z0-9" + han + "]+", "g");
  var HAS_CJK = new RegExp(cjk);  // a word of the copy of pairs (kb/searchindex.py)
  var PUNCTUATION_MARK = new RegExp("^[" + chars.punctuation + "]$");

  function hasHan(text) {
    return HAS_HAN.test(text);
  }

  /* The words of a query: what is between white space, punctuation and quotation marks. */
  function queryWords(query) {
    return query.split(BREAKS).filter(Boolean);
  }

  /* A text's words run together, as the index holds a 文号 (kb/cjk.py joined): X政发〔2021〕179号 →
   * X政发2021179号. */
  function joined(text) {
    return queryWords(text).join("");
  }

  /* The index was built from a copy of the pages in which each word with Han characters is cut into
   * overlapping pairs of units: 联席会议 → 联席 席会 会议 议 (kb/searchindex.py explains why). A query is
   * cut the same way: each such word becomes the exact phrase of its pairs ("联席 席会 会议"), which
   * finds exactly the pages containing 联席会议; a single Han character is searched as the start of a
   * word of the copy, which every one of its places is. The other words (English, numbers) are
   * searched together as usual. Several parts: results must match them all. */
  function queryParts(query) {
    var phrases = [];
    var plain = [];
    // The index keeps punctuation as a gap between words, so no phrase may span it: 〔 〕 。 split too.
    queryWords(query).forEach(function (word) {
      if (!hasHan(word)) return plain.push(word);
      (word.match(WORD) || []).forEach(function (part) {
        var units = part.match(UNIT);
        if (units.length < 2) return plain.push(part);
        phrases.push('"' + units.slice(1).map(function (unit, i) { return units[i] + unit; }).join(" ") + '"');
      });
    });
    return plain.length ? phrases.concat([plain.join(" ")]) : phrases;
  }

  /* The pairs of a phrase of queryParts ('"联席 席会 会议"' → "联席 席会 会议"); null for the part of
   * other words. */
  function phrasePairs(part) {
    return part.charAt(0) === '"' ? part.slice(1, -1) : null;
  }

  /* Each of ``parts`` (queryParts) as the titles have it, its pairs marked with ``mark`` (kb/searchindex.py
   * TITLE_MARK): "联席 席会 会议" → "_联席 _席会 _会议", which finds the pages whose title has 联席会议;
   * null for the part of other words, which Pagefind ranks itself. */
  function titleParts(parts, mark) {
    return parts.map(function (part) {
      var pairs = phrasePairs(part);
      return pairs && '"' + pairs.split(" ").map(function (pair) { return mark + pair; }).join(" ") + '"';
    });
  }

  /* Excerpts come from the copy of pairs (queryParts): each word is joined again (联席 席会 会议 议 →
   * 联席会议), with a space where the text had one: between words of other scripts, and beside a word of
   * pairs where the copy marks one (chars.gap, kb/searchindex.py); and the query's words with Han
   * characters are marked in the joined text; Pagefind's own marks stay on the other words (English
   * ones, matched by their stem). The text is HTML already (Pagefind escapes it); only <mark> is added. */
  function readExcerpt(html, query) {
    var words = [];
    html.replace(/\u200b/g, "").replace(EXCERPT_WORD, function (all, mark, word) {
      // The mark of a gap opens a word that had white space before it, and ends one that had white
      // space after it (before a full stop Pagefind adds at the end of a block).
      var text = word.split(gap).join("");
      words.push({ text: text, mark: Boolean(mark), paired: HAS_CJK.test(text),
                   punctuation: PUNCTUATION_MARK.test(text), before: word.charAt(0) === gap,
                   after: word.indexOf(gap, 1) > 0 });
    });
    var out = "";
    var previous = null;
    words.forEach(function (word, i) {
      var text = word.text;
      if (hasHan(text)) {
        // A pair followed by the pair it overlaps shows its first unit; a word's last unit, itself.
        var units = text.match(UNIT) || [text];
        var next = words[i + 1];
        var last = units[units.length - 1];
        if (units.length > 1 && next && hasHan(next.text) && next.text.indexOf(last) === 0) {
          text = text.slice(0, text.length - last.length);
        }
      } else if (word.mark) {
        text = "<mark>" + text + "</mark>";
      }
      // The spaces beside a word of pairs are the copy's, but those it marks; the others are the text's.
      // None beside a CJK mark, which has its own (。 at the end of a paragraph, then the next).
      var gapped = previous && (previous.after || word.before || !(previous.paired || word.paired));
      if (gapped && !previous.punctuation && !word.punctuation) out += " ";
      out += text;
      previous = word;
    });
    var marked = queryWords(query).filter(hasHan);
    if (!marked.length) return out;
    var pattern = new RegExp(marked.map(function (word) {
      return escapeHtml(word).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|"), "gi");
    return out.split(/(<mark>[^<]*<\/mark>)/).map(function (part, i) {
      return i % 2 ? part : part.replace(pattern, "<mark>$&</mark>");
    }).join("");
  }

  /* Text for the page. On a page of another language its Chinese runs (untranslated titles, issuers,
   * 文号, excerpts) go in <span lang="zh">, as kb/lang.py marks the pages the build writes. */
  function textFor(value) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    if (PAGE_LANG !== "zh") {
      value.replace(HAN_RUN, function (run, at) {
        var span = document.createElement("span");
        span.lang = "zh";
        span.textContent = run;
        fragment.append(value.slice(last, at), span);
        last = at + run.length;
      });
    }
    fragment.append(value.slice(last));
    return fragment;
  }

  /* The Chinese runs of the text under ``root`` marked as textFor marks them. */
  function markChinese(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) if (hasHan(walker.currentNode.nodeValue)) nodes.push(walker.currentNode);
    nodes.forEach(function (node) { node.replaceWith(textFor(node.nodeValue)); });
  }

  return { queryWords: queryWords, joined: joined, queryParts: queryParts, phrasePairs: phrasePairs,
           titleParts: titleParts, readExcerpt: readExcerpt, textFor: textFor, markChinese: markChinese };
}
