"""A project as its files declare it: `brand.yaml` (`schema`, with the validation all
three files share), `flows.yaml` (`flows_yaml`), `checks.yaml` (`checks_yaml`), brand
copy (`copy`), each trigger's data contract and the fixtures checked
against it (`contract/`), per-customer values (`percustomer`), all loaded and
cross-checked at once into the targets to build (`load`).

May import: errors, yamlfile, model, check, mjml, pipeline.jinja.
"""
