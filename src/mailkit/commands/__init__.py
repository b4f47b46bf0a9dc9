"""One module per one-shot command, each a run you can read top to bottom: `build` (the
orchestrator every other command builds with), `check`, `export`, `snapshot`, `send`,
`fix` (`check --fix`), `doctor`, `new` (a brand or an email to start from). The CLI
parses arguments and prints what these return.

May import: errors, model, yamlfile, cache, check, mjml, project, pipeline, site, visual,
output, klaviyo.
"""
