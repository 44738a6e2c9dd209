"""Save Criteria and Reuse Criteria: a segment's steps kept under a name and taken again, in order, on
another segment (each a set-based step of its own, recorded, so Go Back undoes them one by one)."""

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.errors import Conflict, Invalid, not_found
from store.segment_criteria import Criteria
from store.segment_models import SavedSegmentCriteria, SegmentStep
from store.segment_steps import StepKind, list_steps, run_step
from store.templates import normalize_code
from store.workspaces import ensure_workspace


def save_criteria(session: Session, team_id: str, user_id: str, code: str, name: str) -> SavedSegmentCriteria:
    name = normalize_code(name, "saved criteria")
    steps = list_steps(session, team_id, code)
    if not steps:
        raise Invalid(f"Segment {code.upper()} has no steps to save; build it with add where … first.")
    if session.get(SavedSegmentCriteria, (team_id, name)) is not None:
        raise Conflict(f"Saved criteria {name} exist already; choose another name.")
    ensure_workspace(session, team_id)
    saved = SavedSegmentCriteria(
        team_id=team_id,
        name=name,
        description=f"Steps of segment {steps[0].segment_no}",
        steps=json.dumps([_step(step) for step in steps]),
        user_id=user_id,
    )
    session.add(saved)
    session.flush()
    return saved


def _step(step: SegmentStep) -> dict[str, object]:
    return {
        "kind": step.kind,
        "criteria": json.loads(step.criteria),
        "people": step.people,
        "duplicates": step.duplicates,
    }


def reuse_criteria(session: Session, team_id: str, user_id: str, code: str, name: str) -> list[SegmentStep]:
    """Take the saved steps on the segment; steps that change nothing there are skipped."""
    saved = session.get(SavedSegmentCriteria, (team_id, name.strip().upper()))
    if saved is None:
        known = session.scalars(
            select(SavedSegmentCriteria.name)
            .where(SavedSegmentCriteria.team_id == team_id)
            .order_by(SavedSegmentCriteria.name)
        )
        raise not_found("saved criteria", name.strip().upper(), known)
    taken = []
    for item in json.loads(saved.steps):
        step = run_step(
            session,
            team_id,
            user_id,
            code,
            StepKind(item["kind"]),
            Criteria.from_json(json.dumps(item["criteria"])),
            people=bool(item["people"]),
            duplicates=bool(item["duplicates"]),
            allow_empty=True,
        )
        if step is not None:
            taken.append(step)
    if not taken:
        raise Invalid(f"The saved criteria {saved.name} change nothing on segment {code.upper()}.")
    return taken
