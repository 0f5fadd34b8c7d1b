"""A whole region on one server (issue 12): ``luoshi demo --region [--scale S] [--seed N]``.

Builds, on an empty database, about 220 × S units in three levels (自治区部门, 盟市, 旗县),
2,000 × S tasks from the packaged seed decision and generated decisions, their co-units and
cascaded shares, three years of monthly and quarterly reports with corrections and evidence,
extensions, completions, evaluations, accountability measures, a pass of the supervision
clock and issued bulletins: everything through the stages' service functions (set-wise ones
where a stage has them), deterministic for a seed and a date. See docs/web.md "Region scale".
"""

from luoshi.site.region.build import SCALES, RegionError, RegionSummary, build_region, counts

__all__ = ["SCALES", "RegionError", "RegionSummary", "build_region", "counts"]
