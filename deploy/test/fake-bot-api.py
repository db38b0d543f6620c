#!/usr/bin/env python3
"""deploy/test.sh's Telegram Bot API: answers the bot's calls as Telegram would (ok: true) and records them.

POST /bot<token>/<method> with JSON, form or multipart parameters: getMe, setWebhook, setMyCommands, sendMessage,
sendChatAction, editMessageText, ... (any other method: ok with true). GET /calls: the calls so far as JSON,
[{"method": ..., "chat_id": ..., "text": ...}], without the token. Listens on 0.0.0.0:8081 (its container's
network only)."""
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
CALLS = []
NEXT_ID = [1000]
BOT = {"id": 777000, "is_bot": True, "first_name": "nemobot", "username": "nemobot_test_bot",
       "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}


def params_of(content_type, body):
    if content_type.startswith("application/json"):
        return json.loads(body or b"{}")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return {k: v[0] for k, v in urllib.parse.parse_qs(body.decode()).items()}
    if content_type.startswith("multipart/"):
        # the text fields only (a video's bytes are not kept)
        boundary = content_type.split("boundary=", 1)[1].strip('"').encode()
        out = {}
        for part in body.split(b"--" + boundary):
            head, _, value = part.partition(b"\r\n\r\n")
            if b'name="' in head and b"filename=" not in head:
                name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
                out[name] = value.rstrip(b"\r\n").decode(errors="replace")
        return out
    return {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # the path holds the token: not logged
        pass

    def reply(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/calls":
            with LOCK:
                self.reply(200, list(CALLS))
        elif self.path.startswith("/bot"):
            self.do_POST()
        else:
            self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    def do_POST(self):
        parts = self.path.split("?", 1)[0].split("/")
        if len(parts) != 3 or not parts[1].startswith("bot"):
            self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        method = parts[2].lower()
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        params = params_of(self.headers.get("Content-Type") or "", body)
        chat = params.get("chat_id")
        with LOCK:
            CALLS.append({"method": method, "chat_id": None if chat is None else str(chat),
                          "text": params.get("text") or params.get("caption"), "at": time.time()})
            NEXT_ID[0] += 1
            message_id = NEXT_ID[0]
        if method == "getme":
            result = BOT
        elif method in ("sendmessage", "editmessagetext", "sendvideo", "sendphoto", "senddocument",
                        "editmessagereplymarkup", "editmessagecaption"):
            result = {"message_id": int(params.get("message_id") or message_id), "date": int(time.time()),
                      "chat": {"id": int(chat or 0), "type": "private"}, "from": BOT,
                      "text": params.get("text") or ""}
        elif method == "getwebhookinfo":
            result = {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        elif method == "getupdates":
            result = []
        else:
            result = True
        self.reply(200, {"ok": True, "result": result})


if __name__ == "__main__":
    ThreadingHTTPServer(("0.0.0.0", 8081), Handler).serve_forever()
