from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    CATERING = "catering", _("餐饮服务")
    DOMESTIC = "domestic", _("家政服务")
    SECURITY = "security", _("安保服务")
    RETAIL = "retail", _("零售")
    CUSTOMER_SERVICE = "customer_service", _("客户服务")
    ECOMMERCE = "ecommerce", _("电商直播")
    HANDICRAFT = "handicraft", _("手工制作")
    CONTENT = "content", _("新媒体内容")
    CHILDCARE = "childcare", _("托育与教育")
    CLEANING = "cleaning", _("保洁物业")
    HEALTHCARE = "healthcare", _("健康养老")
    MANUFACTURING = "manufacturing", _("加工制造")
    LOGISTICS = "logistics", _("物流配送")
    OTHER = "other", _("其他")


class WorkForm(models.TextChoices):
    FULL_TIME = "full_time", _("全日制")
    PART_TIME = "part_time", _("非全日制")
    HOURLY = "hourly", _("小时工")
    PIECE_RATE = "piece_rate", _("计件")
    HOME_BASED = "home_based", _("居家灵活就业")


class Place(models.TextChoices):
    ON_SITE = "on_site", _("到岗工作")
    HOME = "home", _("居家工作")
    HYBRID = "hybrid", _("到岗与居家结合")


class PayUnit(models.TextChoices):
    HOUR = "hour", _("元/小时")
    DAY = "day", _("元/天")
    MONTH = "month", _("元/月")
    PIECE = "piece", _("元/件")


class Contract(models.TextChoices):
    LABOUR = "labour", _("劳动合同")
    PART_TIME_AGREEMENT = "part_time_agreement", _("非全日制书面协议")
    SERVICE = "service", _("劳务/服务协议")
    NOT_STATED = "not_stated", _("未注明")


class Insurance(models.TextChoices):
    FULL = "full", _("五险（社会保险齐全）")
    INJURY_ONLY = "injury_only", _("仅工伤保险")
    ACCIDENT_ONLY = "accident_only", _("仅商业意外险")
    NONE = "none", _("无社会保险")
    NOT_STATED = "not_stated", _("未注明")


class EmployerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    INDIVIDUAL = "individual", _("个体工商户")
    INSTITUTION = "institution", _("事业单位")
    SOCIAL = "social", _("社会组织")


class EmployerSize(models.TextChoices):
    MICRO = "micro", _("20人以下")
    SMALL = "small", _("20-99人")
    MEDIUM = "medium", _("100-499人")
    LARGE = "large", _("500人以上")
