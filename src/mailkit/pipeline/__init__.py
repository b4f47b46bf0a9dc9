"""The build's stages, all in memory: `render` (Jinja → MJML in a brand's `environment`,
through a `dialect` for an export), `compile` (MJML → HTML, CSS inlined, plain `text`),
`jobs` (a page's compile and checks, wherever they run), `workers` (forked compile
workers that run them, with `parallel` and a `warm` rehearsal), `check_inputs` (what each
page should contain, for the checks) and `gather`, the one render loop that drives them.
Jinja's extensions and helpers are in `jinja/`. Nothing here writes `build/`.

May import: errors, model, yamlfile, cache, check, mjml, project.
"""
