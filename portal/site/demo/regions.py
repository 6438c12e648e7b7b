"""The places of the demo: the districts named in the seeds are roots (no province above them).

Each node is (name, level, children). A place is referred to elsewhere by its path of names, such as
("余杭区", "黄湖镇", "青山村"), because names are unique only under their parent.
"""

from __future__ import annotations

from orgs.models import RegionLevel

D, T = RegionLevel.DISTRICT, RegionLevel.TOWN
V, C, P = RegionLevel.VILLAGE, RegionLevel.COMMUNITY, RegionLevel.PARK

RegionNode = tuple[str, str, tuple["RegionNode", ...]]


def _leaves(level: str, *names: str) -> tuple[RegionNode, ...]:
    return tuple((name, level, ()) for name in names)


REGION_TREE: tuple[RegionNode, ...] = (
    # Seed 000: 全国首个“未来乡村实验区”落在余杭区黄湖镇青山村.
    ("余杭区", D, (("黄湖镇", T, _leaves(V, "青山村", "王位山村", "赐璧村", "虎山村")),)),
    # Seed 001: 温州市鹿城区, 14 个镇(街), 17 个同心荟.
    (
        "鹿城区",
        D,
        (
            ("五马街道", T, ()),
            ("松台街道", T, ()),
            ("南汇街道", T, ()),
            ("滨江街道", T, ()),
            ("双屿街道", T, ()),
            ("大南街道", T, ()),
            ("七都街道", T, ()),
            ("藤桥镇", T, ()),
        ),
    ),
    # Seed 003: 临安区“天目共富联盟”结对 13 个村集体, 龙岗镇望湖村是其中之一.
    (
        "临安区",
        D,
        (
            ("龙岗镇", T, _leaves(V, "望湖村", "新溪村")),
            ("太湖源镇", T, _leaves(V, "白沙村")),
            ("清凉峰镇", T, _leaves(V, "杨溪村")),
        ),
    ),
    # Seed 004: 昆明市西山区, 弥勒寺公园“弥里有乐”文创园区.
    ("西山区", D, (("金碧街道", T, (*_leaves(C, "弥勒寺社区"), *_leaves(P, "弥里有乐文创园区"))),)),
    # Seed 002: 宁波的全域党建联盟 (optional, small).
    (
        "鄞州区",
        D,
        (
            ("福明街道", T, ()),
            ("首南街道", T, ()),
        ),
    ),
    ("慈溪市", D, (("匡堰镇", T, _leaves(V, "倡隆村", "乾炳村", "岗墩村")),)),
)


def walk(nodes: tuple[RegionNode, ...] = REGION_TREE, parent: tuple[str, ...] = ()):
    """Yields (path of names, level), parents before children."""
    for name, level, children in nodes:
        path = (*parent, name)
        yield path, level
        yield from walk(children, path)
