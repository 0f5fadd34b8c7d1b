from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Document file (.docx, .doc, .wps, .pdf, .ofd, .txt, or a scan: PNG, JPEG, TIFF)")
    )
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=500)
