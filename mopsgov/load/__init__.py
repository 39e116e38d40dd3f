"""Load: read YAML files into data with positions, and gather a model from a folder."""
