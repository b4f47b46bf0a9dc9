"""mailkit: email templates in MJML + Jinja, themed per brand, previewed in every data
state, exported to Klaviyo.

The package is a pipeline in folders, one concern each (docs/architecture.md draws
it). Each folder's `__init__.py` says what it owns and, in a line of its own, what it
may import; `tests/test_architecture.py` enforces exactly those lines. A few
foundations every layer uses stay at the top:

- `errors`: `MailkitError`, the one user-facing error (`path:line: stage: message`).
  `errors` may import: nothing.
- `yamlguard`: YAML whose aliases would expand past any real file, refused.
  `yamlguard` may import: nothing.
- `yamlfile`: YAML loaded with the line of every key.
  `yamlfile` may import: errors, yamlguard.
- `model`: the data every layer reads (targets, pages, a build's result).
  `model` may import: errors, check.
- `cli` and `__main__`: the command line; they parse, call `commands/` or `serve/`, print.
  `cli` may import: anything.
  `__main__` may import: cli.
"""
