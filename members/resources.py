"""The roster as an Excel sheet: one row per person and membership, with the Chinese headers offices use.

Import rules (the ones village and town offices asked for):
- a person is the same person when the phone matches (or, without a phone, the name and the place);
- a membership is the same membership when person, organization and joining date match;
- organizations and places must lie in the importing user's scope, or the row is an error;
- any bad row is reported with its number and a Chinese reason, and nothing of the file is saved;
- importing the same file again changes nothing: unchanged rows are skipped, not re-saved.

This module reads the sheet, row by row, in memory; members.services.roster_rows_write then writes the rows that
read well, in batches of a few queries each, with the importing user as the actor, so a sheet is refused by the
same rules as the staff pages (dates in the future, overlapping memberships, places and organizations outside the
user's area) and a 10,000-row file takes seconds. What it refuses is reported on the row, by its Excel number.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from diff_match_patch import diff_match_patch  # type: ignore[import-untyped]
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet, TextChoices
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.results import Result, RowResult

from members.models import (
    Gender,
    Membership,
    MembershipRole,
    Person,
    PoliticalAffiliation,
    Stratum,
)
from members.roster_index import RosterIndex
from members.scoping import memberships_for, phone_visibility_for
from members.services import (
    RosterRow,
    person_changes,
    phone_not_usable_message,
    roster_rows_write,
)
from members.sheet_cells import FormulaSafeExportMixin, unescape_cell
from orgs.models import Organization, Region
from orgs.scoping import organizations_for, regions_for
from portal.accounts.models import User
from portal.phones import mask_phone
from portal.scoping import Action, AnyUser

MOBILE = re.compile(r"^1[3-9]\d{9}$")
PERSON_FIELDS = (
    "name",
    "gender",
    "phone",
    "stratum",
    "occupation",
    "industry",
    "skills",
    "political_affiliation",
    "is_representative",
    "region_id",
)
MEMBERSHIP_FIELDS = ("organization_id", "role", "joined_on", "left_on")


def _chinese(label) -> str:
    # The sheet's vocabulary is Chinese whatever language the admin is shown in.
    with translation.override("zh-hans"):
        return str(label)


class ChoiceLabelWidget(widgets.Widget):
    """A choice column written and read as its Chinese label (自由职业人员, 会长…); codes are accepted too."""

    def __init__(self, choices: type[TextChoices], column: str, *, required: bool, default: str = "") -> None:
        super().__init__()
        self.choices = choices
        self.column = column
        self.required = required
        self.default = default
        self._labels: dict[str, dict[str, str]] = {}
        self._chinese_labels: dict[str, str] = {}

    def _by_label(self) -> dict[str, str]:
        # Per language, once: a 10,000-row sheet spent seconds translating the same labels for every cell.
        language = translation.get_language() or ""
        if language not in self._labels:
            by_label = {_chinese(label): code for code, label in self.choices.choices}
            by_label.update({str(label): code for code, label in self.choices.choices})
            self._labels[language] = by_label
        return self._labels[language]

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            if self.required and not self.default:
                raise ValueError(_("%(column)s不能为空。") % {"column": self.column})
            return self.default
        by_label = self._by_label()
        if text in by_label:
            return by_label[text]
        if text in self.choices.values:
            return text
        options = "、".join(_chinese(label) for label in self.choices.labels)
        raise ValueError(
            _("“%(value)s”不是有效的%(column)s，应为：%(options)s。")
            % {"value": text, "column": self.column, "options": options}
        )

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        if not self._chinese_labels:
            self._chinese_labels = {code: _chinese(label) for code, label in self.choices.choices}
        return self._chinese_labels.get(value) or _chinese(self.choices(value).label)


class YesNoWidget(widgets.Widget):
    YES = ("是", "1", "true", "yes", "y", "√")
    NO = ("否", "0", "false", "no", "n", "")

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = str(value if value is not None else "").strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("%(column)s应填“是”或“否”，而不是“%(value)s”。") % {"column": self.column, "value": value})

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class ChineseDateWidget(widgets.Widget):
    """Dates as Excel gives them (date cells) or as people type them: 2019-02-28, 2019/2/28, 2019年2月28日."""

    PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")

    def __init__(self, column: str, *, required: bool) -> None:
        super().__init__()
        self.column = column
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value if value is not None else "").strip()
        if not text:
            if self.required:
                raise ValueError(_("%(column)s不能为空。") % {"column": self.column})
            return None
        match = self.PATTERN.match(text.split(" ")[0])
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                pass
        raise ValueError(
            _("%(column)s“%(value)s”不是有效日期，请写成 2019-02-28。") % {"column": self.column, "value": text}
        )

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class TextWidget(widgets.Widget):
    def __init__(self, column: str, *, required: bool = False, max_length: int | None = None) -> None:
        super().__init__()
        self.column = column
        self.required = required
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        text = unescape_cell(str(value if value is not None else "")).strip()
        if self.required and not text:
            raise ValueError(_("%(column)s不能为空。") % {"column": self.column})
        if self.max_length and len(text) > self.max_length:
            raise ValueError(_("%(column)s最多 %(max)s 个字。") % {"column": self.column, "max": self.max_length})
        return text

    def render(self, value, obj=None, **kwargs):
        return value or ""


def _column(attribute: str, column: str, widget: widgets.Widget) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widget)


# Column headers, in sheet order. Kept as plain Chinese: the offices' sheets use them as they are.
NAME, GENDER, PHONE, STRATUM, OCCUPATION, INDUSTRY, SKILLS = (
    "姓名",
    "性别",
    "手机号",
    "社会阶层",
    "职业",
    "行业",
    "专长",
)
AFFILIATION, REPRESENTATIVE, REGION, ORGANIZATION, ROLE = "政治面貌", "代表人士", "所在区域", "组织", "职务"
JOINED_ON, LEFT_ON = "入会日期", "退出日期"
# The exported sheet's name, in the same vocabulary (the import reads the first sheet, whatever its name).
SHEET_TITLE = "会员名册"


EXCEL_HEADER_ROWS = 1
# Translated when a cell names no place or organization, not for every row that names one.
REGION_MISSING = gettext_lazy("区域“%(name)s”不存在或不在您的管辖范围内。")
REGION_AMBIGUOUS = gettext_lazy("有不止一个名为“%(name)s”的区域，请写成“上级/%(name)s”。")
ORGANIZATION_MISSING = gettext_lazy("组织“%(name)s”不存在或不在您的管辖范围内。")
ORGANIZATION_AMBIGUOUS = gettext_lazy("有不止一个名为“%(name)s”的组织，请联系区统战部。")


def _found_once(memo: dict, text: str, candidates: Callable[[], QuerySet], *, missing: Promise, ambiguous: Promise):
    """The one row a sheet's cell names, looked up once per file; a name that fits none or several is an error."""
    if text not in memo:
        found = list(candidates()[:2])
        if len(found) == 1:
            memo[text] = found[0]
        else:
            memo[text] = (missing if not found else ambiguous) % {"name": text}
    answer = memo[text]
    if isinstance(answer, str):
        raise ValueError(answer)
    return answer


class RosterDiff(resources.Diff):
    """The preview's cells as import-export shows them, without running a text diff where none is needed: most
    cells of a sheet are unchanged or new (10,000 rows, 14 columns each)."""

    def __init__(self, resource, instance, new):
        if not new:
            super().__init__(resource, instance, new)
            return
        # A new row's cells are all shown as added: the blank instance it starts from is not read (each of its
        # person's columns would raise and catch a missing related object).
        self.left = [""] * len(resource.get_import_fields())
        self.right = []
        self.new = new

    def as_html(self):
        cells = []
        for before, after in zip(self.left, self.right, strict=False):
            old, new = ("" if self.new else force_str(before)), force_str(after)
            if old == new:
                cells.append(format_html("<span>{}</span>", new) if new else "")
            elif not old:
                cells.append(format_html('<ins style="background:#e6ffe6;">{}</ins>', new))
            else:
                cells.append(_text_diff(old, new))
        return cells


def _text_diff(old: str, new: str) -> str:
    differ = diff_match_patch()
    diff = differ.diff_main(old, new)
    differ.diff_cleanupSemantic(diff)
    return mark_safe(differ.diff_prettyHtml(diff))  # noqa: S308 - diff_prettyHtml escapes the text it writes


class RosterResource(FormulaSafeExportMixin, resources.ModelResource):
    """One row per person and membership; the importing or exporting user decides the scope and the phones."""

    name = _column("person__name", NAME, TextWidget(NAME, required=True, max_length=50))
    gender = _column("person__gender", GENDER, ChoiceLabelWidget(Gender, GENDER, required=False))
    phone = _column("person__phone", PHONE, TextWidget(PHONE))
    stratum = _column("person__stratum", STRATUM, ChoiceLabelWidget(Stratum, STRATUM, required=True))
    occupation = _column("person__occupation", OCCUPATION, TextWidget(OCCUPATION, max_length=60))
    industry = _column("person__industry", INDUSTRY, TextWidget(INDUSTRY, max_length=60))
    skills = _column("person__skills", SKILLS, TextWidget(SKILLS, max_length=200))
    political_affiliation = _column(
        "person__political_affiliation",
        AFFILIATION,
        ChoiceLabelWidget(PoliticalAffiliation, AFFILIATION, required=False),
    )
    is_representative = _column("person__is_representative", REPRESENTATIVE, YesNoWidget(REPRESENTATIVE))
    region = _column("person__region", REGION, TextWidget(REGION))
    organization = _column("organization", ORGANIZATION, TextWidget(ORGANIZATION))
    role = _column("role", ROLE, ChoiceLabelWidget(MembershipRole, ROLE, required=False, default=MembershipRole.MEMBER))
    joined_on = _column("joined_on", JOINED_ON, ChineseDateWidget(JOINED_ON, required=True))
    left_on = _column("left_on", LEFT_ON, ChineseDateWidget(LEFT_ON, required=False))

    class Meta:
        model = Membership
        name = gettext_lazy("人员名册（每行一人一会籍）")
        fields = (
            "name",
            "gender",
            "phone",
            "stratum",
            "occupation",
            "industry",
            "skills",
            "political_affiliation",
            "is_representative",
            "region",
            "organization",
            "role",
            "joined_on",
            "left_on",
        )
        import_id_fields = ()
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = False
        # Rows are only read one by one, and written together at the end (after_import): no savepoint per row.
        use_bulk = True

    def __init__(self, *, user: AnyUser | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.user = user
        self._regions: dict[str, Region | str] = {}
        self._organizations: dict[str, Organization | str] = {}
        self._found: dict[int, tuple[Person, Membership]] = {}
        self._before: dict[int, tuple[Person | None, Membership | None, tuple, tuple]] = {}
        self._index = RosterIndex()
        self._rows: list[_SheetRow] = []
        self._import_fields: list[fields.Field] | None = None

    # ---- scope ---------------------------------------------------------------------------------------

    def _require_user(self, user: AnyUser | None) -> AnyUser:
        if user is not None:
            self.user = user
        if self.user is None:
            raise ValueError("RosterResource needs the importing or exporting user.")
        return self.user

    @property
    def importer(self) -> User:
        """The staff member importing the sheet: every row is written as their act."""
        user = self._require_user(None)
        assert isinstance(user, User), "an anonymous visitor does not import rosters"
        return user

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        self._require_user(kwargs.get("user"))
        # One bad row spoils the whole file: offices re-upload a corrected sheet, never patch half an import.
        result = super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )
        # import-export counts data rows from 1; the secretary reads row numbers off Excel, header = row 1.
        for bad_row in [*result.invalid_rows, *result.error_rows]:
            bad_row.number += EXCEL_HEADER_ROWS
        return result

    def before_import(self, dataset, **kwargs) -> None:
        # Everyone the file names, looked up together: per row, these look-ups were most of an import's queries.
        super().before_import(dataset, **kwargs)
        headers = dataset.headers or []
        rows = [dict(zip(headers, values, strict=False)) for values in dataset]
        phones: list[str] = []
        names: list[str] = []
        names_with_phone: list[str] = []
        for row in rows:
            phone, name = self._phone_in(row), self._cell(row, NAME)
            if MOBILE.match(phone):
                phones.append(phone)
                if name:
                    # Someone with this name is this row's person only if they have no phone yet (_find_person).
                    names_with_phone.append(name)
            elif name:
                names.append(name)
        self._index = RosterIndex.load(
            actor=self.importer, phones=phones, names=names, names_of_people_without_phone=names_with_phone
        )

    def get_queryset(self) -> QuerySet[Membership]:
        return memberships_for(self._require_user(None), Action.LIST)

    # ---- export --------------------------------------------------------------------------------------

    def export(self, queryset=None, **kwargs):
        user = self._require_user(kwargs.get("user"))
        scoped = memberships_for(user, Action.LIST)
        if queryset is None:
            queryset = scoped
        elif isinstance(queryset, QuerySet):
            queryset = queryset.filter(pk__in=scoped.values("pk"))
        else:
            allowed = set(scoped.filter(pk__in=[m.pk for m in queryset]).values_list("pk", flat=True))
            queryset = [m for m in queryset if m.pk in allowed]
        if isinstance(queryset, QuerySet):
            queryset = queryset.select_related("person__region", "organization").order_by(
                "organization__name", "person__name", "pk"
            )
        self._phones = phone_visibility_for(user)
        dataset = super().export(queryset=queryset, **kwargs)
        dataset.title = SHEET_TITLE
        return dataset

    def dehydrate_phone(self, membership: Membership) -> str:
        return self._phones.phone_of(membership.person)

    def dehydrate_region(self, membership: Membership) -> str:
        return membership.person.region.name

    def dehydrate_organization(self, membership: Membership) -> str:
        return membership.organization.name

    # ---- import: finding what a row speaks of --------------------------------------------------------

    def _region_named(self, text: str) -> Region:
        """A place in the user's scope by its name, or "上级/名称" when the name alone is ambiguous."""

        def candidates() -> QuerySet[Region]:
            *above, name = [part.strip() for part in re.split(r"[/／]", text) if part.strip()] or [""]
            found = regions_for(self.importer, Action.VIEW).filter(name=name)
            return found.filter(parent__name=above[-1]) if above else found

        return _found_once(self._regions, text, candidates, missing=REGION_MISSING, ambiguous=REGION_AMBIGUOUS)

    def _organization_named(self, text: str) -> Organization:
        return _found_once(
            self._organizations,
            text,
            lambda: organizations_for(self.importer, Action.CHANGE).filter(name=text),
            missing=ORGANIZATION_MISSING,
            ambiguous=ORGANIZATION_AMBIGUOUS,
        )

    @staticmethod
    def _cell(row, column: str) -> str:
        value = row.get(column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # Excel turns 13800001111 into a number
        return unescape_cell(str(value)).strip()

    def _phone_in(self, row) -> str:
        return re.sub(r"[\s-]", "", self._cell(row, PHONE))

    def _find_person(self, row) -> Person | None:
        """The person a row speaks of: by phone, else by name and place; None for someone new."""
        phone = self._phone_in(row)
        name = self._cell(row, NAME)
        if phone and "*" not in phone:
            if not MOBILE.match(phone):
                raise ValidationError({PHONE: _("手机号“%(phone)s”格式不对，应为11位手机号码。") % {"phone": phone}})
            holder = self._index.holding_phone(phone)
            if holder is not None:
                person, changeable = holder
                if not changeable:
                    raise ValidationError({PHONE: phone_not_usable_message()})
                return person
        region_text = self._cell(row, REGION)
        if not (name and region_text):
            return None
        try:
            region = self._region_named(region_text)
        except ValueError:
            return None  # reported with the region column
        same = self._index.named(name, region.pk)
        if phone and "*" not in phone:
            same = [p for p in same if p.phone == ""]  # a known person without a phone is getting one
        candidates = [p for p in same[:5] if "*" not in phone or mask_phone(p.phone) == phone]
        if len(candidates) > 1:
            raise ValidationError(
                {PHONE: _("%(region)s有不止一位%(name)s，请填写手机号以区分。") % {"region": region_text, "name": name}}
            )
        if not candidates and "*" in phone:
            raise ValidationError({PHONE: _("手机号被遮挡，无法登记新人员，请填写完整号码。")})
        return candidates[0] if candidates else None

    def get_instance(self, instance_loader, row):
        try:
            person = self._find_person(row)
            organization = self._organization_named(self._cell(row, ORGANIZATION))
            joined_on = self.fields["joined_on"].clean(row)
        except (ValueError, ValidationError):
            return None  # import_instance reports why
        if person is None:
            return None
        found = self._index.membership(person=person, organization_id=organization.pk, joined_on=joined_on)
        if found is None:
            return None
        # The row is applied to copies: the index's objects change only once the row has passed (save_instance).
        instance = copy.copy(found)
        instance.person = copy.copy(person)
        self._found[id(instance)] = (person, found)
        return instance

    def get_diff_class(self):
        return RosterDiff

    def get_import_fields(self):
        # The same for every row; import-export works them out again up to four times a row.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def init_instance(self, row=None) -> Membership:
        return Membership()

    # ---- import: applying a row ----------------------------------------------------------------------

    def import_instance(self, instance: Membership, row, **kwargs) -> None:
        errors: dict[str, list[str]] = {}

        def fail(column: str, message) -> None:
            errors.setdefault(column, []).append(str(message))

        known: Person | None
        found = self._found.pop(id(instance), None)
        existing = found is not None
        if found is not None:
            known, span = found
            person = instance.person
        else:
            span = None
            try:
                known = self._find_person(row)
            except ValidationError as error:
                for column, messages in error.message_dict.items():
                    for message in messages:
                        fail(column, message)
                known = None
            person = copy.copy(known) if known is not None else Person()
            instance.person = person
        self._before[id(instance)] = (
            known,
            span,
            _snapshot(person, PERSON_FIELDS),
            _snapshot(instance, MEMBERSHIP_FIELDS),
        )

        for field in self.get_import_fields():
            column = field.column_name
            if column not in row:
                continue
            try:
                if column == REGION:
                    self._apply_region(person, row)
                elif column == ORGANIZATION:
                    if not existing:
                        instance.organization = self._organization_named(self._cell(row, ORGANIZATION))
                elif column == PHONE:
                    self._apply_phone(person, row)
                else:
                    field.save(instance, row, **kwargs)
            except (ValueError, ValidationError) as error:
                fail(column, error.messages[0] if isinstance(error, ValidationError) else error)

        if person.pk is None and REGION not in errors and person.region_id is None:
            fail(REGION, _("新登记的人员必须填写所在区域。"))
        if ORGANIZATION not in row or (
            not existing and instance.organization_id is None and ORGANIZATION not in errors
        ):
            fail(ORGANIZATION, _("组织不能为空。"))
        if errors:
            raise ValidationError(errors)

    def _apply_region(self, person: Person, row) -> None:
        text = self._cell(row, REGION)
        if not text:
            if person.pk is None:
                raise ValueError(_("所在区域不能为空。"))
            return
        # A member living outside the importer's area keeps their place: the sheet exported it as it is.
        if person.pk is not None and person.region.name == text:
            return
        person.region = self._region_named(text)

    def _apply_phone(self, person: Person, row) -> None:
        phone = self._phone_in(row)
        # Empty or masked (an export for someone who may not see phones) means "leave the phone as it is".
        if not phone or "*" in phone:
            return
        if not MOBILE.match(phone):
            raise ValueError(_("手机号“%(phone)s”格式不对，应为11位手机号码。") % {"phone": phone})
        person.phone = phone

    def save_instance(self, instance: Membership, is_create: bool, row, **kwargs) -> None:
        """Keeps the row for the write at the end; later rows of the file find what it registers or changes."""
        known, span, person_before, _membership_before = self._before.pop(id(instance))
        person = instance.person
        values = {_profile_name(name): getattr(person, _profile_name(name)) for name in PERSON_FIELDS}
        if known is None:
            # Someone new: this object names them to the service and to later rows of the file.
            known = copy.copy(person)
            profile = person_changes(values)
        else:
            profile = person_changes(
                {
                    _profile_name(name): values[_profile_name(name)]
                    for name in _changed(person, person_before, PERSON_FIELDS)
                }
            )
        if span is None:
            span = copy.copy(instance)
        self._index.staged(person=known, values=person, membership=span, span_values=instance)
        self._rows.append(
            _SheetRow(
                number=kwargs["row_number"],
                cells=row,
                instance=instance,
                write=RosterRow(
                    person=known,
                    profile=profile,
                    membership=span,
                    organization=instance.organization,
                    role=instance.role,
                    joined_on=instance.joined_on,
                    left_on=instance.left_on,
                ),
            )
        )

    def after_import_row(self, row, row_result: RowResult, **kwargs) -> None:
        if self._rows and self._rows[-1].number == kwargs.get("row_number") and self._rows[-1].result is None:
            self._rows[-1].result = row_result

    def after_import(self, dataset, result: Result, **kwargs) -> None:
        """Writes the rows that read well; a row the services refuse is reported as the rows read badly are.

        Also when some rows read badly, so that the preview lists every refused row: nothing of such a file stays
        (import_data rolls it back)."""
        if self._rows:
            self._write(result)
        super().after_import(dataset, result, **kwargs)

    def _write(self, result: Result) -> None:
        written = roster_rows_write(rows=[sheet_row.write for sheet_row in self._rows], actor=self.importer)
        for sheet_row, outcome in zip(self._rows, written, strict=True):
            row_result = sheet_row.result
            assert row_result is not None
            if outcome.error is not None:
                error = _in_columns(outcome.error)
                result.totals[row_result.import_type] -= 1
                result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
                row_result.import_type = RowResult.IMPORT_TYPE_INVALID
                row_result.validation_error = error
                result.append_invalid_row(sheet_row.number, sheet_row.cells, error)
                continue
            assert outcome.membership is not None and outcome.person is not None
            sheet_row.instance.pk = outcome.membership.pk
            sheet_row.instance._state.adding = False
            sheet_row.instance.person.pk = outcome.person.pk
            row_result.object_id = outcome.membership.pk
        result.invalid_rows.sort(key=lambda bad_row: bad_row.number)


@dataclass
class _SheetRow:
    """A row that read well, kept for the write: where it is in the file, its cells, and what it asks."""

    number: int
    cells: dict
    instance: Membership
    write: RosterRow
    result: RowResult | None = None


# What the services call a field, as the sheet's column; what has no column goes above the row.
COLUMN_OF = {
    "name": NAME,
    "gender": GENDER,
    "phone": PHONE,
    "stratum": STRATUM,
    "occupation": OCCUPATION,
    "industry": INDUSTRY,
    "skills": SKILLS,
    "political_affiliation": AFFILIATION,
    "is_representative": REPRESENTATIVE,
    "region": REGION,
    "organization": ORGANIZATION,
    "role": ROLE,
    "joined_on": JOINED_ON,
    "left_on": LEFT_ON,
}


def _in_columns(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return ValidationError({NON_FIELD_ERRORS: error.messages})
    by_column: dict[str, list[str]] = {}
    for field, errors in error.message_dict.items():
        by_column.setdefault(COLUMN_OF.get(field, NON_FIELD_ERRORS), []).extend(errors)
    return ValidationError(by_column)


def _profile_name(name: str) -> str:
    return name.removesuffix("_id")


def _snapshot(obj, names: Iterable[str]) -> tuple:
    return tuple(getattr(obj, name) for name in names)


def _changed(obj, before: tuple, names: tuple[str, ...]) -> list[str]:
    return [
        name.removesuffix("_id") if name.endswith("_id") else name
        for name, old in zip(names, before, strict=True)
        if getattr(obj, name) != old
    ]
