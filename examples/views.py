from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from territories.models import Function

from .models import Category, Era, Example, KeyFigure

LATEST_EXAMPLES_ON_HOME = 6


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "examples/home.html",
        {
            "categories": Category.objects.with_published_counts(),
            "functions": Function.objects.with_published_counts(),
            "key_figures": KeyFigure.objects.all(),
            "eras": Era.objects.prefetch_related("categories"),
            "latest_examples": Example.objects.latest_published().for_cards()[
                :LATEST_EXAMPLES_ON_HOME
            ],
        },
    )
