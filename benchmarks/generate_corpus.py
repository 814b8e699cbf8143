#!/usr/bin/env python3
"""Deterministic generator of a Chinese report corpus for zhibiao's input benchmarks.

Writes N report files (default 10,000) of realistic report text -- headings, sentences
with money, percentages, counts, measures, ranges, qualifiers, Chinese numerals, and
traps (years, ordinals, codes), at about the density of real reports (one indicator
in ~200 bytes) -- into DIR/rNNN/report_NNNNN.txt. A few files are large
(--large of --large-mb each; the last one is a single line without any newline), some
use CRLF line ends and some are GB18030, as real collections do. Same flags, same bytes:
the seed is fixed.

    python3 benchmarks/generate_corpus.py /tmp/corpus                  # ~50 MB, quick
    python3 benchmarks/generate_corpus.py /tmp/corpus --total-mb 2000  # ~2 GB, 4 files of 40 MB

Python 3 standard library only.
"""
import argparse
import os
import random
import sys

REGIONS = ["全区", "全市", "全县", "全省", "本镇", "高新区", "开发区", "我市", "全街道"]
SUBJECTS = ["地区生产总值", "一般公共预算收入", "固定资产投资", "社会消费品零售总额", "规模以上工业增加值",
            "城镇居民人均可支配收入", "农村居民人均可支配收入", "进出口总额", "实际利用外资", "税收收入",
            "粮食总产量", "新增城镇就业", "居民消费价格", "研发经费投入", "民生支出", "财政支出",
            "惠企政策资金", "涉及金额", "新增贷款", "旅游总收入"]
COUNTED = [("受理各类矛盾纠纷", "宗"), ("成功调处", "宗"), ("新建学校", "所"), ("新增市场主体", "户"),
           ("开展普法活动", "场"), ("培训干部", "人次"), ("办理案件", "件"), ("引进项目", "个"),
           ("配备法律顾问", "名"), ("新增高新技术企业", "家"), ("帮扶困难群众", "人"), ("审批事项", "项")]
MEASURES = [("新建改建农村公路", "公里"), ("完成植树造林", "亩"), ("新增绿地", "平方米"), ("粮食产量", "吨"),
            ("全社会用电量", "千瓦时"), ("污水处理能力", "吨"), ("建成高标准农田", "万亩")]
RATES = ["一次性化解率", "纠纷化解率", "增长率", "覆盖率", "达标率", "满意度", "城镇化率", "森林覆盖率"]
CN_DIGITS = "零一二三四五六七八九"
FILLER = ["坚持以人民为中心的发展思想", "深入贯彻落实上级决策部署", "持续优化营商环境", "扎实推进乡村振兴",
          "统筹发展和安全", "着力保障和改善民生", "不断提升治理效能", "加快建设现代化产业体系",
          "全面加强法治政府建设", "稳步推进重点项目建设", "切实抓好安全生产", "深化重点领域改革"]


def chinese_numeral(n):
    """Small integers as Chinese numerals (up to 9999)."""
    if n < 10:
        return CN_DIGITS[n]
    out = ""
    for value, name in ((1000, "千"), (100, "百"), (10, "十")):
        d = n // value
        if d:
            out += ("" if (value == 10 and d == 1 and not out) else CN_DIGITS[d]) + name
        elif out and n % value:
            if not out.endswith("零"):
                out += "零"
        n %= value
    if n:
        out += CN_DIGITS[n]
    return out


def amount(rng):
    r = rng.random()
    if r < 0.4:
        return "%.2f亿元" % rng.uniform(0.5, 900)
    if r < 0.7:
        return "%d万元" % rng.randint(10, 99999)
    if r < 0.8:
        return "%s万元" % chinese_numeral(rng.randint(11, 9999))
    if r < 0.9:
        return "%d,%03d.%d万元" % (rng.randint(1, 99), rng.randint(0, 999), rng.randint(0, 9))
    return "%d余万元" % rng.randint(100, 9000)


def sentence(rng):
    k = rng.random()
    region = rng.choice(REGIONS)
    year = rng.choice(["2022", "2023", "2024"])
    if k < 0.10:
        s = "%s年%s%s完成%s，同比增长%.1f%%" % (year, region, rng.choice(SUBJECTS), amount(rng), rng.uniform(-3, 15))
    elif k < 0.17:
        label, unit = rng.choice(COUNTED)
        s = "%s%s%d%s" % (rng.choice(["共", "累计", "全年", ""]), label, rng.randint(3, 20000), unit)
        if rng.random() < 0.5:
            s += "，%s%.2f%%" % (rng.choice(RATES), rng.uniform(60, 100))
    elif k < 0.21:
        label, unit = rng.choice(MEASURES)
        s = "%s%s%s%d%s" % (region, label, rng.choice(["约", "超", "近", ""]), rng.randint(5, 90000), unit)
    elif k < 0.23:
        lo = rng.randint(1, 50)
        s = "每户补助%d至%d万元，比上年提高%d个百分点" % (lo, lo + rng.randint(1, 30), rng.randint(1, 9))
    elif k < 0.26:
        s = "召开第%s次常务会议，审议通过“%d+%d”工作方案" % (chinese_numeral(rng.randint(1, 60)), rng.randint(1, 9), rng.randint(1, 9))
    else:
        s = "，".join(rng.choice(FILLER) for _ in range(rng.randint(2, 4)))
    return s + rng.choice(["。", "。", "。", "；", "！"])


def paragraph(rng, pool):
    return "".join(rng.choice(pool) for _ in range(rng.randint(2, 8)))


def document(rng, pool, size, newline="\n", single_line=False):
    parts, total = ["%s%s年政府工作报告" % (rng.choice(REGIONS), rng.choice(["2023", "2024"]))], 0
    chapter = 0
    while total < size:
        if not single_line and rng.random() < 0.08:
            chapter += 1
            p = "%s、%s" % (chinese_numeral(chapter), rng.choice(FILLER))
        else:
            p = paragraph(rng, pool)
        parts.append(p)
        total += len(p.encode("utf-8")) + 1
    return ("" if single_line else newline).join(parts) + ("" if single_line else newline)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", help="output folder (created)")
    ap.add_argument("--files", type=int, default=10000, help="number of report files (default 10000)")
    ap.add_argument("--total-mb", type=float, default=50, help="approximate corpus size in MB (default 50)")
    ap.add_argument("--large", type=int, default=4, help="number of large files (default 4)")
    ap.add_argument("--large-mb", type=float, default=None,
                    help="size of each large file in MB (default: total/50, at most 40)")
    ap.add_argument("--seed", type=int, default=20240601, help="random seed (default fixed)")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    pool = [sentence(rng) for _ in range(20000)]
    total = args.total_mb * 1e6
    large_mb = args.large_mb if args.large_mb is not None else min(40.0, args.total_mb / 50)
    large = min(args.large, args.files)
    small_total = max(0.0, total - large * large_mb * 1e6)
    mean_small = small_total / max(1, args.files - large)
    # Large files at fixed, spread-out positions in the sorted order.
    large_at = {int((i + 0.5) * args.files / large) for i in range(large)} if large else set()
    written = 0
    for k in range(args.files):
        folder = os.path.join(args.dir, "r%03d" % (k // 100))
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "report_%05d.txt" % k)
        if k in large_at:
            last_large = k == max(large_at)
            text = document(rng, pool, large_mb * 1e6, single_line=last_large)
            encoding, newline = "utf-8", "\n"
        else:
            size = max(300.0, rng.lognormvariate(0, 0.8) * mean_small / 1.377)   # mean of lognormal(0, .8) = 1.377
            newline = "\r\n" if rng.random() < 0.05 else "\n"
            text = document(rng, pool, size, newline=newline)
            encoding = "gb18030" if rng.random() < 0.02 else "utf-8"
        data = text.encode(encoding)
        with open(path, "wb") as f:
            f.write(data)
        written += len(data)
    print("%d files, %.1f MB in %s" % (args.files, written / 1e6, args.dir), file=sys.stderr)


if __name__ == "__main__":
    main()
