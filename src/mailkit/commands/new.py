"""`mailkit new brand SLUG` and `mailkit new email BRAND FLOW NAME`: a brand, or an email,
that builds and passes `mailkit check --strict` as written, to make one's own from.

A new brand gets a commented brand.yaml with every required key, a palette derived
from its two colours that meets the contrast rules in light and dark, one Fulfilled
Order flow on the shared `order_shipped` email, a fixture shaped like Klaviyo's data,
and a logo and a hero drawn from its name and colours. A new email gets its template
in the brand's own folder, in the brand's voice, and its entry in the flow. Nothing is
ever overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from ..check.clients import from_lab, to_lab
from ..check.contrast import contrast_ratio, hex_color, parse_color
from ..errors import MailkitError
from ..yamlfile import load_yaml

SCAFFOLD = Path(__file__).with_name("scaffold")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class BrandAnswers:
    slug: str
    name: str
    website: str
    primary: str  # a hex colour: buttons, links
    accent: str
    sender: str  # the address emails come from
    address: str  # the postal address
    voice: str = "tu"
    locale: str = "fr"


def new_brand(root: Path, a: BrandAnswers) -> list[Path]:
    """Write brands/<slug>/; the files written."""
    if not SLUG.fullmatch(a.slug):
        raise MailkitError(a.slug, None, "new", "a brand's slug is lower-case letters, digits "
                           "and hyphens, e.g. maison-lune")
    colours = {k: parse_color(v) for k, v in (("primary", a.primary), ("accent", a.accent))}
    for key, rgb in colours.items():
        if rgb is None:
            raise MailkitError(f"--{key}", None, "new", f"{getattr(a, key)!r} is not a colour "
                               "(e.g. #2F5D8A)")
    folder = root / "brands" / a.slug
    tagline = "Merci de ta confiance." if a.voice == "tu" else "Merci de votre confiance."
    values = {"slug": a.slug, "name": a.name, "website": a.website.rstrip("/"),
              "sender": a.sender, "address": a.address, "voice": a.voice,
              "locale": a.locale, "signature": f"L’équipe {a.name}", "tagline": tagline,
              "tone": ("Chaleureuse et simple : on parle comme à une amie." if a.voice == "tu"
                       else "Attentionnée et claire : on parle comme à une cliente.")
              .replace(" :", "\u00a0:"),
              **palette(colours["primary"], colours["accent"])}  # type: ignore[arg-type]
    files = {folder / "brand.yaml": _fill("brand.yaml.tmpl", values),
             folder / "flows.yaml": _fill("flows.yaml.tmpl", values),
             folder / "fixtures" / "fulfilled_order.yaml": _fill("fulfilled_order.yaml.tmpl",
                                                                values)}
    images = {folder / "assets" / "logo.png": _logo(a.name, colours["primary"]),  # type: ignore[arg-type]
              folder / "assets" / "hero.png": _hero(colours["primary"], colours["accent"])}  # type: ignore[arg-type]
    _refuse_existing(root, [folder])
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for path, data in images.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return [*files, *images]


def new_email(root: Path, brand: str, flow: str, name: str) -> list[Path]:
    """Write brands/<brand>/emails/<name>.mjml.j2 and its entry at the end of `flow`."""
    if not SLUG.fullmatch(name):
        raise MailkitError(name, None, "new", "an email's name is lower-case letters, digits "
                           "and hyphens, e.g. conseils-entretien")
    folder = root / "brands" / brand
    doc = load_yaml(folder / "flows.yaml", root)
    flows = (doc.data or {}).get("flows") or []
    index = next((i for i, f in enumerate(flows) if f.get("id") == flow), None)
    if index is None:
        known = ", ".join(str(f.get("id")) for f in flows)
        raise MailkitError(doc.shown, 1, "new", f"no flow {flow!r} (known: {known})")
    emails = flows[index].get("emails") or []
    if any(e.get("id") == name for f in flows for e in f.get("emails") or []):
        raise MailkitError(doc.shown, doc.line_of(("flows", index)), "new",
                           f"an email {name!r} exists already: nothing written")
    template = folder / "emails" / f"{name.replace('-', '_')}.mjml.j2"
    _refuse_existing(root, [template])
    voice = _voice(folder, root)
    first = next(iter((emails[0].get("scenarios") or {}).values()), {}) if emails else {}
    fixture = first.get("fixture", "fulfilled_order") if isinstance(first, dict) else \
        "fulfilled_order"
    words = _copy(voice)
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text(_fill("email.mjml.j2.tmpl", {
        "brand": brand, "flow_name": flows[index].get("name", flow), "name": name, **words}),
        encoding="utf-8")
    entry = (f"      - id: {name}\n        name: {name.replace('-', ' ').capitalize()}\n"
             f"        template: {template.name.removesuffix('.mjml.j2')}\n"
             f"        delay: {{days: {3 * len(emails)}}}\n        scenarios:\n"
             f"          defaut: {{fixture: {fixture}}}\n")
    lines = (folder / "flows.yaml").read_text("utf-8").splitlines(keepends=True)
    end = doc.line_of(("flows", index + 1)) - 1 if index + 1 < len(flows) else len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1  # after the flow's last line, before the blank lines that part flows
    lines.insert(end, entry if lines[end - 1].endswith("\n") else "\n" + entry)
    (folder / "flows.yaml").write_text("".join(lines), encoding="utf-8")
    return [template, folder / "flows.yaml"]


def palette(primary: RGB, accent: RGB) -> dict[str, str]:
    """Both palettes from two colours: neutrals around them, the colours darkened or
    lightened until text and buttons reach 4.5:1 on their surfaces (WCAG AA)."""
    light = {"text": (31, 31, 31), "background": (244, 242, 239), "surface": (255, 255, 255),
             "muted": (92, 92, 92), "border": (221, 221, 221)}
    dark = {"text": (237, 237, 237), "background": (18, 18, 18), "surface": (28, 28, 28),
            "muted": (168, 168, 168), "border": (51, 51, 51)}
    out: dict[str, str] = {}
    for prefix, base, step in (("l", light, -3.0), ("d", dark, 3.0)):
        main = _reach(primary, base["surface"], step)
        out.update({f"{prefix}_{k}": hex_color(v).upper() for k, v in base.items()})
        out[f"{prefix}_primary"] = hex_color(main).upper()
        out[f"{prefix}_accent"] = hex_color(_reach(accent, base["surface"], step)).upper()
        on = max(((255, 255, 255), base["background"], (18, 18, 18)),
                 key=lambda c: contrast_ratio(c, main))
        out[f"{prefix}_on_primary"] = hex_color(on).upper()
    return out


def _reach(rgb: RGB, surface: RGB, step: float) -> RGB:
    """`rgb`, its lightness moved by `step` until it reads at 4.5:1 on `surface`."""
    lightness, a, b = to_lab(rgb)
    colour = rgb
    while contrast_ratio(colour, surface) < 4.5 and 0 < lightness < 100:
        lightness += step
        colour = from_lab((lightness, a, b))
    return colour


def _copy(voice: str) -> dict[str, str]:
    """A starter email in the brand's voice: a piece of news, to be made the brand's own."""
    nb = "\u00a0"
    if voice == "vous":
        return {"news": "Des nouvelles de votre commande", "news_lower":
                "des nouvelles de votre commande", "preheader": "Ce qu’il faut savoir pour en "
                "profiter.", "title": "Bien profiter de votre commande", "body":
                f"Voici nos conseils pour en profiter longtemps{nb}: à vous de les écrire.",
                "cta": "Voir nos conseils"}
    return {"news": "Des nouvelles de ta commande", "news_lower": "des nouvelles de ta "
            "commande", "preheader": "Ce qu’il faut savoir pour en profiter.", "title":
            "Bien profiter de ta commande", "body": f"Voici nos conseils pour en profiter "
            f"longtemps{nb}: à toi de les écrire.", "cta": "Voir nos conseils"}


def _voice(folder: Path, root: Path) -> str:
    data = load_yaml(folder / "brand.yaml", root).data or {}
    voice = (data.get("voice") or {}).get("address") if isinstance(data, dict) else None
    return voice if voice in ("tu", "vous") else "tu"


def _fill(name: str, values: dict[str, str]) -> str:
    return Template((SCAFFOLD / name).read_text("utf-8")).substitute(values)


def _refuse_existing(root: Path, paths: list[Path]) -> None:
    taken = [p for p in paths if p.exists()]
    if taken:
        shown = ", ".join(p.relative_to(root).as_posix() for p in taken)
        raise MailkitError(shown, None, "new", "exists already: nothing written (mailkit new "
                           "never overwrites)")


def _logo(name: str, colour: RGB) -> bytes:
    """The brand's name in its colour, outlined in white so that it stays legible where a
    client darkens the background behind it, at twice the displayed size."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (320, 96), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    font = _font(56)
    while draw.textlength(name, font=font) > 300 and font.size > 20:
        font = _font(font.size - 4)
    draw.text((160, 48), name, fill=(*colour, 255), font=font, anchor="mm", stroke_width=4,
              stroke_fill=(255, 255, 255, 255))
    return _png(image)


def _hero(primary: RGB, accent: RGB) -> bytes:
    """A calm banner in the brand's colours: a band of arcs, no text (the title is HTML)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 600), tuple(int(c * 0.15 + 255 * 0.85) for c in primary))
    draw = ImageDraw.Draw(image)
    for i, (colour, radius) in enumerate(((accent, 420), (primary, 300), (accent, 180))):
        draw.ellipse((600 - radius, 620 - radius, 600 + radius, 620 + radius),
                     fill=tuple(int(c * (0.45 + i * 0.2) + 255 * (0.55 - i * 0.2))
                                for c in colour))
    return _png(image)


def _font(size: int):  # noqa: ANN202  # a PIL font, of one kind or another
    from PIL import ImageFont

    for path in ("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
                 "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"):
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _png(image) -> bytes:  # noqa: ANN001
    import io

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
