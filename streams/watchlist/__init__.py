"""The hot watchlist in Redis: resolved exporters with open cases, for screening in milliseconds."""
