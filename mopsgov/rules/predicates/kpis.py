"""KPI and goal predicates: the measurement system as a whole, and goals that move the right way."""
from __future__ import annotations

from mopsgov.rules.option_values import Term
from mopsgov.rules.predicates.common import as_number
from mopsgov.rules.registry import Violation, predicate


@predicate("kpi.form-present", scope="model", form="outcome", allowed={"form": Term("kpi-form")})
def form_present(options, ctx):
    """At least one KPI of the model has the given form (activity, outcome or operational).

    A model without KPIs passes (nothing to balance). The finding is about the KPI set as a whole,
    so it points at the model (mopsgov.yaml), like other model-wide findings, and no KPI's waiver
    covers it. Values: form, count (KPIs in the model), forms (the forms they have).
    """
    kpis = ctx.model.of("kpi")
    if not kpis or any(k.get("form") == options["form"] for k in kpis):
        return
    forms = sorted({k.get("form") for k in kpis if isinstance(k.get("form"), str)})
    yield Violation(None, (), {"count": len(kpis), "forms": forms or "none"}, subject=options["form"])


@predicate("goal.improves")
def improves(goal, options, ctx):
    """The goal's target is better than its baseline in the direction of its KPI.

    Passes when the baseline, target, KPI or the KPI's direction is missing (other rules report
    those). Points at the goal's target. Values: baseline, target, direction, kpi.
    """
    baseline, target = as_number(goal.get("baseline")), as_number(goal.get("target"))
    kpi = ctx.model.get("kpi", goal.get("kpi"))
    if baseline is None or target is None or kpi is None:
        return
    direction = kpi.get("direction")
    worse = direction == "higher-is-better" and target <= baseline or direction == "lower-is-better" and target >= baseline
    if worse:
        yield Violation(goal, ("target",), {"baseline": baseline, "target": target, "direction": direction.replace("-", " "),
                                            "kpi": kpi.label()}, subject=f"{baseline}->{target}")
