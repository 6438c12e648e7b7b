"""Reproducible, realistic Chinese names: a seeded draw from common surnames and common given names."""

from __future__ import annotations

import random

from members.models import Gender

# Common surnames; the most frequent are repeated so that they come up as often as they do in Zhejiang.
SURNAMES = (
    "王王王李李李张张张陈陈陈刘刘杨杨黄黄吴吴周周徐徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董程曹袁"
    "邓许傅沈沈曾彭吕苏卢蒋蔡丁魏薛叶叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹金金陆孔白崔毛邱秦江"
    "史顾侯邵孟章钱汤尹黎常武乔贺赖龚楼俞应裘屠虞施翁严华"
)

# Given names as people actually carry them, one or two characters, separated by spaces for legibility.
MALE_GIVEN_NAMES = tuple(
    " ".join(
        (
            "建国 志强 伟 海涛 俊杰 晓东 立新 文斌 浩然 宇航 子轩 一鸣 思远 嘉豪 明辉 国华 永康 建军",
            "振宇 鹏飞 天宇 家乐 博文 泽宇 晨阳 俊豪 正阳 旭东 斌 磊 强 军 涛 勇 杰 晨 昊 宁远 承志",
            "志刚 建平 海峰 立华 锦程 逸飞 云峰 睿 哲 亦凡 启明 德明 少华 春雷 海波 伟民 新民 卫东",
            "晓峰 永强 文杰 家豪 志远 鑫",
        )
    ).split()
)
FEMALE_GIVEN_NAMES = tuple(
    " ".join(
        (
            "丽华 晓燕 静 婷婷 雨桐 思琪 佳怡 欣悦 梦瑶 雅琴 秀英 美玲 慧敏 丹 洁 颖 倩 文静 晓雯",
            "海燕 春燕 雪梅 玉兰 晓红 琳 莉 芳 敏 婧 雨晴 可欣 子涵 诗涵 若曦 悦 怡然 梓萱 书瑶",
            "一诺 心怡 嘉欣 婉婷 玉洁 丽君 艳 晶晶 露 菲 岚 薇 蓉 馨 雅 佳琪 晓丽 蕾 燕 霞 红梅",
            "素芬 亚楠 思雨 静怡",
        )
    ).split()
)


class NameGenerator:
    """Names that do not repeat within one generator; the same seed always gives the same sequence."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def gender(self) -> str:
        return self._rng.choice((Gender.MALE, Gender.FEMALE))

    def name(self, gender: str) -> str:
        given_names = MALE_GIVEN_NAMES if gender == Gender.MALE else FEMALE_GIVEN_NAMES
        for _attempt in range(500):
            name = self._rng.choice(SURNAMES) + self._rng.choice(given_names)
            if name not in self._used:
                self._used.add(name)
                return name
        raise RuntimeError("The name lists are too short for this many people.")

    def reserve(self, name: str) -> None:
        """Keep a fixed name (a foreign observer's, say) from being drawn for someone else."""
        self._used.add(name)
