"""Entity mentions in one sentence, found from the genre's own signals.

- names in book-title marks 《…》 (policies and documents), and a head word right
  after the closing mark (《…法》专项督导);
- names in quote marks “…” that end in a head word, or are followed by one
  (“双一流”建设); a quoted formula with no head is a slogan, not an entity;
- unquoted names: a run of words read leftwards from a head word until a
  boundary (punctuation, a function word, a verb);
- persons: a written personal name after a post (部长王斌).

Every mention keeps the span of its surface form in the report text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import cache

from edukg.graph.extract.lexicons import Head, Lexicons, segmenter
from edukg.text import MASK_CLASS, MASK_IN_CLASS, MASK_LETTERS, MASK_SYMBOLS, strip_quotes

PUNCTUATION = set("，,。.；;：:、！!？?（）()【】[]《》“”‘’「」『』\"'　 —…·/\n")
# A title may hold one title of its own (《…关于印发《…办法》的通知》): both are names.
TITLED = re.compile(r"《((?:[^《》\n]|《[^《》\n]{1,80}》){1,80})》")
INNER_TITLED = re.compile(r"《([^《》\n]{1,80})》")
QUOTED = re.compile(r"“([^“”\n]{1,60})”|「([^「」\n]{1,60})」|‘([^‘’“”\n]{1,30})’")
TRIAL = re.compile(
    rf"[（(](?:试行|暂行|修订|征求意见稿|\d{{4}}[-－—–]+\d{{4}}年?|{MASK_CLASS}{{2,4}}[-－—–]+{MASK_CLASS}{{2,4}}年?)[）)]$"
)
NUMERAL = re.compile(r"^[0-9０-９一二三四五六七八九十百千万两]+$")
CONJUNCTIONS = {"和", "与", "及", "以及"}
# Words that join or introduce and never begin a name, though a name may hold them
# (X暨Y启动大会, 产学研用).
NOT_FIRST = CONJUNCTIONS | {"暨", "用", "我", "本"}  # 我教育工委: the speaker, not the name
LEVEL_BODY = re.compile(r"(?:自治区|[省市区县州])(?:委|政府|人民政府)")
# What may stand before a level's body inside a name: the Party's name, a mask or a place.
BODY_PREFIX = re.compile(rf"(?:中共|中国共产党)?(?:{MASK_CLASS}+|[\u4e00-\u9fff]{{1,5}}?)?$")
MAX_NAME = 48
# 十四五: the national five-year plans are named by their number.
FIVE_YEAR_PLAN = re.compile(r"十[一二三四五六七八九]?五")
EFFORTS = {"Campaign", "Programme", "Policy"}
ORGANISATIONS = {"Institution", "Bureau"}
# Types whose name is no name when the words before its head only classify (公办幼儿园).
CATEGORY_TYPES = {"Institution", "Policy", "Campaign", "Programme", "Bureau"}
# 一中心四基地: numbered kinds of places, a formula; 第一中学 and 十一学校 are names.
NUMBERED_FORMULA = re.compile(
    r"^[0-9０-９一二三四五六七八九十两]+[^0-9０-９一二三四五六七八九十两第]+[0-9０-９一二三四五六七八九十两]+$"
)
MASK_ONLY = re.compile(rf"{MASK_CLASS}+")
NOT_NAME_CHAR = re.compile(rf"[^\u4e00-\u9fff{re.escape(MASK_SYMBOLS + MASK_LETTERS)}]")
ARTICLES = re.compile(rf"[0-9０-９{MASK_IN_CLASS}一二三四五六七八九十]+条(?:措施|意见|举措)?$")
ARTICLE_HEADS = {"措施", "意见", "举措", "规定", "办法"}
# jieba sometimes glues a measure word to the next word (X个子方案 → 个子/方案), so the
# count check on words misses it; a name never starts with a count.
LEADING_COUNT = re.compile(rf"^(?:(?:[0-9０-９]|{MASK_CLASS})+|一)[个项名所家场次件条套批]")
SCOPE = re.compile(r"^(?:全市|全区|全县|全省)")
NUMBERED_SET_START = re.compile(r"^[一二三四五六七八九十两]{1,3}[大项]")
LEADING_EDITION = re.compile(
    rf"^(?:(?:[0-9０-９{MASK_IN_CLASS}]{{2,4}}|[〇零一二三四五六七八九]{{4}})(?:年度?|届)|第?[一二三四五六七八九十]{{1,3}}届)"
)


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int  # absolute span of the surface form
    end: int
    name: str
    type: str
    sentence: int
    marked: bool  # in quote or book-title marks
    verb: str  # the verb that governs the mention ("" when none)
    head: str
    # The name as written with the field words before it (学前教育“强基”计划, 党委领导下的校长负责制):
    # another form of the same name, kept as an alias.
    written_with: str = ""


def _surface(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \u3000":
        start += 1
    while end > start and text[end - 1] in " \u3000":
        end -= 1
    return start, end


def _clean(name: str) -> str:
    return strip_quotes(name).strip()


FUNCTION_TAGS = {"p", "c", "d", "ad", "u", "r", "y", "e", "o", "uj", "ul", "ud", "uz", "ug", "uv"}
JOINING_TAGS = {"p", "c", "u", "uj", "ul"}
QUANTIFIER = re.compile(r"^(?:多|各|每|几|两)")
NUMBER_TOKEN = re.compile(r"^[0-9０-９.．%％－\-—~～]+$")


# Whether a word is a boundary depends on the word alone (the lexicons and tags are fixed
# for the process), and the same words recur in every report.
_BOUNDARIES: dict[str, bool] = {}


def _is_boundary(word: str, words: Lexicons, tags: dict[str, str]) -> bool:
    """Words that never belong to a name: punctuation, function words, governing verbs."""
    known = _BOUNDARIES.get(word)
    if known is None:
        known = _BOUNDARIES[word] = _classify_boundary(word, words, tags)
    return known


def _classify_boundary(word: str, words: Lexicons, tags: dict[str, str]) -> bool:
    if word in words.heads or word in words.own_bureau or NUMBERED_KIND.fullmatch(word):
        return False  # 一小, 二中: a school's short name, whatever jieba tags it
    tag = tags.get(word, "")
    return (
        word in PUNCTUATION
        or all(char in PUNCTUATION for char in word)
        or word in words.stopwords
        or words.hard_verb(word)
        or (tag in FUNCTION_TAGS and len(word) > 1 and word not in NAME_FUNCTION_WORDS)
        or (tag == "m" and QUANTIFIER.match(word) is not None)
        or (NUMBER_TOKEN.match(word) is not None and not word.isdigit())
    )


# Function words that occur inside names in this genre (中俄, 大中小学).
NAME_FUNCTION_WORDS = {"中", "大", "新", "全", "不", "全面", "与"}


def _governing_verb(tokens: list[tuple[str, int, int]], index: int, words: Lexicons) -> str:
    """The verb before the enumeration that token ``index`` starts an item of."""
    position = index - 1
    while position >= 0:
        word = tokens[position][0]
        if words.verb_role(word):
            return word
        if word in {"，", ",", "。", "；", ";", "：", ":"}:
            return ""
        position -= 1
    return ""


def _type_of(head: Head, name: str, verb: str, words: Lexicons) -> str:
    verb = verb.removesuffix("好")
    if head.word == "行动" or (head.word.endswith("行动") and head.type == "Programme"):
        if re.search(
            rf"[0-9一二三四五六七八九十两{MASK_IN_CLASS}]+年行动$|[一二三四五六七八九十百]+大行动$", name
        ):
            return "Programme"
        if verb in {"开展", "组织开展", "举办", "参加"}:
            return "Campaign"
        return (
            "Programme"
            if verb in {"实施", "推进", "启动", "谋划", "组织实施", "深入推进", "扎实推进"}
            else "Campaign"
        )
    return head.type


def _titles(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Each 《…》 of ``text[start:end]``, and the titles nested in it."""
    found = []
    for match in TITLED.finditer(text, start, end):
        found.append(match)
        found.extend(INNER_TITLED.finditer(text, match.start(1), match.end(1)))
    return found


def titled_mentions(text: str, start: int, end: int, sentence: int, words: Lexicons) -> list[Candidate]:
    """Names in 《》, typed by their head; a head word after 》 makes an outer name too."""
    found = []
    for match in _titles(text, start, end):
        inner_start, inner_end = match.span(1)
        raw = text[inner_start:inner_end]
        trial = TRIAL.search(raw)
        if trial:
            inner_end -= len(trial.group(0))
        name = _clean(text[inner_start:inner_end])
        if not name:
            continue
        head = words.head_of(name)
        if ARTICLES.search(name):
            kind, head_word = "Policy", "条"
        elif head is not None and head.type in {"Policy", "Document"}:
            kind, head_word = head.type, head.word
        elif head is not None and head.type == "Programme" and not head.weak:
            # 《…三年行动计划》 is a plan the bureau carries out; 《…工程实施方案》 ends in a policy head.
            kind, head_word = "Programme", head.word
        elif any(
            getattr(words.head_of(_clean(inner.group(1))), "type", "") == "Policy"
            for inner in INNER_TITLED.finditer(text, match.start(1), match.end(1))
        ):
            # 《《…标准》有关条款的解读》: what amends or explains a norm is normative too
            kind, head_word = "Policy", ""
        else:
            kind, head_word = "Document", ""
        verb = verb_before(text, match.start(), start, words)
        found.append(Candidate(inner_start, inner_end, name, kind, sentence, True, verb, head_word))
        if kind == "Policy":
            found.extend(_issuer(text, inner_start, inner_end, sentence, words))
        outer = _head_after(text, match.end(), end, words)
        if outer:
            outer_end, outer_head = outer
            outer_name = _clean(text[match.start() : outer_end])
            found.append(
                Candidate(
                    match.start(),
                    outer_end,
                    outer_name,
                    outer_head.type,
                    sentence,
                    True,
                    verb,
                    outer_head.word,
                )
            )
    return found


# An unmarked title (关于推动…的实施意见): 关于, what it is about, 的, and a document's head.
UNMARKED_TITLE = re.compile(r"关于[^，,。；;：:、！？!?《》“”（）()\n]{2,48}?的")
# The issuer that opens a title (…委员会|关于印发…的通知) is a body the text names.
ISSUER_END = "关于"


def unmarked_title_mentions(
    text: str, start: int, end: int, sentence: int, words: Lexicons
) -> list[Candidate]:
    """Titles written without 《》: 关于…的 and a policy or document head right after 的."""
    found = []
    for match in UNMARKED_TITLE.finditer(text, start, end):
        after = text[match.end() : min(end, match.end() + 6)]
        heads = (words.heads.get(after[:length]) for length in range(len(after), 0, -1))
        head = next((head for head in heads if head is not None and head.type == "Policy"), None)
        if head is None:
            continue
        head_word = head.word
        name_end = match.end() + len(head_word)
        verb = verb_before(text, match.start(), start, words)
        found.append(
            Candidate(
                match.start(),
                name_end,
                text[match.start() : name_end],
                head.type,
                sentence,
                False,
                verb,
                head_word,
            )
        )
    return found


def _issuer(text: str, inner_start: int, inner_end: int, sentence: int, words: Lexicons) -> list[Candidate]:
    """The body that opens a title before 关于 (省教育厅关于转发…的通知)."""
    position = text.find(ISSUER_END, inner_start, inner_end)
    if position <= inner_start:
        return []
    issuer = text[inner_start:position]
    head = words.head_of(issuer)
    if head is None or head.type != "Bureau" or len(issuer) <= len(head.word):
        return []
    # Named in the title's own marks, so a name of its own inside the title's.
    return [Candidate(inner_start, position, issuer, "Bureau", sentence, True, "", head.word)]


LISTED_BEFORE = re.compile(r"(?:[^，,。；;：:、]{1,20}、)*[^，,。；;：:、]{1,20}等$")
LOOK_BACK = 400
CHAIN_BEFORE = re.compile(r"(?:(?:《[^《》]*》|“[^“”]*”)[、和及与]?)+$")


def verb_before(text: str, position: int, floor: int, words: Lexicons) -> str:
    """The nearest verb before ``position`` in its clause; a list of 《》 or “” names shares one.

    The look back is bounded (``LOOK_BACK`` characters), so the work per name does not grow
    with the clause: a report without punctuation stays linear."""
    floor = max(floor, position - LOOK_BACK)
    chain = CHAIN_BEFORE.search(text, floor, position)
    if chain:
        position = chain.start()
    listed = LISTED_BEFORE.search(text, floor, position)
    if listed:
        # 推进A、B等“四项行动”: the verb before the list's first item governs the named whole.
        first_item = re.search(r"[、等]", text[listed.start() : position])
        position = listed.start() + (first_item.start() if first_item else 0)
    window = text[max(floor, position - 12) : position]
    window = re.split(r"[，,。；;：:]", window)[-1]
    best = ""
    best_at = -1
    for verb in words.verbs:
        at = window.rfind(verb)
        if at >= 0 and (at + len(verb) > best_at or (at + len(verb) == best_at and len(verb) > len(best))):
            best, best_at = verb, at + len(verb)
    return best


def _head_after(text: str, position: int, limit: int, words: Lexicons) -> tuple[int, Head] | None:
    """A head word that continues a marked name after its closing mark (“双一流”建设攻坚)."""
    tail = text[position : min(limit, position + 16)]
    stop = re.search(r"[，,。；;：:、（）()《》“”‘’\s等和与及的]", tail)
    if stop:
        tail = tail[: stop.start()]
    tail_words = segmenter().tokens(tail)  # once for the tail, not once for each cut
    for cut in range(len(tail), 0, -1):
        head = words.head_of(tail[:cut])
        if head is None:
            continue
        rest = tail[cut:]
        ends_name = (
            not rest
            or re.match(rf"[0-9０-９{MASK_IN_CLASS}一二三四五六七八九十两]", rest) is not None
            or any(rest.startswith(word) for word in (*words.verbs, *words.stopwords))
            # “十四五”规划|收官: the head ends a word of the tail, so what follows is another
            # word (in “…”大学生 the head 大学 is inside one)
            or any(end == cut for _, _, end in tail_words)
        )
        # “X”暨Y启动大会: 暨 joins a second event into one name, whose words may be verbs.
        if not ends_name:
            continue  # a head inside a longer word (学习教育|常态化|制度化): a shorter cut may end one
        joint = tail.startswith("暨") and head.type == "Campaign"
        between = [word for word, _, end in tail_words if end <= cut - len(head.word)]
        if not joint and (
            # a verb (获, 推进) or a preposition or conjunction (“…”第一书记|对|…学校) between the
            # marks and the head ends the name before it
            any(words.verb_role(word) for word in between)
            or any(segmenter().tags.get(word) in JOINING_TAGS for word in between)
        ):
            return None
        return position + cut, head
    return None


MODIFIER_WORDS = 3  # field words a name may carry before it (中小学德育“红扣子”工程)
SCOPE_WORDS = ("全市", "全区", "全县", "全省")


def _field_words_before(text: str, position: int, floor: int, words: Lexicons) -> str:
    """The nouns right before ``position`` that narrow a name to a field (学前教育|“强基”计划);
    a verb, a function word, a scope (全市) or the report's own place (我县) ends them."""
    before = re.split(r"[^\u4e00-\u9fff]", text[max(floor, position - 10) : position])[-1]
    tags = segmenter().tags
    taken: list[str] = []
    for word, _, _ in reversed(segmenter().tokens(before)):
        if (
            len(taken) == MODIFIER_WORDS
            or len(word) < 2  # 我|县, 市: a place or a particle, not a field
            or tags.get(word) in {"v", "r"}
            or _is_boundary(word, words, tags)
            or words.verb_role(word)
            or word in words.own_bureau
            or word in SCOPE_WORDS
            or getattr(words.head_of(word), "type", "") in ORGANISATIONS - {"Institution"}
        ):
            break
        taken.append(word)
    return "".join(reversed(taken))


def quoted_mentions(text: str, start: int, end: int, sentence: int, words: Lexicons) -> list[Candidate]:
    """Quoted names with their head word, inside the quotes or right after them; a quoted name
    with its own head inside a longer one (“…伙伴行动”暨…启动大会) is a name of its own too."""
    found = []
    for match in QUOTED.finditer(text, start, end):
        group = next(index for index in (1, 2, 3) if match.group(index) is not None)
        inner_name = _clean(match.group(group))
        inner_head = words.head_of(inner_name)
        verb = verb_before(text, match.start(), start, words)
        spans: list[tuple[int, int, str, Head]] = []
        after = _head_after(text, match.end(), end, words)
        if after:
            surface_end, head = after
            spans.append((match.start(), surface_end, _clean(text[match.start() : surface_end]), head))
        # “问题清单”: quotes around a kind of thing do not make it a name
        if inner_head is not None and not _is_category(inner_name, inner_head, words):
            spans.append((*match.span(group), inner_name, inner_head))
        for span_start, span_end, name, head in spans:
            if words.excluded(name) or (len(name) <= len(head.word) and not words.bare_body(name)):
                continue
            kind = _type_of(head, name, verb, words)
            if kind == "Institution" and NUMBERED_FORMULA.match(name[: len(name) - len(head.word)]):
                continue
            field = (
                _field_words_before(text, match.start(), start, words) if span_start == match.start() else ""
            )
            written_with = field + name if field else ""
            found.append(
                Candidate(span_start, span_end, name, kind, sentence, True, verb, head.word, written_with)
            )
    return found


def marked_spans(candidates: list[Candidate], text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _titles(text, start, end)]
    spans += [(m.start(), m.end()) for m in QUOTED.finditer(text, start, end)]
    spans += [(c.start, c.end) for c in candidates]
    return spans


def headed_mentions(
    text: str,
    start: int,
    tokens: list[tuple[str, int, int]],
    sentence: int,
    words: Lexicons,
    marked: list[tuple[int, int]],
    tags: dict[str, str],
) -> list[Candidate]:
    """Unquoted names: maximal runs of name words that end in a head word."""
    found: list[Candidate] = []
    length = tokens[-1][2] if tokens else 0
    covered = bytearray(length + 1)
    for span_start, span_end in marked:
        low, high = max(0, span_start - start), min(length, span_end - start)
        if high > low:
            covered[low:high] = b"\x01" * (high - low)
    inside_marks = [False] * len(tokens)
    counts = [False] * len(tokens)  # a token that ends a count (X个, 一批)
    for index, (_, token_start, token_end) in enumerate(tokens):
        inside_marks[index] = bool(covered[token_start] and covered[token_end - 1])
        # A count (X个, 12项) is never inside a name: it ends the name before it.
        following = tokens[index + 1][0] if index + 1 < len(tokens) else ""
        articles = tokens[index][0] == "条" and following in ARTICLE_HEADS
        if (
            index
            and tokens[index][0] in words.measure_words
            and _is_count(tokens[index - 1][0], tags)
            and not articles
        ):
            inside_marks[index - 1] = inside_marks[index] = True
            counts[index] = True
        elif _is_count_word(tokens[index][0], words, tags):
            inside_marks[index] = counts[index] = True
    index = 0
    while index < len(tokens):
        if inside_marks[index] or _is_boundary(tokens[index][0], words, tags):
            index += 1
            continue
        run_start = index
        while (
            index < len(tokens)
            and not inside_marks[index]
            and not _is_boundary(tokens[index][0], words, tags)
        ):
            index += 1
        counted_from = start + tokens[run_start][1] if run_start and counts[run_start - 1] else -1
        run_start = _verb_inside_name(tokens, run_start, index, words, tags, inside_marks)
        run_start = _policy_across_de(tokens, run_start, index, words, tags, inside_marks)
        found.extend(
            candidate
            for candidate in _names_in_run(text, start, tokens, run_start, index, sentence, words, tags)
            # Counted places (一批示范学校, 多所高校) are a kind of place, not one named place.
            if candidate.start != counted_from or candidate.type != "Institution"
        )
    return found


def _verb_inside_name(
    tokens: list[tuple[str, int, int]],
    first: int,
    stop: int,
    words: Lexicons,
    tags: dict[str, str],
    inside_marks: list[bool],
) -> int:
    """贯通学习机制, 创建试点: a verb right before a bare head of an effort belongs to the name."""
    head = words.heads.get(tokens[first][0]) if first < len(tokens) else None
    if stop - first != 1 or first < 2 or head is None or head.type not in {"Programme", "Policy"}:
        return first
    if not words.hard_verb(tokens[first - 1][0]):
        return first
    return _run_before(tokens, first, words, tags, inside_marks)


def _is_count(word: str, tags: dict[str, str]) -> bool:
    return bool(NUMBER_TOKEN.match(word) or MASK_ONLY.fullmatch(word) or tags.get(word) == "m")


def _is_count_word(word: str, words: Lexicons, tags: dict[str, str]) -> bool:
    """A count jieba keeps as one word: a numeral and a measure word (一批, 多所, 两个), not an
    ordinal (第一次, 首批), which belongs to a name."""
    return (
        len(word) > 1
        and tags.get(word) == "m"
        and word[-1:] in words.measure_words
        and not word.startswith(("第", "首"))
    )


def _policy_across_de(
    tokens: list[tuple[str, int, int]],
    first: int,
    stop: int,
    words: Lexicons,
    tags: dict[str, str],
    inside_marks: list[bool],
) -> int:
    """…建设的指导意见: a bare policy head after 的 takes the run before 的 as its name."""
    run = "".join(token[0] for token in tokens[first:stop])
    head = words.head_of(run)
    if head is None or head.type != "Policy" or run != head.word:
        return first
    if first < 2 or tokens[first - 1][0] != "的":
        return first
    return _run_before(tokens, first, words, tags, inside_marks)


def _run_before(
    tokens: list[tuple[str, int, int]],
    first: int,
    words: Lexicons,
    tags: dict[str, str],
    inside_marks: list[bool],
) -> int:
    """Where the run of name words before token ``first - 1`` starts (``first`` if there is none)."""
    position = first - 2
    while position >= 0 and not inside_marks[position] and not _is_boundary(tokens[position][0], words, tags):
        position -= 1
    return position + 1 if position + 1 < first - 1 else first


def _names_in_run(
    text: str,
    start: int,
    tokens: list[tuple[str, int, int]],
    first: int,
    stop: int,
    sentence: int,
    words: Lexicons,
    tags: dict[str, str],
) -> list[Candidate]:
    """The names in one run of words: up to its last head, split where bodies are joined.

    A run holding a soft verb (获评, 入选) is split there when the words after it make a
    name of their own; the words before it are read as a run too.
    """
    last = stop - 1
    while last >= first and words.head_of("".join(token[0] for token in tokens[first : last + 1])) is None:
        last -= 1
    if last < first:
        return []
    # An organisation's name holds no verb: in a run that ends in one, any verb of jieba's
    # dictionary (夯实, 并入, 隶属) splits it as a soft verb does.
    run_head = words.head_of("".join(token[0] for token in tokens[first : last + 1]))
    organisation = run_head is not None and run_head.type in ORGANISATIONS
    for position in range(last - 1, first - 1, -1):
        word = tokens[position][0]
        after = "".join(token[0] for token in tokens[position + 1 : last + 1])
        after_head = words.head_of(after)
        plain = (
            organisation
            and _plain_verb(word, words, tags)
            and (
                _names_or_nothing(tokens[first:position], words, tags)
                # 隶属区教育工委: the words after the verb name a body of their own
                or (after_head is not None and len(after) > len(after_head.word))
            )
        )
        if words.soft_verb(word) or plain:
            rest = "".join(token[0] for token in tokens[position + 1 : last + 1])
            rest_head = words.head_of(rest)
            if rest_head is not None and (len(rest) > len(rest_head.word) or words.bare_body(rest)):
                before = _names_in_run(text, start, tokens, first, position, sentence, words, tags)
                return before + _names_in_run(
                    text, start, tokens, position + 1, last + 1, sentence, words, tags
                )
            if rest_head is not None and rest_head.type == "Institution":
                # 紧密对接产业园: a bare place after the verb is its object, a kind of place.
                return _names_in_run(text, start, tokens, first, position, sentence, words, tags)
    while first < last and tokens[first][0] in NOT_FIRST:
        first += 1
    if (
        first < last
        and _plain_verb(tokens[first][0], words, tags)
        and NUMBERED_SET_START.match(tokens[first + 1][0])
    ):
        first += 1  # 创新|八大举措: a named set of tasks begins at its number, the verb governs it
    found = []
    name_start = start + tokens[first][1]
    name_end = start + tokens[last][2]
    # A run too long to be a name: keep its tail.
    while name_end - name_start > MAX_NAME and first < last:
        first += 1
        name_start = start + tokens[first][1]
    name = text[name_start:name_end]
    if (
        last < stop - 1
        and words.heads.get(tokens[last][0], None) is not None
        and words.heads[tokens[last][0]].weak
    ):
        # 自贸港建设大局: a weak head inside a longer phrase names a goal, not an effort.
        return _names_in_run(text, start, tokens, first, last, sentence, words, tags) if last > first else []
    count = LEADING_COUNT.match(name)
    if count:
        name_start += count.end()
        name = name[count.end() :]
    head = words.head_of(name)
    assert head is not None
    edition = LEADING_EDITION.match(name)
    if edition and len(name) - edition.end() > len(head.word):
        # 2025年全省中小学科技活动周, 2018年省政府: the year tells when or which edition; the
        # name follows it.
        name_start += edition.end()
        name = name[edition.end() :]
    verb = _governing_verb(tokens, first, words)
    if head.type == "Bureau":
        pieces = _split_joined_bodies(name)
    elif head.word.endswith("法"):
        pieces = _split_joined_laws(name, words)
        pieces[0] = (_leading_verb(name[: pieces[0][1]], tags), pieces[0][1])
    else:
        pieces = _split_joined_organisations(name, words)
    for piece_start, piece_end in pieces:
        piece_start += _after_category(name[piece_start:piece_end], words)
        piece = name[piece_start:piece_end]
        piece_head = words.head_of(piece)
        if piece_head is None or not _acceptable(piece, piece_head, verb, words):
            continue
        found.append(
            Candidate(
                name_start + piece_start,
                name_start + piece_end,
                piece,
                _type_of(piece_head, piece, verb, words),
                sentence,
                False,
                verb,
                piece_head.word,
            )
        )
    if not found and head.weak and last > first:
        # 联盟建设 after 加强: the goal is not a name, the body before it may be.
        return _names_in_run(text, start, tokens, first, last, sentence, words, tags)
    return found


def _plain_verb(word: str, words: Lexicons, tags: dict[str, str]) -> bool:
    return tags.get(word) == "v" and len(word) > 1 and word not in words.heads


# A school by its number and kind ends a name (城北二小|并入).
NUMBERED_KIND = re.compile(r"(?:[一二三四五六七八九十]{1,3}|[0-9]{1,3})(?:职中|中|小)$")
# Words that name no thing: times, pronouns, adverbs (全年, 各, 逐步).
NAMELESS_TAGS = {"t", "r", "d", "m", "p", "f"}


def _names_or_nothing(before: list[tuple[str, int, int]], words: Lexicons, tags: dict[str, str]) -> bool:
    """Whether the words before a verb end a name (城北二小|并入) or name nothing (全年|主持),
    so that the verb starts a new phrase; in 陵水国际|联合学院 it is part of the name."""
    words_before = "".join(token[0] for token in before)
    if not before or words.head_of(words_before) is not None or NUMBERED_KIND.search(words_before):
        return True
    return all(tags.get(token[0], "") in NAMELESS_TAGS and not token[0].isdigit() for token in before)


def _after_category(name: str, words: Lexicons) -> int:
    """民办学校育英中学: where a name starts after a category written before it as its kind."""
    for at in range(2, len(name) - 1):
        kind = words.head_of(name[:at])
        rest = words.head_of(name[at:])
        if (
            kind is not None
            and rest is not None
            and kind.type == rest.type == "Institution"
            and len(name) - at > len(rest.word)
            and any(_is_category(name[begin:at], kind, words) for begin in range(at - len(kind.word)))
        ):
            return at
    return 0


def _leading_verb(name: str, tags: dict[str, str]) -> int:
    """宣传义务教育法: a law is named by its subject; a verb before it is what is done to it."""
    for length in (2, 1):
        if tags.get(name[:length]) in {"v", "vn"} and len(name) - length >= 4:
            return length
    return 0


def _split_joined_laws(name: str, words: Lexicons) -> list[tuple[int, int]]:
    """教师法职业教育法 → two laws written back to back."""
    for at in range(3, len(name) - 3):
        left, right = words.head_of(name[:at]), words.head_of(name[at:])
        if (
            left is not None
            and right is not None
            and left.word.endswith("法")
            and right.word.endswith("法")
            and len(name) - at > len(right.word)
        ):
            return [(0, at), *[(at + s, at + e) for s, e in _split_joined_laws(name[at:], words)]]
    return [(0, len(name))]


def _split_joined_organisations(name: str, words: Lexicons) -> list[tuple[int, int]]:
    """市教育局与**大学 → two names: 与 joins organisations, but stays inside an effort's name."""
    at = name.find("与")
    if at > 0:
        before = words.head_of(name[:at])
        if before is not None and before.type in {"Bureau", "Institution"}:
            return [
                (0, at),
                *[(at + 1 + s, at + 1 + e) for s, e in _split_joined_organisations(name[at + 1 :], words)],
            ]
    return [(0, len(name))]


def _split_joined_bodies(name: str) -> list[tuple[int, int]]:
    """市委市政府 → 市委, 市政府: bodies written back to back, or joined by 与."""
    if "与" in name:
        at = name.index("与")
        return [(0, at), *[(at + 1 + s, at + 1 + e) for s, e in _split_joined_bodies(name[at + 1 :])]]
    cuts = [0]
    for match in LEVEL_BODY.finditer(name):
        previous = name[cuts[-1] : match.start()]
        body = LEVEL_BODY.search(previous)
        if (
            match.start() > 0
            and body
            and body.end() == len(previous)
            and BODY_PREFIX.match(previous[: body.start()])
        ):
            cuts.append(match.start())
    cuts.append(len(name))
    return list(itertools.pairwise(cuts))


def _acceptable(name: str, head: Head, verb: str, words: Lexicons) -> bool:
    if words.excluded(name, head.type):
        return False
    modifier = name[: len(name) - len(head.word)]
    if not modifier:
        return bool(words.bare_body(name))
    if _is_category(name, head, words):
        return False
    if segmenter().tags.get(modifier) == "v":
        return False  # 领会大会, 推进改革: a verb and its object, not a name
    if head.type == "Policy" and not head.word.endswith(RULE_HEADS) and _ends_in_verb(modifier, words):
        # 逐校制定方案, 对…加以规划: making a plan, not a named one (a rule or mechanism is
        # named by what it does: 作业公示制度)
        return False
    if NUMERAL.match(modifier) and head.type != "Programme" and not FIVE_YEAR_PLAN.fullmatch(modifier):
        return False
    if head.word == "中学" and _effort_name(modifier, words):
        return False  # 在党史学习教育中学在前: 中 closes 在…中, 学 is a verb
    if len(NOT_NAME_CHAR.sub("", modifier)) < head.min_modifier:
        return False
    if head.weak:
        return words.verbs.get(verb) in {"carry", "make"} and verb not in {"形成", "健全", "建立健全"}
    return True


RULE_HEADS = ("制", "制度", "机制")


def _ends_in_verb(modifier: str, words: Lexicons) -> bool:
    tokens = segmenter().tokens(modifier)
    last = tokens[-1][0] if tokens else ""
    return len(last) > 1 and (segmenter().tags.get(last) == "v" or words.verb_role(last) != "")


def _is_category(name: str, head: Head, words: Lexicons) -> bool:
    """A kind of thing, not a named one: the words before the head only classify."""
    modifier = name[: len(name) - len(head.word)]
    return head.type in CATEGORY_TYPES and words.generic(SCOPE.sub("", modifier))


def _effort_name(name: str, words: Lexicons) -> bool:
    """Whether ``name`` names an effort: by its head word, or as a national concept (主题教育)."""
    head = words.head_of(name)
    standalone = _standalone_concepts()[1].get(name)
    return (head.type if head is not None else standalone[1] if standalone else None) in EFFORTS


@cache
def _own_aliases(aliases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(alias) for alias in aliases))


def own_bureau_mentions(
    text: str, start: int, end: int, sentence: int, words: Lexicons, bureau_pattern: re.Pattern[str]
) -> list[Candidate]:
    """The report's own bureau under its other names (局党组, 我局, **市教育局)."""
    found = []
    segment = text[start:end]
    taken: list[tuple[int, int]] = []
    for match in bureau_pattern.finditer(segment):
        span = (start + match.start(), start + match.end())
        taken.append(span)
        found.append(Candidate(*span, _clean(match.group(0)), "Bureau", sentence, False, "", "own"))
    for match in _own_aliases(words.own_bureau).finditer(segment):
        alias = match.group(0)
        span = (start + match.start(), start + match.end())
        if any(s <= span[0] and span[1] <= e for s, e in taken):
            continue
        # 党组 alone is the own Party group only where no other body precedes it.
        if alias == "党组" and match.start() > 0 and segment[match.start() - 1] not in "，,。、；局":
            continue
        taken.append(span)
        found.append(Candidate(*span, alias, "Bureau", sentence, False, "", "own"))
    return found


@cache
def _standalone_concepts() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """The pattern of standalone concepts' variants, and each variant's (concept id, type)."""
    from edukg.ontology.concepts import concepts

    found = {v: (c.id, c.entity_type) for c in concepts() if c.standalone for v in c.variants}
    pattern = re.compile("|".join(re.escape(v) for v in sorted(found, key=len, reverse=True)))
    return pattern, found


@cache
def _official_forms() -> dict[str, tuple[str, ...]]:
    """The concept scheme's names and phrasings of initiatives, by each of their endings."""
    from edukg.ontology.concepts import concepts

    by_ending: dict[str, list[str]] = {}
    for form in {form for c in concepts() for form in (*c.variants, *c.hidden) if len(form) > 3}:
        for cut in range(1, len(form) - 1):
            by_ending.setdefault(form[cut:], []).append(form)
    return {ending: tuple(forms) for ending, forms in by_ending.items()}


def with_official_forms(candidates: list[Candidate], text: str, start: int) -> list[Candidate]:
    """A name that ends an official initiative's name as the report writes it (党委领导下的|校长负责制)
    keeps that written form as an alias."""
    by_ending = _official_forms()
    found = []
    for candidate in candidates:
        for form in by_ending.get(candidate.name, ()) if not candidate.written_with else ():
            if candidate.end - len(form) >= start and text[candidate.end - len(form) : candidate.end] == form:
                candidate = replace(candidate, written_with=form)
                break
        found.append(candidate)
    return found


def concept_mentions(text: str, start: int, end: int, sentence: int) -> list[Candidate]:
    """Standalone national concepts written bare (主题教育, 教育部); two variants joined by quote
    marks into a third (“不忘初心、牢记使命”主题教育) are one mention of it."""
    pattern, found = _standalone_concepts()
    spans: list[tuple[int, int, tuple[str, str]]] = []
    for match in pattern.finditer(text, start, end):
        concept = found[match.group(0)]
        joined = _clean(text[spans[-1][0] : match.end()]) if spans else ""
        if joined in found and not strip_quotes(text[spans[-1][1] : match.start()]):
            spans[-1] = (spans[-1][0], match.end(), found[joined])
        else:
            spans.append((match.start(), match.end(), concept))
    return [
        Candidate(span_start, span_end, _clean(text[span_start:span_end]), kind, sentence, False, "", "")
        for span_start, span_end, (_, kind) in spans
    ]
