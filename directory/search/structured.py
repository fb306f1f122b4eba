"""schema.org JobPosting for a posting page, and the Open Graph card for chat apps."""

import json

from employers.choices import PayUnit, Place, WorkForm
from momjobs.lib.links import absolute_url

EMPLOYMENT_TYPES = {
    WorkForm.FULL_TIME: ["FULL_TIME"],
    WorkForm.PART_TIME: ["PART_TIME"],
    WorkForm.HOURLY: ["PART_TIME", "PER_DIEM"],
    WorkForm.PIECE_RATE: ["CONTRACTOR"],
    WorkForm.HOME_BASED: ["PART_TIME", "CONTRACTOR"],
}
UNIT_TEXT = {PayUnit.HOUR: "HOUR", PayUnit.DAY: "DAY", PayUnit.MONTH: "MONTH"}


def _region_names(region):
    names = []
    node = region
    while node is not None:
        names.append(node.name)
        node = node.parent
    names.reverse()
    province = names[0] if names else ""
    locality = names[1] if len(names) > 1 else province
    return province, locality


def job_posting(posting, schedule_text):
    province, locality = _region_names(posting.region)
    url = absolute_url(posting)
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.description
        + (f"\n{posting.requirements}" if posting.requirements else ""),
        "identifier": {"@type": "PropertyValue", "name": "momjobs", "value": str(posting.pk)},
        "url": url,
        "datePosted": (posting.published_at or posting.created_at).date().isoformat(),
        "employmentType": EMPLOYMENT_TYPES.get(posting.work_form, ["OTHER"]),
        "hiringOrganization": {"@type": "Organization", "name": posting.employer.name},
        "totalJobOpenings": posting.openings,
        "workHours": schedule_text,
        "industry": posting.get_sector_display(),
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "CNY",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": float(posting.pay_min),
                "maxValue": float(posting.pay_max),
                "unitText": UNIT_TEXT.get(posting.pay_unit, "PIECE"),
            },
        },
    }
    if posting.valid_through:
        data["validThrough"] = posting.valid_through.isoformat() + "T23:59:59+08:00"
    address = {
        "@type": "PostalAddress",
        "addressCountry": "CN",
        "addressRegion": province,
        "addressLocality": locality,
    }
    if posting.address:
        address["streetAddress"] = posting.address
    if posting.place == Place.HOME:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {
            "@type": "AdministrativeArea",
            "name": posting.region.full_name,
        }
    else:
        data["jobLocation"] = {"@type": "Place", "address": address}
    return data


def as_script_json(data):
    # Safe inside <script>: no "</script>", "<!--" or "&" can close or confuse the element.
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
