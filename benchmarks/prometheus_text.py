"""Reads Prometheus' text exposition format (what /metrics serves) into (name, labels, value) samples, for the scripts
of benchmarks/. Standard library only."""
import re

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse_text(text):
    samples = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        if match:
            labels = dict(LABEL.findall(match.group(2) or ""))
            samples.append((match.group(1), labels, float(match.group(3))))
    return samples


def parse(path):
    with open(path, encoding="utf-8") as page:
        return parse_text(page.read())


def total(samples, name, **where):
    """The sum of the samples of one metric whose labels have the values given."""
    return sum(v for n, labels, v in samples if n == name and all(labels.get(k) == w for k, w in where.items()))


def values(samples, name, label):
    """The values one label takes among the samples of one metric, sorted."""
    return sorted({labels[label] for n, labels, _ in samples if n == name and label in labels})
