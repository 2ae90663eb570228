"""tracenet stream processing: the Faust app, its agents and the command line."""
