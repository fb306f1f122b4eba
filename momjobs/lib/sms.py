"""Text messages: one template each, sent through the transport that settings.SMS_URL names, the
way email goes through EMAIL_URL. Queued after the commit by momjobs/lib/tasks.py queue_sms
(sent from the web process while the broker is down). docs/sms.md.

SMS_URL:
    file:///path/to/folder    one UTF-8 .txt file per message (the demo's "SMS folder")
    console://                printed on stdout
    memory://                 kept in `outbox` (unit tests)
    tencent://SecretId:SecretKey@sms.tencentcloudapi.com/?region=ap-guangzhou&app_id=1400000000&sign=妈妈岗
                              Tencent Cloud SMS, API 2021-01-11 SendSms (parts url-quoted)

templates/sms/<name>.txt gives the whole text, written to the file, console and memory
transports. A provider sends an approved template instead: Tencent gets the template id of
settings.SMS_TEMPLATES and the values PARAMS lists, in that order, from the same context. The
signature (【妈妈岗】) is the provider's to add, so no text here carries it.

The context travels through the broker: strings and numbers only, already formatted for the
recipient (dates as text in her language). build() adds SITE_URL and one derived value:
`interview`, "time，place" from interview_at and interview_place ("无" when there is no
interview), because a provider's template holds one fixed sentence while the text template can
leave the interview out.
"""

import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

# The parameters of each message's provider template, in the order of its {1}, {2}, ...
# Changing a row means submitting the template again for approval (docs/sms.md). No link is a
# parameter: Tencent refuses link variables, so the approved template holds the link to
# 我的申请 as fixed text (the text template takes it from the context's `url`).
PARAMS = {
    "code": ["code", "minutes"],
    "application_status": ["title", "employer", "status_label", "interview"],
    "application_message": ["title", "employer", "message"],
    "posting_closed": ["title", "employer"],
    "posting_taken_down": ["title", "employer", "reason"],
    "follow_up": ["employer", "title", "month"],
}

TENCENT_HOST = "sms.tencentcloudapi.com"
# http:// is accepted only for a fake server on this machine (tests/test_sms.py).
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# memory:// keeps messages here, like Django's locmem mail.outbox.
outbox = []


class SmsError(Exception):
    """The provider refused the message or could not be reached: the task tries again later."""

    def __init__(self, code, message=""):
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self):
        return f"{self.code}: {self.message}" if self.message else self.code


@dataclass(frozen=True)
class Message:
    to: str  # "+8613812345678"
    template: str
    text: str
    params: list = field(default_factory=list)

    def as_text(self):
        return f"To: {self.to}\nTemplate: {self.template}\n\n{self.text}\n"


def international(number):
    """A mainland mobile number as +86 and its 11 digits (momjobs/users/phones.py normalises
    what people type; this only accepts what that gives, with or without +86)."""
    digits = str(number).strip().removeprefix("+86")
    if len(digits) != 11 or not digits.isdigit() or not digits.startswith("1"):
        raise ValueError("not an 11-digit mainland China mobile number")
    return f"+86{digits}"


def _interview(context):
    at, place = context.get("interview_at"), context.get("interview_place")
    if not at:
        return gettext("无")
    if not place:
        return at
    return gettext("%(time)s，%(place)s") % {"time": at, "place": place}


def build(*, to, template, context, language=None):
    if template not in PARAMS:
        raise ValueError(f"SMS template {template!r} has no row in momjobs.lib.sms.PARAMS")
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {**context, "SITE_URL": settings.SITE_URL}
        context.setdefault("interview", _interview(context))
        missing = [name for name in PARAMS[template] if name not in context]
        if missing:
            raise ValueError(f"SMS {template!r} needs {', '.join(missing)} in its context")
        text = " ".join(render_to_string(f"sms/{template}.txt", context, using="text").split())
    params = [str(context[name]) for name in PARAMS[template]]
    return Message(to=international(to), template=template, text=text, params=params)


def send_now(**kwargs):
    message = build(**kwargs)
    transport_from_url(settings.SMS_URL).send(message)
    return message


# -- transports ---------------------------------------------------------------------------------


class FileTransport:
    def __init__(self, folder):
        self.folder = Path(folder)

    def send(self, message):
        self.folder.mkdir(parents=True, exist_ok=True)
        # Names sort by time; the web and the worker may write at the same moment, so a name
        # is claimed with "x" (create, never overwrite).
        stem = f"{timezone.localtime():%Y%m%d-%H%M%S-%f}-{message.to.removeprefix('+86')}"
        for suffix in ["", *(f"-{n}" for n in range(2, 100))]:
            try:
                with open(self.folder / f"{stem}{suffix}.txt", "x", encoding="utf-8") as file:
                    file.write(message.as_text())
                return
            except FileExistsError:
                continue
        raise FileExistsError(f"no free file name for {stem} in {self.folder}")


class ConsoleTransport:
    def send(self, message):
        sys.stdout.write(f"{message.as_text()}{'-' * 60}\n")
        sys.stdout.flush()


class MemoryTransport:
    def send(self, message):
        outbox.append(message)


class TencentTransport:
    """Tencent Cloud SMS through its official SDK, which signs each request (TC3-HMAC-SHA256).
    One try per call: retrying is the Celery task's job."""

    def __init__(self, *, secret_id, secret_key, host, scheme, region, app_id, sign):
        self.secret_id = secret_id
        self._secret_key = secret_key
        self.host = host
        self.scheme = scheme
        self.region = region
        self.app_id = app_id
        self.sign = sign

    def __repr__(self):
        # Never the key: a transport may end up in a traceback or a log.
        return f"<TencentTransport {self.secret_id}@{self.host} app {self.app_id}>"

    def send(self, message):
        # Imported here: only a process that sends through Tencent loads the SDK (and requests).
        from tencentcloud.common.credential import Credential
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import models, sms_client

        template_id = settings.SMS_TEMPLATES.get(message.template)
        if not template_id:
            raise ValueError(f"SMS_TEMPLATES has no template id for {message.template!r}")
        http = HttpProfile(protocol=self.scheme, endpoint=self.host, reqTimeout=10)
        client = sms_client.SmsClient(
            Credential(self.secret_id, self._secret_key),
            self.region,
            ClientProfile(httpProfile=http),
        )
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [message.to]
        request.SmsSdkAppId = self.app_id
        request.SignName = self.sign
        request.TemplateId = template_id
        request.TemplateParamSet = message.params
        try:
            response = client.SendSms(request)
        except TencentCloudSDKException as error:
            # Its code (AuthFailure.SignatureFailure, LimitExceeded..., ClientNetworkError) and
            # message say it all; the SDK's own traceback would only lengthen the task's log.
            detail = f"{error.message} (RequestId {error.requestId})" if error.requestId else ""
            raise SmsError(error.code or "ClientError", detail or error.message) from None
        # One number per request: one status. "Ok" means handed to the carrier.
        statuses = response.SendStatusSet or []
        if not statuses:
            raise SmsError("NoSendStatus", f"RequestId {response.RequestId}")
        if statuses[0].Code != "Ok":
            raise SmsError(
                statuses[0].Code, f"{statuses[0].Message} (RequestId {response.RequestId})"
            )


def parse_url(url):
    """SMS_URL -> (scheme, options); ValueError when it cannot work. Only the standard library
    is used, so settings.py can call this while it loads."""
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "file":
        if not parts.path:
            raise ValueError("SMS_URL file:// needs a folder: file:///path/to/folder")
        return "file", {"folder": unquote(parts.path)}
    if parts.scheme in {"console", "memory"}:
        return parts.scheme, {}
    if parts.scheme == "tencent":
        # Not parts.hostname: the host keeps its port (a test's fake server).
        host = parts.netloc.rpartition("@")[2] or TENCENT_HOST
        options = {
            "secret_id": unquote(parts.username or ""),
            "secret_key": unquote(parts.password or ""),
            "host": host,
            "scheme": query.get("scheme", "https"),
            "region": query.get("region", "ap-guangzhou"),
            "app_id": query.get("app_id", ""),
            "sign": query.get("sign", ""),
        }
        # (Names only in these messages: the URL holds the key.)
        missing = [
            name for name in ("secret_id", "secret_key", "app_id", "sign") if not options[name]
        ]
        if missing:
            raise ValueError(f"SMS_URL tencent:// lacks {', '.join(missing)} (docs/sms.md)")
        if options["scheme"] not in {"https", "http"}:
            raise ValueError("SMS_URL tencent:// scheme= must be https or http")
        if options["scheme"] == "http" and parts.hostname not in LOOPBACK:
            raise ValueError("SMS_URL tencent:// scheme=http is only for a server on 127.0.0.1")
        return "tencent", options
    raise ValueError(f"SMS_URL scheme {parts.scheme!r} is not supported")


TRANSPORTS = {
    "file": FileTransport,
    "console": ConsoleTransport,
    "memory": MemoryTransport,
    "tencent": TencentTransport,
}


def transport_from_url(url):
    scheme, options = parse_url(url)
    return TRANSPORTS[scheme](**options)


def check(url, templates):
    """Called by settings.py: a bad SMS_URL, or a provider without its template ids, stops the
    start (as a bad EMAIL_URL does) instead of the first message."""
    scheme, _ = parse_url(url)
    if scheme == "tencent":
        missing = [name for name in PARAMS if not templates.get(name)]
        if missing:
            names = ", ".join(f"SMS_TEMPLATE_{name.upper()}" for name in missing)
            raise ValueError(f"SMS_URL is tencent:// but {names} is not set (docs/sms.md)")
