"""Rules: policy packs (declarative YAML) and the named predicates they may call."""
