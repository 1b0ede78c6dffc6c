#!/usr/bin/env python3
"""Makes the furigana files beside the Japanese message files.

    pip install pykakasi && python3 tools/furigana.py

For crates/web/locales/ja.ftl and easy.ftl it writes ja.ruby.ftl and easy.ruby.ftl:
every message that has kanji, with each kanji run marked as ｜漢字《かんじ》 (placeables and
kana stay as they are). The server reads only the generated files, so the build and the
tests need neither Python nor pykakasi; a unit test in crates/web/src/i18n.rs fails when
a message file changed and its furigana file was not made again.

Machine readings are checked by eye; a wrong one is fixed in OVERRIDES (word → reading),
never by editing the generated files.
"""
import re
import sys
from pathlib import Path

import pykakasi

LOCALES = Path(__file__).resolve().parent.parent / "crates" / "web" / "locales"

# Words pykakasi reads wrongly in this product's texts.
OVERRIDES = {
    "今日": "きょう",
    "一人": "ひとり",
    "何か": "なにか",
    "操作部品": "そうさぶひん",
    "人の手": "ひとのて",
    "行っていません": "おこなっていません",
}

# Corrections applied to the marked text (context decides these readings).
POSTFIX = [
    ("｜方《ほう》", "｜方《かた》"),  # 〜の方, ある方: a person
    ("｜者《もの》", "｜者《しゃ》"),
    ("｜未《ひつじ》", "｜未《み》"),
    ("｜歳《とし》", "｜歳《さい》"),
    ("｜表《おもて》", "｜表《ひょう》"),
    ("｜行《おこ》に", "｜行《ぎょう》に"),
    ("｜行《おこ》の", "｜行《ぎょう》の"),
    ("か｜所《ところ》", "か｜所《しょ》"),
    ("｜間《ま》の", "｜間《あいだ》の"),
    ("｜勤務日《きんむび》｜数《かず》", "｜勤務日数《きんむにっすう》"),
    ("7｜日《にち》｜以内", "｜7日《なのか》｜以内"),
    ("か｜月《がつ》", "か｜月《げつ》"),
    ("｜月《がつ》の", "｜月《つき》の"),
    # Easy Japanese puts spaces between words, which loses pykakasi some context.
    ("お｜金《きん》", "お｜金《かね》"),
    (r"(^|[ 、。「])｜人《にん》", r"\1｜人《ひと》"),
    (r"(^|[ 、。「])｜日《にち》", r"\1｜日《ひ》"),
    ("の ｜間《かん》", "の ｜間《あいだ》"),
    ("｜行《いっ》と", "｜行《ぎょう》と"),
    ("｜中《あた》", "｜中《なか》"),
    # 〜中 after a word (同意中, 公開中, ログイン中) is ちゅう; の中 stays なか.
    (r"(》|[ァ-ヴー])｜中《なか》", r"\1｜中《ちゅう》"),
    ("｜止《や》められ", "｜止《と》められ"),
    ("｜入《い》る ｜保険", "｜入《はい》る ｜保険"),
]

KANJI = r"[\u3400-\u9fff\uf900-\ufaff々〆ヶ]"
KANJI_RUN = re.compile(f"{KANJI}+")
HEAD = re.compile(r"^([a-zA-Z][a-zA-Z0-9_-]*)(\s*=\s*)(.*)$")

kks = pykakasi.kakasi()


def kata_to_hira(s):
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" and c != "ヶ" else c for c in s)


def mark_word(orig, hira):
    """Marks the kanji runs of one word given the word's whole reading."""
    if not KANJI_RUN.search(orig):
        return orig
    parts = re.split(f"({KANJI}+)", orig)
    pattern = "".join("(.+?)" if KANJI_RUN.fullmatch(p) else re.escape(kata_to_hira(p)) for p in parts if p)
    m = re.fullmatch(pattern, hira)
    if not m:
        return f"｜{orig}《{hira}》"
    out, g = [], 0
    for p in parts:
        if not p:
            continue
        if KANJI_RUN.fullmatch(p):
            g += 1
            out.append(f"｜{p}《{m.group(g)}》")
        else:
            out.append(p)
    return "".join(out)


def mark_text(text):
    """Marks plain text (no placeables)."""
    if not KANJI_RUN.search(text):
        return text
    out = []
    i = 0
    while i < len(text):
        for word in sorted(OVERRIDES, key=len, reverse=True):
            if text.startswith(word, i):
                out.append(mark_word(word, OVERRIDES[word]))
                i += len(word)
                break
        else:
            # Convert the stretch up to the next override word in one go.
            j = i + 1
            while j < len(text) and not any(text.startswith(w, j) for w in OVERRIDES):
                j += 1
            for item in kks.convert(text[i:j]):
                out.append(mark_word(item["orig"], item["hira"]))
            i = j
    return "".join(out)


def mark_line(line):
    """Marks a value line, leaving { placeables } alone."""
    out, depth, buf = [], 0, ""
    for ch in line:
        if ch == "{":
            if depth == 0:
                out.append(mark_text(buf))
                buf = ""
            depth += 1
            buf += ch
        elif ch == "}" and depth:
            depth -= 1
            buf += ch
            if depth == 0:
                out.append(buf)
                buf = ""
        else:
            buf += ch
    out.append(buf if depth else mark_text(buf))
    marked = "".join(out)
    for wrong, right in POSTFIX:
        marked = re.sub(wrong, right, marked)
    return marked


def messages(src):
    """(key, separator, [value lines]) for each message of a Fluent file."""
    msgs, cur = [], None
    for line in src.splitlines():
        m = HEAD.match(line)
        if m:
            cur = (m.group(1), m.group(2), [m.group(3)])
            msgs.append(cur)
        elif cur and (line.startswith(" ") or line == ""):
            cur[2].append(line)
        else:
            cur = None
    return msgs


def make(name):
    src = (LOCALES / f"{name}.ftl").read_text(encoding="utf-8")
    out = [f"# Furigana for {name}.ftl. Made by tools/furigana.py; do not edit by hand.", ""]
    for key, sep, lines in messages(src):
        while lines and lines[-1] == "":
            lines.pop()
        if not any(KANJI_RUN.search(l) for l in lines):
            continue
        out.append(f"{key}{sep}{mark_line(lines[0])}")
        out.extend(mark_line(l) for l in lines[1:])
    (LOCALES / f"{name}.ruby.ftl").write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    for n in sys.argv[1:] or ["ja", "easy"]:
        make(n)
