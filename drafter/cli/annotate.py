"""`drafter check FILE --annotate OUT.docx`: the findings as Word comments on a copy."""

from __future__ import annotations

from drafter.errors import DrafterError


def run_annotate(request, output: str, fmt: str, color: bool | None, force: bool) -> int:
    """Check one report, write OUT.docx with one comment per finding, print the findings."""
    from drafter.api import annotate_file
    from drafter.checker.output import FileResult
    from drafter.cli._output import emit

    files = request.files()
    if len(files) != 1:
        raise DrafterError(f"--annotate 只能用于一个报告文件（现有 {len(files)} 个）",
                           "请逐个文件运行，每个文件指定一个批注输出文件")
    src = files[0]
    review: dict = {}
    findings, annotated = annotate_file(src, output, force, request=request, review=review)
    results = [FileResult(path=str(src), findings=findings, review=review or None)]
    how = {".docx": "", ".doc": "；原文先用 LibreOffice 转换为 .docx，行号为其中的段落号",
           ".wps": "；原文先用 LibreOffice 转换为 .docx，行号为其中的段落号"}
    by_model = sum(1 for a in annotated.anchors if a.finding.source == "llm")
    authors = "作者 drafter" + (f"，其中 {by_model} 条为大模型意见，作者 drafter（模型）" if by_model else "")
    messages = [f"{src}：已写入 {annotated.comments} 条批注（{authors}）到 {output}"
                + how.get(src.suffix.lower(), "；原文先按 GB/T 9704 排为 .docx，行号为其中的段落号")]
    messages += [f"{src}：{n}" for n in annotated.notes]
    return emit(results, fmt, color, messages, llm_strict=request.llm_strict)
