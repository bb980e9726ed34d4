from .households import Household
from .people import Ethnicity, Person, Sex
from .records import (
    AddictionAssessment,
    DrugTest,
    PostRehabManagement,
    Reintegration,
    ResidenceCheck,
    RiskFlag,
    Suspicion,
    Treatment,
    UserManagement,
)
from .situation import ArrestedSuspect, DrugCase, Incident

__all__ = [
    "AddictionAssessment",
    "ArrestedSuspect",
    "DrugCase",
    "DrugTest",
    "Ethnicity",
    "Household",
    "Incident",
    "Person",
    "PostRehabManagement",
    "Reintegration",
    "ResidenceCheck",
    "RiskFlag",
    "Sex",
    "Suspicion",
    "Treatment",
    "UserManagement",
]
