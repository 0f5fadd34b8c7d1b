"""The text pipeline (pure Python): normalize, parse structure, check integrity."""
