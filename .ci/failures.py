#!/usr/bin/env python3
"""The tests that failed, from the TRX files `dotnet test` writes (artifacts/test-results): each one's class and name, with
the first lines of its message. .ci/run prints this just before its closing counts, so a CI log that keeps only its tail
still names what failed and why."""
import glob, sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
FAILED = {"Failed", "Error", "Timeout", "Aborted"}
LINES = 6

for path in sorted(glob.glob(sys.argv[1] if len(sys.argv) > 1 else "artifacts/test-results/*.trx")):
    root = ET.parse(path).getroot()
    classes = {d.get("id"): d.find("t:TestMethod", NS).get("className").rsplit(".", 1)[-1]
               for d in root.iterfind(".//t:UnitTest", NS)}
    for r in root.iterfind(".//t:UnitTestResult", NS):
        if r.get("outcome") not in FAILED:
            continue
        print(f"FAILED {classes.get(r.get('testId'), '?')}.{r.get('testName')} ({r.get('outcome')}, {r.get('duration')})")
        message = r.find("t:Output/t:ErrorInfo/t:Message", NS)
        text = (message.text or "") if message is not None else "(no message)"
        lines = [line.rstrip() for line in text.splitlines() if line.strip()]
        for line in lines[:LINES]:
            print("    " + line[:300])
        if len(lines) > LINES:
            print(f"    … {len(lines) - LINES} more lines in {path}")
