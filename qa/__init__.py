"""Extractive question answering over Chinese newspaper pages, with exact citations."""

__all__: list[str] = []
