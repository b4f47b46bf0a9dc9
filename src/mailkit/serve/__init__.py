"""`mailkit serve`, the dev server: `watch` (file events, debounce, a save cancelling a
stale build), `rebuild` (the open pages first, then the rest, then checks and
exports), `patch` (only the files that changed, each email folder swapped whole),
`pool` (warm compile and check workers), `server` (the HTTP and livereload side, the
last good build kept on failure), `client.js` (the page refreshed in place) and
`command` (the three joined: workers, builder, server, as `mailkit serve` runs them).

May import: errors, model, project, pipeline, output, klaviyo, commands.build.
"""
