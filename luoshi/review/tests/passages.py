"""Passages written for these tests: a governing decision and drafts that implement it, well or badly.

Nobody issued them; they imitate the layout and wording of a provincial decision and of the
implementation plans that follow one.
"""

from __future__ import annotations

DECISION = """关于推进城乡供水一体化的决定

（2024年3月1日省委全体会议通过）

为保障城乡居民饮水安全，就推进城乡供水一体化作出如下决定。

一、总体要求

坚持以人民为中心的发展思想，统筹城乡供水设施建设和管理。

二、主要任务

（一）提升农村供水保障水平。到2025年底前，农村自来水普及率达到90%以上，规模化供水工程覆盖农村人口比例不低于60%。必须严格落实农村供水工程管护责任，确保每个行政村都有专人管护。

（二）加强饮用水水源保护。各地要在2024年6月底前全部完成乡镇级饮用水水源保护区划定。严禁在饮用水水源保护区内新建排污口。

（三）规范供水价格管理。居民生活用水价格每次调整幅度控制在5%以内。每年3月底前公布上一年度供水成本监审结果。

三、保障措施

（四）强化资金保障。各级财政要将农村供水工程运行维护经费纳入年度预算。

（五）严格督促落实。各地每年12月底前向省人民政府报告工作进展情况，省人民政府办公厅组织专项督查。
"""

# Implements section 二 and 三 faithfully, in its own words here and there.
FAITHFUL = """某市城乡供水一体化实施方案

为贯彻落实《关于推进城乡供水一体化的决定》，结合本市实际，制定本方案。

一、主要任务

（一）提升农村供水保障水平。到2025年底前，全市农村自来水普及率达到90%以上，规模化供水工程覆盖农村人口比例不低于60%。必须严格落实农村供水工程管护责任，确保每个行政村都有专人管护。

（二）加强饮用水水源保护。各旗县区要在2024年6月底前全部完成乡镇级饮用水水源保护区划定。严禁在饮用水水源保护区内新建排污口。

（三）规范供水价格管理。居民生活用水价格每次调整幅度控制在5%以内。每年3月底前公布上一年度供水成本监审结果。

二、保障措施

（四）强化资金保障。市、旗县区两级财政要将农村供水工程运行维护经费纳入年度预算。

（五）严格督促落实。各旗县区每年12月底前向市人民政府报告工作进展情况，市人民政府办公室组织专项督查。
"""


def faithful_with(old: str, new: str) -> str:
    """The faithful draft with one passage changed (the test's own weakening)."""
    assert old in FAITHFUL, old
    return FAITHFUL.replace(old, new, 1)


# Carries out only section 二 of the decision: section 三 is outside its scope.
SECTION_TWO_ONLY = """某市农村供水保障工作方案

（一）提升农村供水保障水平。到2025年底前，全市农村自来水普及率达到90%以上，规模化供水工程覆盖农村人口比例不低于60%。必须严格落实农村供水工程管护责任，确保每个行政村都有专人管护。

（二）加强饮用水水源保护。各旗县区要在2024年6月底前全部完成乡镇级饮用水水源保护区划定。严禁在饮用水水源保护区内新建排污口。

（三）规范供水价格管理。居民生活用水价格每次调整幅度控制在5%以内。每年3月底前公布上一年度供水成本监审结果。
"""

# Has nothing to do with water supply.
UNRELATED = """关于开展全民健身月活动的通知

一、活动内容

组织开展健步走、广场舞和篮球联赛等群众性体育活动。各社区要在活动期间开放健身场地。
"""


def with_sentence(sentence: str, draft: str = FAITHFUL) -> str:
    """A draft with one sentence added at the end of its first task paragraph."""
    anchor = "确保每个行政村都有专人管护。"
    return draft.replace(anchor, anchor + sentence, 1)
