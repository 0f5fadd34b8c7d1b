"""normalize(): offsets, CJK spacing, line breaks, punctuation, furniture."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from luoshi.documents.textproc.normalize import normalize
from luoshi.testing.corpus import Corpus, corpus_params
from luoshi.testing.paths import DOCUMENTS, document_text, seed_text

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# Converted characters and the source characters they may map back to.
CONVERTED = {
    "，": ",",
    "；": ";",
    "：": ":",
    "！": "!",
    "？": "?",
    "（": "(",
    "）": ")",
    "“": "\"'",
    "”": "\"'",
    "\n": "\r",
}


# The UTF-8 test documents (luoshi/testing/documents/), one per layout the readers handle.
DOCUMENT_NAMES = sorted(p.name for p in DOCUMENTS.glob("*.txt") if "gbk" not in p.name)


def assert_maps_back(source: str, text: str, offsets: list[int]) -> None:
    assert len(offsets) == len(text) + 1
    for i, ch in enumerate(text):
        src = source[offsets[i]]
        if ch != src:
            assert ch in CONVERTED and src in CONVERTED[ch], (i, ch, src)
        if i:
            assert offsets[i] > offsets[i - 1]
    if text:
        assert offsets[-1] == offsets[-2] + 1


# --- the seed -------------------------------------------------------------------


def test_seed_no_stray_spaces_inside_chinese() -> None:
    n = normalize(seed_text())
    assert not re.search(f"[{CJK}][ \\t\u3000\u00a0]+[{CJK}]", n.text)
    assert "以习近平同志为核心" in n.text
    assert "不断完善" in n.text
    assert "在民族地区推进中国式现代化建设中作模范" in n.text
    assert n.steps["cjk_space_removed"] > 100


def test_seed_page_jump_removed_and_reported() -> None:
    src = seed_text()
    n = normalize(src)
    assert "下转" not in n.text
    jumps = [r for r in n.removals if r.kind == "page_jump"]
    assert len(jumps) == 1
    assert jumps[0].text == "(下转4版)"
    assert src[jumps[0].source_start : jumps[0].source_end] == "(下转4版)"
    assert n.steps["page_jump_removed"] == 1
    assert n.text.endswith("积极推进“三变”改革。")


def test_seed_punctuation_and_paragraphs() -> None:
    n = normalize(seed_text())
    lines = n.text.split("\n")
    assert lines[0] == "内蒙古自治区党委关于全方位建设模范自治区的决定"
    assert lines[1] == "（2023年7月5日中国共产党内蒙古自治区第十一届委员会第六次全体会议通过）"
    assert "更加深刻领悟“两个确立”的决定性意义，" in n.text
    assert "研究工程（2023-2027年），" in n.text
    assert "," not in n.text and '"' not in n.text
    # The page break inside "历史" (blank line in the middle of a word) is joined.
    assert "深化党在内蒙古地区历史的研究阐释" in n.text
    assert "" not in lines


def test_seed_maps_back() -> None:
    src = seed_text()
    n = normalize(src)
    assert_maps_back(src, n.text, n.source_offsets)
    start, end = n.to_source_span(0, 5)
    assert src[start:end] == "内蒙古自治区"[:5]


# --- every test document, and the corpus ---------------------------------------------------


def assert_maps_back_and_is_clean(src: str) -> None:
    n = normalize(src)
    assert_maps_back(src, n.text, n.source_offsets)
    assert "\u200b" not in n.text and "\u3000" not in n.text and "\r" not in n.text
    assert "\n\n" not in n.text
    assert n.text == n.text.strip()
    for r in n.removals:
        assert src[r.source_start : r.source_end] == r.text
    assert normalize(src).text == n.text  # deterministic


@pytest.mark.parametrize("name", DOCUMENT_NAMES)
def test_documents_map_back_and_are_clean(name: str) -> None:
    assert_maps_back_and_is_clean(document_text(name))


@pytest.mark.parametrize("path", corpus_params("texts/*.txt", "gold/*.txt"))
def test_corpus_maps_back_and_is_clean(path: Path) -> None:
    assert_maps_back_and_is_clean(path.read_text(encoding="utf-8"))


FURNITURE_LINES = {
    "下载",
    "打印",
    "全屏",
    "收藏",
    "加大",
    "还原",
    "减小",
    "大",
    "中",
    "小",
    "】",
    "分享：",
    "相关报道：",
}


def assert_no_furniture_lines(text: str) -> None:
    lines = text.split("\n")
    assert not FURNITURE_LINES & set(lines)
    assert not [ln for ln in lines if re.match(r"来源\s*[:：]", ln)]
    assert not [ln for ln in lines if ln.startswith(("时间：", "【字号", "【字体", "责任编辑"))]
    assert not [ln for ln in lines if ln.endswith("摄")]


@pytest.mark.parametrize("name", ["newspaper_reprint.txt", "web_reprint.txt"])
def test_furniture_removed_from_reprints(name: str) -> None:
    n = normalize(document_text(name))
    assert_no_furniture_lines(n.text)
    assert any(r.kind == "furniture" for r in n.removals)
    first = n.text.split("\n")[0]
    assert first.startswith("2026年") and first.endswith("工作报告")


def test_photo_caption_source_line_and_page_jump_removed_from_a_newspaper_reprint() -> None:
    src = document_text("newspaper_reprint.txt")
    n = normalize(src)
    assert "赵晓光" not in n.text and "来源：青川日报" not in n.text and "2026-01-22" not in n.text
    assert "下转" not in n.text and "上接" not in n.text
    # The page jump cut a sentence in two: it is joined again.
    assert "统筹推动城乡融合发展取得明显成效，" in n.text
    assert [r.text for r in n.removals if r.kind == "page_jump"] == ["（下转第2版）", "（上接第1版）"]
    for r in n.removals:
        assert src[r.source_start : r.source_end] == r.text
    # The speech subtitle, the attachment and its title stay; the trailing "相关报道：" goes.
    lines = n.text.split("\n")
    assert "——2026年1月20日在青川省第十四届人民代表大会第四次会议上" in lines
    assert "附件" in lines and "2026年青川省民生实事" in lines
    assert lines[-1].startswith("5.开展职业技能培训")


def test_web_page_chrome_removed_from_a_web_reprint() -> None:
    n = normalize(document_text("web_reprint.txt"))
    assert "2026年01月25日 08时15分" not in n.text and "临江日报" not in n.text
    assert "扫一扫" not in n.text and "关闭窗口" not in n.text and "刘晓燕" not in n.text
    assert "3f9a1c0e5b7d4e2a8c6f1b0d9e7a5c3b" not in n.text and "解读市政府工作报告" not in n.text
    # The title is kept once (the trailing share snippet repeats it).
    assert n.text.count("2026年临江市人民政府工作报告") == 1
    # Hyperlink fragments in the glossary are joined back into the sentence.
    assert "企业出题、院所答题“揭榜攻关”的简称" in n.text
    assert "高校和科研院所带团队、带方案揭榜；攻关成果" in n.text
    assert n.text.endswith("一次办结的服务方式。")


def test_wikisource_fragments_joined() -> None:
    n = normalize(document_text("work_report.txt"))
    assert n.text.startswith("政府工作报告\n——2030年3月5日")
    assert "全年经济社会发展主要目标任务圆满完成" in n.text
    assert "“十五五”实现了良好开局" in n.text
    assert "国内生产总值达到150.2万亿元" in n.text
    assert "“一带一路”合作不断拓展" in n.text
    assert "国务院总理张建国" in n.text.split("\n")


def test_wikisource_licence_footer_removed() -> None:
    n = normalize(document_text("work_report.txt"))
    assert "Public domain" not in n.text and "公有领域" not in n.text and "false" not in n.text
    assert n.text.endswith("为全面建设社会主义现代化国家而努力奋斗！")


def test_notice_titles_and_signatures_kept() -> None:
    n = normalize(document_text("notice_stripped.txt"))
    lines = n.text.split("\n")
    # Two-line titles are not joined (single-newline paragraphs, no evidence
    # of a sentence running on); the signature block stays.
    assert lines[:3] == [
        "国务院办公厅关于进一步做好城乡社区",
        "养老服务体系建设工作的通知",
        "国办发〔2030〕12号",
    ]
    assert lines[-3:] == ["国务院办公厅", "2030年4月8日", "（此件公开发布）"]
    assert not n.removals


# --- the same on the corpus (LUOSHI_CORPUS_DIR) ----------------------------------------


@pytest.mark.parametrize("name", ["内蒙古自治区", "四川省", "浙江省"])
def test_corpus_furniture_removed_from_2026_reports(name: str, corpus: Corpus) -> None:
    n = normalize(corpus.text(f"src_gwr_prov2026_{name}.txt"))
    assert_no_furniture_lines(n.text)
    assert any(r.kind == "furniture" for r in n.removals)
    lines = n.text.split("\n")
    assert "2026年" in lines[0] and lines[0].endswith("工作报告")


def test_corpus_sichuan_2026_web_chrome(corpus: Corpus) -> None:
    n = normalize(corpus.text("src_gwr_prov2026_四川省.txt"))
    assert "2026年02月10日 07时41分" not in n.text
    assert "扫一扫" not in n.text and "关闭窗口" not in n.text and "李莎莎" not in n.text
    assert "abcd39f1fb7f426d9dfb6bd0fa1f2146" not in n.text
    assert n.text.count("2026年四川省人民政府工作报告") == 1
    assert "成果找市场“双向揭榜挂帅”的简称" in n.text
    assert "由技术供给方带团队、带技术揭榜；“成果找市场”" in n.text
    assert n.text.endswith("源头治理、综合治理。")


def test_corpus_photo_caption_and_source_line_removed(corpus: Corpus) -> None:
    n = normalize(corpus.text("src_gwr_prov2026_内蒙古自治区.txt"))
    assert "韩卿立" not in n.text
    assert "来源：内蒙古日报" not in n.text
    assert "——2026年2月4日在内蒙古自治区第十四届人民代表大会第五次会议上" in n.text.split("\n")
    assert "2026年自治区民生实事" in n.text


def test_corpus_wikisource_fragments_joined(corpus: Corpus) -> None:
    n = normalize(corpus.text("src_gwr_national_2017.txt"))
    assert n.text.startswith("政府工作报告\n——2017年3月5日")
    assert "党的十八届六中全会正式明确习近平总书记的核心地位" in n.text
    assert "“十三五”实现了良好开局" in n.text
    assert "国内生产总值达到74.4万亿元" in n.text
    assert "广义货币M2增长11.3%" in n.text
    assert "推动《巴黎协定》生效" in n.text


def test_corpus_wikisource_licence_footer_removed(corpus: Corpus) -> None:
    n = normalize(corpus.text("misc_cpc_congress_report_19.txt"))
    assert "Public domain" not in n.text and "维基文库" not in n.text
    assert n.text.endswith("实现人民对美好生活的向往继续奋斗！")


def test_corpus_gold_titles_and_signatures_kept(corpus: Corpus) -> None:
    n = normalize(corpus.text("src_stripped_国办发2018117.txt"))
    lines = n.text.split("\n")
    assert lines[:3] == [
        "国务院办公厅关于对真抓实干成效明显地方",
        "进一步加大激励支持力度的通知",
        "国办发〔2018〕117号",
    ]
    assert lines[-3:] == ["国务院办公厅", "2018年12月6日", "（此件公开发布）"]
    assert not n.removals


# --- unit cases ------------------------------------------------------------------------


def test_mid_sentence_breaks_in_blank_line_document() -> None:
    src = (
        "第一段。\n\n"
        "党的十八届六中全会\n正式明确\n习近平\n总书记的核心地位，意义重大。\n\n"
        "全年目标任务圆满完成，“\n十三五\n”实现了良好开局。\n\n"
        "一、过去一年工作回顾\n\n\n"
        "大会的主题是：\n不忘初心。\n"
    )
    n = normalize(src)
    assert n.text.split("\n") == [
        "第一段。",
        "党的十八届六中全会正式明确习近平总书记的核心地位，意义重大。",
        "全年目标任务圆满完成，“十三五”实现了良好开局。",
        "一、过去一年工作回顾",
        "大会的主题是：",
        "不忘初心。",
    ]
    assert_maps_back(src, n.text, n.source_offsets)


def test_line_breaks_in_single_line_document() -> None:
    src = (
        "2025年四川省政府工作报告\n"
        "2024年工作回顾\n"
        "过去一年，经济运行稳中向好。\n"
        "（一）充分发挥改革牵引作用，努力在重点领域取得新突破\n"
        "深化改革。推进一批重大项目。\n"
        "推动《\n巴黎协定\n》生效，成果找市场“双向\n揭榜\n挂帅”的简称。\n"
    )
    n = normalize(src)
    assert n.text.split("\n") == [
        "2025年四川省政府工作报告",
        "2024年工作回顾",
        "过去一年，经济运行稳中向好。",
        "（一）充分发挥改革牵引作用，努力在重点领域取得新突破",
        "深化改革。推进一批重大项目。",
        "推动《巴黎协定》生效，成果找市场“双向揭榜挂帅”的简称。",
    ]


def test_column_break_inside_word_joined_but_headings_kept() -> None:
    long_line = "推动群众教育实践活动常态长效开展，深化党在内蒙古地区历"
    long_line = "为全面贯彻党的二十大精神，深入落实重要指示精神，" + long_line
    src = f"{long_line}\n\n史的研究阐释，举办报告会。\n\n二、在铸牢中华民族共同体意识上作模范\n\n（四）把意识贯穿于工作之中。"
    n = normalize(src)
    lines = n.text.split("\n")
    assert lines[0].endswith("地区历史的研究阐释，举办报告会。")
    assert lines[1] == "二、在铸牢中华民族共同体意识上作模范"
    assert lines[2] == "（四）把意识贯穿于工作之中。"


def test_quotes_and_ascii_punctuation() -> None:
    src = '更加深刻领悟"两个确立"的决定性意义,更加自觉增强"四个意识"、坚定"四个自信":内蒙古(2023-2027年)!'
    n = normalize(src)
    assert (
        n.text
        == "更加深刻领悟“两个确立”的决定性意义，更加自觉增强“四个意识”、坚定“四个自信”：内蒙古（2023-2027年）！"
    )
    assert n.steps["quotes_converted"] == 6
    assert_maps_back(src, n.text, n.source_offsets)


def test_ocr_single_quote_repaired_when_double_quotes_unbalanced() -> None:
    n = normalize('做好"地、水"的文章,积极推进 \'三变"改革。')
    assert n.text == "做好“地、水”的文章，积极推进“三变”改革。"


def test_decimals_times_urls_and_latin_untouched() -> None:
    src = "增长5.7%，时间07:41，网址http://www.gov.cn/a.htm，数量1,000个，PM 2.5浓度。\n1.加强领导。"
    n = normalize(src)
    assert n.text == src


def test_cjk_spacing_rules() -> None:
    n = normalize("以习近平同志为 核心,不 断完善\u3000制度 (一) 附件2 名词解释 GDP 增长")
    assert n.text == "以习近平同志为核心，不断完善制度（一）附件2 名词解释 GDP 增长"


def test_unicode_cleanup() -> None:
    src = "\ufeff各位代表：\u200d\r\n\r\n现在，我\u200b代表国务院。\r\n\r\n增长到74.4\r\n\u200b\r\n万亿元。\r\r完成。"
    n = normalize(src)
    # Blank-line paragraphs; the line holding only U+200B does not count as blank.
    assert n.text == "各位代表：\n现在，我代表国务院。\n增长到74.4万亿元。\n完成。"
    assert n.steps["zero_width_removed"] >= 3
    assert_maps_back(src, n.text, n.source_offsets)


def test_page_jump_variants() -> None:
    for marker in ["(下转4版)", "（上接第1版）", "(上接第一版)", "下转第2版"]:
        n = normalize(f"第一段内容。\n{marker}\n第二段内容。")
        assert n.text == "第一段内容。\n第二段内容。", marker
        assert [r.kind for r in n.removals] == ["page_jump"]
    n = normalize("打造若干特色产业（下转第4版）")
    assert n.text == "打造若干特色产业"


def test_furniture_kept_when_content() -> None:
    src = (
        "来源：新华社\n"
        "发布时间：2026-01-22 10:30\n"
        "【字体：大 中 小】\n"
        "（2023年7月5日中国共产党内蒙古自治区第十一届委员会第六次全体会议通过）\n"
        "——2026年2月4日在内蒙古自治区第十四届人民代表大会第五次会议上\n"
        "资金来源于中央财政，来源：地方配套也要落实到位。\n"
        "编辑：张三\n"
        "国务院办公厅\n"
        "2018年12月6日\n"
        "新华社记者 李四 摄\n"
    )
    n = normalize(src)
    assert n.text.split("\n") == [
        "（2023年7月5日中国共产党内蒙古自治区第十一届委员会第六次全体会议通过）",
        "——2026年2月4日在内蒙古自治区第十四届人民代表大会第五次会议上",
        "资金来源于中央财政，来源：地方配套也要落实到位。",
        "国务院办公厅",
        "2018年12月6日",
    ]
    kinds = [r.kind for r in n.removals]
    assert kinds.count("furniture") >= 4
    assert n.steps["furniture_removed"] == len(kinds)


def test_empty_and_whitespace_input() -> None:
    assert normalize("").text == ""
    assert normalize("").source_offsets == [0]
    n = normalize(" \n\u3000\n")
    assert n.text == "" and n.source_offsets == [0]


def test_it_normalizes_a_100k_text_deterministically() -> None:
    # Speed is measured in bench/ingest.py, not here.
    texts = "\n".join(document_text(name) for name in DOCUMENT_NAMES)
    src = (texts * (100_000 // len(texts) + 1))[:100_000]
    assert normalize(src) == normalize(src)


def test_heading_line_not_joined_in_blank_line_document() -> None:
    src = "各位代表：\n\n现在作报告。\n\n一、过去五年工作回顾\n第十一届全国人大以来的五年，极不平凡。\n\n结束。\n\n谢谢。"
    n = normalize(src)
    assert n.text.split("\n")[2:4] == ["一、过去五年工作回顾", "第十一届全国人大以来的五年，极不平凡。"]
