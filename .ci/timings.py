#!/usr/bin/env python3
"""Where the test run's time goes: per test fixture (class), the tests' summed duration and their wall span, from the
TRX files `dotnet test` writes (artifacts/test-results). Summed time over-counts fixtures whose tests run in parallel;
the span (first start to last end) is what the fixture cost the run's wall clock."""
import glob, re, sys
import xml.etree.ElementTree as ET
from datetime import datetime

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}

def when(text):
    # 2026-12-04T06:01:02.1234567+00:00: keep microseconds for fromisoformat
    text = re.sub(r"(\.\d{6})\d*", r"\1", text)
    return datetime.fromisoformat(text)

def seconds(duration):
    h, m, s = duration.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)

rows = {}
for path in sorted(glob.glob(sys.argv[1] if len(sys.argv) > 1 else "artifacts/test-results/*.trx")):
    root = ET.parse(path).getroot()
    classes = {d.get("id"): d.find("t:TestMethod", NS).get("className").rsplit(".", 1)[-1]
               for d in root.iterfind(".//t:UnitTest", NS)}
    for r in root.iterfind(".//t:UnitTestResult", NS):
        if r.get("outcome") == "NotExecuted" or r.get("startTime") is None:
            continue
        name = classes.get(r.get("testId"), "?")
        row = rows.setdefault(name, [0, 0.0, None, None])
        row[0] += 1
        row[1] += seconds(r.get("duration", "0:0:0"))
        start, end = when(r.get("startTime")), when(r.get("endTime"))
        row[2] = start if row[2] is None or start < row[2] else row[2]
        row[3] = end if row[3] is None or end > row[3] else row[3]

print("| fixture | tests run | summed (s) | wall span (s) |")
print("|---|---|---|---|")
for name, (count, total, start, end) in sorted(rows.items(), key=lambda kv: -(kv[1][3] - kv[1][2]).total_seconds())[:15]:
    print(f"| {name} | {count} | {total:.1f} | {(end - start).total_seconds():.1f} |")
