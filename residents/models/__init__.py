from .households import Household
from .people import Ethnicity, Person, Sex
from .records import (
    AddictionAssessment,
    DrugTest,
    ManagementStop,
    PostRehabManagement,
    Reintegration,
    ResidenceCheck,
    RiskFlag,
    Suspicion,
    Treatment,
    UserManagement,
)
from .situation import ArrestedSuspect, DrugCase, Incident
from .transfers import PersonTransfer

__all__ = [
    "AddictionAssessment",
    "ArrestedSuspect",
    "DrugCase",
    "DrugTest",
    "Ethnicity",
    "Household",
    "Incident",
    "ManagementStop",
    "Person",
    "PersonTransfer",
    "PostRehabManagement",
    "Reintegration",
    "ResidenceCheck",
    "RiskFlag",
    "Sex",
    "Suspicion",
    "Treatment",
    "UserManagement",
]
