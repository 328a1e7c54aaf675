from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def logout(request: HttpRequest) -> HttpResponse:
    """POST signs out; GET (a typed or bookmarked address) asks first, rather than a blank 405."""
    if request.method == "POST":
        return auth_views.LogoutView.as_view()(request)
    return render(request, "accounts/logout.html")
