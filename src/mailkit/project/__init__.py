"""A project as its files declare it: `brand.yaml` and `flows.yaml` (`schema`),
`checks.yaml` (`checks_yaml`), each trigger's data contract and the fixtures checked
against it (`contract/`), per-customer values (`percustomer`), all loaded and
cross-checked at once into the targets to build (`load`).

May import: errors, yamlfile, model, check, mjml, pipeline.jinja.
"""
