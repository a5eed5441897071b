"""Article extraction from HTML pages with trafilatura (navigation, ads, related links and footers removed)."""
from __future__ import annotations

import re
from dataclasses import dataclass

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

#: A page whose main text, apart from its title, is shorter than this is a section front, an index of links or a
#: headline-only stub, not an article (trafilatura keeps the heading of such pages as their "text").
MIN_ARTICLE_WORDS = 8


@dataclass(frozen=True, slots=True)
class Article:
    text: str
    title: str | None = None
    published: str | None = None  # as the page's metadata gives it (trafilatura/htmldate: YYYY-MM-DD)
    url: str | None = None
    site: str | None = None
    author: str | None = None


def extract_article(html: str) -> Article | None:
    """The main text and metadata of a page, or None when the page has no article (only navigation and the like)."""
    import lxml.html
    import trafilatura
    from lxml.etree import ParserError

    # lxml refuses an already-decoded string that still declares its byte encoding (XHTML's <?xml ... ?>).
    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        # Parse once with lxml ourselves: trafilatura accepts a tree, and a string that lxml cannot parse at all
        # (e.g. only a comment) then fails here with a clear None instead of a logged error.
        tree = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return None
    extracted = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,  # reader comments are not the article
        include_tables=True,
        favor_precision=True,  # prefer dropping a stray line over keeping site furniture
        # Dates only from the page's markup and URL: the extensive search guesses from any year on the page
        # (a "© 2017" footer becomes 2017-01-01), and a wrong publication date misanchors every relative time.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if extracted is None or not (extracted.text or "").strip():
        return None
    title = _clean(extracted.title)
    body_words = sum(len(line.split()) for line in extracted.text.splitlines() if _clean(line) != title)
    if body_words < MIN_ARTICLE_WORDS:
        return None
    return Article(
        text=extracted.text,
        title=title,
        published=_clean(extracted.date),
        url=_clean(extracted.url),
        site=_clean(extracted.sitename),
        author=_clean(extracted.author),
    )


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None
