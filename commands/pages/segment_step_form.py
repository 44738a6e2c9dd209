"""The form of a step on a segment (Add, Reduce or Refine Contacts): the criteria as selects and inputs,
and under them how many contacts match and what the step would change, worked out again whenever a field
changes. Submitted, it runs the same action as the typed `segment <code> add|reduce|refine where …`."""

from collections.abc import Callable
from typing import Any

from commands import criteria as kinds
from commands import inputs
from commands.context import Context
from commands.countries import country_name
from commands.forms import SELECT_LIMIT, Field, Form, FormErrors
from commands.views import plural
from store.contacts import list_contacts
from store.db import reading
from store.enums import ContactType, CorrespondenceType, Evaluation
from store.errors import DomainError, Invalid
from store.segment_criteria import VALUE_FIELDS, Criteria, count_matching, field_values, resolve
from store.segment_steps import StepKind, preview_step
from store.segments import count_segment_lines, segment_descriptions
from store.templates import list_groups, list_templates

CONTACT_FIELDS = ("type", "company", "country", "city", "language", "salesperson", "correspondence_type")
"""The contact fields the form asks for, in the order they become criteria."""
HISTORY_FIELDS = ("from", "to", "evaluation", "failed")
ANY = ("", "Any")
TYPES = (ANY, *((t.value, t.value.capitalize()) for t in ContactType))
CORRESPONDENCE = (ANY, *((c.value, c.value.replace("-", " ").capitalize()) for c in CorrespondenceType if c))
EVALUATIONS = (ANY, *((e.value, e.value.replace("-", " ").capitalize()) for e in Evaluation if e))
FAILED = (ANY, ("yes", "Failed"), ("no", "Succeeded"))
HISTORY = (("had", "Had an interaction of"), ("not_had", "Had no interaction of"))
LABELS = {
    "type": "Contact type",
    "company": "Company (and its people)",
    "country": "Country",
    "city": "City",
    "language": "Language",
    "salesperson": "Salesperson",
    "correspondence_type": "Correspondence type",
}
NO_CRITERIA = "Choose at least one criterion."


def step_form(kind: StepKind, action_id: str, title: str) -> Callable[[Context, dict[str, str]], Form]:
    def build(ctx: Context, values: dict[str, str]) -> Form:
        values = {name: value.strip() for name, value in values.items()}
        _spread(ctx, values)
        values["segment"] = values.get("segment", "").upper()
        with reading(ctx.sessions) as session:
            segments = segment_descriptions(session, ctx.team_id)
            choices = {
                name: field_values(session, ctx.team_id, name, SELECT_LIMIT + 1) for name in VALUE_FIELDS
            }
            companies = list_contacts(session, ctx.team_id, limit=SELECT_LIMIT + 1, kind=ContactType.COMPANY)
            codes = [
                (t.code, f"{t.code} · {t.description} (template)")
                for t in list_templates(session, ctx.team_id)
            ]
            codes += [
                (g.code, f"{g.code} · {g.description} (group)") for g in list_groups(session, ctx.team_id)
            ]
        fields = [
            _segment(values["segment"], sorted(segments)),
            _field(values, "type", TYPES),
            _company(values, [(c.no, f"{c.name} ({c.no})") for c in companies]),
            _valued(
                values, "country", [(c, f"{c} · {country_name(c, ctx.lang)}") for c in choices["country"]]
            ),
            _valued(values, "city", [(c, c) for c in choices["city"]]),
            _valued(values, "language", [(c, c) for c in choices["language"]]),
            _valued(values, "salesperson", [(c, c) for c in choices["salesperson"]]),
            _field(values, "correspondence_type", CORRESPONDENCE),
            Field(
                "history",
                "Interaction history",
                "select",
                values.get("history") or "had",
                HISTORY,
                dispatch=True,
            ),
            Field(
                "code",
                "…of the template or group",
                "select",
                values.get("code", "").upper(),
                (("", "-"), *codes),
                optional=True,
                dispatch=True,
            ),
            Field("from", "…from", "date", values.get("from", ""), optional=True, dispatch=True),
            Field("to", "…to", "date", values.get("to", ""), optional=True, dispatch=True),
            Field(
                "evaluation",
                "…evaluated",
                "select",
                values.get("evaluation", ""),
                EVALUATIONS,
                optional=True,
                dispatch=True,
            ),
            Field(
                "failed", "…attempt", "select", values.get("failed", ""), FAILED, optional=True, dispatch=True
            ),
            _checkbox(values, "people", "Also the people of the companies that match"),
        ]
        if kind is StepKind.ADD:
            fields.append(_checkbox(values, "duplicates", "Also contacts on the segment already (again)"))
        return Form(action_id, title, _VERB[kind], tuple(fields), note=_note(ctx, kind, values))

    return build


_VERB = {StepKind.ADD: "Add", StepKind.REDUCE: "Reduce", StepKind.REFINE: "Refine"}


def _segment(code: str, segments: list[tuple[str, str]]) -> Field:
    """The segments to choose from; searched as the user types when there are too many to list."""
    if len(segments) > SELECT_LIMIT:
        return Field("segment", "Segment", "external_select", code, dispatch=True)
    options = tuple((no, f"{no} · {description}") for no, description in segments)
    return Field("segment", "Segment", "select", code, options, dispatch=True)


def _field(values: dict[str, str], name: str, options: tuple[tuple[str, str], ...]) -> Field:
    return Field(name, LABELS[name], "select", values.get(name, ""), options, optional=True, dispatch=True)


def _valued(values: dict[str, str], name: str, options: list[tuple[str, str]]) -> Field:
    """The values the workspace's contacts have, to choose from; typed when there are too many."""
    value = values.get(name, "")
    if len(options) > SELECT_LIMIT:
        return Field(name, LABELS[name], "text", value, optional=True, dispatch=True)
    if value and value not in dict(options):
        options.append((value, value))
    return _field(values, name, (ANY, *options))


def _company(values: dict[str, str], options: list[tuple[str, str]]) -> Field:
    value = values.get("company", "")
    if len(options) > SELECT_LIMIT:
        return Field("company", LABELS["company"], "external_select", value, optional=True, dispatch=True)
    return _field(values, "company", (ANY, *options))


def _checkbox(values: dict[str, str], name: str, label: str) -> Field:
    return Field(name, label, "checkbox", values.get(name, ""), optional=True, dispatch=True)


def _spread(ctx: Context, values: dict[str, str]) -> None:
    """Criteria given as typed (`criteria=country=ES had=VISIT`, or as Tell Me read them) fill the fields
    they stand for; the form has one history, the first."""
    try:
        given = kinds.CRITERIA.parse(values.pop("criteria", ""), ctx, "criteria")
    except inputs.UsageError:
        return
    for name, value in given.fields:
        if name in CONTACT_FIELDS:
            values.setdefault(name, value)
    if given.history and not values.get("code"):
        first = given.history[0]
        values |= {"code": first.code, "history": "had" if first.had else "not_had"}
        dates = {"from": first.date_from, "to": first.date_to}
        values |= {name: day.isoformat() for name, day in dates.items() if day}
        if first.evaluation:
            values["evaluation"] = first.evaluation
        if first.failed is not None:
            values["failed"] = "yes" if first.failed else "no"


def form_criteria(ctx: Context, values: dict[str, str]) -> Criteria:
    """The criteria the fields hold, read by the same kinds as the typed ones (commands.criteria); raises
    FormErrors naming each field that is off."""
    pairs = [(name, values[name]) for name in CONTACT_FIELDS if values.get(name, "").strip()]
    history = [(name, values[name]) for name in HISTORY_FIELDS if values.get(name, "").strip()]
    if values.get("code", "").strip():
        had = "not_had" if values.get("history") == "not_had" else "had"
        pairs += [(had, values["code"]), *history]
    elif history:
        raise FormErrors(
            {"code": "Choose the template or group that from, to, evaluation and attempt are about."}
        )
    try:
        return kinds.read_pairs(pairs, ctx)
    except kinds.CriterionError as refused:
        field = "code" if refused.field in ("had", "not_had") else refused.field
        raise FormErrors({field: refused.message}) from None


def _checked(ctx: Context, criteria: Criteria) -> dict[str, str]:
    """What the workspace says of the company and the template or group chosen, by field."""
    errors: dict[str, str] = {}
    parts = (
        ("company", Criteria(fields=tuple(f for f in criteria.fields if f[0] == "company"))),
        ("code", Criteria(history=criteria.history)),
    )
    with reading(ctx.sessions) as session:
        for field, part in parts:
            try:
                resolve(session, ctx.team_id, part)
            except DomainError as refused:
                dates = isinstance(refused, Invalid) and field == "code"
                errors["to" if dates else field] = refused.message
    return errors


def read_step(kind: StepKind) -> Callable[[Context, dict[str, str]], dict[str, Any]]:
    def read(ctx: Context, values: dict[str, str]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        code = values.get("segment", "").strip()
        if not code:
            errors["segment"] = "Choose a segment."
        try:
            chosen: Criteria | None = form_criteria(ctx, values)
        except FormErrors as failure:
            errors |= failure.errors
            chosen = None
        if chosen is not None and not chosen:
            errors["type"] = NO_CRITERIA
        elif chosen is not None:
            errors |= _checked(ctx, chosen)
        if errors:
            raise FormErrors(errors)
        args: dict[str, Any] = {
            "segment": inputs.SEGMENT.parse(code, ctx, "segment"),
            "criteria": chosen,
            "people": values.get("people") == "yes",
        }
        if kind is StepKind.ADD:
            args["duplicates"] = values.get("duplicates") == "yes"
        return args

    return read


def _note(ctx: Context, kind: StepKind, values: dict[str, str]) -> str:
    """How many contacts match, and what the step would do to the segment (or what is off)."""
    code = values.get("segment", "")
    try:
        chosen = form_criteria(ctx, values)
    except FormErrors as failure:
        return next(iter(failure.errors.values()))
    people = values.get("people") == "yes"
    try:
        with reading(ctx.sessions) as session:
            total = count_segment_lines(session, ctx.team_id, code) if code else 0
            if not chosen:
                on = f"Segment {code} has {plural(total, 'contact')}. " if code else ""
                return on + NO_CRITERIA
            matching = count_matching(session, ctx.team_id, chosen, people=people)
            if not code:
                return f"{_match(matching)}. Choose a segment."
            changed = preview_step(
                session,
                ctx.team_id,
                code,
                kind,
                chosen,
                people=people,
                duplicates=kind is StepKind.ADD and values.get("duplicates") == "yes",
            )
    except DomainError as refused:
        return refused.message
    if kind is StepKind.ADD:
        effect = f"adding puts {plural(changed, 'contact')} on {code}"
    elif kind is StepKind.REDUCE:
        effect = f"reducing takes {plural(changed, 'contact')} off {code}"
    else:
        effect = f"refining keeps {total - changed:,} and takes {plural(changed, 'contact')} off {code}"
    return f"{_match(matching)}; {effect} ({total:,} on it now)."


def _match(count: int) -> str:
    return f"{plural(count, 'contact')} {'matches' if count == 1 else 'match'}"
