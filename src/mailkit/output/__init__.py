"""What a build writes: the emails' files, the manifest and the preview site into a
staging tree (`tree`), and the staging folder itself, swapped in whole (`staging`).

May import: errors, model, cache, pipeline, site.
"""
