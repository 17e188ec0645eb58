from django.shortcuts import render

from clinic.permissions import patient_required


@patient_required
def portal_home(request):
    """The patient's start page; the portal issue fills it with today's exercises."""
    return render(request, "programs/portal_home.html")
