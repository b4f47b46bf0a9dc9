"""The template loader: Jinja's, with a template that is not valid UTF-8 named at the
line of its first bad byte (Jinja's loader raises a bare UnicodeDecodeError with a byte
offset).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

import jinja2

from ...errors import decode_error


class TemplateLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, with undecodable templates named at their line."""

    def __init__(self, searchpath: list[str], root: Path) -> None:
        super().__init__(searchpath)
        self.root = root

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Any]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            for base in self.searchpath:
                path = Path(posixpath.join(base, template))
                if path.is_file():
                    raise decode_error(path, path.read_bytes(), exc, self.root,
                                       "render") from None
            raise
