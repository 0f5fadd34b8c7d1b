"""Select widgets for long lists of units: the options written in the select's own template.

Django's select includes a template per option (with its attributes); a task page offers the region's
220 units in four lists, about a thousand options, and that was most of the page's rendering time. These
widgets write the same markup (value, ``selected``, label) in one loop; options carry no other attributes.
"""

from __future__ import annotations

from django import forms

TEMPLATE = "web/widgets/select.html"


class QuickSelect(forms.Select):
    template_name = TEMPLATE


class QuickSelectMultiple(forms.SelectMultiple):
    template_name = TEMPLATE
