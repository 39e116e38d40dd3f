"""The pull-request workflow: baselines, models read from git, semantic diff, repository scaffolding."""
