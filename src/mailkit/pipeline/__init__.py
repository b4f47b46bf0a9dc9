"""The build's stages, all in memory: `render` (Jinja → MJML, through a `dialect` for an
export), `compile` (MJML → HTML, CSS inlined, plain `text`), `jobs` (compile and check
in forked workers, `parallel`), `check_inputs` (what each page should contain, for the
checks) and `gather`, the one render loop that drives them. Jinja's extensions and
helpers are in `jinja/`. Nothing here writes `build/`.

May import: errors, model, yamlfile, cache, check, mjml, project.
"""
