"""Text messages (momjobs/lib/sms.py): what each SMS_URL transport does with a message, the text
templates, queuing after the commit, and Tencent Cloud SMS against a fake server on this
machine that checks requests the way Tencent documents them (API 2021-01-11 SendSms, signature
v3 TC3-HMAC-SHA256), with the signature recomputed here, independently of the SDK.
"""

import hashlib
import hmac
import json
import logging
import pickle
import re
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from momjobs.lib import sms
from momjobs.lib.tasks import queue_sms, send_sms
from tests.services import free_port

ROOT = Path(__file__).resolve().parent.parent

CODE = {"code": "123456", "minutes": 5}
STATUS = {
    "title": "社区早餐帮厨",
    "employer": "青岛市南区好邻居餐饮",
    "status_label": "邀请面试",
    "interview_at": "2026-12-08 10:00",
    "interview_place": "香港中路1号",
    "url": "https://momjobs.example.cn/applications/",
}


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


# -- building a message -------------------------------------------------------------------------


def test_code_message():
    message = sms.build(to="13800000000", template="code", context=CODE)
    assert message.to == "+8613800000000"
    assert message.text == "验证码 123456，5分钟内有效。请勿告诉他人。"
    assert message.params == ["123456", "5"]


def test_application_status_with_and_without_an_interview():
    message = sms.build(to="+8613800000000", template="application_status", context=STATUS)
    assert message.text == (
        "您申请的「社区早餐帮厨」（青岛市南区好邻居餐饮）状态：邀请面试。"
        "面试：2026-12-08 10:00，香港中路1号。查看：https://momjobs.example.cn/applications/"
    )
    assert message.params == [
        "社区早餐帮厨",
        "青岛市南区好邻居餐饮",
        "邀请面试",
        "2026-12-08 10:00，香港中路1号",
    ]
    viewed = {**STATUS, "status_label": "已查看", "interview_at": "", "interview_place": ""}
    message = sms.build(to="13800000000", template="application_status", context=viewed)
    assert "面试" not in message.text
    assert message.text.endswith("状态：已查看。查看：https://momjobs.example.cn/applications/")
    assert message.params[3] == "无"  # the provider's template has a fixed place for it


def test_text_is_plain_and_one_line():
    context = {**STATUS, "title": "A&B <帮厨>\n夜班"}
    message = sms.build(to="13800000000", template="application_status", context=context)
    assert "「A&B <帮厨> 夜班」" in message.text  # not HTML-escaped, newlines collapsed
    assert "\n" not in message.text and "  " not in message.text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_build_renders_in_each_language(language):
    # The English text comes with the translations; the structure is the same in both.
    for template, context in (("code", CODE), ("application_status", STATUS)):
        message = sms.build(to="13800000000", template=template, context=context, language=language)
        assert message.template == template
        assert message.text and "\n" not in message.text
        assert len(message.params) == len(sms.PARAMS[template])
        assert context.get("url", "123456") in message.text


def test_build_refuses_what_it_cannot_send():
    with pytest.raises(ValueError, match="needs employer, status_label"):
        sms.build(to="13800000000", template="application_status", context={"title": "x"})
    with pytest.raises(ValueError, match="PARAMS"):
        sms.build(to="13800000000", template="nonexistent", context={})
    for number in ("0532-12345678", "+1 415 555 0100", "1380000000"):
        with pytest.raises(ValueError, match="mobile number"):
            sms.build(to=number, template="code", context=CODE)


# -- file, console, memory ----------------------------------------------------------------------


def test_file_transport_writes_one_file_per_message_in_order(settings, tmp_path):
    folder = tmp_path / "sms"
    settings.SMS_URL = f"file://{folder}"
    sms.send_now(to="13800000000", template="code", context=CODE)
    sms.send_now(to="13800000000", template="code", context={**CODE, "code": "654321"})
    files = sorted(folder.iterdir())
    assert [
        re.fullmatch(r"\d{8}-\d{6}-\d{6}-13800000000\.txt", f.name) is not None for f in files
    ] == [True, True]
    first = files[0].read_text(encoding="utf-8")
    assert first == (
        "To: +8613800000000\nTemplate: code\n\n验证码 123456，5分钟内有效。请勿告诉他人。\n"
    )
    assert "654321" in files[1].read_text(encoding="utf-8")


def test_file_transport_never_overwrites(tmp_path, monkeypatch):
    # Two messages to one number in the same microsecond (web and worker at once).
    frozen = datetime(2026, 12, 7, 6, 45, 12, 123456, tzinfo=UTC)
    monkeypatch.setattr(sms.timezone, "localtime", lambda: frozen)
    transport = sms.transport_from_url(f"file://{tmp_path}")
    message = sms.build(to="13800000000", template="code", context=CODE)
    transport.send(message)
    transport.send(message)
    assert sorted(f.name for f in tmp_path.iterdir()) == [
        "20261207-064512-123456-13800000000-2.txt",
        "20261207-064512-123456-13800000000.txt",
    ]


def test_console_transport_prints(settings, capsys):
    settings.SMS_URL = "console://"
    sms.send_now(to="13800000000", template="code", context=CODE)
    out = capsys.readouterr().out
    assert "To: +8613800000000\nTemplate: code\n\n验证码 123456" in out


def test_memory_transport_keeps_messages(settings):
    settings.SMS_URL = "memory://"
    sent = sms.send_now(to="13800000000", template="code", context=CODE)
    assert sms.outbox == [sent]


def test_unknown_or_incomplete_urls_are_refused():
    with pytest.raises(ValueError, match="'twilio'"):
        sms.transport_from_url("twilio://sid:token@api")
    with pytest.raises(ValueError, match="app_id, sign"):
        sms.parse_url("tencent://id:key@/?region=ap-guangzhou")
    with pytest.raises(ValueError, match="only for a server on 127.0.0.1"):
        sms.parse_url("tencent://id:key@example.com/?app_id=1&sign=x&scheme=http")
    with pytest.raises(
        ValueError,
        match="SMS_TEMPLATE_CODE, SMS_TEMPLATE_APPLICATION_STATUS, SMS_TEMPLATE_APPLICATION_MESSAGE",
    ):
        sms.check("tencent://id:key@/?app_id=1&sign=x", {"code": "", "application_status": ""})
    every = {name: str(n) for n, name in enumerate(sms.PARAMS, 1)}
    sms.check("tencent://id:key@/?app_id=1&sign=x", every)
    scheme, options = sms.parse_url(
        f"tencent://id:{quote('k/+=', safe='')}@/?app_id=1400000000&sign={quote('妈妈岗')}"
    )
    assert (scheme, options["host"], options["region"], options["scheme"]) == (
        "tencent",
        "sms.tencentcloudapi.com",
        "ap-guangzhou",
        "https",
    )
    assert (options["secret_key"], options["sign"]) == ("k/+=", "妈妈岗")


def test_a_bad_sms_url_stops_the_start():
    env = {"SMS_URL": "sms://nowhere", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SMS_URL scheme 'sms' is not supported" in result.stderr


# -- queued after the commit --------------------------------------------------------------------


@pytest.mark.django_db
def test_queue_sms_sends_after_the_commit(settings, django_capture_on_commit_callbacks):
    settings.SMS_URL = "memory://"
    with django_capture_on_commit_callbacks(execute=True):
        queue_sms(to="13800000000", template="code", context=CODE, language="zh-hans")
        assert sms.outbox == []
    assert [(m.to, m.template) for m in sms.outbox] == [("+8613800000000", "code")]


@pytest.mark.django_db
def test_sms_is_sent_from_the_web_process_when_the_broker_is_down(
    settings, broker_down, caplog, django_capture_on_commit_callbacks
):
    settings.SMS_URL = "memory://"
    logger = "momjobs.lib.queueing"
    with caplog.at_level(logging.WARNING, logger), django_capture_on_commit_callbacks(execute=True):
        queue_sms(to="13800000000", template="code", context=CODE)
        assert sms.outbox == []
    assert [m.text for m in sms.outbox] == ["验证码 123456，5分钟内有效。请勿告诉他人。"]
    assert "broker unavailable: running momjobs.send_sms in this process" in caplog.text


def test_the_task_retries_on_provider_errors():
    assert sms.SmsError in send_sms.autoretry_for
    # Celery's retry machinery keeps the exception: it must come back whole from a pickle.
    error = pickle.loads(  # noqa: S301 - our own bytes
        pickle.dumps(sms.SmsError("LimitExceeded.PhoneNumberDailyLimit", "x"))
    )
    assert (error.code, str(error)) == (
        "LimitExceeded.PhoneNumberDailyLimit",
        "LimitExceeded.PhoneNumberDailyLimit: x",
    )


# -- Tencent Cloud SMS, against a fake server ---------------------------------------------------

SECRET_ID = "AKIDmomjobsTestSecretId0000000000000"
SECRET_KEY = "momjobsTestSecretKeyNeverLogged0000"
APP_ID = "1400000000"
SIGN = "妈妈岗"
REGION = "ap-guangzhou"


def _hmac(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def tc3_signature(
    *, secret_key, method, path, query, headers, signed, body, timestamp, date, service
):
    """Signature v3 as Tencent Cloud's API documentation gives it, step by step."""
    # 1. The canonical request: headers named in SignedHeaders, key and value lower case and
    # trimmed, "key:value\n" each, in ascending key order; the payload's SHA-256 in hex.
    canonical_headers = "".join(f"{name}:{headers[name].strip().lower()}\n" for name in signed)
    canonical_request = "\n".join(
        [
            method,
            path,
            query,
            canonical_headers,
            ";".join(signed),
            hashlib.sha256(body).hexdigest(),
        ]
    )
    # 2. The string to sign.
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join(
        [
            "TC3-HMAC-SHA256",
            timestamp,
            scope,
            hashlib.sha256(canonical_request.encode("utf-8")).hexdigest(),
        ]
    )
    # 3. The derived key, then the signature.
    secret_date = _hmac(("TC3" + secret_key).encode("utf-8"), date)
    secret_service = _hmac(secret_date, service)
    secret_signing = _hmac(secret_service, "tc3_request")
    return hmac.new(secret_signing, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


AUTHORIZATION = re.compile(
    r"TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>\w+)"
    r"/tc3_request, SignedHeaders=(?P<signed>[a-z0-9;-]+), Signature=(?P<signature>[0-9a-f]{64})"
)


class FakeTencent(BaseHTTPRequestHandler):
    """POST / with JSON, as sms.tencentcloudapi.com takes it. Errors come back as Tencent sends
    them: HTTP 200 with {"Response": {"Error": {...}, "RequestId": ...}}."""

    def log_message(self, *args):  # quiet
        pass

    def reply(self, response):
        body = json.dumps({"Response": {**response, "RequestId": "fake-request-1"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def error(self, code, message):
        self.reply({"Error": {"Code": code, "Message": message}})

    def do_POST(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        server.requests.append(headers)
        if self.path != "/" or not headers.get("content-type", "").startswith("application/json"):
            return self.error("InvalidParameter", "POST / with application/json expected")
        if headers.get("host") != f"127.0.0.1:{server.server_port}":
            return self.error("InvalidParameter", "wrong Host")
        if headers.get("x-tc-action") != "SendSms":
            return self.error("InvalidAction", "X-TC-Action")
        if headers.get("x-tc-version") != "2021-01-11":
            return self.error("NoSuchVersion", "X-TC-Version")
        if headers.get("x-tc-region") != REGION:
            return self.error("InvalidParameterValue", "X-TC-Region")
        timestamp = headers.get("x-tc-timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return self.error("AuthFailure.SignatureExpire", "X-TC-Timestamp")
        auth = AUTHORIZATION.fullmatch(headers.get("authorization", ""))
        if auth is None:
            return self.error("AuthFailure.InvalidAuthorization", "Authorization")
        if auth["id"] != SECRET_ID:
            return self.error("AuthFailure.SecretIdNotFound", "SecretId")
        date = datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%d")
        signed = auth["signed"].split(";")
        if (
            auth["date"] != date
            or auth["service"] != "sms"
            or not {"content-type", "host"} <= set(signed)
            or signed != sorted(signed)
            or not set(signed) <= set(headers)
        ):
            return self.error("AuthFailure.InvalidAuthorization", "Credential/SignedHeaders")
        expected = tc3_signature(
            secret_key=SECRET_KEY,
            method="POST",
            path="/",
            query="",
            headers=headers,
            signed=signed,
            body=body,
            timestamp=timestamp,
            date=date,
            service="sms",
        )
        if not hmac.compare_digest(expected, auth["signature"]):
            return self.error(
                "AuthFailure.SignatureFailure", "The provided credentials could not be validated."
            )
        params = json.loads(body)
        server.sends.append(params)
        for name in ("PhoneNumberSet", "SmsSdkAppId", "SignName", "TemplateId"):
            if not params.get(name):
                return self.error("MissingParameter", name)
        return self.reply(
            {
                "SendStatusSet": [
                    {
                        "SerialNo": "2028:fake",
                        "PhoneNumber": number,
                        "Fee": 1,
                        "SessionContext": "",
                        "Code": server.status_code,
                        "Message": "send success" if server.status_code == "Ok" else "limit",
                        "IsoCode": "CN",
                    }
                    for number in params["PhoneNumberSet"]
                ]
            }
        )


@pytest.fixture
def tencent(settings, monkeypatch):
    for name in (
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTencent)
    server.requests, server.sends, server.status_code = [], [], "Ok"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_TEMPLATES = {"code": "2000001", "application_status": "2000002"}

    def url(secret_key=SECRET_KEY):
        return (
            f"tencent://{SECRET_ID}:{quote(secret_key, safe='')}@127.0.0.1:{server.server_port}/"
            f"?region={REGION}&app_id={APP_ID}&sign={quote(SIGN)}&scheme=http"
        )

    server.url = url
    settings.SMS_URL = url()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_tencent_send_is_signed_and_carries_the_template(tencent, settings):
    sms.send_now(to="13800000000", template="application_status", context=STATUS)
    assert tencent.sends == [
        {
            "PhoneNumberSet": ["+8613800000000"],
            "SmsSdkAppId": APP_ID,
            "SignName": SIGN,
            "TemplateId": "2000002",
            "TemplateParamSet": [
                "社区早餐帮厨",
                "青岛市南区好邻居餐饮",
                "邀请面试",
                "2026-12-08 10:00，香港中路1号",
            ],
        }
    ]
    headers = tencent.requests[0]
    assert headers["authorization"].startswith(f"TC3-HMAC-SHA256 Credential={SECRET_ID}/")
    assert headers["x-tc-action"] == "SendSms" and headers["x-tc-version"] == "2021-01-11"


def test_tencent_wrong_secret_raises(tencent, settings):
    settings.SMS_URL = tencent.url(secret_key="not-the-key")
    with pytest.raises(sms.SmsError) as raised:
        sms.send_now(to="13800000000", template="code", context=CODE)
    assert raised.value.code == "AuthFailure.SignatureFailure"
    assert tencent.requests and not tencent.sends


def test_tencent_provider_error_raises_with_its_code(tencent):
    tencent.status_code = "LimitExceeded.PhoneNumberDailyLimit"
    with pytest.raises(sms.SmsError, match="LimitExceeded.PhoneNumberDailyLimit"):
        sms.send_now(to="13800000000", template="code", context=CODE)
    assert tencent.sends[0]["TemplateId"] == "2000001"
    assert tencent.sends[0]["TemplateParamSet"] == ["123456", "5"]


def test_tencent_unreachable_raises_a_retryable_error(settings, monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    settings.SMS_TEMPLATES = {"code": "2000001", "application_status": "2000002"}
    settings.SMS_URL = (
        f"tencent://{SECRET_ID}:{SECRET_KEY}@127.0.0.1:{free_port()}/"
        f"?app_id={APP_ID}&sign=x&scheme=http"
    )
    with pytest.raises(sms.SmsError, match="ClientNetworkError"):
        sms.send_now(to="13800000000", template="code", context=CODE)


@pytest.mark.django_db
def test_the_secret_key_is_never_logged(
    tencent, settings, broker_down, caplog, django_capture_on_commit_callbacks
):
    # Everything at DEBUG (the SDK logs whole requests there): a good send, a provider error,
    # and a wrong key through queue_sms with the broker down, whose failure is logged with its
    # traceback. The wrong key contains the right one, so a leak of either is caught.
    with caplog.at_level(logging.DEBUG):
        sms.send_now(to="13800000000", template="code", context=CODE)
        tencent.status_code = "LimitExceeded.PhoneNumberDailyLimit"
        with pytest.raises(sms.SmsError) as raised:
            sms.send_now(to="13800000000", template="code", context=CODE)
        settings.SMS_URL = tencent.url(secret_key="wrong" + SECRET_KEY)
        with django_capture_on_commit_callbacks(execute=True):
            queue_sms(to="13800000000", template="code", context=CODE)
    assert "GetResponse" in caplog.text  # the SDK did log at DEBUG
    assert "momjobs.send_sms failed while the broker was unavailable" in caplog.text
    assert "AuthFailure.SignatureFailure" in caplog.text
    for text in (caplog.text, str(raised.value), repr(sms.transport_from_url(settings.SMS_URL))):
        assert SECRET_KEY not in text
        assert quote(SECRET_KEY, safe="") not in text
