"""Writes on accounts' login security: unlock, one-time password-reset links, second-factor devices. Each is audited
as a SecurityEvent with the acting administrator (none for a management command)."""

import hashlib
import logging
import secrets
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import PasswordResetLink, SecurityEvent, User

logger = logging.getLogger(__name__)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def unlock_account(*, actor: User, user: User) -> int:
    """Forget the account's recent login failures (from every address); returns how many records went."""
    removed = axes_reset(username=user.get_username())
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.ACCOUNT_UNLOCKED, actor=actor, subject=user)
    logger.info("login unlocked for account %s by %s", user.pk, actor.pk)
    return removed


@transaction.atomic
def unlock_address(*, actor: User, ip_address: str) -> int:
    removed = axes_reset(ip=ip_address)
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.ADDRESS_UNLOCKED, actor=actor, ip_address=ip_address)
    logger.info("login unlocked for address %s by %s", ip_address, actor.pk)
    return removed


@transaction.atomic
def issue_password_reset_link(*, actor: User, user: User) -> str:
    """A new one-time token for `user` (earlier unused links stop working); only its hash is kept."""
    now = timezone.now()
    user.password_reset_links.filter(used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    link = PasswordResetLink(
        user=user,
        issued_by=actor,
        token_hash=_hash(token),
        expires_at=now + timedelta(hours=settings.PASSWORD_RESET_LINK_HOURS),
    )
    link.full_clean()
    link.save()
    SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.RESET_LINK_ISSUED,
        actor=actor,
        subject=user,
        description=f"hết hạn {timezone.localtime(link.expires_at):%d/%m/%Y %H:%M}",
    )
    logger.info("password reset link %s issued for account %s by %s", link.pk, user.pk, actor.pk)
    return token


def usable_reset_link(token: str) -> PasswordResetLink | None:
    """The link for `token` if it is unused, unexpired and its account active; None otherwise."""
    return (
        PasswordResetLink.objects.select_related("user")
        .filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )


@transaction.atomic
def reset_password_with_link(*, token: str, password: str, ip_address: str | None = None) -> User | None:
    """Set the password through a link and spend it; None if the link is no longer usable (used in the meantime,
    expired). The account's login lockout is lifted with it: the administrator has vouched for the person."""
    link = usable_reset_link(token)
    if link is None:
        return None
    # Lock the row: two tabs submitting the same link must not both succeed.
    link = PasswordResetLink.objects.select_for_update().select_related("user", "issued_by").get(pk=link.pk)
    now = timezone.now()
    if link.used_at is not None or link.expires_at <= now:
        return None
    user = link.user
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    link.used_at = now
    link.save(update_fields=["used_at"])
    axes_reset(username=user.get_username())
    SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.PASSWORD_RESET,
        actor=user,
        subject=user,
        ip_address=ip_address,
        description=f"liên kết cấp bởi {link.issued_by.username}",
    )
    logger.info("password reset through link %s for account %s", link.pk, user.pk)
    return user


@transaction.atomic
def confirm_second_factor(*, user: User, device: TOTPDevice) -> None:
    """The user proved the pending device with a code: it becomes their only device."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.SECOND_FACTOR_ENROLLED, actor=user, subject=user)
    logger.info("second factor enrolled for account %s", user.pk)


@transaction.atomic
def reset_second_factor(*, actor: User | None, user: User) -> int:
    """Remove the user's devices (lost phone): at the next login they enrol again (administrators must)."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.SECOND_FACTOR_RESET, actor=actor, subject=user)
    logger.warning("second factor reset for account %s by %s", user.pk, actor.pk if actor else "console")
    return removed
