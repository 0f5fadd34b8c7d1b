from django.urls import path

from luoshi.web.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("upload/<str:token>/", views.duplicate, name="duplicate"),
    path("upload/<str:token>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/original/", views.original, name="original"),
    path("<int:pk>/scan/<int:line>.png", views.scan_line, name="scan_line"),
    path("<int:pk>.json", views.detail_json, name="json"),
]
