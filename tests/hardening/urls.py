"""The real URLs plus one that crashes, to see what a 500 looks like from outside."""

from django.urls import path

from config.urls import handler404, handler500  # noqa: F401
from config.urls import urlpatterns as real_urlpatterns


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [path("api/v1/__crash__/", crash), *real_urlpatterns]
