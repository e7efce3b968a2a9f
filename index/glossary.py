"""A bilingual glossary of UN accountability and ethics terms: English question terms to Chinese.

English questions over Chinese documents are the weak spot of dense and lexical search alike; the
glossary carries an English question's terms into the documents' Chinese for the lexical side.
"""

from __future__ import annotations

import difflib
import re

GLOSSARY: dict[str, str] = {
    # offices, bodies, documents
    "ethics office": "道德操守办公室", "ethics": "道德操守", "ethics panel": "道德操守小组",
    "ethics helpline": "道德操守求助专线", "helpline": "求助专线", "hotline": "求助专线",
    "oios": "内部监督事务厅 监督厅", "office of internal oversight services": "内部监督事务厅",
    "internal oversight": "内部监督", "oversight": "监督", "board of auditors": "审计委员会",
    "auditors": "审计委员会", "audit": "审计", "joint inspection unit": "联合检查组", "jiu": "联合检查组 联检组",
    "acabq": "行预咨委会", "advisory committee": "咨询委员会", "general assembly": "大会",
    "secretary-general": "秘书长", "secretariat": "秘书处", "resolution": "决议", "report": "报告",
    "ceb": "首协会", "chief executives board": "行政首长协调理事会 首协会",
    "high-level committee on management": "管理问题高级别委员会", "hlcm": "管理问题高级别委员会",
    "high-level committee on programmes": "方案问题高级别委员会", "hlcp": "方案问题高级别委员会",
    "management client board": "管理与客户委员会", "management committee": "管理委员会",
    "department of management strategy": "管理战略、政策和合规部", "dmspc": "管理战略、政策和合规部",
    "department of operational support": "业务支助部", "operational support": "业务支助部",
    "business transformation and accountability division": "业务转型和问责司",
    "office of human resources": "人力资源厅", "human resources": "人力资源", "staff college": "职员学院",
    "ombudsman": "监察员", "staff regulations": "工作人员条例", "secretary-general's bulletin": "秘书长公报",
    "bulletin": "公报", "administrative instruction": "行政指示", "charter": "《联合国宪章》 宪章",
    "un women": "妇女署", "undp": "开发计划署", "unicef": "儿童基金会", "peacekeeping": "维持和平",
    "peacekeeping operations": "维持和平行动", "special political missions": "特别政治任务",
    "field missions": "外地特派团", "missions": "特派团", "member states": "会员国",
    "unite": "团结", "umoja": "团结", "iseek": "iSeek", "dashboard": "仪表板",
    # ethics work
    "retaliation": "报复", "retaliate": "报复", "retaliated": "报复", "reprisal": "报复",
    "protection against retaliation": "防止报复", "protection": "保护", "whistleblower": "举报人 举报",
    "whistle-blower": "举报人 举报", "whistleblowing": "举报", "speak up": "举报 直言", "speaking up": "举报 直言",
    "report misconduct": "举报不当行为", "reporting misconduct": "举报不当行为", "misconduct": "不当行为",
    "wrongdoing": "不当行为 错失行为", "complaint": "申诉 投诉", "complainant": "申诉人", "complaints": "申诉 投诉",
    "protected activity": "受保护的活动", "preliminary review": "初步审查", "preliminary assessment": "初步审查",
    "prima facie": "初步证据", "prima facie case": "初步证据", "interim protection": "临时保护措施",
    "interim measures": "临时保护措施", "alternate chair": "候补主席", "referred": "移交", "referral": "移交",
    "investigation": "调查", "investigations": "调查", "investigate": "调查", "cases": "案件", "case": "案件",
    "financial disclosure": "财务披露", "disclosure": "披露", "declaration": "申报", "filers": "申报人",
    "filer": "申报人", "compliance rate": "合规率", "compliance": "合规", "first-time": "首次",
    "conflict of interest": "利益冲突", "conflicts of interest": "利益冲突", "conflict": "冲突",
    "gifts": "馈赠 礼品", "gift": "馈赠 礼品", "honours": "荣誉 勋章", "honors": "荣誉 勋章", "awards": "勋章 报酬",
    "gift registry": "礼品登记册", "outside activities": "外部活动", "outside activity": "外部活动",
    "employment": "雇用", "pre-appointment": "任用前", "institutional integrity": "机构廉正 机构廉政",
    "integrity": "廉正 廉政", "ethics advice": "道德操守咨询", "advice": "咨询 咨询意见",
    "confidential": "保密", "confidentiality": "保密", "training": "培训", "outreach": "外联", "briefings": "简报",
    "standard-setting": "标准制定", "standards": "标准", "policy coherence": "政策统一 一致性", "coherence": "一致性",
    "requests": "请求", "request": "请求", "service requests": "服务请求", "inquiries": "询问 请求",
    "independence": "独立性", "independent": "独立", "mandate": "任务授权 职能", "functions": "职能",
    "leadership dialogue": "领导力对话", "dialogue": "对话", "civility": "文明", "respect": "尊重",
    "values and behaviours framework": "价值观和行为框架", "values": "价值观", "behaviours": "行为",
    "behaviors": "行为", "code of conduct": "行为守则", "standards of conduct": "行为标准", "conduct": "行为",
    "discipline": "纪律", "disciplinary": "纪律", "sexual harassment": "性骚扰", "harassment": "骚扰",
    "sexual exploitation": "性剥削", "sexual abuse": "性虐待", "discrimination": "歧视",
    "abuse of authority": "滥用权力", "abuse of power": "滥用权力", "victim": "受害者", "victims": "受害者",
    "victim-centred": "以受害者为中心", "fraud": "欺诈", "corruption": "腐败", "anti-fraud": "反欺诈",
    "accountability": "问责 问责制", "accountable": "问责", "accountability system": "问责制度",
    "accountability framework": "问责制框架", "culture": "文化", "trust": "信任",
    "delegation of authority": "授权 权力下放", "delegated authority": "下放权力 授权", "delegation": "授权 下放",
    "subdelegation": "转授权", "senior managers": "高级管理人员", "senior manager": "高级管理人员",
    "compacts": "契约", "compact": "契约", "senior managers' compacts": "高级管理人员契约",
    "key performance indicators": "主要业绩指标", "kpi": "主要业绩指标", "performance": "业绩",
    "performance management": "业绩管理", "results-based management": "成果管理制", "results": "成果",
    "enterprise risk management": "企业风险管理", "risk management": "风险管理", "risk": "风险", "risks": "风险",
    "internal control": "内部控制", "statement of internal control": "内部控制说明", "evaluation": "评价",
    "self-evaluation": "自我评价", "recommendations": "建议", "implementation rate": "执行率",
    "implemented": "已执行", "management reform": "管理改革", "reform": "改革", "decentralization": "权力下放",
    "simplification": "简化", "policies": "政策", "policy": "政策", "budget": "预算", "programme budget": "方案预算",
    "annual budget": "年度预算", "resources": "资源", "posts": "员额", "staff": "工作人员", "staff members": "工作人员",
    "personnel": "人员", "non-staff": "编外人员", "managers": "管理人员", "manager": "管理人员", "women": "妇女",
    "men": "男子", "gender": "性别", "procurement": "采购", "vendor": "供应商", "vendors": "供应商",
    "supply chain": "供应链", "information technology": "信息和通信技术 信通技术", "data": "数据",
    "data strategy": "数据战略", "climate": "气候", "environmental": "环境", "sustainability": "可持续性",
    "disability inclusion": "残疾包容", "disability": "残疾", "multilingualism": "使用多种语文",
    "ipsas": "国际公共部门会计准则", "accounting standards": "会计准则", "mobility": "流动",
    "duty of care": "应有关照", "innovation": "创新", "covid-19": "COVID-19 疫情", "covid": "COVID-19 疫情",
    "pandemic": "疫情 大流行", "telecommuting": "电子通勤", "remote": "远程", "virtual": "虚拟",
    "new york": "纽约", "headquarters": "总部", "offices away from headquarters": "总部以外办事处",
    "sustainable development": "可持续发展", "2030 agenda": "《2030 年议程》", "sdgs": "可持续发展目标",
    "youth": "青年", "progress report": "进展报告", "eleventh": "第十一次", "tenth": "第十次",
    "summary": "摘要", "annex": "附件", "conclusion": "结论", "recommendation": "建议",
    "funds and programmes": "基金和方案", "funds and programs": "基金和方案", "governing board": "理事机构",
    "governing boards": "理事机构", "executive board": "执行局", "board of directors": "董事会", "protest": "抗议",
    "clear check": "Clear Check 筛查", "recruitment": "征聘 招聘", "recruiting": "征聘 招聘", "recruit": "征聘 招聘",
    "hiring": "征聘 招聘", "roster": "名册", "appropriation": "批款", "proposed": "拟议", "platform": "平台",
    "platforms": "平台", "collaboration": "协作", "mutual recognition": "相互承认", "surge capacity": "增援能力",
    "non-filer": "未申报", "non-filers": "未申报", "did not file": "未申报", "didn't file": "未申报", "file": "申报 提交",
    "statement": "声明 表", "review": "审查", "reviews": "审查", "submit": "提交", "first": "首个 首次", "irmct": "余留机制",
    "residual mechanism": "余留机制", "annual overview": "年度概览", "whistleblower protection": "保护举报人",
    "kick in": "生效", "take effect": "生效", "in charge": "负责", "responsible": "负责", "entered into force": "生效",
    "guidance": "指导 咨询说明", "lines of defence": "防线", "three lines of defence": "三道防线",
    "implementing partners": "执行伙伴", "implementing partner": "执行伙伴", "due diligence": "尽职调查",
    "financial": "财务", "harassment complaints": "骚扰投诉",
    "how many": "多少", "number": "数量", "percentage": "百分比", "rate": "率", "decrease": "减少",
    "increase": "增加", "year": "年", "who": "谁", "contact": "联系", "protected": "保护",
}
_WORDS = sorted(GLOSSARY, key=len, reverse=True)
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w in _WORDS) + r")(?:e?s)?\b")


_SINGLE = [w for w in GLOSSARY if " " not in w and len(w) >= 5]


def respell(question: str) -> str:
    """Mend likely misspellings of glossary words (finacial -> financial, whistelblower -> whistleblower)."""
    out = []
    for word in re.findall(r"[a-z][a-z'-]*|[^a-z]+", question):
        close = []
        if len(word) >= 5 and word.isalpha() and word not in GLOSSARY:
            close = difflib.get_close_matches(word, _SINGLE, n=1, cutoff=0.85)
        out.append(close[0] if close else word)
    return "".join(out)


def expand(question: str) -> list[str]:
    """Chinese terms for the glossary phrases in an English question, longest phrases first."""
    q = respell(question.lower().replace("’", "'"))
    return [GLOSSARY[m.group(1)] for m in _PATTERN.finditer(q)]
