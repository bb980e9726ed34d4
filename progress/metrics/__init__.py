"""Metrics as code: a registry of every quantity a programme's criteria can measure (see catalogue.py)."""

from .base import Column, Figure, Kind, Metric, Moment, resident_population
from .catalogue import METRICS

REGISTRY: dict[str, Metric] = {metric.key: metric for metric in METRICS}


def get_metric(key: str) -> Metric:
    return REGISTRY[key]


def metric_choices() -> list[tuple[str, str]]:
    """Choices for Criterion.metric_key: evaluated lazily, so a new metric needs no migration."""
    return [(metric.key, metric.label) for metric in REGISTRY.values()]


def register(metric: Metric) -> Metric:
    """A metric computed by an app above progress, which registers it from its AppConfig.ready() (recognition's
    province-level shares of communes): progress evaluates it like its own and imports nothing of that app."""
    REGISTRY.setdefault(metric.key, metric)
    return REGISTRY[metric.key]


__all__ = [
    "REGISTRY",
    "Column",
    "Figure",
    "Kind",
    "Metric",
    "Moment",
    "get_metric",
    "metric_choices",
    "register",
    "resident_population",
]
