"""Interface text in Chinese and English; the page follows the language of the latest question."""

from __future__ import annotations

Lang = str  # "zh" or "en"

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "诚信助手",
        "subtitle": "依据联合国关于问责、道德操守和举报不当行为的正式文件作答，每句话都注明出处段落。",
        "note": "对话只保存在本浏览器会话中，关闭页面即清除；只有在您点击“发送反馈”时，问题和回答才会被保存。",
        "chat_tab": "问答",
        "library_tab": "文件库",
        "chatbot": "对话",
        "question": "您的问题",
        "placeholder": "用中文或英文提问，例如：遭到报复应该找谁？（Enter 发送）",
        "send": "发送",
        "new": "新对话",
        "filter": "只在这些文件中查找（不选则查找全部）",
        "sources": "引用的段落",
        "nearest": "最接近的段落",
        "nearest_note": "文件没有直接回答这个问题；以下段落仅供参考。",
        "no_sources_note": "提问后，这里会列出回答引用的段落；点击一项即可阅读全文。",
        "source_pick": "点击查看段落全文",
        "paragraph_empty": "选择上面的一个段落，即可阅读全文，引用的句子会高亮显示。",
        "footnotes": "脚注",
        "feedback": "对这条回答的反馈",
        "feedback_on": "针对问题：",
        "helpful": "有帮助",
        "wrong_answer": "答案有误",
        "wrong_source": "来源有误",
        "comment": "补充说明（可选）",
        "send_feedback": "发送反馈",
        "feedback_saved": "谢谢！反馈已保存（仅包括这个问题、回答和引用）。",
        "feedback_pick": "请先选择一种反馈。",
        "feedback_none": "还没有可以反馈的回答。",
        "searching": "正在查找相关段落…",
        "timings": "各阶段用时",
        "query": "检索语句",
        "stage_prepare": "准备",
        "stage_retrieve": "检索",
        "stage_answer": "生成回答",
        "stage_total": "合计",
        "sources_line": "来源",
        "error": "无法回答：",
        "examples_title": "可以这样提问",
    },
    "en": {
        "title": "Integrity Assistant",
        "subtitle": "Answers from the official UN documents on accountability, ethics and misconduct reporting, "
        "with the source paragraph on every sentence.",
        "note": "This conversation stays in this browser session and is cleared when you close the page; the "
        "question and answer are stored only if you press “Send feedback”.",
        "chat_tab": "Ask",
        "library_tab": "Library",
        "chatbot": "Conversation",
        "question": "Your question",
        "placeholder": "Ask in English or Chinese, e.g. Who do I contact about retaliation? (Enter sends)",
        "send": "Send",
        "new": "New conversation",
        "filter": "Only search these documents (none selected: all)",
        "sources": "Cited paragraphs",
        "nearest": "Nearest paragraphs",
        "nearest_note": "The documents do not answer this directly; these are for reference only.",
        "no_sources_note": "After you ask, the paragraphs the answer cites are listed here; "
        "click one to read it in full.",
        "source_pick": "Click to read the full paragraph",
        "paragraph_empty": "Pick a paragraph above to read it in full, with the cited sentence highlighted.",
        "footnotes": "Footnotes",
        "feedback": "Feedback on this answer",
        "feedback_on": "About the question:",
        "helpful": "Helpful",
        "wrong_answer": "Wrong answer",
        "wrong_source": "Wrong source",
        "comment": "Comment (optional)",
        "send_feedback": "Send feedback",
        "feedback_saved": "Thank you. Your feedback was saved (only this question, answer and its citations).",
        "feedback_pick": "Please choose one kind of feedback first.",
        "feedback_none": "There is no answer to give feedback on yet.",
        "searching": "Looking for the relevant paragraphs…",
        "timings": "Time per stage",
        "query": "Searched for",
        "stage_prepare": "prepare",
        "stage_retrieve": "retrieve",
        "stage_answer": "answer",
        "stage_total": "total",
        "sources_line": "Sources",
        "error": "Could not answer: ",
        "examples_title": "You can ask, for example",
    },
}

FEEDBACK_KINDS = ("helpful", "wrong_answer", "wrong_source")

EXAMPLES = [
    "我觉得自己因为举报而遭到报复，应该找谁？",
    "道德操守办公室2020年收到多少服务请求？",
    "财务披露方案的合规率是多少？",
    "What protection is there against retaliation for reporting misconduct?",
    "How many service requests did the Ethics Office receive in 2020?",
    "What is the accountability system of the Secretariat?",
]


def t(lang: Lang, key: str) -> str:
    """The text for `key` in `lang` (English for any language but Chinese)."""
    return TEXT["zh" if lang == "zh" else "en"][key]


def tx(lang: Lang | None, key: str) -> str:
    """`t`, or both languages while the page has no question yet (`lang` None)."""
    return both(key) if lang is None else t(lang, key)


def both(key: str) -> str:
    """Chinese and English together, for the page before the first question."""
    zh, en = TEXT["zh"][key], TEXT["en"][key]
    return zh if zh == en else f"{zh} · {en}"


def feedback_choices(lang: Lang | None) -> list[tuple[str, str]]:
    return [(tx(lang, k), k) for k in FEEDBACK_KINDS]
