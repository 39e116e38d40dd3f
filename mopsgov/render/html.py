"""HTML output: Jinja2 with autoescaping on, one template, no scripts.

Pages carry a Content-Security-Policy that allows only the site's own stylesheet and images, so
even a script that slipped into the markup could not run; diagrams are `<img>` elements, and an
SVG shown through `<img>` never runs scripts.
"""
from __future__ import annotations

import jinja2

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
    env.tests.update(
        link_cell=lambda v: isinstance(v, b.Link), tag_cell=lambda v: isinstance(v, b.Tag),
        code_cell=lambda v: isinstance(v, b.Code), seq_cell=lambda v: isinstance(v, tuple),
        table_block=lambda v: isinstance(v, b.Table), facts_block=lambda v: isinstance(v, b.Facts),
        figures_block=lambda v: isinstance(v, b.Figures), diagram_block=lambda v: isinstance(v, b.Diagram),
    )
    env.finalize = lambda value: plain(value) if type(value) is str else value  # not Markup
    return env


_ENV = _environment()


def href(link: b.Link, ext: str = EXT) -> str:
    return f"{link.page}.{ext}" + (f"#{link.anchor}" if link.anchor else "")


def render_page(page: b.Page, menu: list[tuple[str, str]], site_name: str, as_of: str) -> str:
    return _ENV.get_template("page.html.j2").render(
        page=page, menu=menu, site_name=site_name, as_of=as_of, csp=CSP, ext=EXT,
        href=href, version=__version__)
