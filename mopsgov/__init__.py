"""mopsgov: a marketing operations operating model as code."""

__version__ = "0.1.0"
