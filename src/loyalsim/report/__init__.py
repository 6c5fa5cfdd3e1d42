"""Figures and reports drawn from stored results only.

One pipeline: figure specs (``figspec``, built by ``runfigs``, ``sweepfigs``, ``compare``
and ``maps`` with labels and units from the metric catalogue) rendered by ``render_plotly``
(HTML report, explorer) and ``render_mpl`` (PNG, SVG, PDF and notebooks); ``figures``
composes multi-panel pages.
"""
