"""HTML output: the page layout is a Jinja2 template with autoescaping on; the blocks inside it
are rendered here, every model text through `markupsafe.escape`. No scripts.

The blocks are rendered in Python rather than by template macros because a large site has
hundreds of thousands of cells, and a macro call per cell was most of the build time.
Pages carry a Content-Security-Policy that allows only the site's own stylesheet and images, so
even a script that slipped into the markup could not run; diagrams are `<img>` elements, and an
SVG shown through `<img>` never runs scripts.
"""
from __future__ import annotations

import jinja2
from markupsafe import Markup, escape

from mopsgov import __version__
from mopsgov.render import blocks as b
from mopsgov.render.escape import plain

CSP = ("default-src 'none'; img-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; "
       "object-src 'none'; script-src 'none'")
EXT = "html"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mopsgov.render", "templates"),
        autoescape=True,  # every value, whatever the template file is called
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.finalize = lambda value: plain(value) if type(value) is str else value  # not Markup
    return env


_ENV = _environment()


def href(link: b.Link, ext: str = EXT) -> str:
    return f"{link.page}.{ext}" + (f"#{link.anchor}" if link.anchor else "")


def _text(value: object) -> str:
    """Model text escaped for HTML (control characters dropped first)."""
    return escape(plain(value))


def cell(value: b.Cell) -> str:
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return escape(plain(value))
    if kind is b.Link:
        return f'<a href="{_text(href(value))}">{_text(value.text)}</a>'
    if kind is b.Tag:
        return f'<span class="tag tag-{_text(value.tone)}">{_text(value.text)}</span>'
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
    out = ['\n<div class="scroll"><table>']
    if table.caption:
        out.append(f"<caption>{_text(table.caption)}</caption>")
    out.append("\n<thead><tr>")
    for column in table.columns:
        numeric = ' class="num"' if column.numeric else ""
        title = f' title="{_text(column.help)}"' if column.help else ""
        out.append(f'<th scope="col"{numeric}{title}>{_text(column.label)}</th>')
    out.append("</tr></thead>\n<tbody>")
    classes = [_td_class(c) for c in table.columns]
    for index, row in enumerate(table.rows):
        anchor = f' id="{_text(table.anchors[index])}"' if table.anchors else ""
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
    name, title = _text(diagram.name), _text(diagram.title)
    if diagram.svg:
        return (f'\n<figure class="diagram">\n<a href="diagrams/{name}.svg"><img src="diagrams/{name}.svg" alt="{title}"></a>'
                f'\n<figcaption>{title} (<a href="diagrams/{name}.dot">DOT source</a>)</figcaption>\n</figure>')
    return f'\n<figure class="diagram">\n<figcaption>{title}: <a href="diagrams/{name}.dot">DOT source</a></figcaption>\n</figure>'


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
        tone = f' class="{_text(value.tone)}"' if value.tone else ""
        html = f"\n<p{tone}>{cell(value.content)}</p>"
    return Markup(html)


def render_page(page: b.Page, menu: list[tuple[str, str]], site_name: str, as_of: str) -> str:
    return _ENV.get_template("page.html.j2").render(
        page=page, menu=menu, site_name=site_name, as_of=as_of, csp=CSP, ext=EXT,
        block=block, version=__version__)
