from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from .forms import ProposalForm

LAST_PROPOSAL_SESSION_KEY = "last_proposal_title"


def proposal_rate(group: str, request: HttpRequest) -> str:
    return settings.PROPOSAL_RATE_LIMIT


def is_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.PROPOSAL_MAX_REQUEST_BYTES


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=proposal_rate, method="POST", block=False)
def propose(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if getattr(request, "limited", False):
            response = render(request, "proposals/rate_limited.html", status=429)
            response["Retry-After"] = "3600"
            return response
        if is_too_large(request):
            return render(
                request,
                "proposals/too_large.html",
                {"max_kilobytes": settings.PROPOSAL_MAX_REQUEST_BYTES // 1024},
                status=413,
            )
        form = ProposalForm(request.POST)
        if form.is_valid():
            example = form.save()
            request.session[LAST_PROPOSAL_SESSION_KEY] = example.title
            return redirect("proposals:thanks")
    else:
        form = ProposalForm()
    return render(request, "proposals/propose.html", {"form": form})


@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "proposals/thanks.html",
        {"title": request.session.get(LAST_PROPOSAL_SESSION_KEY)},
    )
