"""One module per command, each with one function that returns the exit code."""
