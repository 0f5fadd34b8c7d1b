from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Document file (.txt, .docx, .pdf)"))
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=500)
