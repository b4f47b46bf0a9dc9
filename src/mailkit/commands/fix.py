"""`mailkit check --fix`: apply the locale's typography rules to the templates' copy.

The rules (`mailkit.check.locales`) are the ones `check/rules/typography.py` enforces on the
built emails; here they rewrite the sources, in place, and the command prints the
diff (no-break characters named, since a diff cannot show them).

Only copy is touched. A template is cut into pieces: text between tags, the
attributes read aloud (`alt`, `title`, `aria-label`) and the string literals inside
Jinja tags (`hero(…, "Ton colis est parti", …)`) are copy; everything else (tags,
other attributes, Jinja code, comments, `<mj-style>` CSS) is masked by a private-use
character, so a rule sees that something stands there (the `}}` before ` !` is not a
space) but can never change it. No-break spaces written as entities (`&nbsp;`)
become the characters themselves, so the rules can read them (a line the rules
leave alone keeps its entities). Brand data in `brand.yaml` is not rewritten: the
check names what is left, to fix by hand.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from ..check.locales import NBSP, NNBSP, Locale, visible
from ..model import TEMPLATE_FOLDERS

JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
TAG = re.compile(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)
RAW = re.compile(r"<(mj-style|style|script)\b.*?</\1\s*>", re.S | re.I)
SPOKEN_ATTR = re.compile(r"(\b(?:alt|title|aria-label)\s*=\s*\")([^\"]*)(\")")
STRING = re.compile(r"(\"|')((?:(?!\1)[^\\]|\\.)*)\1")
ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
#: no-break spaces written as entities become the characters, which the rules can read
SPACE_ENTITY = re.compile(r"&(nbsp|#160|#x0*a0|#8239|#x202f);", re.I)
SPACES = {"nbsp": NBSP, "#160": NBSP, "#xa0": NBSP, "#x00a0": NBSP, "#8239": NNBSP,
          "#x202f": NNBSP}
MASK = 0xE000  # private use area: one character per masked piece
MASKED = re.compile("[\ue000-\uf8ff]")


@dataclass(frozen=True)
class FileFix:
    path: Path
    before: str
    after: str

    def diff(self, root: Path) -> str:
        rel = self.path.relative_to(root) if self.path.is_relative_to(root) else self.path
        lines = difflib.unified_diff(
            visible(self.before).splitlines(keepends=True),
            visible(self.after).splitlines(keepends=True), f"a/{rel}", f"b/{rel}")
        return "".join(lines)


def fix_copy(text: str, locale: Locale) -> str:
    """`text` (one template's source) with its copy corrected."""
    masked: list[str] = []

    def mask(piece: str) -> str:
        masked.append(piece)
        return chr(MASK + len(masked) - 1)

    def jinja(m: re.Match[str]) -> str:
        code = m.group()
        if code.startswith("{#"):
            return mask(code)
        return mask(STRING.sub(lambda s: s[1] + _literal(s[2], locale) + s[1], code))

    def tag(m: re.Match[str]) -> str:
        # the value may hold masked Jinja already: fixed as it is, unmasked below
        return mask(SPOKEN_ATTR.sub(lambda a: a[1] + locale.fix(a[2]) + a[3], m.group()))

    out = RAW.sub(lambda m: mask(m.group()), text)
    out = SPACE_ENTITY.sub(lambda m: SPACES[m.group(1).lower()], out)  # the rules see them
    out = ENTITY.sub(lambda m: mask(m.group()), out)
    out = JINJA.sub(jinja, out)
    out = TAG.sub(tag, out)
    out = locale.fix(out)
    while MASKED.search(out):  # a masked tag may hold masked Jinja: unmask until none
        out = MASKED.sub(lambda m: masked[ord(m.group()) - MASK], out)
    return out


def _literal(text: str, locale: Locale) -> str:
    """A Jinja string literal is copy when it holds a space: a single token (`"50%"`, a
    width; `"?code="`, a URL part; an asset name) is a value, never prose."""
    return fix_copy(text, locale) if re.search(r"\s", text) else text


def fix_lines(text: str, locale: Locale) -> str:
    """`fix_copy`, keeping each line the rules left alone exactly as it was written
    (its `&nbsp;` entities included), so the diff shows only real fixes."""
    normal = SPACE_ENTITY.sub(lambda m: SPACES[m.group(1).lower()], text).split("\n")
    fixed = fix_copy(text, locale).split("\n")
    if len(fixed) != len(normal):
        return "\n".join(fixed)
    original = text.split("\n")
    return "\n".join(o if f == n else f for o, f, n in zip(original, fixed, normal, strict=True))


def fix_templates(paths: list[Path], locale: Locale, *, write: bool = True) -> list[FileFix]:
    """Fix each template in place (unless `write` is false); the files that changed."""
    fixes = []
    for path in paths:
        before = path.read_text("utf-8")
        after = fix_lines(before, locale)
        if after != before:
            if write:
                path.write_text(after, "utf-8")
            fixes.append(FileFix(path, before, after))
    return fixes


def project_templates(root: Path) -> list[tuple[Path, list[str]]]:
    """Each template folder of a project with the locales of the brands that use it:
    the shared `emails/` and `partials/` serve every brand, a brand's own folders it."""
    import yaml

    locales: dict[str, str] = {}
    for brand_file in sorted(root.glob("brands/*/brand.yaml")):
        data = yaml.safe_load(brand_file.read_text("utf-8")) or {}
        locales[brand_file.parent.name] = str(data.get("locale", ""))
    folders = [(root / name, sorted(set(locales.values()))) for name in TEMPLATE_FOLDERS]
    folders += [(root / "brands" / b / name, [loc]) for b, loc in locales.items()
                for name in TEMPLATE_FOLDERS]
    return [(folder, locs) for folder, locs in folders if folder.is_dir()]


def fix_project(root: Path, *, write: bool = True) -> tuple[list[FileFix], list[str]]:
    """Fix every template of the project whose brands share one locale with rules;
    the changed files, and a note per folder left alone."""
    from ..check.locales import locale_for

    fixes: list[FileFix] = []
    notes: list[str] = []
    for folder, locs in project_templates(root):
        rules = {loc.split("-")[0].lower() for loc in locs}
        rel = folder.relative_to(root)
        if len(rules) != 1:
            notes.append(f"{rel}/: shared by brands in {', '.join(locs)}: not rewritten")
            continue
        locale = locale_for(locs[0])
        if locale is None:
            notes.append(f"{rel}/: no typography rules for {locs[0]!r}")
            continue
        fixes += fix_templates(sorted(folder.rglob("*.j2")), locale, write=write)
    for path in sorted(root.glob("brands/*/brand.yaml")):  # the brand's own copy
        fixes += _fix_brand(path, root, notes, write=write)
    return fixes, notes


def fix_with_diff(root: Path) -> tuple[str, list[str]]:
    """`check --fix`: fix the project's copy in place; the diff to show and the lines to
    say beside it (the folders left alone, then how many files changed)."""
    root = root.resolve()
    fixes, notes = fix_project(root)
    said = [f"fix: {note}" for note in notes]
    said.append(f"fixed the copy of {len(fixes)} file(s)" if fixes
                else "fix: the copy needs no fix")
    return "".join(fix.diff(root) for fix in fixes), said


def _fix_brand(path: Path, root: Path, notes: list[str], *, write: bool) -> list[FileFix]:
    from ..errors import MailkitError
    from ..project.copy import fix_brand_copy, locale_of
    from ..yamlfile import load_yaml

    try:
        locale = locale_of(load_yaml(path, root))
        if locale is None:
            return []
        before, after, more = fix_brand_copy(path, root, locale)
    except MailkitError as exc:  # a broken brand.yaml: the build says where
        notes.append(str(exc))
        return []
    notes += more
    if after == before:
        return []
    if write:
        path.write_text(after, "utf-8")
    return [FileFix(path, before, after)]
