"""MJML validation: MJML 5's own rules (as data) applied to the rendered MJML, each
finding located at the template line that wrote the element (see sourcemap.py)."""
