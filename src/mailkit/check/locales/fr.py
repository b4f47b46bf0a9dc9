"""French typography (Imprimerie nationale's rules, as French copywriters apply them).

- `:` takes a no-break space before it; `;`, `!` and `?` a narrow no-break space;
  « and » a narrow no-break space inside. A plain space there lets the mark start
  the next line; no space at all is an anglicism.
- A number stays with its unit or currency (`10 jours`, `15 €`, `-20 %`, `48 h`):
  a no-break space (narrow accepted), and `n°` with its number.
- Thousands are grouped with a narrow no-break space (`1 000`).
- An emoji that closes a sentence stays on the sentence's line.
Hyphenated brand names (`R-PUR`) are the brand's, not the language's: see
`check/rules/typography.py`.
"""

from __future__ import annotations

import re

from . import NBSP, NNBSP, Locale, Rule

_SP = r"[ \t\r\n]"  # breakable spaces (the ones copy must not have at these places)
#: private-use characters stand for masked markup (see mailkit.commands.fix): a tag may
#: follow a mark, as `</h1>` follows `?`
_MARKUP = "\ue000-\uf8ff"
_END = rf"(?=[\s»\"”’)\].,…!?;:<{_MARKUP}]|$)"  # after a mark: a space, a closing sign, the end
UNITS = (r"€|%|\$|euros?|jours?|nuits?|semaines?|mois|ans|années?|heures?|h|min|minutes?"
         r"|secondes?|s|cm|mm|km|m²|kg|mg|ml|cl|Ko|Mo|Go|°C")
EMOJI = r"[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2764][\uFE0F\u200D\U0001F3FB-\U0001F3FF]*"

COLON = Rule(
    "fr-colon", "a no-break space before `:`",
    re.compile(rf"(?P<pre>[^\s:;!?«(/]|^)(?P<sp>(?:{_SP}|{NNBSP})+|)(?<!{NBSP}):{_END}"),
    lambda m: f"{m['pre']}{NBSP}:")
HIGH_PUNCT = Rule(
    "fr-high-punctuation", "a narrow no-break space before `;`, `!` and `?`",
    re.compile(rf"(?P<pre>[^\s:;!?«(/]|^)(?P<sp>(?:{_SP}|{NBSP})+|)(?<!{NNBSP})(?P<mark>[;!?])"
               rf"(?=[\s»\"”’)\].,…!?<{_MARKUP}]|$)"),
    lambda m: f"{m['pre']}{NNBSP}{m['mark']}")
GUILLEMET_OPEN = Rule(
    "fr-guillemets", "a narrow no-break space inside « »",
    re.compile(rf"«(?!{NNBSP}\S)[ \t{NBSP}{NNBSP}]*"), f"«{NNBSP}")
GUILLEMET_CLOSE = Rule(
    "fr-guillemets", "a narrow no-break space inside « »",
    re.compile(rf"(?<=[^\s{NNBSP}])[ \t{NBSP}]*»|(?<={NNBSP})[ \t{NBSP}]+»"),
    f"{NNBSP}»")
UNIT = Rule(
    "fr-number-unit", "a no-break space between a number and its unit or currency",
    re.compile(rf"(?<![\w.,\-])(?P<num>-?\d+(?:[.,]\d+)?)(?P<sp>{_SP}+|)(?P<unit>{UNITS})"
               r"(?![\w²])"),
    lambda m: f"{m['num']}{NBSP}{m['unit']}")
NUMERO = Rule(
    "fr-numero", "a no-break space after `n°`",
    re.compile(rf"\b(?P<n>[nN]°)(?:{_SP}+|)(?=\d)"), lambda m: f"{m['n']}{NBSP}")
THOUSANDS = Rule(
    "fr-thousands", "a narrow no-break space between groups of thousands",
    re.compile(rf"(?<![\d.,])(?P<a>\d{{1,3}})(?:{_SP}|{NBSP})(?P<b>\d{{3}})(?![\d])"),
    lambda m: f"{m['a']}{NNBSP}{m['b']}")
EMOJI_END = Rule(
    "fr-emoji-glue", "a no-break space before an emoji that ends a sentence",
    re.compile(rf"(?<=\S){_SP}+(?P<e>{EMOJI})(?=[\s{NNBSP}]*(?:»|$|<|[{_MARKUP}]))"),
    lambda m: f"{NBSP}{m['e']}")

TU = re.compile(r"\b(?:tu|te|toi|ton|ta|tes|t’|t')(?=\W|$)", re.I)
NOT_VERBS = r"(?!Chez\b|Assez\b|Nez\b|Rez\b)"  # capitalised words in -ez that are no imperative
VOUS = re.compile(r"\b(?:vous|votre|vos)\b"
                  rf"|(?:^|[.!?]\s+|«\s*){NOT_VERBS}[A-ZÉ][a-zéèêàç]+ez\b")

_S = r"[\s\u00a0\u202f]+"
_A = r"['’]"
_DAYS = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_NUM = r"(?:\d+|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|quinze|quelques)"
_UNIT = r"(?:jours?|j|heures?|h|semaines?|mois|minutes?|min)"
CALENDAR = re.compile(rf"""(?<![\w-])(?:
    aujourd{_A}hui | après-demain | avant-hier | demain | hier
  | ce{_S}(?:matin|midi|soir|week-?end|mois-ci|mois)
  | cet{_S}après-midi
  | cette{_S}(?:nuit|semaine|année|fin{_S}de{_S}semaine)
  | (?:la{_S})?semaine{_S}(?:prochaine|dernière)
  | le{_S}mois{_S}(?:prochain|dernier)
  | {_DAYS}{_S}(?:prochain|dernier|soir|matin|midi|minuit)
  | (?:ce|dès|jusqu{_A}à|d{_A}ici|avant|à{_S}partir{_S}de){_S}{_DAYS}
  | {_DAYS}(?!{_S}(?:1er|\d{{1,2}})(?!\d))
  | (?:à|jusqu{_A}à){_S}minuit
  | en{_S}ce{_S}moment | ces{_S}jours-ci
  )(?![\w-])""", re.I | re.X)
COUNTDOWN = re.compile(rf"""(?<![\w-])(?:
    dans{_S}{_NUM}{_S}?{_UNIT}
  | d{_A}ici{_S}{_NUM}{_S}?{_UNIT}
  | plus{_S}que{_S}{_NUM}{_S}?{_UNIT}
  | derniers?{_S}jours? | dernières{_S}heures
  )(?![\w-])""", re.I | re.X)
CART = re.compile(rf"ajout(?:er|e|ez){_S}(?:au|à{_S}(?:mon|ton|votre)){_S}panier"
                  rf"|mettre{_S}(?:au|dans{_S}(?:le|mon|ton|votre)){_S}panier", re.I)
ORDER = re.compile(rf"ajout(?:er|e|ez)(?:-(?:le|la|les))?{_S}(?:à|dans){_S}(?:ma|ta|votre)"
                   rf"{_S}commande|(?:compléter|modifier){_S}(?:ma|ta|votre){_S}commande", re.I)

LOCALE = Locale("fr", (COLON, HIGH_PUNCT, GUILLEMET_OPEN, GUILLEMET_CLOSE, UNIT, NUMERO,
                       THOUSANDS, EMOJI_END), {"tu": TU, "vous": VOUS},
                {"calendar": CALENDAR, "countdown": COUNTDOWN}, {"cart": CART, "order": ORDER})
