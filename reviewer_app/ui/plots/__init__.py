"""pyqtgraph plots of score sheets, consensus and tiers; they draw arrays from ``plot_data``."""
