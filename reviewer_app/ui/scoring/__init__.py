"""The multi-reviewer UI: score sheet editor, comparison, conflicts, tiers and plots (issue 5)."""
