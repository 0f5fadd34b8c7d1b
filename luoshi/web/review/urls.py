from django.urls import path

from luoshi.web.review import views

app_name = "review"
urlpatterns = [
    path("", views.submission_list, name="list"),
    path("new/", views.submit, name="new"),
    path("register/", views.register, name="register"),
    path("register.xlsx", views.register_download, name="register_xlsx"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/complete", views.complete, name="complete"),
    path("<int:pk>/assign", views.assign, name="assign"),
    path("<int:pk>/findings/<int:finding_pk>/decide", views.decide, name="decide"),
    path("<int:pk>/findings/add", views.add_finding, name="add_finding"),
    path("<int:pk>/return", views.return_for_revision, name="return"),
    path("<int:pk>/revise", views.revise, name="revise"),
    path("<int:pk>/conclude", views.conclude, name="conclude"),
    path("<int:pk>/opinion.docx", views.opinion_docx, name="opinion_docx"),
    path("<int:pk>/versions/<int:version_pk>/original", views.original, name="original"),
    path("rules/<int:document_pk>/", views.premise_rules, name="rules"),
    path("rules/<int:document_pk>/<int:rule_pk>/active", views.toggle_rule, name="toggle_rule"),
]
