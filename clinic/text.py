"""Short names (slugs) made from names, the same way everywhere: any script's letters kept."""

from django.utils.text import slugify


def slug_from_name(name: str, *, max_length: int = 80) -> str:
    return slugify(name, allow_unicode=True)[:max_length]
