"""Legality points (合法性审核): measures a 规范性文件 may not create without a basis in law.

A sentence that creates administrative licensing (许可, 审批 as a precondition), a penalty (罚款,
吊销, 责令停产停业…), a compulsory measure (查封, 扣押, 冻结, 强制…) or a fee (收取/缴纳…费,
保证金), or that adds obligations to citizens and organisations (须提交…承诺书/证明, 报备…), is a
``new_power`` flag unless the sentence itself gives its legal basis (依法, 依照/根据《…法/条例》,
按照有关法律法规规定) or it removes or limits such measures (取消, 减免, 清理, 不得收取…).

A 规章 may set warnings and fines within the limits the State Council sets, so penalties of that
kind are not flagged for one; licensing, compulsory measures and fees are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from luoshi.review.checks.model import Clause, Draft, Flag


@dataclass(frozen=True)
class Power:
    code: str
    name: str
    name_en: str
    pattern: re.Pattern[str]


POWERS = (
    Power(
        "licensing",
        "行政许可",
        "administrative licensing",
        re.compile(
            r"(?:应当|须|必须|需|需要)(?:事先|预先)?(?:经|取得|办理|申领|报经?)[^。；，]{0,15}(?:许可证?|审批|批准|核准|准予)"
            r"|(?:实行|实施|建立)[^。；，]{0,12}(?:许可|审批|核准)(?:制度|管理)"
            r"|未经[^。；，]{0,15}(?:批准|许可|审批|同意|核准)[^。；]{0,10}(?:不得|一律不得|禁止)"
            r"|(?:报|经)[^。；，]{0,12}(?:审批|批准)(?:同意)?后方可"
        ),
    ),
    Power(
        "penalty",
        "行政处罚",
        "administrative penalty",
        re.compile(
            r"(?:处以?|并处|予以|给予)[^。；，]{0,12}(?:罚款|警告|行政拘留|行政处罚)"
            r"|处[0-9一二三四五六七八九十百千万]+[^。；，]{0,8}元?(?:以上|以下)?[^。；，]{0,8}罚款"
            r"|(?:吊销|暂扣|撤销)[^。；，]{0,8}(?:许可证|执照|资格|资质|证书)"
            r"|责令(?:停产停业|关闭|停业整顿)|没收[^。；，]{0,10}(?:违法所得|非法财物|工具|设备)"
        ),
    ),
    Power(
        "compulsory",
        "行政强制",
        "compulsory measure",
        re.compile(
            r"(?:予以|可以|有权|依法)?(?:查封|扣押|冻结|暂扣)[^。；，]{0,12}(?:场所|设施|财物|设备|车辆|存款|汇款|证件|行驶证)"
            r"|(?:予以|可以|有权)(?:查封|扣押|冻结)|采取[^。；，]{0,6}强制措施|强制(?:拆除|执行|清除|隔离)"
        ),
    ),
    Power(
        "fee",
        "收费",
        "fee",
        re.compile(
            r"(?:收取|缴纳|交纳|征收|收缴|加收|另收)[^。；，]{0,15}(?:费|保证金|押金|滞纳金|基金)"
            r"|按[^。；，]{0,12}(?:标准|比例)(?:收取|缴纳|交纳)"
            r"|(?:收费标准|收费项目)为"
        ),
    ),
    Power(
        "obligation",
        "增加义务",
        "added obligation",
        re.compile(
            r"(?:应当|须|必须)[^。；，]{0,20}(?:提交|提供|出具|签订|签署)[^。；，]{0,12}(?:承诺书|保证书|证明|担保)"
            r"|(?:应当|须|必须)[^。；，]{0,25}(?:向|报)[^。；，]{0,12}(?:报备|备案)"
        ),
    ),
)
# The sentence names its basis in law.
BASIS = re.compile(
    r"依法|依照[^。；]{0,20}(?:法|条例|规定)|根据《|依据《|按照《|《[^》]{1,40}(?:法|条例)》|"
    r"(?:按照|根据|依照)(?:有关|相关|国家)?(?:法律|法规|规定)|法律、法规(?:另有)?规定"
)
# The sentence removes, lowers or limits such measures, or governs how they are used.
LIMITS = re.compile(
    r"取消|减免|免收|免征|免除|降低|减少|清理|规范(?!性文件)|停止|暂停征收|不得(?:收取|收费|罚款|擅自)|严禁|禁止(?:收取|乱)|"
    r"乱收费|乱罚款|乱摊派|三乱|简化|精简|下放|压减|合并|整治|审批制度改革|放管服|简政放权|审慎|包容|首违不罚|轻微违法"
)


def check_legality(draft: Draft, *, kind: str = "") -> list[Flag]:
    flags: list[Flag] = []
    for clause in draft.clauses:
        if clause.heading:
            continue
        text = clause.text
        if BASIS.search(text) or LIMITS.search(text):
            continue
        for power in POWERS:
            if kind == "regulation" and power.code in ("penalty", "obligation"):
                continue
            m = power.pattern.search(text)
            if m:
                flags.append(_flag(clause, power, m.group(0), kind))
                break
    return flags


def _flag(clause: Clause, power: Power, matched: str, kind: str) -> Flag:
    what = "规章" if kind == "regulation" else "规范性文件"
    what_en = "a regulation (规章)" if kind == "regulation" else "a normative document"
    return Flag(
        "new_power",
        clause.start,
        clause.end,
        clause.text,
        f"草案设定{power.name}（“{matched}”），未写明法律、法规依据；{what}不得没有法律、法规依据设定{power.name}、"
        "减损公民、法人和其他组织合法权益或者增加其义务。",
        f"The draft creates {power.name_en} ('{matched}') without naming its basis in law; {what_en} may not "
        f"create {power.name_en}, reduce rights or add obligations without one.",
        f"new_power:{power.code}",
    )
