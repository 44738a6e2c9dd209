"""Statistics drawn as a small PNG: interactions as bars, their cost as a line on a second axis.

matplotlib is imported when the first chart is drawn (0.3 to 0.5 s with the first drawing), not at
startup; a server warms it up in the background once it serves (`warm_up`). Charts are drawn on the Agg
canvas of a Figure of their own, without pyplot's global state; the lock keeps two requests from sharing
matplotlib's font caches at once."""

import threading
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO

BARS = "#2e86de"
LINE = "#e67e22"
_drawing = threading.Lock()
_warm = threading.Event()


def bar_chart(title: str, labels: Sequence[str], counts: Sequence[int], costs: Sequence[Decimal]) -> bytes:
    """One bar per label (a month, a template). Text is never read as mathtext: a name with `$` in it is
    drawn as typed."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with _drawing:
        figure = Figure(figsize=(6.4, 3.0), dpi=100)
        FigureCanvasAgg(figure)
        axis = figure.add_subplot()
        positions = list(range(len(labels)))
        axis.bar(positions, counts, color=BARS, label="Interactions")
        axis.set_xticks(positions, list(labels), fontsize=8, rotation=45 if len(labels) > 8 else 0)
        for tick in axis.get_xticklabels():
            tick.set_parse_math(False)
        axis.set_ylabel("Interactions", color=BARS, fontsize=9)
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
        axis.tick_params(axis="y", labelsize=8)
        axis.spines[["top"]].set_visible(False)
        cost = axis.twinx()
        cost.plot(positions, [float(c) for c in costs], color=LINE, marker="o", linewidth=1.5, label="Cost")
        cost.set_ylabel("Cost", color=LINE, fontsize=9)
        cost.set_ylim(bottom=0)
        cost.tick_params(axis="y", labelsize=8)
        cost.spines[["top"]].set_visible(False)
        axis.set_title(title, fontsize=10, parse_math=False)
        figure.tight_layout()
        out = BytesIO()
        figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def warm_up() -> None:
    """Import matplotlib and draw once (which loads its fonts), so that the first chart a user asks for
    comes as fast as the others."""
    if not _warm.is_set():
        bar_chart("", ["-"], [0], [Decimal(0)])
        _warm.set()
