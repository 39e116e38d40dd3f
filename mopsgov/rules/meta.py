"""The findings the policy engine itself reports (about waivers, packs and settings), explained.

They are not rules of a pack, so they cannot be configured or waived; `mopsgov explain` and
reports that describe rule ids use these texts.
"""
from __future__ import annotations

# id -> (severity, title, what it means and what to do)
META_RULES: dict[str, tuple[str, str, str]] = {
    "waiver.expired": ("error", "A waiver is past its expiry date",
                       "The waiver's expires date has passed, so it covers nothing and the findings it covered count "
                       "again. Fix what the rule reports and delete the waiver, or have the approver extend expires."),
    "waiver.unmatched": ("warning", "A waiver covers no finding",
                         "Either the problem is fixed (delete the waiver) or the waiver names a rule or entity that "
                         "reports nothing (correct it). Findings of validation (schema and reference errors) cannot be "
                         "waived and must be fixed; findings about the model as a whole are configured in mopsgov.yaml "
                         "(severity or off), not waived."),
    "policy.invalid": ("error", "A policy pack does not follow the pack format",
                       "The pack file breaks schemas/policy-pack.schema.json at the position shown; the rule concerned "
                       "is left out."),
    "policy.rejected": ("error", "A policy pack is not loaded",
                        "The pack file could not be read as plain YAML data (for example it carries a !!python tag); "
                        "none of its rules run until it is fixed."),
    "policy.condition": ("error", "A rule's JSON Schema condition cannot be used",
                         "It uses a keyword mopsgov does not support, an argument of the wrong kind, a $ref outside the "
                         "shipped schemas, or a regular expression that can take exponential time."),
    "policy.unknown-predicate": ("error", "A rule names a predicate that is not registered",
                                 "Predicates come from mopsgov and from installed plugins; run mopsgov rules --predicates."),
    "policy.unknown-option": ("error", "An option the rule or its predicate does not have",
                              "Check the spelling against mopsgov explain RULE."),
    "policy.option-type": ("error", "An option value of the wrong kind, or one the rule does not accept",
                           "Give the option a value of the same kind as its default (a number, text, true/false or a list), "
                           "and one its predicate accepts: a kind of entity, a field of the kind's schema, a number in "
                           "range, a term of the vocabulary. The message says which, with did you mean."),
    "policy.template": ("error", "A message template uses more than plain {name} fields",
                        "Templates only insert values by name; write {entity}, {count}, ... and {{ }} for literal braces."),
    "policy.duplicate-rule": ("error", "Two rules have the same id", "Rename one of them: ids are unique across enabled packs."),
    "policy.unknown-rule": ("error", "mopsgov.yaml configures a rule no enabled pack defines",
                            "Correct the id (mopsgov rules lists them), or enable the pack that defines it."),
    "policy.pack-missing": ("error", "A pack listed in mopsgov.yaml does not exist",
                            "Give a path relative to the model folder, or builtin."),
    "policy.rule-failed": ("error", "A rule could not be evaluated",
                           "A predicate raised an error on the entity shown; the rule still judged the other entities, "
                           "and the other rules still ran. Report it with the model."),
    "policy.cannot-judge": ("error", "A value no rule can judge",
                            "The value is valid on its own but the rules cannot work with it, such as a notice period "
                            "that reaches back before the year 1 from the renewal date: it is almost always a typo. "
                            "Correct the field shown."),
    "policy.plugin": ("error", "A predicate plugin failed to load", "Reinstall or remove the plugin package."),
    "policy.test-invalid": ("error", "A rule test file does not follow the test format",
                            "Fix it against schemas/policy-test.schema.json."),
}
