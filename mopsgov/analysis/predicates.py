"""Model-scope predicates that turn the analyses' results into policy violations.

Each predicate runs its analysis once per model and option set (see mopsgov.analysis.runner) and
yields one violation per problem, pointing at the field a MOps architect would edit: the KPI's
`inputs` entry, the SLA's `target`, the tool's `annual_cost`, the flow's `objects` entry. The
rules that call them are in policies/builtin/analysis.yaml; their options are the analyses'
options.
"""
from __future__ import annotations

from mopsgov.analysis import exposure, redundancy, shelfware
from mopsgov.analysis.common import count, cut_off_groups, listed, route, tool_label
from mopsgov.analysis.runner import result
from mopsgov.durations import format_minutes, target_problem
from mopsgov.fields import strings
from mopsgov.figures import Amounts
from mopsgov.rules.registry import Violation, predicate
from mopsgov.validate.schema_compiler import describe


def _run(ctx, name: str, options: dict | None = None):
    return result(ctx.model, name, options)


@predicate("analysis.shelfware", scope="model", **shelfware.DEFAULTS)
def shelfware_tools(options, ctx):
    """A tool in a judged lifecycle that no process step uses and no flow touches.

    Points at the tool's annual_cost (the money at stake), or at the tool when it has none.
    Values: cost (annual cost with currency, or "not recorded"), renewal (date or "not
    recorded"), kpis (KPIs still naming it as a source, or "none").
    """
    for unused in _run(ctx, "shelfware", options).tools:
        cost = str(Amounts({unused.currency: unused.annual_cost})) if unused.annual_cost is not None else "not recorded"
        yield Violation(unused.tool, ("annual_cost",) if unused.annual_cost is not None else (),
                        {"cost": cost, "renewal": unused.renewal or "not recorded", "kpis": list(unused.kpis) or "none"},
                        subject="unused")


@predicate("analysis.kpi-computable", scope="model")
def kpi_computable(options, ctx):
    """Each input object of a KPI reaches one of its source tools from the object's system of record.

    One violation per input that does not arrive, at that entry of the KPI's inputs. Values:
    object, sources, system_of_record, missing (the missing hop, in words), hop_fix (the change
    that closes it).
    """
    for check in _run(ctx, "kpi_computability", options).not_computable:
        for item in check.inputs:
            if item.ok:
                continue
            yield Violation(check.kpi, ("inputs", item.index),
                            {"object": item.object, "sources": list(check.sources),
                             "system_of_record": list(item.systems_of_record) or "none",
                             "missing": item.missing.text, "hop_fix": item.missing.fix},
                            subject=f"{item.object}:{item.missing.source}->{item.missing.target}")


@predicate("analysis.personal-data-exposure", scope="model", skip_direct=True, reasons=list(exposure.REASONS))
def personal_data_exposure(options, ctx):
    """Personal data reaches a tool without a DPA, or stored outside the allowed residency.

    One violation per tool and reason, at the tool's compliance.dpa or compliance.residency.
    With skip_direct (the default), a missing DPA is only reported for tools that hold the data
    without a flow delivering it (as system of record, or under holds): a flow that delivers
    personal data to a tool without a DPA is reported on the flow by data.processing-agreement.
    Values: objects, path (how the first object gets there), problem, residency ("unknown" when
    not recorded), where (where the data is stored, in words: "in us, outside the allowed
    residency", or that the residency is not recorded), without_basis (flows on the path that
    state no lawful basis, or "none").
    """
    found = _run(ctx, "exposure")
    for tool_id, items in found.by_tool().items():
        for reason in [r for r in exposure.REASONS if r in options["reasons"]]:
            # by object id: the message must not depend on which file holds which data object
            mine = sorted((e for e in items if e.reason == reason and (reason != "dpa" or not options["skip_direct"] or not e.flows)),
                          key=lambda e: e.object)
            if not mine:
                continue
            first = mine[0]
            held = "" if first.flows else " (it holds the data itself)"
            allowed = ", ".join(found.allowed_residency)
            where = (f"in {first.residency}, outside the allowed residency ({allowed})" if first.residency
                     else f"but records no residency, so it may be outside the allowed residency ({allowed})")
            yield Violation(first.tool, ("compliance", reason),
                            {"objects": list(dict.fromkeys(e.object for e in mine)),
                             "path": route(list(first.path)) + held, "problem": first.detail,
                             "residency": first.residency or "unknown", "where": where,
                             "without_basis": list(first.without_basis) or "none"},
                            subject=f"{reason}:{','.join(sorted({e.object for e in mine}))}")


@predicate("analysis.sla-feasible", scope="model")
def sla_feasible(options, ctx):
    """The flows an SLA's process waits on are fast enough for its time target, and deliver the data at all.

    Points at the SLA's target. Values: required and modelled (durations; modelled is "never"
    when data never arrives), problem (the numbers and the critical path, or the data that
    never arrives, in words), route (the critical path), step (the step the SLA measures),
    flows (the flows on the critical path), fix (the change that would help).
    """
    for check in _run(ctx, "sla_feasibility", options).infeasible:
        never = check.never
        flows = [f.id for f in check.flows()]
        problem = check.numbers() if never else f"{check.numbers()}: {check.route()}"
        fix = never.missing.fix if never else (
            f"Speed up the flows on the critical path ({', '.join(flows)}), or set a target the integrations can meet.")
        yield Violation(check.sla, ("target",),
                        {"required": format_minutes(check.target_minutes),
                         "modelled": "never" if never else format_minutes(check.modelled_minutes),
                         "problem": problem, "route": check.route(), "step": check.step, "flows": flows or "none",
                         "fix": fix},
                        subject=f"{never.step}:{never.object}:never" if never else f"{check.step}:{','.join(flows)}")


@predicate("analysis.sla-judgeable", scope="model")
def sla_judgeable(options, ctx):
    """Every timed SLA can be judged: the flows it may wait on have a latency mopsgov can read.

    A flow without a latency (or with one that is not a duration) is counted both as instant and
    as never arriving; the SLA is reported when that decides whether it can be met. Points at the
    SLA's target. Values: required, modelled (the least time, with those flows counted as
    instant), flows (the flows of unknown latency).
    """
    for check in _run(ctx, "sla_feasibility", options).unknown:
        yield Violation(check.sla, ("target",),
                        {"required": format_minutes(check.target_minutes), "modelled": format_minutes(check.modelled_minutes),
                         "flows": list(check.unmodelled)}, subject=",".join(check.unmodelled))


@predicate("sla.target-readable")
def sla_target_readable(sla, options, ctx):
    """The SLA's target is a duration mopsgov reads (mopsgov.durations, the grammar the SLA
    feasibility analysis and flow latencies use) or a percentage.

    Points at the target. Values: value (the target as written), problem (what is wrong with it).
    """
    target = sla.get("target")
    problem = target_problem(target)
    if problem is not None:
        yield Violation(sla, ("target",), {"value": describe(target), "problem": problem}, subject=str(target))


@predicate("analysis.write-back-cycle", scope="model")
def write_back_cycle(options, ctx):
    """No data object is written back and forth between tools by its flows.

    Points at the object's entry in the objects of the flow that writes it back into its system
    of record (or of the cycle's first flow). Values: object, tools, flows.
    """
    for cycle in _run(ctx, "flow_structure").cycles:
        flow = cycle.write_back or cycle.flows[0]
        index = strings(flow.flow.get("objects")).index(cycle.object)
        yield Violation(flow.flow, ("objects", index),
                        {"object": cycle.object, "tools": listed(cycle.tools), "flows": [f.id for f in cycle.flows]},
                        subject=f"{cycle.object}:{','.join(sorted(cycle.tools))}")


@predicate("analysis.single-point-of-failure", scope="model", min_cut_off=1)
def single_point_of_failure(options, ctx):
    """No tool's loss cuts the integration graph in two (an articulation point).

    Only tools that would cut off at least min_cut_off other tools are reported. Points at the
    tool. Values: cut_off (tools cut off from the largest group), parts (how many groups are
    left), groups (the groups cut off from the largest, in words), flows, steps, kpis (what uses
    the tool directly, counted; what breaks with it, transitively, is the impact analysis's answer).
    """
    for point in _run(ctx, "flow_structure").cut_points:
        if point.cut_off < options["min_cut_off"]:
            continue
        yield Violation(point.tool, (), {"cut_off": count(point.cut_off, "tool"), "parts": len(point.parts),
                                         "groups": cut_off_groups(point.parts[1:]),
                                         "flows": count(len(point.use.flows), "flow"),
                                         "steps": count(len(point.use.steps), "process step"),
                                         "kpis": count(len(point.use.kpis), "KPI")}, subject="articulation")


@predicate("analysis.fragile-link", scope="model")
def fragile_link(options, ctx):
    """No single link between two tools holds two groups of tools together (a bridge).

    Links to a tool with no other integration are normal and not reported. Points at the first
    flow of the link. Values: ends (the two tools, in words), smaller_side, flows.
    """
    for bridge in _run(ctx, "flow_structure").bridges:
        if bridge.risky:
            yield Violation(bridge.flows[0].flow, (), {"ends": listed(bridge.ends), "smaller_side": count(bridge.smaller_side, "tool"),
                                                       "flows": [f.id for f in bridge.flows]},
                            subject="-".join(bridge.ends))


@predicate("analysis.redundant-tools", scope="model", **redundancy.DEFAULTS)
def redundant_tools(options, ctx):
    """No two active tools offer the same capabilities to the same teams.

    One violation per tool of a redundancy cluster other than the keep candidate, at its
    capabilities. Values: keep (the tool to keep, by name and id), keep_note (empty, or when no
    tool of the cluster serves every team, ", but ..." naming the teams it would also have to
    serve), reasons, cluster (its tools),
    shared (capabilities), teams, score, at_stake (the cluster's annual cost at stake), cost
    (this tool's), renewal.
    """
    for cluster in _run(ctx, "redundancy", options).clusters:
        for tool in cluster.others:
            cost = tool.get("annual_cost")
            yield Violation(tool, ("capabilities",), {
                "keep": tool_label(cluster.keep), "keep_note": redundancy.keep_note(cluster), "reasons": list(cluster.reasons) or "no stronger evidence",
                "cluster": [t.id for t in cluster.tools], "shared": list(cluster.shared_capabilities),
                "teams": list(cluster.teams), "score": f"{cluster.score:.0%}", "at_stake": str(cluster.at_stake),
                "cost": cost if isinstance(cost, (int, float)) else "unknown",
                "renewal": f"{cluster.renewal[0]} ({cluster.renewal[1]})" if cluster.renewal else "not recorded"},
                subject=",".join(sorted(t.id for t in cluster.tools)))


@predicate("analysis.coverage-gap", scope="model",
           dimensions=["archetypes", "responsibilities", "platform_groups", "process_families"])
def coverage_gap(options, ctx):
    """Every value archetype, responsibility area, platform group and process family is covered.

    One model-wide violation per dimension with gaps, once the model has entities of the kind
    that covers it (roles, tools, processes). Coverage is judged on a whole operating model, a
    folder with its mopsgov.yaml: a single file or a folder without one is a fragment and is not
    judged. Values: dimension, missing, covered, total.
    """
    if not ctx.model.config and ctx.model.config_source is None:
        return
    found = _run(ctx, "coverage")
    for name in options["dimensions"]:
        dim = found.dimensions.get(name)
        if dim is None or not dim.missing or not ctx.model.of(dim.kind):
            continue
        yield Violation(None, (), {"dimension": dim.title.lower(), "missing": list(dim.missing),
                                   "covered": len(dim.covered), "total": len(dim.covered) + len(dim.missing)},
                        subject=name)


@predicate("analysis.maturity-level", scope="model", min_level=2)
def maturity_level(options, ctx):
    """Each pillar of the maturity scorecard reaches at least min_level.

    Points at the first entity holding the pillar back; a pillar with nothing in the model to
    judge, or held back by no entity in particular, is left to the scorecard of mopsgov analyze.
    Values: pillar, level, label, next (the criterion that would lift it), evidence.
    """
    from mopsgov.analysis.maturity import LEVELS

    for pillar in _run(ctx, "maturity").pillars.values():
        lift = pillar.lift
        if pillar.level >= options["min_level"] or lift is None or not lift.holding_back:
            continue
        yield Violation(lift.holding_back[0], (), {"pillar": pillar.name, "level": pillar.level, "label": LEVELS[pillar.level],
                                     "next": lift.title, "evidence": lift.evidence}, subject=pillar.name)

