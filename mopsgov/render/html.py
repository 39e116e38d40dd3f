"""HTML output: the page layout is a Jinja2 template with autoescaping on; the blocks inside it
are rendered here, every model text through `escape` (the same entities as markupsafe's,
which the template uses). No scripts.

The blocks are rendered in Python rather than by template macros because a large site has
hundreds of thousands of cells, and a macro call per cell was most of the build time.
Pages carry a Content-Security-Policy that allows only the site's own stylesheet and images, so
even a script that slipped into the markup could not run; diagrams are `<img>` elements, and an
SVG shown through `<img>` never runs scripts.
"""
from __future__ import annotations

import re
from functools import lru_cache

import jinja2
from markupsafe import Markup

from mopsgov import __version__
from mopsgov.render import blocks as b
from mopsgov.render.escape import plain

CSP = ("default-src 'none'; img-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; "
       "object-src 'none'; script-src 'none'")
EXT = "html"


# Text in a right-to-left script, or a control that turns the direction of the text after it
# (U+202E RIGHT-TO-LEFT OVERRIDE, ...): shown inside <bdi>, so it cannot reorder the page around it.
_BIDI = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                   "\U00010800-\U00010fff\U0001e800-\U0001efff]")
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _isolated(text: str, html: str) -> str:
    """`html` (the markup of `text`) in a <bdi> when `text` could turn the direction around it."""
    return f"<bdi>{html}</bdi>" if not text.isascii() and _BIDI.search(text) else html


def _inline(value: object) -> Markup:
    """A template's model text (a title, a name) escaped and isolated, as in a table cell."""
    text = plain(value)
    return Markup(_isolated(text, escape(text)))


def _title_text(value: object) -> str:
    """Text for <title>, which holds no markup: without the controls that turn its direction."""
    return _BIDI_CONTROLS.sub("", plain(value))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mopsgov.render", "templates"),
        autoescape=True,  # every value, whatever the template file is called
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.finalize = lambda value: plain(value) if type(value) is str else value  # not Markup
    env.filters["inline"] = _inline
    env.filters["title_text"] = _title_text
    return env


_ENV = _environment()


def href(link: b.Link, ext: str = EXT) -> str:
    return f"{link.page}.{ext}" + (f"#{link.anchor}" if link.anchor else "")


# Unbroken runs longer than this get a line-break opportunity (<wbr>) every this many
# characters, so one long name cannot push a table off the screen.
LONG_RUN = 30
_LONG = re.compile(r"\S{%d,}" % (LONG_RUN + 1))
# Tables with this many columns are shown as stacked cards on a phone.
STACK_FROM = 6


def escape(text: str) -> str:
    """`&<>"'` as entities, exactly as markupsafe (and so Jinja2's autoescape) writes them;
    plain replaces because most text has none of them and this runs for every cell."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
                .replace("'", "&#39;"))
    return text


def _breakable(run: re.Match) -> str:
    text = run.group(0)
    return "<wbr>".join(escape(text[i:i + LONG_RUN]) for i in range(0, len(text), LONG_RUN))


def _attr(value: object) -> str:
    """Text for an attribute value: escaped, without line-break opportunities."""
    return escape(plain(value))


def _text(value: object) -> str:
    """Model text escaped for HTML (control characters dropped first)."""
    text = plain(value)
    if len(text) <= LONG_RUN or _LONG.search(text) is None:
        return _isolated(text, escape(text))
    pieces, last = [], 0
    for run in _LONG.finditer(text):
        pieces += [escape(text[last:run.start()]), _breakable(run)]
        last = run.end()
    pieces.append(escape(text[last:]))
    return _isolated(text, "".join(pieces))


@lru_cache(maxsize=1 << 16)
def _link(link: b.Link) -> str:
    """A link's markup; cached because the same links (owners, tools) recur in thousands of cells."""
    shown = f"<code>{_text(link.text)}</code>" if link.code else _text(link.text)
    return f'<a href="{escape(href(link))}">{shown}</a>'


def cell(value: b.Cell) -> str:
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return _text(value)
    if kind is b.Link:
        return _link(value)
    if kind is b.Tag:
        return f'<span class="tag tag-{_attr(value.tone)}">{_text(value.text)}</span>'
    if kind is b.Code:
        return f"<code>{_text(value.text)}</code>"
    if kind is b.Phrase:
        return "".join(cell(part) for part in value.parts)
    if kind is tuple:
        out = []
        for index, item in enumerate(value):
            if index:
                out.append(" " if type(item) is b.Tag else ", ")
            out.append(cell(item))
        return "".join(out)
    return _text(value)


def _td_class(column: b.Column) -> str:
    names = " ".join(n for n, on in (("num", column.numeric), ("nowrap", column.nowrap)) if on)
    return f' class="{names}"' if names else ""


def _table(table: b.Table) -> str:
    stacked = len(table.columns) >= STACK_FROM
    out = ['\n<div class="scroll"><table class="stack">' if stacked else '\n<div class="scroll"><table>']
    if table.caption:
        out.append(f"<caption>{_text(table.caption)}</caption>")
    out.append("\n<thead><tr>")
    for column in table.columns:
        numeric = ' class="num"' if column.numeric else ""
        title = f' title="{_attr(column.help)}"' if column.help else ""
        out.append(f'<th scope="col"{numeric}{title}>{_text(column.label)}</th>')
    out.append("</tr></thead>\n<tbody>")
    classes = [_td_class(c) + (f' data-label="{_attr(c.label)}"' if stacked else "") for c in table.columns]
    for index, row in enumerate(table.rows):
        anchor = f' id="{_attr(table.anchors[index])}"' if table.anchors else ""
        out.append(f"\n<tr{anchor}>")
        out.extend(f"<td{classes[i]}>{cell(v)}</td>" for i, v in enumerate(row))
        out.append("</tr>")
    if not table.rows:
        out.append(f'\n<tr><td colspan="{len(table.columns)}" class="empty">{_text(table.empty)}</td></tr>')
    out.append("\n</tbody></table></div>")
    return "".join(out)


def _facts(facts: b.Facts) -> str:
    rows = "".join(f"\n<div><dt>{_text(label)}{f'<small>{_text(help_)}</small>' if help_ else ''}</dt><dd>{cell(value)}</dd></div>"
                   for label, value, help_ in facts.rows)
    return f'\n<dl class="facts">{rows}\n</dl>'


def _figures(figures: b.Figures) -> str:
    items = "".join(f'\n<div class="figure"><span class="label">{_text(label)}</span><span class="value">{_text(value)}'
                    f'</span><span class="detail">{_text(detail)}</span></div>' for label, value, detail in figures.items)
    return f'\n<div class="figures">{items}\n</div>'


def _diagram(diagram: b.Diagram) -> str:
    name, title = _attr(diagram.name), _text(diagram.title)
    if diagram.svg:
        return (f'\n<figure class="diagram">\n<div class="frame"><img src="diagrams/{name}.svg" alt="{_attr(diagram.title)}">'
                f'</div>\n<figcaption>{title} (<a href="diagrams/{name}.svg">open full size</a>, '
                f'<a href="diagrams/{name}.dot">DOT source</a>)</figcaption>\n</figure>')
    return (f'\n<figure class="diagram">\n<figcaption>{title}: <a href="diagrams/{name}.dot">DOT source</a>'
            f'</figcaption>\n</figure>')


def block(value: b.Block) -> Markup:
    kind = type(value)
    if kind is b.Table:
        html = _table(value)
    elif kind is b.Facts:
        html = _facts(value)
    elif kind is b.Figures:
        html = _figures(value)
    elif kind is b.Diagram:
        html = _diagram(value)
    else:
        tone = f' class="{_attr(value.tone)}"' if value.tone else ""
        html = f"\n<p{tone}>{cell(value.content)}</p>"
    return Markup(html)


def render_page(page: b.Page, menu: list[tuple[str, str]], site_name: str, as_of: str) -> str:
    return _ENV.get_template("page.html.j2").render(
        page=page, menu=menu, site_name=site_name, as_of=as_of, csp=CSP, ext=EXT,
        block=block, version=__version__)
