"""Read logging for personal data; write history is django-simple-history on each model."""

from .models import AccessLog


def log_access(
    user,
    obj=None,
    *,
    action=AccessLog.Action.VIEW,
    object_type="",
    object_id="",
    commune_id=None,
    description="",
    request=None,
) -> AccessLog:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        commune_id = commune_id if commune_id is not None else getattr(obj, "commune_id", None)
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        commune_id=commune_id,
        description=description[:255],
        path=(request.get_full_path()[:500] if request is not None else ""),
    )
