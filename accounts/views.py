from django.shortcuts import render


def home(request):
    """Landing page; each role's own home (work queue, dashboards) plugs in here."""
    return render(request, "home.html")
