"""Use cases the CLI and the GUI call. Each opens its own session and commits or rolls back."""
