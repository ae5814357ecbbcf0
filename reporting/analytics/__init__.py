"""Report analytics: plain functions from querysets to pandas DataFrames.

`frames` turns querysets into frames with one query each (values_list straight into pandas);
`stats` computes on frames only, so the maths is tested on small hand-made frames;
`charts` draws server-side SVG.
"""

from .frames import submissions_frame, values_frame
from .stats import (
    field_stats,
    on_time_rate,
    outliers,
    quartile_band,
    rankings,
    unit_trend,
)

__all__ = [
    "field_stats",
    "on_time_rate",
    "outliers",
    "quartile_band",
    "rankings",
    "submissions_frame",
    "unit_trend",
    "values_frame",
]
