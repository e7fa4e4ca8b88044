from django import template

register = template.Library()

_CLASS_BY_WIDGET = {
    "checkbox": "form-check-input",
    "select": "",
    "clearablefile": "form-control",
    "file": "form-control",
}


@register.simple_tag
def render_widget(field):
    """A form field's widget with Bootstrap Italia's class and its error state."""
    css = _CLASS_BY_WIDGET.get(field.widget_type, "form-control")
    if field.errors:
        css = f"{css} is-invalid".strip()
    attrs = {"class": css} if css else {}
    return field.as_widget(attrs=attrs)
