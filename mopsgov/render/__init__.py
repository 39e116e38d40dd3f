"""Render the model for people: the documentation site (HTML or Markdown) and Graphviz diagrams.

Everything here is deterministic: the same model gives the same bytes. Every string from the model
is escaped for its target (HTML by Jinja2's autoescaping, Markdown by `markdown.md_text`, DOT by
`escape.dot_text`); no model value ever becomes a link target or code.
"""
