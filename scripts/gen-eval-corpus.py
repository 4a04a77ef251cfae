#!/usr/bin/env python3
"""Generates coach's labelled evaluation corpus: tests/eval/corpus/ and tests/eval/labels.jsonl.

Every credential is a fresh random value built from its provider's documented format (prefix, length,
alphabet, and a valid checksum where the format carries one), written into a realistic layout (.env,
YAML, JSON, source code, Dockerfile, command lines, notebooks, base64 Kubernetes secrets, ...). Hard
negatives (placeholders, references, hashes, UUIDs, lockfile integrity, public keys, wrong-checksum and
truncated tokens, test fixtures) sit in the same layouts. Nothing here is tuned to what coach finds today.

Deterministic: a fixed seed, no clock, no hash-order iteration. python3 stdlib only.

    python3 scripts/gen-eval-corpus.py            # (re)writes the corpus
    python3 scripts/gen-eval-corpus.py --check    # exit 1 if the committed corpus differs from a fresh run

Labels (one JSON object a line): file, line (1-based; where a finding counts), end_line (a credential
spanning lines, such as a PEM block or a key pair, counts a finding anywhere in line..end_line), kind,
layout, label (positive|negative), and for negatives `negative` (what sort of near-miss it is).
Labels never hold the secret.
"""
import base64
import binascii
import json
import os
import random
import shutil
import string
import sys
import tempfile

SEED = 20261201
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"
UPNUM = string.ascii_uppercase + string.digits
PUNCT = "!#%^*~+=-_@?&$"

rng = random.Random(SEED)


def rs(alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def b64(data):
    return base64.b64encode(data).decode()


def b64url_nopad(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


# ---------------------------------------------------------------- checksums (from the public specs)


def crc32(s):
    return binascii.crc32(s.encode()) & 0xFFFFFFFF


def base_n(n, alphabet, width):
    out = ""
    while n > 0:
        out = alphabet[n % len(alphabet)] + out
        n //= len(alphabet)
    return out.rjust(width, alphabet[0])


def github_style(prefix, bad=False):
    """GitHub token format (github.blog 2021-04-05): prefix, 30 random base62, 6-char base62 CRC32."""
    body = rs(B62, 30)
    check = base_n(crc32(body), B62, 6)
    if bad:
        check = check[:-1] + ("A" if check[-1] != "A" else "B")
    return prefix + body + check


def gitlab_routable(prefix, bad=False):
    """GitLab routable token: prefix, base64url payload (random + routing), '.', version '01', '.',
    2 base36 chars of payload length, 7 base36 chars of the CRC32 of everything before them."""
    payload = b64url_nopad(rbytes(16)
                           + b"\no:" + str(rng.randrange(10**5, 10**6)).encode())
    before = f"{prefix}{payload}.01.{base_n(len(payload), '0123456789abcdefghijklmnopqrstuvwxyz', 2)}"
    check = base_n(crc32(before), "0123456789abcdefghijklmnopqrstuvwxyz", 7)
    if bad:
        check = check[:-1] + ("a" if check[-1] != "a" else "b")
    return before + check


BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def bech32_polymod(values):
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((top >> i) & 1) else 0
    return chk


def bech32_encode(hrp, data8):
    """BIP-173 bech32 (age secret keys: HRP age-secret-key-, printed upper-case)."""
    acc, bits, data = 0, 0, []
    for b in data8:
        acc = (acc << 8) | b
        bits += 8
        while bits >= 5:
            bits -= 5
            data.append((acc >> bits) & 31)
    if bits:
        data.append((acc << (5 - bits)) & 31)
    hrp_exp = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    poly = bech32_polymod(hrp_exp + data + [0] * 6) ^ 1
    check = [(poly >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32[d] for d in data + check)


def rbytes(n):
    return bytes(rng.randrange(256) for _ in range(n))


# ---------------------------------------------------------------- credential generators
# Each returns a list of (name-words, value) entries: most kinds are one entry, a key pair is two.

PASS_WORDS = ["Harbor", "Sunset", "Maple", "Orbit", "Falcon", "Copper", "Velvet", "Granite", "Lotus",
              "Summit", "Quartz", "Ember", "Willow", "Nimbus", "Cobalt", "Juniper", "Raven", "Tundra"]


PW_VARIANTS = ["printable", "word-based", "alphanumeric", "contains-common-word"]
last_variant = []


def human_password():
    style = rng.randrange(4)
    last_variant.append(PW_VARIANTS[style])
    if style == 0:  # any printable, punctuation included
        return rs(ALNUM, 3) + "".join(rng.choice(ALNUM + PUNCT) for _ in range(rng.randrange(9, 18))) + rng.choice("%^*~#+=!")
    if style == 1:  # word-based, the way people pick them
        return rng.choice(PASS_WORDS) + rng.choice("#!@*%-_+") + rng.choice(PASS_WORDS) + str(rng.randrange(10, 9999))
    if style == 2:  # generated by a manager, alphanumeric
        return rs(ALNUM, rng.randrange(16, 33))
    # a real password that contains a common word (the stop-word examples)
    word = rng.choice(["Contest", "Admin", "Testing", "Example", "Prod", "Demo", "Token"])
    return rs(ALNUM, 2) + word + rng.choice("#-!") + str(rng.randrange(1990, 2030)) + rs(ALNUM, 3)


def gen_password(words):
    return [(words, human_password())]


def gen_random_secret(words):
    return [(words, rs(ALNUM + "-_", rng.randrange(24, 49)))]


def simple(fn):
    return lambda words: [(words, fn())]


def aws_pair(words):
    kid = "AKIA" + rs("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
    secret = rs(B64, 40)
    return [(["aws", "access", "key", "id"], kid), (["aws", "secret", "access", "key"], secret)]


def twilio_pair(words):
    return [(["twilio", "api", "key"], "SK" + rs(HEX, 32)), (["twilio", "api", "secret"], rs(ALNUM, 32))]


def pypi_token():
    ident = rbytes(16).hex().encode()
    mac = b"\x02\x01\x08pypi.org\x02\x01" + bytes([len(ident) + 2]) + b"\x00\x01" + ident + b"\x00\x02\x06" + rbytes(32) + b"\x00\x00\x06\x20" + rbytes(32)
    return "pypi-" + b64url_nopad(mac)


def jwt():
    header = b64url_nopad(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = b64url_nopad(json.dumps({"sub": str(rng.randrange(10**6, 10**7)), "name": rng.choice(PASS_WORDS),
                                       "iat": 1700000000 + rng.randrange(10**7)}, separators=(",", ":")).encode())
    return f"{header}.{payload}.{b64url_nopad(rbytes(32))}"


def openai_project():
    return "sk-proj-" + rs(B64URL, 74) + "T3BlbkFJ" + rs(B64URL, 74)


def pem(kind="rsa"):
    if kind == "rsa":
        der, label = b"\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00" + rbytes(1180), "RSA PRIVATE KEY"
    elif kind == "pkcs8":
        der = bytes.fromhex("308204be020100300d06092a864886f70d0101010500048204a8") + rbytes(1190)
        label = "PRIVATE KEY"
    elif kind == "ec":
        der, label = b"\x30\x77\x02\x01\x01\x04\x20" + rbytes(32) + bytes.fromhex("a00a06082a8648ce3d030107a144034200") + rbytes(65), "EC PRIVATE KEY"
    else:  # openssh
        der = (b"openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x33"
               b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + rbytes(32) + b"\x00\x00\x00\x88" + rbytes(136))
        label = "OPENSSH PRIVATE KEY"
    body = b64(der)
    width = 70 if kind == "openssh" else 64
    lines = [body[i:i + width] for i in range(0, len(body), width)]
    return f"-----BEGIN {label}-----", lines, f"-----END {label}-----"


# kind -> (generator, name-word choices). Kinds reuse coach's kind names where coach has a rule, so the
# per-kind table lines up; kinds coach has no rule for yet keep a descriptive name.
def V(prefix_fn, *names):
    return (simple(prefix_fn), [n.split() for n in names])


VENDOR = {
    "github-pat": V(lambda: github_style("ghp_"), "github token", "gh token", "token", "github pat"),
    "github-oauth-token": V(lambda: github_style("gho_"), "github oauth token", "oauth token"),
    "github-app-installation-token": V(lambda: github_style("ghs_"), "github token", "installation token"),
    "github-app-user-token": V(lambda: github_style("ghu_"), "github user token", "token"),
    "github-app-refresh-token": V(lambda: github_style("ghr_"), "github refresh token", "refresh token"),
    "github-fine-grained-pat": V(lambda: "github_pat_" + rs(B62, 22) + "_" + rs(B62, 59), "github token", "gh pat"),
    "npm-access-token": V(lambda: github_style("npm_"), "npm token", "npm auth token"),
    "gitlab-access-token": V(lambda: gitlab_routable("glpat-") if rng.random() < 0.6 else "glpat-" + rs(B64URL, 20),
                             "gitlab token", "gitlab private token", "gl token"),
    "gitlab-runner-token": V(lambda: gitlab_routable("glrt-"), "runner token", "gitlab runner token"),
    "gitlab-deploy-token": V(lambda: "gldt-" + rs(B64URL, 20), "gitlab deploy token", "deploy token"),
    "gitlab-pipeline-trigger-token": V(lambda: "glptt-" + rs(HEX, 40), "trigger token", "gitlab trigger token"),
    "aws-iam-user-key": (aws_pair, [["aws"]]),
    "slack-bot-token": V(lambda: f"xoxb-{rs(string.digits, 12)}-{rs(string.digits, 13)}-{rs(ALNUM, 24)}", "slack bot token", "slack token"),
    "slack-user-token": V(lambda: f"xoxp-{rs(string.digits, 12)}-{rs(string.digits, 12)}-{rs(string.digits, 13)}-{rs(HEX, 32)}", "slack user token", "slack token"),
    "slack-app-token": V(lambda: f"xapp-1-A{rs(UPNUM, 10)}-{rs(string.digits, 13)}-{rs(HEX, 64)}", "slack app token"),
    "slack-webhook": V(lambda: f"https://hooks.slack.com/services/T{rs(UPNUM, 10)}/B{rs(UPNUM, 10)}/{rs(ALNUM, 24)}", "slack webhook url", "webhook url"),
    "stripe-secret-key": V(lambda: "sk_live_" + rs(ALNUM, rng.choice([24, 99])), "stripe secret key", "stripe key", "stripe api key"),
    "stripe-restricted-key": V(lambda: "rk_live_" + rs(ALNUM, rng.choice([24, 99])), "stripe restricted key", "stripe key"),
    "stripe-webhook-secret": V(lambda: "whsec_" + rs(ALNUM, 32), "stripe webhook secret", "webhook signing secret"),
    "openai-project-key": V(openai_project, "openai api key", "openai key"),
    "anthropic-api-key": V(lambda: "sk-ant-api03-" + rs(B64URL, 93) + "AA", "anthropic api key", "claude api key"),
    "google-api-key": V(lambda: "AIza" + rs(B64URL, 35), "google api key", "maps api key", "firebase api key"),
    "google-oauth-client-secret": V(lambda: "GOCSPX-" + rs(B64URL, 28), "google client secret", "oauth client secret"),
    "sendgrid-api-key": V(lambda: f"SG.{rs(B64URL, 22)}.{rs(B64URL, 43)}", "sendgrid api key", "smtp password"),
    "twilio-api-key": (twilio_pair, [["twilio"]]),
    "twilio-auth-token": V(lambda: rs(HEX, 32), "twilio auth token"),
    "digitalocean-pat": V(lambda: "dop_v1_" + rs(HEX, 64), "digitalocean token", "do token"),
    "huggingface-token": V(lambda: "hf_" + rs(string.ascii_letters, 34), "hf token", "huggingface token"),
    "pypi-api-token": V(pypi_token, "pypi token", "twine password"),
    "shopify-access-token": V(lambda: "shpat_" + rs(HEX, 32), "shopify access token", "shopify token"),
    "age-secret-key": V(lambda: bech32_encode("age-secret-key-", rbytes(32)).upper(), "age secret key", "sops age key"),
    "doppler-personal-token": V(lambda: "dp.pt." + rs(ALNUM, 43), "doppler token"),
    "vault-service-token": V(lambda: "hvs." + rs(B64URL, 90), "vault token"),
    "linear-api-key": V(lambda: "lin_api_" + rs(ALNUM, 40), "linear api key"),
    "groq-api-key": V(lambda: "gsk_" + rs(ALNUM, 52), "groq api key"),
    "replicate-api-token": V(lambda: "r8_" + rs(ALNUM, 37), "replicate api token"),
    "perplexity-api-key": V(lambda: "pplx-" + rs(ALNUM, 48), "perplexity api key"),
    "postman-api-key": V(lambda: f"PMAK-{rs(HEX, 24)}-{rs(HEX, 34)}", "postman api key"),
    "pulumi-access-token": V(lambda: "pul-" + rs(HEX, 40), "pulumi access token"),
    "rubygems-api-key": V(lambda: "rubygems_" + rs(HEX, 48), "gem host api key", "rubygems api key"),
    "newrelic-user-key": V(lambda: "NRAK-" + rs(UPNUM, 27), "new relic api key", "newrelic key"),
    "hubspot-private-app-token": V(lambda: f"pat-na1-{rs(HEX, 8)}-{rs(HEX, 4)}-{rs(HEX, 4)}-{rs(HEX, 4)}-{rs(HEX, 12)}", "hubspot access token"),
    "dockerhub-pat": V(lambda: "dckr_pat_" + rs(B64URL, 27), "docker hub token", "dockerhub pat"),
    "telegram-bot-token": V(lambda: f"{rng.randrange(10**9, 7 * 10**9)}:AA{rs(B64URL, 33)}", "telegram bot token", "bot token"),
    "discord-webhook": V(lambda: f"https://discord.com/api/webhooks/{rng.randrange(10**17, 10**19)}/{rs(B64URL, 68)}", "discord webhook url"),
    "sentry-user-token": V(lambda: "sntryu_" + rs(HEX, 64), "sentry auth token"),
    "mailchimp-api-key": V(lambda: rs(HEX, 32) + "-us" + str(rng.randrange(1, 22)), "mailchimp api key"),
    "datadog-api-key": V(lambda: rs(HEX, 32), "dd api key", "datadog api key"),
    "jwt": V(jwt, "access token", "auth token", "jwt"),
    # kinds issue 14 named as missing (coach's kind names now that they have rules)
    "databricks-pat": V(lambda: "dapi" + rs(HEX, 32), "databricks token"),
    "supabase-pat": V(lambda: "sbp_" + rs(HEX, 40), "supabase access token"),
    "huggingface-org-token": V(lambda: "api_org_" + rs(string.ascii_letters, 34), "hf org token"),
    "aws-sts-bearer-token": V(lambda: "ABIA" + rs("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), "aws access key id"),
}

GENERIC = {
    "generic-password": (gen_password, [w.split() for w in [
        "password", "db password", "admin pass", "smtp password", "redis password", "mysql root password",
        "ldap bind password", "pwd", "passwd", "database password", "mail password", "keystore password"]]),
    "generic-secret": (gen_random_secret, [w.split() for w in [
        "client secret", "app secret", "api secret", "secret", "webhook secret", "signing secret",
        "consumer secret", "encryption key", "master key"]]),
    "generic-token": (gen_random_secret, [w.split() for w in [
        "api token", "auth token", "access token", "stripe token", "service token", "bearer token",
        "refresh token", "session token"]]),
    "generic-api-key": (gen_random_secret, [w.split() for w in ["api key", "apikey", "x api key", "partner api key"]]),
}


def framework_secrets():
    """(kind, layout, file, lines, label index): framework secrets in their own files."""
    out = []
    for _ in range(3):
        v = rs(string.ascii_lowercase + string.digits + "!@#$%^&*(-_=+)", 50)
        out.append(("django-secret-key", "python", "settings.py", ["import os", "", "DEBUG = False", f"SECRET_KEY = '{v}'", "ALLOWED_HOSTS = ['app.internal']"], 3))
    for _ in range(2):
        out.append(("flask-secret-key", "python", "app.py", ["from flask import Flask", "app = Flask(__name__)", f"app.config['SECRET_KEY'] = '{rs(HEX, 48)}'"], 2))
        out.append(("flask-secret-key", "python", "wsgi.py", ["app = create_app()", f"app.secret_key = b'{rs(ALNUM, 32)}'"], 1))
    for _ in range(3):
        out.append(("rails-secret-key-base", "yaml", "config/secrets.yml", ["production:", f"  secret_key_base: {rs(HEX, 128)}"], 1))
    for _ in range(2):
        out.append(("rails-master-key", "raw-file", "config/master.key", [rs(HEX, 32)], 0))
    for _ in range(3):
        out.append(("laravel-app-key", "env", ".env", ["APP_NAME=Shop", "APP_ENV=production", f"APP_KEY=base64:{b64(rbytes(32))}", "APP_DEBUG=false"], 2))
    for _ in range(2):
        salts = ["AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY"]
        name = rng.choice(salts)
        v = "".join(rng.choice(string.ascii_letters + string.digits + "!@#%^&*()-_[]{}<>~+=,.;:/?|") for _ in range(64)).replace("'", "")
        out.append(("wordpress-salt", "php-define", "wp-config.php", ["<?php", "define('DB_NAME', 'wordpress');", f"define('{name}', '{v}');", "$table_prefix = 'wp_';"], 2))
    for _ in range(2):
        out.append(("aspnet-machine-key", "xml-attr", "web.config", ["<configuration>", "  <system.web>",
                    f'    <machineKey validationKey="{rs("0123456789ABCDEF", 128)}" decryptionKey="{rs("0123456789ABCDEF", 64)}" validation="HMACSHA256" decryption="AES" />',
                    "  </system.web>", "</configuration>"], 2))
    for _ in range(3):
        out.append(("jwt-signing-secret", "env", ".env", ["NODE_ENV=production", f"JWT_SECRET={rs(ALNUM, 40)}", "JWT_EXPIRES_IN=1h"], 1))
    return out


# ---------------------------------------------------------------- name styles and layouts


def style(words, st):
    if st == "screaming":
        return "_".join(w.upper() for w in words)
    if st == "snake":
        return "_".join(words)
    if st == "camel":
        return words[0] + "".join(w.capitalize() for w in words[1:])
    if st == "pascal":
        return "".join(w.capitalize() for w in words)
    if st == "kebab":
        return "-".join(words)
    if st == "dotted":
        return ".".join(words)
    raise ValueError(st)


def pick_style(layout):
    table = {
        "env": ["screaming"], "env-quoted": ["screaming"], "shell-export": ["screaming"],
        "dockerfile-env": ["screaming"], "dockerfile-arg": ["screaming"], "compose-list": ["screaming"],
        "compose-map": ["screaming"], "os-environ": ["screaming"], "php-define": ["screaming"],
        "ruby-env": ["screaming"], "k8s-secret-b64": ["snake", "kebab", "dotted"], "github-actions-env": ["screaming"],
        "yaml": ["snake", "camel", "kebab", "dotted"], "yaml-quoted": ["snake", "camel", "kebab"],
        "json": ["camel", "snake", "pascal"], "toml": ["snake", "kebab"], "terraform": ["snake"],
        "properties": ["dotted", "kebab"], "ini": ["snake", "camel"],
        "xml-element": ["camel", "pascal", "snake"], "xml-attr": ["camel", "snake"],
        "python": ["screaming", "snake"], "python-kwarg": ["snake"], "python-dict": ["snake"],
        "js": ["camel", "screaming"], "js-object": ["camel", "snake"], "go": ["camel"], "go-const": ["pascal", "camel"],
        "java": ["screaming"], "java-setproperty": ["dotted", "screaming"], "csharp": ["pascal", "camel"],
        "csharp-appsettings": ["pascal"], "ruby": ["screaming", "snake"], "php-array": ["snake"],
        "notebook": ["screaming", "snake"], "code-comment": ["screaming", "snake"], "yaml-block-scalar": ["snake"],
    }
    return rng.choice(table[layout])


def qs(v, q='"'):
    """A value inside a double-quoted string of a C-like language."""
    return v.replace("\\", "\\\\").replace(q, "\\" + q)


def render_kv(layout, entries):
    """Lines for one or more (name, value) entries in `layout`: (file name, lines, first, last) where
    first..last are the indexes of the lines holding the credential."""
    st = pick_style(layout)
    names = [style(w, st) for w, _ in entries]
    vals = [v for _, v in entries]
    pairs = list(zip(names, vals))
    pre, body, post, fname = [], [], [], None
    if layout == "env":
        fname, pre = rng.choice([".env", ".env.production", "config.env", "prod.env"]), ["# service settings", "PORT=8080", "LOG_LEVEL=info"]
        body = [f"{n}={v}" for n, v in pairs]
        post = ["FEATURE_FLAGS=search,export"]
    elif layout == "env-quoted":
        fname, pre = ".env.local", ["NODE_ENV=production"]
        body = [f'{n}="{qs(v)}"' for n, v in pairs]
    elif layout == "shell-export":
        fname, pre = rng.choice(["deploy.sh", "env.sh", ".bashrc.d/work.sh"]), ["#!/usr/bin/env bash", "set -euo pipefail"]
        body = [f"export {n}='{v}'" if "'" not in v else f'export {n}="{v}"' for n, v in pairs]
        post = ['./bin/deploy "$@"']
    elif layout == "yaml":
        fname, pre = rng.choice(["config.yml", "application.yaml", "values.yaml"]), ["service:", "  name: billing", "  port: 8443", "  credentials:"]
        body = [f"    {n}: {v}" if not any(c in v for c in ":#'\"{}[]&*!|>%@`,") else f"    {n}: '{v}'" for n, v in pairs]
    elif layout == "yaml-quoted":
        fname, pre = "settings.yaml", ["integrations:", "  enabled: true"]
        body = [f'  {n}: "{qs(v)}"' for n, v in pairs]
    elif layout == "yaml-block-scalar":
        fname, pre = "secrets.yaml", ["app:", "  region: eu-west-1"]
        body = []
        for n, v in pairs:
            body += [f"  {n}: |", f"    {v}"]
    elif layout == "json":
        fname = rng.choice(["config.json", "appsettings.json", "secrets.json"])
        pre = ["{", '  "name": "billing",', '  "timeoutMs": 3000,']
        body = [f'  "{n}": "{qs(v)}",' for n, v in pairs]
        post = ['  "retries": 3', "}"]
    elif layout == "toml":
        fname, pre = rng.choice(["config.toml", "settings.toml"]), ["[server]", 'host = "0.0.0.0"', "", "[credentials]"]
        body = [f'{n} = "{qs(v)}"' for n, v in pairs]
    elif layout == "properties":
        fname, pre = "application.properties", ["server.port=8080", "spring.datasource.url=jdbc:postgresql://db:5432/app"]
        if entries[0][0][-1] in ("password", "pass", "pwd", "passwd"):
            names = ["spring.datasource.password"] + names[1:] if rng.random() < 0.5 else names
        body = [f"{n}={v}" for n, v in zip(names, vals)]
    elif layout == "ini":
        fname, pre = rng.choice(["settings.ini", "app.cfg"]), ["[database]", "host = db.internal"]
        body = [f"{n} = {v}" for n, v in pairs]
    elif layout == "terraform":
        fname, pre = "main.tf", ['resource "shop_service" "main" {', '  name   = "billing"']
        body = [f'  {n} = "{qs(v)}"' for n, v in pairs]
        post = ["}"]
    elif layout == "dockerfile-env":
        fname, pre = "Dockerfile", ["FROM python:3.12-slim", "WORKDIR /app"]
        body = [f"ENV {n}={v}" if not any(c in v for c in " '\"$\\") else f"ENV {n}='{v}'" for n, v in pairs]
        post = ['CMD ["python", "main.py"]']
    elif layout == "dockerfile-arg":
        fname, pre = "Dockerfile", ["FROM node:20-alpine"]
        body = [f"ARG {n}={v}" if "'" not in v else f'ARG {n}="{v}"' for n, v in pairs]
        post = ["RUN npm ci"]
    elif layout == "compose-list":
        fname, pre = "docker-compose.yml", ["services:", "  api:", "    image: shop/api:1.4", "    environment:"]
        body = [f"      - {n}={v}" for n, v in pairs]
    elif layout == "compose-map":
        fname, pre = "compose.yaml", ["services:", "  worker:", "    image: shop/worker:1.4", "    environment:"]
        body = [f"      {n}: \"{qs(v)}\"" for n, v in pairs]
    elif layout == "github-actions-env":
        fname, pre = ".github/workflows/deploy.yml", ["name: deploy", "on: push", "jobs:", "  deploy:", "    runs-on: ubuntu-latest", "    env:"]
        body = [f"      {n}: {v}" if not any(c in v for c in ":#'\"{}[]&*!|>%@`,") else f"      {n}: '{v}'" for n, v in pairs]
        post = ["    steps:", "      - run: make deploy"]
    elif layout == "python":
        fname, pre = rng.choice(["settings.py", "config.py", "local_settings.py"]), ["import os", "", "DEBUG = False"]
        body = [f'{n} = "{qs(v)}"' for n, v in pairs]
    elif layout == "python-kwarg":
        fname, pre = "client.py", ["import service", ""]
        body = ["conn = service.connect(", '    host="db.internal",'] + [f'    {n}="{qs(v)}",' for n, v in pairs] + [")"]
        return fname, pre + body, len(pre) + 2, len(pre) + 1 + len(pairs)
    elif layout == "python-dict":
        fname, pre = "conf.py", ["CONFIG = {", '    "host": "db.internal",']
        body = [f'    "{n}": "{qs(v)}",' for n, v in pairs]
        post = ["}"]
    elif layout == "os-environ":
        fname, pre = rng.choice(["conftest.py", "bootstrap.py", "run_local.py"]), ["import os", ""]
        body = [f'os.environ["{n}"] = "{qs(v)}"' for n, v in pairs]
    elif layout == "js":
        fname, pre = rng.choice(["config.js", "server.js", "index.ts"]), ["'use strict';", ""]
        body = [f"const {n} = '{qs(v, chr(39))}';" for n, v in pairs]
        post = ["module.exports = { start };"]
    elif layout == "js-object":
        fname, pre = "config.js", ["module.exports = {", "  port: 3000,"]
        body = [f"  {n}: '{qs(v, chr(39))}'," for n, v in pairs]
        post = ["};"]
    elif layout == "go":
        fname, pre = "main.go", ["package main", "", "func config() {"]
        body = [f'\t{n} := "{qs(v)}"' for n, v in pairs]
        post = ["\t_ = " + names[0], "}"]
    elif layout == "go-const":
        fname, pre = "config.go", ["package config", ""]
        body = [f'const {n} = "{qs(v)}"' for n, v in pairs]
    elif layout == "java":
        fname, pre = "Config.java", ["package com.shop.billing;", "", "public final class Config {"]
        body = [f'    private static final String {n} = "{qs(v)}";' for n, v in pairs]
        post = ["}"]
    elif layout == "java-setproperty":
        fname, pre = "Bootstrap.java", ["public class Bootstrap {", "  static void init() {"]
        body = [f'    System.setProperty("{n}", "{qs(v)}");' for n, v in pairs]
        post = ["  }", "}"]
    elif layout == "csharp":
        fname, pre = "Settings.cs", ["namespace Shop.Billing;", "", "public static class Settings", "{"]
        body = [f'    public const string {n} = "{qs(v)}";' for n, v in pairs]
        post = ["}"]
    elif layout == "csharp-appsettings":
        fname, pre = "appsettings.Production.json", ["{", '  "Logging": { "LogLevel": { "Default": "Warning" } },', '  "Billing": {']
        body = [f'    "{n}": "{qs(v)}",' for n, v in pairs]
        post = ['    "Region": "eu"', "  }", "}"]
    elif layout == "ruby":
        fname, pre = rng.choice(["config/initializers/billing.rb", "settings.rb"]), ["# frozen_string_literal: true", ""]
        body = [f"{n} = '{v}'" if "'" not in v else f'{n} = "{qs(v)}"' for n, v in pairs]
    elif layout == "ruby-env":
        fname, pre = "config/boot.rb", ["require 'bundler/setup'"]
        body = [f'ENV["{n}"] ||= "{qs(v)}"' for n, v in pairs]
    elif layout == "php-define":
        fname, pre = rng.choice(["config.php", "wp-config.php"]), ["<?php", "define('APP_ENV', 'production');"]
        body = [f"define('{n}', '{v}');" if "'" not in v else f'define("{n}", "{qs(v)}");' for n, v in pairs]
    elif layout == "php-array":
        fname, pre = "config/services.php", ["<?php", "return [", "    'driver' => 'smtp',"]
        body = [f"    '{n}' => '{v}'," if "'" not in v else f'    \'{n}\' => "{qs(v)}",' for n, v in pairs]
        post = ["];"]
    elif layout == "xml-element":
        fname, pre = rng.choice(["config.xml", "settings.xml", "context.xml"]), ['<?xml version="1.0" encoding="UTF-8"?>', "<configuration>", "  <host>db.internal</host>"]
        esc = lambda v: v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        body = [f"  <{n}>{esc(v)}</{n}>" for n, v in pairs]
        post = ["</configuration>"]
    elif layout == "xml-attr":
        fname, pre = rng.choice(["app.config", "server.xml"]), ['<?xml version="1.0" encoding="utf-8"?>', "<configuration>"]
        esc = lambda v: v.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        if rng.random() < 0.5:
            body = [f'  <add key="{n}" value="{esc(v)}" />' for n, v in pairs]
        else:
            body = [f'  <service name="billing" {n}="{esc(v)}" />' for n, v in pairs]
        post = ["</configuration>"]
    elif layout == "k8s-secret-b64":
        fname, pre = "k8s/secret.yaml", ["apiVersion: v1", "kind: Secret", "metadata:", "  name: billing", "type: Opaque", "data:"]
        body = [f"  {n}: {b64(v.encode())}" for n, v in pairs]
    elif layout == "notebook":
        fname = "analysis.ipynb"
        pre = ["{", ' "cells": [', "  {", '   "cell_type": "code",', '   "execution_count": 1,', '   "metadata": {},', '   "outputs": [],', '   "source": [', '    "import os\\n",']
        body = [f'    "{n} = \\"{qs(qs(v))}\\"\\n",' for n, v in pairs]
        post = ['    "client = connect()"', "   ]", "  }", " ],", ' "metadata": {},', ' "nbformat": 4,', ' "nbformat_minor": 5', "}"]
    elif layout == "code-comment":
        fname, pre = "client.py", ["import os", ""]
        body = [f'# {n} = "{qs(v)}"' for n, v in pairs]
        post = [f'{names[-1]} = os.environ["{names[-1].upper()}"]']
    else:
        raise ValueError(layout)
    return fname, pre + body + post, len(pre), len(pre) + len(body) - 1


KV_LAYOUTS = ["env", "env-quoted", "shell-export", "yaml", "yaml-quoted", "json", "toml", "properties", "ini",
              "terraform", "dockerfile-env", "dockerfile-arg", "compose-list", "compose-map", "github-actions-env",
              "python", "python-kwarg", "python-dict", "os-environ", "js", "js-object", "go", "go-const", "java",
              "java-setproperty", "csharp", "csharp-appsettings", "ruby", "ruby-env", "php-define", "php-array",
              "xml-element", "xml-attr", "k8s-secret-b64", "notebook", "code-comment", "yaml-block-scalar"]

HOSTS = ["db.internal", "10.0.3.17", "pg-prod.cluster-abc.eu-west-1.rds.amazonaws.com", "mysql.shop.lan", "cache.internal"]
USERS = ["app", "billing", "deploy", "admin", "svc_reports", "root"]


def command_lines(pw, which):
    """(layout, file, lines, index) for a password on a command line; `which` picks the command."""
    user, host = rng.choice(USERS), rng.choice(HOSTS)
    sq = "'" not in pw
    q = f"'{pw}'" if sq else f'"{pw}"'
    choices = [
        ("cli-curl-u", f"curl -u {user}:{q} https://{rng.choice(['api', 'registry', 'jenkins'])}.shop.lan/v1/status"),
        ("cli-password-eq", f"mysqldump --user={user} --password={q} --host={host} shop > dump.sql"),
        ("cli-password-space", f"pg_dump --username {user} --password {q} shop"),
        ("cli-mysql-p", f"mysql -u{user} -p{q} -h {host} shop"),
        ("cli-pgpassword", f"PGPASSWORD={q} psql -h {host} -U {user} shop"),
        ("cli-docker-login", f"docker login -u {user} -p {q} registry.shop.lan"),
        ("cli-sshpass", f"sshpass -p {q} ssh {user}@{host}"),
    ]
    layout, cmd = choices[which % len(choices)]
    fname = rng.choice(["backup.sh", "Makefile", "README.md", "scripts/restore.sh", ".gitlab-ci.yml"])
    if fname == "Makefile":
        lines = ["backup:", "\t" + cmd.replace("$", "$$")]
    elif fname == "README.md":
        lines = ["# Restoring the database", "", "```sh", cmd, "```"]
    elif fname == ".gitlab-ci.yml":
        lines = ["backup:", "  stage: deploy", "  script:", "    - " + cmd]
    else:
        lines = ["#!/bin/sh", "set -e", cmd]
    idx = next(i for i, l in enumerate(lines) if user in l and ("-p" in l or "-u" in l or "PGPASSWORD" in l or "--pass" in l))
    return layout, fname, lines, idx


def urls_with_userinfo(pw, which):
    user, host = rng.choice(USERS), rng.choice(HOSTS)
    enc = "".join(c if c.isalnum() or c in "-_.~" else "%%%02X" % ord(c) for c in pw)
    scheme, kind, port, path = ([
        ("postgresql", "postgres-password", 5432, "/shop"), ("postgres", "postgres-password", 5432, "/app"),
        ("mysql", "mysql-password", 3306, "/shop"), ("mongodb+srv", "mongodb-password", None, "/app?retryWrites=true"),
        ("redis", "redis-password", 6379, "/0"), ("amqp", "amqp-password", 5672, "/vhost"),
        ("https", "basic-auth-url", None, "/artifactory/api/pypi/simple"), ("sqlserver", "mssql-password", 1433, ""),
    ])[which % 8]
    url = f"{scheme}://{user}:{enc}@{host}{':' + str(port) if port else ''}{path}"
    name = rng.choice(["DATABASE_URL", "REDIS_URL", "BROKER_URL", "PIP_INDEX_URL", "MONGO_URI", "DB_DSN"])
    layout, fname, lines = rng.choice([
        ("url-env", ".env", ["PORT=8080", f"{name}={url}"]),
        ("url-yaml", "config.yml", ["database:", f"  url: {url}"]),
        ("url-python", "db.py", ["from sqlalchemy import create_engine", f'engine = create_engine("{url}")']),
        ("url-js", "db.js", ["const { Client } = require('pg');", f"const client = new Client({{ connectionString: '{url}' }});"]),
    ])
    return kind, layout, fname, lines, 1


def csv_export():
    header = rng.choice(["name,url,username,password", "title,username,password,url,notes",
                         "url,username,password,httpRealm,formActionOrigin"])
    cols = header.split(",")
    rows = []
    for _ in range(rng.randrange(2, 4)):
        vals = {"name": rng.choice(["Shop admin", "VPN", "Grafana", "Router"]), "title": rng.choice(["NAS", "Mail", "Wiki"]),
                "url": "https://" + rng.choice(["admin.shop.lan", "vpn.shop.lan", "mail.shop.lan"]) + "/",
                "username": rng.choice(USERS), "password": human_password().replace(",", "").replace('"', ""),
                "notes": "", "httpRealm": "", "formActionOrigin": "https://admin.shop.lan"}
        rows.append(",".join(vals[c] for c in cols))
    return [header] + rows


def docker_config(user, pw):
    auth = b64(f"{user}:{pw}".encode())
    reg = rng.choice(["https://index.docker.io/v1/", "registry.shop.lan", "ghcr.io"])
    return ["{", '  "auths": {', f'    "{reg}": {{', f'      "auth": "{auth}"', "    }", "  }", "}"], 3


def pem_layouts():
    """(kind, layout, file, lines, first, last) for private keys."""
    out = []
    for kind_key, kind in [("rsa", "pem-private-key"), ("pkcs8", "pem-private-key"), ("ec", "pem-private-key"), ("openssh", "ssh-private-key")]:
        for layout in ["pem-file", "json-escaped-pem", "yaml-block-pem", "env-escaped-pem", "notebook-pem", "pem-commented", "pem-k8s-b64"]:
            begin, body, end = pem(kind_key)
            block = [begin] + body + [end]
            if layout == "pem-file":
                out.append((kind, layout, rng.choice(["id_rsa", "server.key", "deploy/key.pem"]) if kind_key != "openssh" else "id_ed25519", block, 0, len(block) - 1))
            elif layout == "json-escaped-pem":
                esc = "\\n".join(block) + "\\n"
                if rng.random() < 0.5:
                    lines = ["{", '  "type": "service_account",', f'  "project_id": "shop-{rs(string.digits, 6)}",',
                             f'  "private_key_id": "{rs(HEX, 40)}",', f'  "private_key": "{esc}",',
                             f'  "client_email": "ci@shop-{rs(string.digits, 6)}.iam.gserviceaccount.com"', "}"]
                    out.append(("gcp-service-account-key" if kind_key == "pkcs8" else kind, layout, "service-account.json", lines, 4, 4))
                else:
                    lines = ["{", '  "issuer": "billing",', f'  "signingKey": "{esc}"', "}"]
                    out.append((kind, layout, "jwt-keys.json", lines, 2, 2))
            elif layout == "yaml-block-pem":
                lines = ["tls:", "  enabled: true", "  key: |"] + ["    " + l for l in block]
                out.append((kind, layout, "values.yaml", lines, 3, len(lines) - 1))
            elif layout == "env-escaped-pem":
                lines = ["APP_ENV=production", 'PRIVATE_KEY="' + "\\n".join(block) + '\\n"']
                out.append((kind, layout, ".env", lines, 1, 1))
            elif layout == "notebook-pem":
                src = ",\n".join(f'    "{l}\\n"' for l in ['key = """'] + block + ['"""'])
                lines = ["{", ' "cells": [', "  {", '   "cell_type": "code",', '   "metadata": {},', '   "outputs": [],', '   "source": ['] + src.split("\n") + ["   ]", "  }", " ],", ' "nbformat": 4,', ' "nbformat_minor": 5', "}"]
                out.append((kind, layout, "keys.ipynb", lines, 8, 8 + len(block) - 1))
            elif layout == "pem-commented":
                lines = ["# The deploy key, kept here for now:"] + ["# " + l for l in block] + ["import paramiko"]
                out.append((kind, layout, "deploy.py", lines, 1, len(block)))
            elif layout == "pem-k8s-b64":
                lines = ["apiVersion: v1", "kind: Secret", "metadata:", "  name: tls", "type: kubernetes.io/tls", "data:",
                         f"  tls.crt: {b64(b'-----BEGIN CERTIFICATE-----' + rbytes(30))}", f"  tls.key: {b64(chr(10).join(block).encode())}"]
                out.append((kind, layout, "k8s/tls-secret.yaml", lines, 7, 7))
    return out


# ---------------------------------------------------------------- hard negatives


def negatives():
    """(kind, layout, negative-sort, words, value) to render through render_kv, plus whole-file ones."""
    kv = []
    placeholders = ["<your-token>", "<YOUR_API_KEY>", "changeme", "xxxxxxxxxxxxxxxxxxxx", "${DB_PASSWORD}",
                    "{{ secrets.DEPLOY_TOKEN }}", "YOUR_API_KEY_HERE", "********", "REPLACE_ME", "%(password)s",
                    "$(cat /run/secrets/db_password)", "{{ .Values.db.password }}", "<password>", "TODO", "none",
                    "${{ secrets.NPM_TOKEN }}", "__SECRET__", "your-secret-here", "$DB_PASSWORD", "<%= ENV['API_KEY'] %>"]
    for p in placeholders:
        for _ in range(2):
            w = rng.choice([["db", "password"], ["api", "token"], ["client", "secret"], ["api", "key"], ["password"]])
            kv.append(("generic", "placeholder", w, p))
    doc_examples = [(["aws", "secret", "access", "key"], "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                    (["aws", "access", "key", "id"], "AKIAIOSFODNN7EXAMPLE"),
                    (["github", "token"], "ghp_" + "1234567890abcdefghijklmnopqrstuvwxyz"[:36]),
                    (["stripe", "key"], "sk_live_" + "0" * 24),
                    (["api", "key"], "abcdef0123456789abcdef0123456789"),
                    (["password"], "password123"), (["password"], "P@ssw0rd"), (["db", "password"], "secret"),
                    (["api", "token"], "1234567890"), (["slack", "token"], "xoxb-your-bot-token")]
    for w, v in doc_examples:
        for _ in range(2):
            kv.append(("documentation-example", "doc-example", w, v))
    for _ in range(10):
        h = rng.choice([("checksum", rs(HEX, 64)), ("sha1", rs(HEX, 40)), ("md5", rs(HEX, 32)), ("commit", rs(HEX, 40)),
                        ("digest", "sha256:" + rs(HEX, 64)), ("etag", rs(HEX, 32)), ("image digest", "sha256:" + rs(HEX, 64))])
        kv.append(("hash", "hash", h[0].split(), h[1]))
    for _ in range(8):
        u = f"{rs(HEX, 8)}-{rs(HEX, 4)}-4{rs(HEX, 3)}-{rng.choice('89ab')}{rs(HEX, 3)}-{rs(HEX, 12)}"
        kv.append(("uuid", "uuid", rng.choice([["request", "id"], ["tenant", "id"], ["client", "id"], ["subscription", "id"], ["trace", "id"]]), u))
    refs = [(["db", "password"], 'os.environ["DB_PASSWORD"]'), (["api", "token"], "process.env.API_TOKEN"),
            (["password"], "var.db_password"), (["client", "secret"], "ENV.fetch('CLIENT_SECRET')"),
            (["secret", "name"], "prod/billing/db-password"), (["password", "file"], "/run/secrets/db_password"),
            (["token", "type"], "Bearer"), (["password", "min", "length"], "12"), (["password", "field"], "password"),
            (["api", "key", "header"], "X-Api-Key"), (["secret", "ref"], "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db"),
            (["password"], "vault:secret/data/billing#password"), (["auth", "token"], "None"), (["password"], "true")]
    for w, v in refs:
        for _ in range(2):
            kv.append(("reference", "reference", w, v))
    for _ in range(6):
        kv.append(("github-pat", "wrong-checksum", ["github", "token"], github_style(rng.choice(["ghp_", "gho_", "ghs_"]), bad=True)))
        kv.append(("npm-access-token", "wrong-checksum", ["npm", "token"], github_style("npm_", bad=True)))
        kv.append(("gitlab-access-token", "wrong-checksum", ["gitlab", "token"], gitlab_routable("glpat-", bad=True)))
    truncs = [lambda: github_style("ghp_")[:22], lambda: "sk_live_" + rs(ALNUM, 10), lambda: "xoxb-" + rs(string.digits, 6),
              lambda: "AKIA" + rs(UPNUM, 8), lambda: "glpat-" + rs(ALNUM, 9), lambda: "AIza" + rs(ALNUM, 12),
              lambda: "sk-proj-" + rs(ALNUM, 12) + "...", lambda: "npm_" + rs(ALNUM, 10)]
    for t in truncs:
        for _ in range(2):
            kv.append(("truncated", "truncated", ["api", "token"], t()))
    fixtures = ["fake-password-for-tests", "test-token-not-real", "dummy_secret_value", "fake_api_key_123",
                "not-a-real-token", "testpassword", "sample_token_value"]
    for f in fixtures:
        kv.append(("test-fixture", "test-fixture", rng.choice([["fake", "password"], ["test", "token"], ["dummy", "api", "key"]]), f))
    hard = [
        (["password", "label"], "Enter your password"), (["forgot", "password"], "Forgot your password?"),
        (["password", "placeholder"], "Password (12+ characters)"), (["token", "endpoint"], "https://oauth2.googleapis.com/token"),
        (["password", "regex"], "^(?=.*[A-Z])(?=.*\\d)(?=.*[!@#$%^&*]).{12,}$"), (["db", "password"], "get_secret('billing/db')"),
        (["secret", "key", "ref"], "billing-db-credentials"), (["auth", "token"], "fetchToken()"),
        (["api", "key"], "ENC[AES256_GCM,data:" + b64(rbytes(24)) + ",iv:" + b64(rbytes(32)) + ",tag:" + b64(rbytes(16)) + ",type:str]"),
        (["client", "id"], f"{rng.randrange(10**11, 10**12)}-{rs(string.ascii_lowercase + string.digits, 32)}.apps.googleusercontent.com"),
        (["sentry", "dsn"], f"https://{rs(HEX, 32)}@o{rng.randrange(10**5, 10**6)}.ingest.sentry.io/{rng.randrange(10**6, 10**7)}"),
        (["logo"], "data:image/png;base64," + b64(b"\x89PNG\r\n\x1a\n" + rbytes(60))),
        (["script", "integrity"], "sha384-" + b64(rbytes(48))), (["lfs", "oid"], "sha256:" + rs(HEX, 64)),
        (["password", "hash", "algorithm"], "argon2id"), (["session", "cookie", "name"], "__Host-session"),
        (["secret", "version"], "projects/shop-prod/secrets/db-password/versions/latest"),
        (["token", "ttl"], "3600s"), (["password", "policy"], "min=12,upper=1,digit=1,symbol=1"),
    ]
    for w, v in hard:
        for _ in range(2):
            kv.append(("generic", "not-a-secret", w, v))
    for _ in range(2):
        kv.append(("generic", "encrypted-value", ["db", "password"], "AgB" + rs(B64, 120)))
    kv.append(("public-key", "public-key", ["stripe", "publishable", "key"], "pk_live_" + rs(ALNUM, 24)))
    kv.append(("public-key", "public-key", ["recaptcha", "site", "key"], "6L" + rs(B64URL, 38)))
    kv.append(("public-key", "public-key", ["vapid", "public", "key"], b64url_nopad(b"\x04" + rbytes(64))))
    for _ in range(3):
        kv.append(("generic", "empty", rng.choice([["db", "password"], ["api", "token"]]), ""))
    return kv


def negative_files():
    """Whole files that are hard negatives: (sort, file, lines, label indexes)."""
    out = []
    for _ in range(3):
        lines = ["{", '  "name": "shop",', '  "lockfileVersion": 3,', '  "packages": {']
        idx = []
        for p in ["left-pad", "lodash", "react"]:
            lines += [f'    "node_modules/{p}": {{', f'      "version": "1.{rng.randrange(10)}.{rng.randrange(10)}",',
                      f'      "resolved": "https://registry.npmjs.org/{p}/-/{p}-1.0.0.tgz",',
                      f'      "integrity": "sha512-{b64(rbytes(64))}"', "    },"]
            idx.append(len(lines) - 2)
        lines += ["  }", "}"]
        out.append(("lockfile-integrity", "package-lock.json", lines, idx))
    lines = ['# yarn lockfile v1', '', '"lodash@^4.17.21":', '  version "4.17.21"', f'  integrity sha512-{b64(rbytes(64))}']
    out.append(("lockfile-integrity", "yarn.lock", lines, [4]))
    lines = ["[[package]]", 'name = "serde"', 'version = "1.0.210"', 'source = "registry+https://github.com/rust-lang/crates.io-index"', f'checksum = "{rs(HEX, 64)}"']
    out.append(("lockfile-integrity", "Cargo.lock", lines, [4]))
    lines = [f"github.com/pkg/errors v0.9.1 h1:{b64(rbytes(32))}", f"github.com/pkg/errors v0.9.1/go.mod h1:{b64(rbytes(32))}"]
    out.append(("lockfile-integrity", "go.sum", lines, [0, 1]))
    for _ in range(2):
        ed = b64(bytes.fromhex("0000000b7373682d65643235353139") + bytes.fromhex("00000020") + rbytes(32))
        rsa = b64(bytes.fromhex("000000077373682d727361") + bytes.fromhex("00000003010001") + bytes.fromhex("0000010100") + rbytes(256))
        lines = [f"ssh-ed25519 {ed} ops@bastion", f"ssh-rsa {rsa} deploy@ci"]
        out.append(("public-key", "authorized_keys", lines, [0, 1]))
    body = b64(bytes.fromhex("30820122300d06092a864886f70d01010105000382010f00") + rbytes(270))
    pub = ["-----BEGIN PUBLIC KEY-----"] + [body[i:i + 64] for i in range(0, len(body), 64)] + ["-----END PUBLIC KEY-----"]
    out.append(("public-key", "jwt-public.pem", pub, list(range(len(pub)))))
    body = b64(bytes.fromhex("3082030d308201f5a003020102") + rbytes(700))
    cert = ["-----BEGIN CERTIFICATE-----"] + [body[i:i + 64] for i in range(0, len(body), 64)] + ["-----END CERTIFICATE-----"]
    out.append(("certificate", "ca.crt", cert, list(range(len(cert)))))
    # a PEM skeleton with the body elided, as in documentation
    out.append(("placeholder", "docs/tls.md", ["Put your key in `tls.key`:", "", "```", "-----BEGIN RSA PRIVATE KEY-----", "...", "-----END RSA PRIVATE KEY-----", "```"], [3, 4, 5]))
    # .env files whose long values are identifiers, digests and public values, not credentials
    for _ in range(3):
        lines = ["# build metadata", f"GIT_SHA={rs(HEX, 40)}", f"BUILD_ID={rs(HEX, 8)}-{rs(HEX, 4)}-4{rs(HEX, 3)}-a{rs(HEX, 3)}-{rs(HEX, 12)}",
                 f"ASSET_HASH={rs(HEX, 32)}", f"IMAGE_DIGEST=sha256:{rs(HEX, 64)}",
                 f"NEXT_PUBLIC_SENTRY_DSN=https://{rs(HEX, 32)}@o{rng.randrange(10**5, 10**6)}.ingest.sentry.io/{rng.randrange(10**6, 10**7)}",
                 f"STRIPE_PUBLISHABLE_KEY=pk_live_{rs(ALNUM, 24)}", "DB_PASSWORD_FILE=/run/secrets/db_password"]
        out.append(("env-identifiers", ".env", lines, list(range(1, len(lines)))))
    vault = ["$ANSIBLE_VAULT;1.1;AES256"] + [rs(HEX, 80) for _ in range(4)]
    out.append(("encrypted-value", "group_vars/prod/vault.yml", ["db_password: !vault |"] + ["  " + l for l in vault], list(range(1, 6))))
    out.append(("reference", "k8s/deployment.yaml", ["env:", "  - name: DB_PASSWORD", "    valueFrom:", "      secretKeyRef:",
                                                     "        name: billing-db", "        key: password"], [1, 5]))
    # a minified asset: long random-looking identifiers that are not secrets
    out.append(("minified-code", "static/app.min.js", ["!function(e){var t={};function n(r){if(t[r])return t[r].exports}n.p=\"/static/\";n.h=\"" + rs(HEX, 20) + "\"}([]);"], [0]))
    # a CSV export without credentials
    out.append(("csv-no-secret", "users.csv", ["id,email,created_at,plan", "1,ada@shop.lan,2024-01-02,pro", "2,bob@shop.lan,2024-02-03,free"], [1, 2]))
    return out


# ---------------------------------------------------------------- more layouts (issue 14, sections 1-2)


def layout_extras():
    """(file, lines, labels) for operators, wrappings and encodings the key/value layouts above do not
    write, with the hard negatives that look like them. labels: (first, last, kind, layout, negative)
    where negative is None for a positive."""
    out = []

    def pw():
        last_variant.clear()
        return human_password().replace("'", "").replace('"', "").replace("\\", "")

    for _ in range(3):
        out.append(("Makefile", ["DB_HOST ?= db.internal", f"DB_PASSWORD ?= {pw()}", "", "migrate:", "\t./migrate --host $(DB_HOST)"],
                    [(1, 1, "generic-password", "makefile-assign", None)]))
        out.append(("Makefile", [f"REGISTRY_PASSWORD ::= {pw()}", "push:", "\tdocker push registry.shop.lan/app"],
                    [(0, 0, "generic-password", "makefile-assign", None)]))
        out.append(("analysis.R", ["library(DBI)", f'db_password <- "{pw()}"', 'con <- dbConnect(RPostgres::Postgres(), password = db_password)'],
                    [(1, 1, "generic-password", "r-assign", None)]))
        out.append(("settings.toml", ["[database]", 'host = "db.internal"', 'password = """', pw(), '"""'],
                    [(2, 3, "generic-password", "toml-multiline", None)]))
        out.append(("export.tsv", ["Title\tUsername\tPassword\tURL", f"VPN\t{rng.choice(USERS)}\t{pw()}\thttps://vpn.shop.lan/"],
                    [(1, 1, "generic-password", "tsv", None)]))
        out.append(("terraform.tfstate", ["{", '  "version": 4,', '  "resources": [{"type": "aws_db_instance", "instances": [{"attributes": {',
                                          f'    "password": "{pw()}",', '    "username": "app"', "  }}]}]", "}"],
                    [(3, 3, "generic-password", "terraform-state", None)]))
    # private keys wrapped in other ways
    for kind_key, kind in [("rsa", "pem-private-key"), ("ec", "pem-private-key"), ("openssh", "ssh-private-key")]:
        begin, body, end = pem(kind_key)
        block = [begin] + body + [end]
        out.append(("README.md", ["# Deploy key", "", "Use this one for now:", ""] + ["> " + l for l in block],
                    [(4, 4 + len(block) - 1, kind, "pem-markdown-quote", None)]))
        begin, body, end = pem(kind_key)
        block = [begin] + body + [end]
        lines = ["class Keys {", "  static final String KEY ="] + [f'    "{l}\\n" +' for l in block[:-1]] + [f'    "{block[-1]}\\n";', "}"]
        out.append(("Keys.java", lines, [(2, 2 + len(block) - 1, kind, "pem-java-concat", None)]))
        begin, body, end = pem(kind_key)
        block = [begin] + body + [end]
        lines = ["const key = ["] + [f"  '{l}'," for l in block] + ["].join('\\n');"]
        out.append(("key.js", lines, [(1, len(block), kind, "pem-js-array", None)]))
        begin, body, end = pem(kind_key)
        esc = "\\\\n".join([begin] + body + [end]) + "\\\\n"
        out.append(("fixtures.json", ["{", f'  "payload": "{{\\"private_key\\": \\"{esc}\\"}}"', "}"],
                    [(1, 1, kind, "pem-double-escaped", None)]))
    # base64 wrappers: a service-account JSON in a variable, a .dockerconfigjson Secret
    for _ in range(3):
        begin, body, end = pem("pkcs8")
        sa = json.dumps({"type": "service_account", "project_id": f"shop-{rs(string.digits, 6)}", "private_key_id": rs(HEX, 40),
                         "private_key": "\n".join([begin] + body + [end]) + "\n",
                         "client_email": f"ci@shop-{rs(string.digits, 6)}.iam.gserviceaccount.com"}, indent=2)
        out.append((".env", ["GCP_PROJECT=shop", f"GOOGLE_CREDENTIALS_B64={b64(sa.encode())}"],
                    [(1, 1, "gcp-service-account-key", "b64-service-account-env", None)]))
        auth = b64(f"{rng.choice(USERS)}:{pw()}".encode())
        cfg = json.dumps({"auths": {"registry.shop.lan": {"auth": auth}}})
        out.append(("k8s/regcred.yaml", ["apiVersion: v1", "kind: Secret", "metadata:", "  name: regcred",
                                         "type: kubernetes.io/dockerconfigjson", "data:", f"  .dockerconfigjson: {b64(cfg.encode())}"],
                    [(6, 6, "docker-registry-auth", "k8s-dockerconfigjson", None)]))
    # hard negatives for the same wrappings
    cm = "server.port=8080\nspring.datasource.url=jdbc:postgresql://db.internal:5432/shop\nlogging.level.root=INFO\n"
    out.append(("k8s/config-secret.yaml", ["apiVersion: v1", "kind: Secret", "metadata:", "  name: app-config", "data:",
                                           f"  application.properties: {b64(cm.encode())}", f"  username: {b64(b'svc_reports')}"],
                [(5, 5, "generic", "k8s-secret-b64", "not-a-secret"), (6, 6, "generic", "k8s-secret-b64", "not-a-secret")]))
    out.append(("k8s/placeholder-secret.yaml", ["apiVersion: v1", "kind: Secret", "metadata:", "  name: db", "data:",
                                                f"  password: {b64(b'changeme')}", f"  token: {b64(b'${DEPLOY_TOKEN}')}"],
                [(5, 5, "generic", "k8s-secret-b64", "placeholder"), (6, 6, "generic", "k8s-secret-b64", "placeholder")]))
    pub = b64(bytes.fromhex("30820122300d06092a864886f70d01010105000382010f00") + rbytes(270))
    pub_block = ["-----BEGIN PUBLIC KEY-----"] + [pub[i:i + 64] for i in range(0, len(pub), 64)] + ["-----END PUBLIC KEY-----"]
    out.append(("verify.py", ["# The issuer's public key:"] + ["# " + l for l in pub_block] + ["import jwt"],
                [(1, len(pub_block), "public-key", "pem-commented", "public-key")]))
    out.append(("docs/keys.md", ["Paste your key as a quote:", ""] + ["> -----BEGIN RSA PRIVATE KEY-----", "> ...", "> -----END RSA PRIVATE KEY-----"],
                [(2, 4, "placeholder", "pem-markdown-quote", "placeholder")]))
    out.append(("vault.csv", ["title,username,password,url", "NAS,admin,,https://nas.shop.lan/", "Mail,app,changeme,https://mail.shop.lan/",
                              "Wiki,ann,********,https://wiki.shop.lan/"],
                [(1, 1, "generic", "csv", "empty"), (2, 2, "generic", "csv", "placeholder"), (3, 3, "generic", "csv", "placeholder")]))
    out.append(("deploy.sh", ["#!/bin/sh", "mysql -u root -p shop", 'echo "$REGISTRY_PASSWORD" | docker login -u svc --password-stdin registry.shop.lan',
                              'sshpass -p "$SSHPASS" ssh admin@cache.internal', 'curl -u "$CI_USER:$CI_TOKEN" https://api.shop.lan/v1/status',
                              "pg_dump --password --host db.internal shop", "mysqldump --password=$(cat /run/secrets/db) shop"],
                [(i, i, "generic", "cli", "reference") for i in range(1, 7)]))
    out.append(("web.config", ["<configuration>", "  <system.web>", '    <machineKey validationKey="AutoGenerate,IsolateApps" decryptionKey="AutoGenerate,IsolateApps" />',
                               "  </system.web>", "</configuration>"], [(2, 2, "aspnet-machine-key", "xml-attr", "placeholder")]))
    out.append(("wp-config.php", ["<?php", "define( 'AUTH_KEY',         'put your unique phrase here' );",
                                  "define( 'SECURE_AUTH_KEY',  getenv('WP_SECURE_AUTH_KEY') );"],
                [(1, 1, "wordpress-salt", "php-define", "placeholder"), (2, 2, "wordpress-salt", "php-define", "reference")]))
    out.append(("settings.py", ["import os", 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]', 'DATABASE_PASSWORD = "%s" % os.environ["DB_PASSWORD"]'],
                [(1, 1, "django-secret-key", "python", "reference"), (2, 2, "generic", "python", "reference")]))
    out.append(("settings.xml", ["<settings>", "  <servers>", "    <server>", "      <id>nexus</id>",
                                 "      <password>${env.NEXUS_PASSWORD}</password>", "    </server>", "  </servers>", "</settings>"],
                [(4, 4, "generic", "xml-element", "placeholder")]))
    out.append(("values.yaml", ["db:", "  password: |", "    {{ .Values.global.dbPassword }}", "  token: >-", "    ${DEPLOY_TOKEN}"],
                [(2, 2, "generic", "yaml-block-scalar", "placeholder"), (4, 4, "generic", "yaml-block-scalar", "placeholder")]))
    out.append((".env", ["APP_NAME=Shop", "APP_KEY=", "APP_DEBUG=true"], [(1, 1, "laravel-app-key", "env", "empty")]))
    return out
# ---------------------------------------------------------------- breadth (issue 14, section 3)
# Kinds added for breadth, their validators' malformed twins and look-alike identifiers. Kept apart from
# the tables above and drawn from their own random stream (BREADTH_SEED), so adding or changing them
# leaves every file above byte-for-byte as it was. Values follow each vendor's documented shape.
BREADTH_SEED = SEED + 14


def uuid4():
    return f"{rs(HEX, 8)}-{rs(HEX, 4)}-4{rs(HEX, 3)}-{rng.choice('89ab')}{rs(HEX, 3)}-{rs(HEX, 12)}"


def openai_key(prefix, off_centre=False):
    side = rng.choice([20, 74])
    left, right = rs(B64URL, side), rs(B64URL, side)
    if off_centre:
        right += rs(ALNUM, rng.randrange(1, 6))
    return prefix + left + "T3BlbkFJ" + right


def sentry_org_token(foreign=False):
    payload = {"iat": 1731000000 + rng.randrange(10**7) + 0.5, "url": "https://sentry.io",
               "region_url": "https://us.sentry.io", "org": rng.choice(["acme", "shop", "billing-team"])}
    if foreign:
        payload = {"note": "shaped like a Sentry token", "id": rng.randrange(10**6)}
    secret = base64.b64encode(rbytes(32)).decode().rstrip("=")
    return "sntrys_" + b64(json.dumps(payload).encode()) + "_" + secret


BREADTH_VENDOR = {
    "planetscale-service-token": V(lambda: "pscale_tkn_" + rs(ALNUM + "_", 43), "planetscale service token", "pscale token"),
    "planetscale-password": V(lambda: "pscale_pw_" + rs(ALNUM + "_", 43), "planetscale password", "database password"),
    "render-api-key": V(lambda: "rnd_" + rs(ALNUM, 32), "render api key", "api key"),
    "netlify-access-token": V(lambda: "nfp_" + rs(ALNUM, 36), "netlify auth token", "token"),
    "deno-deploy-token": V(lambda: "ddp_" + rs(ALNUM, 36), "deno deploy token"),
    "neon-api-key": V(lambda: "napi_" + rs(string.ascii_lowercase + string.digits, 64), "neon api key"),
    "cockroachdb-cloud-api-key": V(lambda: f"CCDB1_{rs(ALNUM, 22)}_{rs(ALNUM, 40)}", "cockroach api key"),
    "supabase-secret-key": V(lambda: "sb_secret_" + rs(B64URL, 31), "supabase secret key", "supabase key"),
    "stytch-project-secret": V(lambda: "secret-live-" + rs(B64URL, 36) + "=", "stytch secret"),
    "launchdarkly-api-token": V(lambda: "api-" + uuid4(), "launchdarkly access token", "ld api token"),
    "flyio-token": V(lambda: "fo1_" + rs(B64URL, 43), "fly api token", "fly access token"),
    "slack-session-token": V(lambda: f"xoxc-{rs(string.digits, 11)}-{rs(string.digits, 12)}-{rs(string.digits, 13)}-{rs(HEX, 64)}", "slack token"),
    "gitlab-feature-flags-token": V(lambda: "glffct-" + rs(B64URL, 20), "unleash instance id"),
    "trello-token": V(lambda: "ATTA" + rs(HEX, 64) + rs("0123456789ABCDEF", 8), "trello token"),
    "fireworks-api-key": V(lambda: "fw_" + rs(ALNUM, 24), "fireworks api key"),
    "together-api-key": V(lambda: "tgp_v1_" + rs(B64URL, 43), "together api key"),
    "cerebras-api-key": V(lambda: "csk-" + rs(string.ascii_lowercase + string.digits, 48), "cerebras api key"),
    "tavily-api-key": V(lambda: "tvly-" + rng.choice(["", "dev-"]) + rs(ALNUM, 32), "tavily api key"),
    "firecrawl-api-key": V(lambda: "fc-" + rs(HEX, 32), "firecrawl api key"),
    "llamacloud-api-key": V(lambda: "llx-" + rs(ALNUM, 48), "llama cloud api key"),
    "langfuse-secret-key": V(lambda: "sk-lf-" + uuid4(), "langfuse secret key"),
    "segment-public-api-token": V(lambda: "sgp_" + rs(ALNUM, 64), "segment token"),
    "axiom-api-token": V(lambda: "xaat-" + uuid4(), "axiom token"),
    "dbt-cloud-token": V(lambda: "dbtc_" + rs(B64URL, 56), "dbt cloud api token"),
    "prefect-api-key": V(lambda: rng.choice(["pnu_", "pnb_"]) + rs(ALNUM, 36), "prefect api key"),
    "clojars-deploy-token": V(lambda: "CLOJARS_" + rs(string.ascii_lowercase + string.digits, 60), "clojars password", "deploy token"),
    "readme-api-key": V(lambda: "rdme_" + rs(string.ascii_lowercase + string.digits, 70), "readme api key"),
    "riot-api-key": V(lambda: "RGAPI-" + uuid4(), "riot api key"),
    "easypost-api-key": V(lambda: "EZAK" + rs(ALNUM, 54), "easypost api key"),
    "docker-swarm-join-token": V(lambda: f"SWMTKN-1-{rs(string.ascii_lowercase + string.digits, 50)}-{rs(string.ascii_lowercase + string.digits, 25)}", "swarm join token"),
    "meta-access-token": V(lambda: "EAA" + rng.choice("BGIJ") + rs(ALNUM, 180), "whatsapp token", "fb access token"),
    "x-bearer-token": V(lambda: "A" * 21 + rs(ALNUM, 25) + "%3D" + rs(ALNUM, 50), "twitter bearer token"),
    "google-oauth-access-token": V(lambda: "ya29.a0" + rs(B64URL, 150), "google access token", "access token"),
    "firebase-fcm-server-key": V(lambda: f"AAAA{rs(B64URL, 7)}:APA91b{rs(B64URL, 134)}", "fcm server key"),
    "salesforce-refresh-token": V(lambda: "5Aep861" + rs(ALNUM + "._", 80), "salesforce refresh token"),
    "zoho-oauth-token": V(lambda: f"1000.{rs(HEX, 32)}.{rs(HEX, 32)}", "zoho refresh token"),
    "amazon-lwa-refresh-token": V(lambda: "Atzr|IwEB" + rs(B64URL, 300), "lwa refresh token", "sp api refresh token"),
    "amazon-lwa-client-secret": V(lambda: "amzn1.oa2-cs.v1." + rs(HEX, 64), "lwa client secret"),
    "ebay-client-secret": V(lambda: "PRD-" + "-".join([rs(HEX, 12), rs(HEX, 4), rs(HEX, 4), rs(HEX, 4), rs(HEX, 4)]), "ebay cert id"),
    "yandex-cloud-api-key": V(lambda: "AQVN" + rs(B64URL, 36), "yc api key"),
    "yandex-oauth-token": V(lambda: "y0_" + rs(B64URL, 55), "yc token"),
    "bitwarden-sm-access-token": V(lambda: f"0.{uuid4()}.{rs(ALNUM, 30)}:{rs(B64, 22)}==", "bws access token"),
    "teamcity-access-token": V(lambda: f"eyJ0eXAiOiAiVENWMiJ9.{rs(B64URL, 36)}.{rs(B64URL, 48)}", "teamcity token"),
    "elevenlabs-api-key": V(lambda: "sk_" + rs(HEX, 48), "elevenlabs api key", "xi api key"),
    "airtable-api-key": V(lambda: f"pat{rs(ALNUM, 14)}.{rs(HEX, 64)}", "airtable token", "airtable api key"),
    "openai-admin-key": V(lambda: openai_key("sk-admin-"), "openai admin key"),
    "openai-service-account-key": V(lambda: openai_key("sk-svcacct-"), "openai api key"),
    "sentry-org-token": V(sentry_org_token, "sentry auth token"),
    # weak shapes, found next to the vendor's name
    "snyk-api-token": V(uuid4, "snyk token"),
    "sonarcloud-token": V(lambda: rs(HEX, 40), "sonar token", "sonar login"),
    "vercel-access-token": V(lambda: rs(ALNUM, 24), "vercel token"),
    "railway-token": V(uuid4, "railway token", "railway api token"),
    "consul-acl-token": V(uuid4, "consul http token", "consul token"),
    "nomad-acl-token": V(uuid4, "nomad token"),
    "zendesk-api-token": V(lambda: rs(ALNUM, 40), "zendesk api token"),
    "algolia-admin-key": V(lambda: rs(HEX, 32), "algolia admin api key", "algolia admin key"),
    "plaid-secret": V(lambda: rs(HEX, 30), "plaid secret"),
    "sumologic-access-key": V(lambda: rs(ALNUM, 64), "sumo access key"),
    "asana-pat": V(lambda: f"2/{rs(string.digits, 16)}/{rs(string.digits, 16)}:{rs(HEX, 32)}", "asana access token"),
    "braintree-private-key": V(lambda: rs(HEX, 32), "braintree private key"),
    "meta-app-secret": V(lambda: rs(HEX, 32), "facebook app secret", "meta app secret"),
    "hcp-client-secret": V(lambda: rs(B64URL, 64), "hcp client secret"),
    "deepgram-api-key": V(lambda: rs(HEX, 40), "deepgram api key"),
    "wandb-api-key": V(lambda: rs(HEX, 40), "wandb api key"),
}


def breadth_negatives():
    """(kind, negative-sort, words, value): malformed twins of validated tokens and identifiers that
    sit next to the new kinds' names."""
    before = f"glrt-t1_{rs(B64URL, 27)}.01.0r"
    wrong = base_n((crc32(before) + 1) & 0xFFFFFFFF, "0123456789abcdefghijklmnopqrstuvwxyz", 7)
    kv = [("openai-project-key", "wrong-checksum", ["openai", "api", "key"], openai_key("sk-proj-", off_centre=True)),
          ("openai-admin-key", "wrong-checksum", ["openai", "admin", "key"], openai_key("sk-admin-", off_centre=True)),
          ("sentry-org-token", "wrong-checksum", ["sentry", "auth", "token"], sentry_org_token(foreign=True)),
          ("gitlab-runner-token", "wrong-checksum", ["runner", "token"], before + wrong)]
    ids = [
        (["launchdarkly", "client", "side", "id"], rs(HEX, 24)), (["pubnub", "publish", "key"], "pub-c-" + uuid4()),
        (["langfuse", "public", "key"], "pk-lf-" + uuid4()), (["snyk", "org", "id"], uuid4()),
        (["railway", "project", "id"], uuid4()), (["netlify", "site", "id"], uuid4()),
        (["vercel", "org", "id"], "team_" + rs(ALNUM, 24)), (["supabase", "publishable", "key"], "sb_publishable_" + rs(B64URL, 31)),
        (["lwa", "client", "id"], "amzn1.application-oa2-client." + rs(HEX, 32)), (["algolia", "search", "key"], rs(HEX, 32)),
        (["algolia", "app", "id"], rs(UPNUM, 10)), (["twitch", "client", "id"], rs(string.ascii_lowercase + string.digits, 30)),
        (["consul", "http", "addr"], "https://consul.service.internal:8501"), (["nomad", "addr"], "https://nomad.internal:4646"),
        (["zoho", "client", "id"], "1000." + rs(UPNUM, 30)), (["plaid", "client", "id"], rs(HEX, 24)),
        (["segment", "write", "key"], rs(ALNUM, 32)), (["flagsmith", "environment", "key"], rs(ALNUM, 22)),
        (["sentry", "org"], "acme-widgets"), (["ebay", "app", "id"], f"AcmeShop-Store-PRD-{rs(HEX, 9)}-{rs(HEX, 8)}"),
    ]
    kv += [("identifier", "identifier", w, v) for w, v in ids]
    placeholders = [(["render", "api", "key"], "rnd_..."), (["netlify", "auth", "token"], "nfp_<your-token>"),
                    (["planetscale", "password"], "pscale_pw_xxxxxxxxxxxxxxxxxxxxxxxx"), (["cerebras", "api", "key"], "csk-" + rs(ALNUM, 10)),
                    (["tavily", "api", "key"], "tvly-YOUR_API_KEY"), (["snyk", "token"], "00000000-0000-0000-0000-000000000000"),
                    (["vercel", "token"], "${{ secrets.VERCEL_TOKEN }}"), (["consul", "http", "token"], "${CONSUL_HTTP_TOKEN}")]
    kv += [("placeholder", "placeholder", w, v) for w, v in placeholders]
    return kv


def build_breadth(c):
    """Appends the breadth kinds (four layouts each) and their hard negatives to corpus `c`."""
    global rng
    saved, rng = rng, random.Random(BREADTH_SEED)
    try:
        for kind, (gen, names) in BREADTH_VENDOR.items():
            for layout in rng.sample(KV_LAYOUTS, 4):
                entries = [(rng.choice(names), v) for _, v in gen(rng.choice(names))]
                fname, lines, first, last = render_kv(layout, entries)
                c.add(fname, lines, [dict(first=first, last=last, kind=kind, layout=layout, label="positive")])
        for kind, sort, words, value in breadth_negatives():
            layout = rng.choice([l for l in KV_LAYOUTS if l not in ("k8s-secret-b64", "code-comment")])
            fname, lines, first, last = render_kv(layout, [(words, value)])
            c.add(fname, lines, [dict(first=first, last=last, kind=kind, layout=layout, label="negative", negative=sort)])
    finally:
        rng = saved


WEAK_SEED = SEED + 4


def build_weak(c):
    """Appends weak values (#14, section 4): found by the generic rules but below the strength bar
    (src/rules/validate/strength.rs), so they must warn, not block. Labelled positives with
    `"expect": "warn"`; eval.py counts them in recall and precision, and reports how many blocked
    (it should be none) instead of counting them in blocking recall."""
    global rng
    saved, rng = rng, random.Random(WEAK_SEED)
    layouts = ["yaml", "json", "python", "properties", "ini", "toml", "js", "go", "java", "shell-export"]
    try:
        for i in range(16):
            word = ["Spring", "Summer", "Winter", "Autumn", "Welcome", "Dragon"][i % 6]
            if i % 3 == 0:  # short: ten or eleven characters typed by hand
                value, why = rs(ALNUM, rng.randrange(8, 10)) + rng.choice("#!") + str(rng.randrange(10)), "short"
            else:  # a common password word and a year
                value, why = word + str(rng.randrange(2015, 2030)) + rng.choice("!#"), "dictionary-like"
            layout = layouts[i % len(layouts)]
            fname, lines, first, last = render_kv(layout, [(rng.choice(GENERIC["generic-password"][1]), value)])
            c.add(fname, lines, [dict(first=first, last=last, kind="generic-password", layout=layout,
                                      label="positive", variant="weak-" + why, expect="warn")])
    finally:
        rng = saved


# ---------------------------------------------------------------- assembly


class Corpus:
    def __init__(self, root):
        self.root = root
        self.labels = []
        self.n = 0

    def add(self, fname, lines, labels):
        """labels: list of dict with first/last (0-based line indexes) and the rest of the label."""
        self.n += 1
        rel = f"{self.n:04d}/{fname}"
        path = os.path.join(self.root, "corpus", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")
        for lab in labels:
            first, last = lab.pop("first"), lab.pop("last")
            self.labels.append({"file": rel, "line": first + 1, "end_line": last + 1, **lab})


def build(root):
    c = Corpus(root)
    # 1. vendor formats, each kind in several key/value layouts
    for kind, (gen, names) in VENDOR.items():
        layouts = rng.sample(KV_LAYOUTS, 7)
        for layout in layouts:
            entries = gen(rng.choice(names))
            entries = [(rng.choice(names) if len(entries) == 1 else w, v) for w, v in entries]
            fname, lines, first, last = render_kv(layout, entries)
            c.add(fname, lines, [dict(first=first, last=last, kind=kind, layout=layout, label="positive")])
        # and inside a URL-free command line where the format makes sense
    for kind, (gen, names) in GENERIC.items():
        n = 2 if kind == "generic-api-key" else (3 if kind == "generic-password" else 1)
        for _ in range(n):
            for layout in KV_LAYOUTS:
                last_variant.clear()
                entries = gen(rng.choice(names))
                fname, lines, first, last = render_kv(layout, entries)
                extra = {"variant": last_variant[0]} if last_variant else {}
                c.add(fname, lines, [dict(first=first, last=last, kind=kind, layout=layout, label="positive", **extra)])
    # 2. command lines, URLs with userinfo, CSV exports, docker config auths
    for i in range(42):
        last_variant.clear()
        layout, fname, lines, idx = command_lines(human_password(), i)
        c.add(fname, lines, [dict(first=idx, last=idx, kind="generic-password", layout=layout, label="positive", variant=last_variant[0])])
    for i in range(32):
        last_variant.clear()
        kind, layout, fname, lines, idx = urls_with_userinfo(human_password(), i)
        c.add(fname, lines, [dict(first=idx, last=idx, kind=kind, layout=layout, label="positive", variant=last_variant[0])])
    for _ in range(8):
        tok = rs(ALNUM + "-_", rng.randrange(32, 49))
        cmd = rng.choice([f'curl -H "Authorization: Bearer {tok}" https://api.shop.lan/v2/orders',
                          f"http GET https://api.shop.lan/v2/orders 'Authorization:Bearer {tok}'",
                          f'wget --header="Authorization: Bearer {tok}" https://api.shop.lan/export.csv'])
        c.add("scripts/fetch.sh", ["#!/bin/sh", cmd], [dict(first=1, last=1, kind="generic-token", layout="cli-bearer-header", label="positive")])
    for i in range(8):
        pw = human_password().replace(";", "").replace('"', "")
        cs = f"Server={rng.choice(HOSTS)};Database=shop;User Id={rng.choice(USERS)};Password={pw};"
        if i % 2:
            cs = f"Password={pw};Persist Security Info=False;User ID={rng.choice(USERS)};Initial Catalog=shop;Data Source={rng.choice(HOSTS)}"
        c.add("appsettings.json", ["{", '  "ConnectionStrings": {', f'    "Default": "{cs}"', "  }", "}"],
              [dict(first=2, last=2, kind="database-password", layout="connection-string", label="positive")])
    for _ in range(8):
        last_variant.clear()
        lines = csv_export()
        c.add(rng.choice(["passwords.csv", "export/vault.csv", "logins.csv"]), lines,
              [dict(first=i, last=i, kind="generic-password", layout="csv", label="positive", variant=last_variant[i - 1]) for i in range(1, len(lines))])
    for _ in range(6):
        lines, idx = docker_config(rng.choice(USERS), human_password())
        c.add(".docker/config.json", lines, [dict(first=idx, last=idx, kind="docker-registry-auth", layout="docker-config-auths", label="positive")])
    # 3. framework secrets and private keys
    for kind, layout, fname, lines, idx in framework_secrets():
        c.add(fname, lines, [dict(first=idx, last=idx, kind=kind, layout=layout, label="positive")])
    for kind, layout, fname, lines, first, last in pem_layouts():
        c.add(fname, lines, [dict(first=first, last=last, kind=kind, layout=layout, label="positive")])
    # 4. hard negatives
    for kind, sort, words, value in negatives():
        layout = rng.choice([l for l in KV_LAYOUTS if l not in ("k8s-secret-b64", "code-comment")])
        fname, lines, first, last = render_kv(layout, [(words, value)])
        c.add(fname, lines, [dict(first=first, last=last, kind=kind, layout=layout, label="negative", negative=sort)])
    for sort, fname, lines, idx in negative_files():
        c.add(fname, lines, [dict(first=i, last=i, kind=sort, layout="file", label="negative", negative=sort) for i in idx])
    # 5. more operators, wrappings and encodings, with their hard negatives
    for fname, lines, labels in layout_extras():
        c.add(fname, lines, [dict(first=f, last=l, kind=k, layout=lay, label="positive") if neg is None else
                             dict(first=f, last=l, kind=k, layout=lay, label="negative", negative=neg)
                             for f, l, k, lay, neg in labels])
    # 6. breadth kinds and their hard negatives (their own random stream)
    build_breadth(c)
    # 7. weak values that warn (their own random stream)
    build_weak(c)
    with open(os.path.join(root, "labels.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for lab in c.labels:
            f.write(json.dumps(lab, sort_keys=True) + "\n")
    return c


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    dest = os.path.join(here, "..", "tests", "eval")
    if "--check" in sys.argv[1:]:
        with tempfile.TemporaryDirectory() as tmp:
            build(tmp)
            import filecmp
            diff = []

            def walk(a, b):
                cmp = filecmp.dircmp(a, b)
                diff.extend(os.path.join(a, x) for x in cmp.left_only + cmp.right_only + cmp.diff_files)
                for sub in cmp.common_dirs:
                    walk(os.path.join(a, sub), os.path.join(b, sub))
            walk(os.path.join(tmp, "corpus"), os.path.join(dest, "corpus"))
            if not filecmp.cmp(os.path.join(tmp, "labels.jsonl"), os.path.join(dest, "labels.jsonl"), shallow=False):
                diff.append("labels.jsonl")
            if diff:
                print(f"the committed corpus is stale ({len(diff)} differences); run scripts/gen-eval-corpus.py", file=sys.stderr)
                sys.exit(1)
            print("corpus up to date")
            return
    shutil.rmtree(os.path.join(dest, "corpus"), ignore_errors=True)
    os.makedirs(dest, exist_ok=True)
    c = build(dest)
    pos = sum(1 for l in c.labels if l["label"] == "positive")
    print(f"wrote {c.n} files, {pos} positives, {len(c.labels) - pos} negatives to tests/eval/")


if __name__ == "__main__":
    main()
