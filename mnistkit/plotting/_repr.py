"""What every Display shares in a notebook: a readable repr, and its picture as HTML.

``repr(display)`` names the class and the figures that matter (an AUC, the
number of mistakes...) and whether it is drawn. In a notebook, a display shows
its picture (``_repr_html_``): the figure it was drawn on, or, when it is not
drawn yet, a drawing of a copy on a figure that is closed at once, so that no
figure is left open and the display itself is unchanged. A display drawn on a
figure pyplot still holds open is shown by pyplot's own backend at the end of
the cell: its HTML is then only its repr, not the picture a second time.
"""

import base64
import copy
import html
import io


def _root_figure(figure):
    """The figure itself, for a display drawn on a subfigure."""
    while getattr(figure, "figure", figure) is not figure:
        figure = figure.figure
    return figure


def _open_in_pyplot(figure):
    """Whether pyplot holds ``figure`` open, so that its backend will show it.

    pyplot gives the figures it makes a manager, and takes it back when it
    closes them.
    """
    import sys

    manager = getattr(figure.canvas, "manager", None)
    plt = sys.modules.get("matplotlib.pyplot")
    return manager is not None and plt is not None and plt.fignum_exists(manager.num)


class DisplayMixin:
    """A readable ``__repr__`` and a ``_repr_html_`` that shows the plot, for every Display.

    A Display says what matters about it in :meth:`_summary`; the rest is shared.
    """

    #: The width, in pixels, of the picture in a notebook.
    _html_width = 480

    def _summary(self):
        """The figures that matter, in a few words ("" if none)."""
        return ""

    def __repr__(self):
        try:
            summary = self._summary()
        except Exception:  # a repr never fails, whatever the display holds
            summary = ""
        drawn = "drawn" if getattr(self, "figure_", None) is not None else "not drawn"
        return f"<{type(self).__name__}: {summary + '; ' if summary else ''}{drawn}>"

    def _repr_html_(self):
        title = html.escape(repr(self))
        figure = getattr(self, "figure_", None)
        if figure is not None and _open_in_pyplot(_root_figure(figure)):
            return f"<div><code>{title}</code></div>"
        try:
            png = self._png(figure)
        except Exception as error:  # the data cannot be drawn: say why, in words
            why = html.escape(f"{type(error).__name__}: {error}")
            return f"<div><code>{title}</code><br><small>Not drawn: {why}</small></div>"
        source = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        return (
            f'<div><img src="{source}" alt="{title}" style="max-width:100%; '
            f'width:{self._html_width}px"><br><small><code>{title}</code></small></div>'
        )

    def _png(self, figure):
        """The PNG of ``figure``; of a copy of the display drawn on its own, if None."""
        buffer = io.BytesIO()
        if figure is not None:
            _root_figure(figure).savefig(buffer, format="png", dpi=100, bbox_inches="tight")
            return buffer.getvalue()
        import matplotlib.pyplot as plt

        drawn = copy.copy(self).plot()
        try:
            drawn.figure_.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        finally:
            plt.close(_root_figure(drawn.figure_))
        return buffer.getvalue()
