"""The Klaviyo API: the HTTP client that holds the key (`client`), the Templates API
calls (`templates`), the plan of what to create or update (`plan`), images, templates
and flows brought in line as drafts (`sync`, `images`, `flows`, `flow_sync`), and every
pushed state rendered by Klaviyo and compared with the preview (`verify`).

May import: errors, model, project, pipeline, klaviyo.dialect.
"""
