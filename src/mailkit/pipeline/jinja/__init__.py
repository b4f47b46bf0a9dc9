"""What mailkit adds to Jinja: the template loader (UTF-8 errors at their line), the
fixture `data` as templates see it (a missing field named by its path), the data tags
(`{% ifdata %}`, `{% fordata %}`), the filters templates call (`money`, `frdate`,
`whatsapp_url`), the templates' references (`deps`) and their include loops (`loops`),
and a failure located at its template line (`locate`).

May import: errors, cache.
"""
