from django.urls import reverse


def commune_url(commune) -> str:
    return reverse("recognition:commune", kwargs={"code": commune.code})


def cycle_url(recognition) -> str:
    return reverse("recognition:cycle", kwargs={"pk": recognition.pk})


def dossier_url(dossier) -> str:
    return reverse("recognition:dossier", kwargs={"pk": dossier.pk})


def roadmap_url() -> str:
    return reverse("recognition:roadmap")


def alerts_url() -> str:
    return reverse("recognition:alerts")
