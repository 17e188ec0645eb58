from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label: str):
    """A navigation link that tells assistive technology when it is the current section."""
    url = reverse(url_name)
    request = context.get("request")
    current = request is not None and (
        request.path == url or (url != "/" and request.path.startswith(url))
    )
    if current:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)
