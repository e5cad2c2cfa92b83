"""edXML elements as JSON and back: one mapping both ways, so what we read and what we write agree.

An element with children becomes a dict of its children by local name, a leaf its
stripped text. ``To``, ``ResponseFor`` and ``TraceHeader`` may repeat and are always
lists; the list containers (``ToPlaces``/``Place``, ...) become plain lists.
"""

import xml.etree.ElementTree as ET

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PREFIX = "edXML"

REPEATED = {"To", "ResponseFor", "TraceHeader"}
CONTAINERS = {
    "ToPlaces": "Place", "Appendixes": "Appendix", "ReceiverList": "Receiver",
    "ReplacementInfoList": "ReplacementInfo", "OrganIdList": "OrganId",
}


def local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def children(element, name=None) -> list:
    """Child elements (by local name when given), comments and processing instructions left out."""
    return [c for c in element if local(c.tag) and (name is None or local(c.tag) == name)]


def child(element, name):
    found = children(element, name) if element is not None else []
    return found[0] if found else None


def to_json(element):
    name = local(element.tag)
    kids = children(element)
    if name in CONTAINERS:
        return [to_json(c) for c in kids]
    if not kids:
        return (element.text or "").strip()
    result = {}
    for kid in kids:
        key = local(kid.tag)
        if key in REPEATED:
            result.setdefault(key, []).append(to_json(kid))
        else:
            result.setdefault(key, to_json(kid))  # the first of an unexpected repeat wins
    return result


def text(data, *path) -> str:
    """The string at data[path[0]][path[1]]...; "" when missing or not a leaf."""
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, str) else ""


def append(parent, name, value, prefix=PREFIX, attrs=None):
    """Write value (str, dict, or list for REPEATED/CONTAINERS names) as element(s) `name` under parent."""
    tag = f"{prefix}:{name}" if prefix else name
    if name in REPEATED and isinstance(value, list):
        for item in value:
            append(parent, name, item, prefix)
        return
    node = ET.SubElement(parent, tag, attrs or {})
    if name in CONTAINERS:
        for item in value:
            append(node, CONTAINERS[name], item, prefix)
    elif isinstance(value, dict):
        for key, item in value.items():
            append(node, key, item, prefix)
    else:
        node.text = str(value)
