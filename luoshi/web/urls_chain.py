"""Placeholder: filled in by the chain pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
