"""Colours, event styles and sizes shared by every renderer (plotly and matplotlib).

The palette is Okabe and Ito's (2008), readable with the common forms of colour blindness;
traces beyond its eight colours repeat it with dashed lines. Event markers differ by colour
*and* line style, so they stay apart in greyscale print as well.
"""

from __future__ import annotations

from dataclasses import dataclass

# Okabe-Ito, ordered for lines on white (yellow, the faintest, last; black kept for events).
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)

# Journal figure widths in inches: one column, the full page.
COLUMN_WIDTH_IN = 3.5
PAGE_WIDTH_IN = 7.0
WIDTHS = {"column": COLUMN_WIDTH_IN, "page": PAGE_WIDTH_IN}
FORMATS = ("png", "svg", "pdf")
PNG_DPI = 300  # print resolution; SVG and PDF are vector


def colour(k: int) -> str:
    """The k-th trace colour (the palette repeats; see ``dashed``)."""
    return PALETTE[k % len(PALETTE)]


def dashed(k: int) -> bool:
    """Whether the k-th trace is dashed: the second round of the palette is."""
    return (k // len(PALETTE)) % 2 == 1


@dataclass(frozen=True)
class EventStyle:
    """How one kind of dated event is drawn and named in legends."""

    label: str
    colour: str
    dash: str  # "solid", "dash", "dot" or "dashdot" (plotly's names)


EVENT_STYLES = {
    "order": EventStyle("campaign order", "#D55E00", "solid"),
    "anniversary": EventStyle("anniversary", "#666666", "dot"),
    "congress": EventStyle("party congress", "#CC79A7", "dashdot"),
    "event": EventStyle("dated event", "#000000", "dash"),
    "amnesty": EventStyle("amnesty", "#009E73", "dash"),
}

MPL_DASHES = {"solid": "-", "dash": "--", "dot": ":", "dashdot": "-."}


def event_style(kind: str) -> EventStyle:
    """The style of an event kind; kinds added later get a black dotted line and their name."""
    return EVENT_STYLES.get(kind, EventStyle(kind.replace("_", " "), "#000000", "dot"))


# Sequential colour scale for maps (light to dark; cividis is colour-blind safe).
MAP_SCALE = "cividis"
