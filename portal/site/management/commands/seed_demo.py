"""python manage.py seed_demo — loads the demo data built from the seeds; running it again changes nothing."""

import unicodedata

from django.core.management.base import BaseCommand

from portal.site.demo.accounts import DEMO_PASSWORD
from portal.site.demo.loader import DemoLogin, seed_demo


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _row(cells: tuple[str, ...], widths: list[int]) -> str:
    return "  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(cells, widths, strict=True)).rstrip()


class Command(BaseCommand):
    help = "Loads the demo data of the seeds （青山同心荟，鹿城，天目共富联盟…） and prints the logins."

    def handle(self, *args, **options) -> None:
        result = seed_demo()
        if result.created:
            created = "、".join(f"{label} {number}" for label, number in result.created.items())
            self.stdout.write(self.style.SUCCESS(f"演示数据已载入，新建：{created}。"))
        else:
            self.stdout.write(self.style.SUCCESS("演示数据已是最新，没有新建任何记录。"))
        self._print_logins(result.logins)

    def _print_logins(self, logins: list[DemoLogin]) -> None:
        header = ("角色", "用户名", "登录入口")
        featured = [(login.role, login.username, login.where) for login in logins if login.featured]
        others = [(login.role, login.username, login.where) for login in logins if not login.featured]
        widths = [max(_width(row[i]) for row in [header, *featured, *others]) for i in range(len(header))]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"演示账号（密码都是 {DEMO_PASSWORD}，只用于本地演示数据）"))
        self.stdout.write(_row(header, widths))
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in featured:
            self.stdout.write(_row(row, widths))
        if others:
            self.stdout.write("")
            self.stdout.write("其他演示账号，密码相同：")
            for row in others:
                self.stdout.write(_row(row, widths))
        self.stdout.write("")
        self.stdout.write(
            "工作人员在 /accounts/login/ 用用户名和密码登录，区、镇统战干部和超级管理员也可进入 /admin/；"
            "会员在 /accounts/phone/ 输入手机号，验证码写在服务器日志里。"
        )
