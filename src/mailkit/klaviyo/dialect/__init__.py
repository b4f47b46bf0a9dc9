"""Klaviyo's template language as the render stage prints it (`lang`, with `tokens`,
`symbols` and the filters' twins in `filters`), and an export rendered as Klaviyo
would, with Django and Klaviyo's documented tags (`engine`).

May import: errors, model, project, pipeline.jinja.
"""
