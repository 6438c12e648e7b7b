from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from orgs.scoping import organizations_public


def organization_public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(organizations_public(), slug=slug)
    return render(request, "orgs/public_detail.html", {"organization": organization})
