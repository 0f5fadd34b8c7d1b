"""The bulletin as PDF: the HTML page printed by WeasyPrint (optional extra ``luoshi[pdf]``).

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0) and finds
fonts through fontconfig; without a CJK font every Chinese character would
come out as a box, so that is refused with a clear message instead.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import warnings
from types import ModuleType

from luoshi.bulletins.data import BulletinData
from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.renderers.html import render_html
from luoshi.bulletins.renderers.outline import Masthead

INSTALL_HINT = "pip install 'luoshi[pdf]'"


def load_weasyprint() -> ModuleType:
    """WeasyPrint, or BulletinError("no_weasyprint") saying what to install."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: installed, but Pango is missing
        raise BulletinError(
            "no_weasyprint",
            f"无法生成 PDF：未安装 WeasyPrint 或其依赖（{exc}）。请运行 {INSTALL_HINT}；"
            "Debian 另需 apt-get install libpango-1.0-0 libpangoft2-1.0-0。",
            f"Cannot write PDF: WeasyPrint or a library it needs is missing ({exc}). Run {INSTALL_HINT} "
            "and, on Debian, apt-get install libpango-1.0-0 libpangoft2-1.0-0.",
        ) from exc
    return weasyprint


@functools.cache
def cjk_fonts() -> list[str] | None:
    """Font families fontconfig knows for Chinese; None when fc-list is not there to ask."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        result = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return sorted({line.split(",")[0].strip() for line in result.stdout.splitlines() if line.strip()})


def require_cjk_font() -> None:
    """Refuse (BulletinError "no_cjk_font") when fontconfig has no Chinese font; warn when it cannot tell."""
    fonts = cjk_fonts()
    if fonts is None:
        warnings.warn(
            "无法检查中文字体（缺少 fc-list）。 / Cannot check for CJK fonts (fc-list not found).",
            RuntimeWarning,
            stacklevel=2,
        )
        return
    if not fonts:
        raise BulletinError(
            "no_cjk_font",
            "未找到中文字体，PDF 中的汉字将无法显示。请安装中文字体，如 apt-get install fonts-noto-cjk，"
            "或将仿宋_GB2312、方正小标宋简体等字体放入 /usr/share/fonts 后运行 fc-cache。",
            "No CJK font found through fontconfig: Chinese text would print as boxes. Install one, e.g. "
            "apt-get install fonts-noto-cjk, or copy the official fonts to /usr/share/fonts and run fc-cache.",
        )


def pdf_unavailable() -> BulletinError | None:
    """Why this machine cannot write a PDF (WeasyPrint or a CJK font missing, with how to install it),
    or None when it can. Asked before offering a PDF link or issuing with ``--format pdf``.

    When fontconfig cannot be asked (no ``fc-list``) the PDF is offered: WeasyPrint may still find fonts.
    """
    try:
        load_weasyprint()
        if cjk_fonts() is not None:
            require_cjk_font()
    except BulletinError as exc:
        return exc
    return None


def render_pdf(data: BulletinData, *, head: Masthead) -> bytes:
    weasyprint = load_weasyprint()
    require_cjk_font()
    pdf: bytes = weasyprint.HTML(string=render_html(data, head=head)).write_pdf()
    return pdf
