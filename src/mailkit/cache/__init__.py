"""What a later build may reuse, kept under the project's `.mailkit-cache/` (git-ignored):
the last build's result (`last_build`), the compile and check results by content
(`steps`), Jinja's compiled templates (`bytecode`), the built files' bytes (`files`),
SpamAssassin's scores from the last `check --spam` (`spam_scores`).

Every path in that folder is built from `CACHE_DIR`.

May import: errors, model, check.
"""

from __future__ import annotations

from pathlib import Path

CACHE_DIR = Path(".mailkit-cache")  # relative to the project root
THUMBS_DIR = CACHE_DIR / "thumbs"  # the snapshot run's thumbnails (site/thumbs.py)
