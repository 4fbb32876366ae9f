"""The base layer: primitives every other package may use, importing nothing of ours.

errors (the UserFacingError family), clock (business time zone, injectable clock), money (fen,
0.01 kWh, prices, rounding), amount_words (大写 amounts), crashpoints (named kill points for the
crash sweep), canonical (canonical JSON and its hash). See docs/architecture.md, "Layers".
"""
