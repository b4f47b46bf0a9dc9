"""Klaviyo, the one ESP: its template language (`dialect/`), the export of each email as
a Klaviyo template (`export`), and the push of images, templates and flows to an
account, with its verification (`push/`). A second ESP would be a package beside this.

May import: errors, model, project, pipeline, output.
"""
