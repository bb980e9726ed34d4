"""The recognition cycle as records with a history: registration and roadmap (cycle.py), the dossier and its
appraisal (dossier.py), the decision and what follows it (keeping.py)."""

from .cycle import CommuneStatus, ProvinceTarget, Recognition, RecognitionQuerySet
from .dossier import Dossier, DossierCriterion, Evidence, FieldInspection, Verdict
from .keeping import Alert, Decision, MaintenanceReview, Revocation

__all__ = [
    "Alert",
    "CommuneStatus",
    "Decision",
    "Dossier",
    "DossierCriterion",
    "Evidence",
    "FieldInspection",
    "MaintenanceReview",
    "ProvinceTarget",
    "Recognition",
    "RecognitionQuerySet",
    "Revocation",
    "Verdict",
]
