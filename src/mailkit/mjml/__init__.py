"""MJML validation: MJML 5's own rules (as data) applied to the rendered MJML, each
finding located at the template line that wrote the element (`sourcemap`), and shown
as build warnings or check findings (`report`).

May import: errors, yamlfile, check.
"""
