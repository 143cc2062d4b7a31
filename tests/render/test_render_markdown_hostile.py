"""Markdown with hostile plan text: rendered by a CommonMark parser, it makes no markup.

markdown-it-py (a dependency of Rich) renders with raw HTML allowed, as GitHub's comments
would pass some of it: any tag, link, heading or list the plan text makes shows up.
"""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from salesplan.render.markdown import escape_cell, render_markdown
from salesplan.render.text import clean
from salesplan.report.table import NA, Column, Kind, Report, Table

HOSTILE = (
    "Acme\n# Injected heading",
    "<img src=x onerror=alert(1)>",
    "[link](javascript:alert(1))",
    "esc\x1b[31m bel\x07 rlo\u202eevil",
    "<script>alert(1)</script>",
    "![img](http://x/y.png)",
    "`code` *em* _em_ **strong** ~~gone~~ #",
    "  > quote\n- item\n1. first\n---\n    code",
    "&lt;b&gt; &#60;i&#62; a\\|b \\",
)


def _html(markdown: str) -> str:
    """Return markdown rendered as CommonMark with GitHub's tables and strikethrough."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def _report(text: str) -> Report:
    """Return a report with ``text`` in every place markdown writes plan text."""
    table = Table(
        "pods",
        f"Pods {text}",
        (Column("pod", f"Pod {text}", Kind.TEXT, unit=text), Column("n", "N", Kind.MONEY)),
        ((text, 1.0), (f"x {text}", NA(f"because {text}"))),
        notes=(text,),
    )
    return Report("pods", text, (table,), summary=(text, f"! {text}"))


def _tags(rendered: str) -> list[str]:
    """Return the names of the HTML elements in rendered markdown, but the cells' <br>."""
    return sorted(tag for tag in re.findall(r"<([a-z0-9]+)", rendered) if tag != "br")


def _expected_tags(text: str) -> list[str]:
    """Return the elements the report of ``text`` renders to: its own and no more."""
    # The second summary line is a warning, in bold; so is the first if the text starts "!".
    strong = ["strong", "strong"] if text.startswith("!") else ["strong"]
    head = ["h1", "ul", "li", "li", *strong, "h2", "table", "thead", "tr", "th", "th"]
    body = ["tbody", "tr", "td", "td", "tr", "td", "td"]
    # The footnote is a paragraph; so is the note, unless the text cleans to nothing.
    paragraphs = ["p", "p"] if clean(text).strip() else ["p"]
    return sorted(head + body + paragraphs)


def test_hostile_text_makes_no_markup() -> None:
    for text in HOSTILE:
        markdown = render_markdown(_report(text))
        rendered = _html(markdown)
        assert _tags(rendered) == _expected_tags(text), (text, markdown)
        assert not set(markdown) & {"\x1b", "\x07", "\u202e"}


def test_newline_in_the_company_name_stays_in_the_title() -> None:
    markdown = render_markdown(_report("Acme\n# Injected heading"))
    assert markdown.startswith("# Acme # Injected heading\n")
    assert [line for line in markdown.splitlines() if line.startswith("#")] == [
        "# Acme # Injected heading",
        "## Pods Acme # Injected heading",
    ]


def test_html_is_neutralised() -> None:
    markdown = render_markdown(_report("<img src=x onerror=alert(1)>"))
    assert "<img" not in markdown and "&lt;img src=x onerror=alert(1)>" in markdown


def test_links_are_not_links() -> None:
    markdown = render_markdown(_report("[link](javascript:alert(1))"))
    assert "](" not in markdown.replace("\\](", "")
    assert "[link\\](javascript:alert(1))" in markdown
    assert "<a " not in _html(markdown)


def test_escape_cell_keeps_one_line_and_escapes_markup() -> None:
    assert escape_cell("a|b\r\nc<d>") == "a\\|b<br>c&lt;d>"
    assert escape_cell("\x1b]8;;http://x\x1b\\link") == "]8;;http://x\\\\link"


def test_ordinary_text_stays_readable() -> None:
    ordinary = "Acme, Inc. (EMEA) 2027: $10M – 50% #1, sales_manager [sdr, ae] LTV > 3 < 5"
    markdown = render_markdown(_report(ordinary))
    assert f"# {ordinary}\n" in markdown
    assert f"| {ordinary} |" in markdown


def _text_of(element: str, rendered: str) -> list[str]:
    """Return the text of each ``element`` in rendered HTML, tags dropped, entities read."""
    found = re.findall(rf"<{element}[^>]*>(.*?)</{element}>", rendered, flags=re.S)
    found = [re.sub(r"<br\s*/?>", "\n", f) for f in found]
    return [html.unescape(re.sub(r"<[^>]+>", "", f)) for f in found]


_PIECES = st.sampled_from(
    [*"#*_`[]()<>|\\!&;~=+-. 1a\n\r\t\x1b\u202e", "&lt;", "&#60;", "```", "1. ", "# ", "<b>"]
)


@given(st.lists(_PIECES | st.characters(blacklist_categories=("Cs",)), max_size=16).map("".join))
def test_any_text_renders_as_itself(text: str) -> None:
    markdown = render_markdown(_report(text))
    rendered = _html(markdown)
    assert _tags(rendered) == _expected_tags(text), (text, markdown)
    # Compared word by word: a renderer keeps runs of spaces that a browser would collapse.
    words = clean(text).split()
    assert [h1.split() for h1 in _text_of("h1", rendered)] == [words]
    assert [h2.split() for h2 in _text_of("h2", rendered)] == [["Pods", *words]]
    first = ["Warning:", *clean(text[1:]).split()] if text.startswith("!") else words
    assert _text_of("li", rendered)[0].split() == first
    assert _text_of("td", rendered)[0].split() == words
