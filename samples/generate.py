#!/usr/bin/env python3
"""Write synthetic Kubernetes audit.k8s.io/v1 logs (Metadata level) for AuditWatch into samples/.

Everything is made up by this script (fixed seed, standard library only): no real cluster data and no
Secret values. Run: python3 samples/generate.py
"""
import json
import os
import random
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from urllib.parse import quote, unquote

rng = random.Random(20261102)
OUT = os.path.dirname(os.path.abspath(__file__))
VER = "v1.29.2 (linux/amd64) kubernetes/4b8e819"
KUBECTL = "kubectl/" + VER
STAGE_ORDER = {"RequestReceived": 0, "ResponseStarted": 1, "ResponseComplete": 2}
_rv = [48213577]


def new_id():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def at(s):  # "2026-11-02T09:00:00Z" or "2026-11-02T09:00:00.123456Z"
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def fmt(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ms(lo, hi):
    return timedelta(microseconds=rng.randint(int(lo * 1000), int(hi * 1000)))


def rv():
    _rv[0] += rng.randint(1, 40)
    return _rv[0]


def ref(resource, ns=None, name=None, group=None, sub=None):
    """objectRef with the apiserver's key order."""
    o = {"resource": resource}
    if ns: o["namespace"] = ns
    if name: o["name"] = name
    if group: o["apiGroup"] = group
    o["apiVersion"] = "v1"
    if sub: o["subresource"] = sub
    return o


def path(o, collection=False):
    base = f"/apis/{o['apiGroup']}/v1" if "apiGroup" in o else "/api/v1"
    if "namespace" in o: base += f"/namespaces/{o['namespace']}"
    base += "/" + o["resource"]
    if not collection and "name" in o: base += "/" + o["name"]
    return base + ("/" + o["subresource"] if "subresource" in o else "")


# ---------------------------------------------------------------- identities
NODES = {f"worker-{i}": (f"10.0.1.{10 + i}", new_id()) for i in (1, 2, 3)}


def plain(username, groups, ip, ua):
    return {"user": {"username": username, "groups": groups}, "ips": [ip], "ua": ua}


def service_account(ns, name, pod, node, ip, ua):
    extra = {"authentication.kubernetes.io/credential-id": ["JTI=" + new_id()],
             "authentication.kubernetes.io/node-name": [node],
             "authentication.kubernetes.io/node-uid": [NODES[node][1]],
             "authentication.kubernetes.io/pod-name": [pod],
             "authentication.kubernetes.io/pod-uid": [new_id()]}
    user = {"username": f"system:serviceaccount:{ns}:{name}", "uid": new_id(),
            "groups": ["system:serviceaccounts", f"system:serviceaccounts:{ns}", "system:authenticated"], "extra": extra}
    return {"user": user, "ips": [ip], "ua": ua}


KCM = plain("system:kube-controller-manager", ["system:authenticated"], "10.0.0.10", f"kube-controller-manager/{VER}")
SCHED = plain("system:kube-scheduler", ["system:authenticated"], "10.0.0.10", f"kube-scheduler/{VER}")
KUBELETS = {n: plain(f"system:node:{n}", ["system:nodes", "system:authenticated"], ip, f"kubelet/{VER}")
            for n, (ip, _) in NODES.items()}
ALICE = plain("alice@example.com", ["sre", "system:authenticated"], "10.0.0.12", KUBECTL)
BOB = plain("bob@example.com", ["developers", "system:authenticated"], "10.0.0.31",
            "kubectl/v1.29.2 (darwin/arm64) kubernetes/4b8e819")
CERTMGR = service_account("cert-manager", "cert-manager", "cert-manager-6b5b8f7d9c-q4zlm", "worker-3", "10.244.3.17",
                          "cert-manager-controller/v1.14.4 (linux/amd64) cert-manager/f09cf3e")
DEPLOY_BOT = service_account("ci", "deploy-bot", "deploy-bot-7c9f8-x2x", "worker-2", "203.0.113.50", "python-requests/2.31.0")
MALLORY = plain("mallory@example.com", ["system:authenticated"], "198.51.100.7", "curl/8.5.0")
EVE = plain("eve@example.com", ["platform", "system:authenticated"], "192.0.2.44", KUBECTL)
EVE_AS = {"username": "system:serviceaccount:kube-system:clusterrole-aggregation-controller",
          "groups": ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"]}

KUBELET_SECRETS = {"worker-1": [("payments", "payments-db"), ("payments", "payments-tls")],
                   "worker-2": [("billing", "billing-db"), ("billing", "billing-tls"), ("monitoring", "grafana-admin")],
                   "worker-3": [("default", "app-tls"), ("default", "db-credentials"), ("monitoring", "thanos-objstore")]}
CERT_SECRETS = [("default", "app-tls"), ("payments", "payments-tls"), ("billing", "billing-tls"),
                ("monitoring", "grafana-tls"), ("monitoring", "alertmanager-tls"), ("ingress-nginx", "wildcard-example-com-tls")]
DEPLOYS = [("default", "web"), ("payments", "payments-api"), ("payments", "ledger"), ("billing", "billing-api"),
           ("monitoring", "grafana"), ("monitoring", "prometheus")]


# ---------------------------------------------------------------- one API request -> its stage events
def status(code, o, user, verb):
    if code < 400:
        return {"metadata": {}, "code": code}
    name, kind = o.get("name", ""), o["resource"]
    if code == 404:
        msg, reason = f'{kind} "{name}" not found', "NotFound"
    else:
        where = f' in the namespace "{o["namespace"]}"' if "namespace" in o else " at the cluster scope"
        msg = (f'{kind} "{name}" is forbidden: User "{user}" cannot {verb} resource "{kind}" '
               f'in API group "{o.get("apiGroup", "")}"{where}')
        reason = "Forbidden"
    return {"metadata": {}, "status": "Failure", "message": msg, "reason": reason,
            "details": {"name": name, "kind": kind}, "code": code}


def request(who, t, verb, o, uri=None, code=200, ua=None, rr=None, imp=None, watch_for=None, took=(1, 9)):
    """Stage events of one request. watch_for: seconds the watch stays open (ResponseStarted + ResponseComplete)."""
    uri = uri or path(o) + ("?limit=500" if verb == "list" else "")
    base = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Metadata", "auditID": new_id(),
            "stage": "", "requestURI": uri, "verb": verb, "user": who["user"]}
    if imp: base["impersonatedUser"] = imp
    base.update({"sourceIPs": who["ips"], "userAgent": ua or who["ua"]})
    if o: base["objectRef"] = o
    got = fmt(t)
    events = []
    if rr is None:
        rr = rng.random() < 1 / 3
    if rr:
        # Emitted before impersonation and authorization run: no impersonatedUser, no decision yet.
        e = {k: v for k, v in base.items() if k != "impersonatedUser"}
        e.update(stage="RequestReceived", requestReceivedTimestamp=got, stageTimestamp=got)
        events.append(e)
    user = (imp or who["user"])["username"]
    tail = {"responseStatus": status(code, o or {}, user, verb), "requestReceivedTimestamp": got}
    notes = {"annotations": {"authorization.k8s.io/decision": "forbid" if code == 403 else "allow",
                             "authorization.k8s.io/reason": ""}}
    done = t + ms(*took)
    if watch_for:
        events.append(dict(base, stage="ResponseStarted", **tail, stageTimestamp=fmt(done), **notes))
        done = t + timedelta(seconds=watch_for) + ms(0.2, 2)
    events.append(dict(base, stage="ResponseComplete", **tail, stageTimestamp=fmt(done), **notes))
    return events


def watch_uri(o, selector=None, seconds=None):
    q = "allowWatchBookmarks=true" + (f"&fieldSelector={quote(selector, safe='')}" if selector else "")
    return f"{path(o, True)}?{q}&resourceVersion={rv()}&timeout={seconds // 60}m{seconds % 60}s&timeoutSeconds={seconds}&watch=true"


# ---------------------------------------------------------------- benign background
def background(start, end, scale):
    """Control plane, kubelets, two humans and cert-manager; scale = fraction of the usual request rate."""
    ev, span = [], (end - start).total_seconds()

    def call(who, verb, o, **kw):  # o may be a function that makes a fresh objectRef per request
        return lambda t: ev.extend(request(who, t, verb, o() if callable(o) else o, **kw))

    def periodic(period, fn, jitter=1.0):
        t = start + timedelta(seconds=rng.uniform(0, period))
        while t < end:
            fn(t)
            t += timedelta(seconds=period + rng.uniform(0, jitter))

    def scattered(per_hour, fn):  # expected per_hour * scale requests per hour, at random times
        n = per_hour * span / 3600 * scale
        for _ in range(int(n) + (rng.random() < n % 1)):
            fn(start + timedelta(seconds=rng.uniform(0, span)))

    def informer(who, o, selector=None, ua=None):  # back-to-back watches of 5-10 minutes
        t = start - timedelta(seconds=rng.uniform(0, 300))
        while t < end:
            secs = rng.randint(300, 599)
            if t >= start:
                ev.extend(request(who, t, "watch", o, watch_uri(o, selector, secs), ua=ua, watch_for=secs))
            t += timedelta(seconds=secs, milliseconds=rng.randint(5, 900))

    def lease(who, ns, name, period, ua=None):
        o = ref("leases", ns, name, "coordination.k8s.io")
        periodic(period / scale, call(who, "update", o, uri=path(o) + "?timeout=10s", ua=ua))

    lease(KCM, "kube-system", "kube-controller-manager", 20, KCM["ua"] + "/leader-election")
    lease(SCHED, "kube-system", "kube-scheduler", 20, SCHED["ua"] + "/leader-election")
    lease(CERTMGR, "kube-system", "cert-manager-controller", 40, CERTMGR["ua"] + "/leader-election")
    for o in (ref("pods"), ref("nodes"), ref("leases", group="coordination.k8s.io"), ref("deployments", group="apps"),
              ref("replicasets", group="apps"), ref("configmaps")):
        informer(KCM, o, ua=KCM["ua"] + "/shared-informers")
    informer(SCHED, ref("pods"), "status.phase!=Succeeded,status.phase!=Failed", SCHED["ua"] + "/scheduler")
    informer(SCHED, ref("nodes"), ua=SCHED["ua"] + "/scheduler")
    informer(CERTMGR, ref("certificates", group="cert-manager.io"))
    scattered(60, call(SCHED, "create", lambda: pod_ref("binding"), code=201, ua=SCHED["ua"] + "/scheduler"))
    scattered(120, call(KCM, "create", lambda: ref("events", rng.choice(DEPLOYS)[0]), code=201))
    scattered(80, call(KCM, "update", lambda: pod_ref("status", "replicasets")))

    for node, who in KUBELETS.items():
        lease(who, "kube-node-lease", node, 15)
        informer(who, ref("pods"), f"spec.nodeName={node}")
        informer(who, ref("configmaps", "kube-system", "kube-root-ca.crt"), "metadata.name=kube-root-ca.crt")
        status_ref = ref("nodes", name=node, sub="status")
        periodic(300, call(who, "patch", status_ref, uri=path(status_ref) + "?timeout=10s"))
        scattered(50, call(who, "patch", lambda: pod_ref("status")))
        scattered(40, call(who, "create", lambda: ref("events", rng.choice(DEPLOYS)[0]), code=201))
        # The Secrets its pods mount: named watch, relist, get. For a list/watch with fieldSelector=metadata.name=X
        # the apiserver puts X into objectRef.name, as recorded kubelet audit events show.
        for ns, name in KUBELET_SECRETS[node]:
            o = ref("secrets", ns, name)
            informer(who, o, f"metadata.name={name}")
            scattered(3, call(who, "list", o, uri=f"{path(o, True)}?fieldSelector=metadata.name%3D{name}&limit=500&resourceVersion=0"))
            scattered(2, call(who, "get", o))

    for who, n in ((ALICE, 45), (BOB, 36)):  # kubectl users
        scattered(n, call(who, "list", lambda: ref("pods", rng.choice(DEPLOYS)[0]), took=(4, 20)))
        scattered(n // 2, call(who, "get", lambda: ref("deployments", *rng.choice(DEPLOYS), "apps")))
        scattered(n // 3, call(who, "get", lambda: pod_ref("log")))
        scattered(n // 4, call(who, "get", lambda: ref("configmaps", *rng.choice(DEPLOYS))))
        scattered(2, call(who, "get", None, uri="/api?timeout=32s"))
    # each human reads at most 2 distinct Secrets in the hour (alice makes a typo -> 404, bob is forbidden once)
    scattered(2, call(ALICE, "get", ref("secrets", "default", "db-credentials")))
    scattered(1, call(ALICE, "get", ref("secrets", "billing", "sendgrid-apikey"), code=404))
    scattered(1, call(BOB, "get", ref("secrets", "monitoring", "grafana-admin")))
    scattered(1, call(BOB, "get", ref("secrets", "payments", "stripe-api-key"), code=403))

    def reconcile(t):  # cert-manager: one Certificate and its Secret every ~2.5 minutes (<= 3 Secrets per 5 min)
        ns, name = rng.choice(CERT_SECRETS)
        ev.extend(request(CERTMGR, t, "get", ref("certificates", ns, name.removesuffix("-tls"), "cert-manager.io")))
        for i in range(rng.randint(1, 2)):
            ev.extend(request(CERTMGR, t + timedelta(milliseconds=40 + 900 * i), "get", ref("secrets", ns, name)))
    periodic(150, reconcile, jitter=20)
    return ev


def pod_ref(sub=None, kind="pods"):  # a pod (or with kind="replicasets", a ReplicaSet) of a random workload
    ns, app = rng.choice(DEPLOYS)
    rs = f"{app}-{suffix(rng.choice((9, 10)))}"
    return ref(kind, ns, rs, "apps", sub) if kind == "replicasets" else ref(kind, ns, f"{rs}-{suffix(5)}", sub=sub)


def suffix(n):  # like the apiserver's generated name suffixes
    return "".join(rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(n))


# ---------------------------------------------------------------- checks and output
def secret_reads(events):
    """(identity, time, (ns, name)) for every Secret read that got a response."""
    for e in events:
        o = e.get("objectRef", {})
        if o.get("resource") != "secrets" or e["stage"] == "RequestReceived" or e["verb"] not in ("get", "list", "watch"):
            continue
        name = o.get("name")
        if not name and "fieldSelector=metadata.name%3D" in e["requestURI"]:
            name = unquote(e["requestURI"].split("fieldSelector=")[1].split("&")[0]).split("=", 1)[1]
        who = e["user"]["username"] + (" as " + e["impersonatedUser"]["username"] if "impersonatedUser" in e else "")
        yield who, at(e["requestReceivedTimestamp"]), (o.get("namespace", "*"), name or "*")


def max_distinct_in_5min(events):
    """Per identity: the most distinct Secrets it read within any 5 minutes."""
    per = defaultdict(list)
    for who, t, obj in secret_reads(events):
        per[who].append((t, obj))
    return {who: max(len({o for u, o in reads if t - timedelta(minutes=5) <= u <= t}) for t, _ in reads)
            for who, reads in per.items()}


def assert_benign(events):
    for who, n in max_distinct_in_5min(events).items():
        assert n < 5, f"benign identity {who} reads {n} distinct Secrets within 5 minutes"
    assert all(obj[1] != "*" for _, _, obj in secret_reads(events)), "benign background has a Secret list without a name"


def ordered(events, end):
    events = [e for e in events if not (e["verb"] == "watch" and at(e["stageTimestamp"]) > end)]  # still open
    return sorted(events, key=lambda e: (e["requestReceivedTimestamp"], STAGE_ORDER[e["stage"]]))


def dumps(obj):  # compact, and &<> escaped like Go's encoding/json
    s = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    return s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def write(name, events):
    with open(os.path.join(OUT, name + ".jsonl"), "w", encoding="utf-8") as f:
        f.writelines(dumps(e) + "\n" for e in events)
    items = [{k: v for k, v in e.items() if k not in ("kind", "apiVersion")} for e in events]
    os.makedirs(os.path.join(OUT, "eventlist"), exist_ok=True)
    with open(os.path.join(OUT, "eventlist", name + ".json"), "w", encoding="utf-8") as f:
        f.write(dumps({"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "metadata": {}, "items": items}) + "\n")
    print(f"{name}: {len(events)} events")


def secret_gets(who, start, seconds, targets, n_rr, **kw):
    """Named Secret gets from start to start+seconds (both ends exact); n_rr of them also log RequestReceived."""
    step, with_rr, out = seconds / (len(targets) - 1), set(rng.sample(range(len(targets)), n_rr)), []
    for i, (ns, name, code) in enumerate(targets):
        t = start + timedelta(seconds=i * step) + (ms(0, step * 300) if 0 < i < len(targets) - 1 else timedelta())
        out += request(who, t, "get", ref("secrets", ns, name), code=code, rr=i in with_rr, **kw)
    return out


def main():
    # 1. benign hour
    start, end = at("2026-11-02T09:00:00Z"), at("2026-11-02T10:00:00Z")
    events = ordered(background(start, end, 1.0), end)
    assert_benign(events)
    write("benign-hour", events)

    # 2. secret burst by a stolen CI token
    start, end = at("2026-11-02T10:00:00Z"), at("2026-11-02T10:10:00Z")
    bg = background(start, end, 0.55)
    assert_benign(bg)
    names = {"default": ["db-credentials", "registry-pull", "app-tls", "smtp-password"],
             "payments": ["stripe-api-key", "payments-db", "payments-tls", "hmac-signing-key"],
             "billing": ["billing-db", "invoice-s3-creds", "billing-tls", "sendgrid-api-key"],
             "ci": ["github-deploy-key", "registry-push-creds", "sonar-token", "argocd-token"],
             "monitoring": ["grafana-admin", "alertmanager-slack-webhook", "prometheus-remote-write", "thanos-objstore"],
             "kube-system": ["bootstrap-token-7k2q9x", "cloud-provider-credentials", "etcd-backup-s3", "sealed-secrets-key"]}
    targets = [(ns, n, 200) for ns, ns_names in names.items() for n in ns_names]
    for pos, n in zip((7, 15, 22), ("vault-unseal-keys", "vault-root-token", "vault-tls")):
        targets.insert(pos, ("vault", n, 403))
    planted = secret_gets(DEPLOY_BOT, at("2026-11-02T10:02:00Z"), 80, targets, 10, took=(2, 12))
    assert max_distinct_in_5min(planted) == {DEPLOY_BOT["user"]["username"]: 27}
    events = ordered(bg + planted, end)
    complete = [i for i, e in enumerate(events) if e["user"] is DEPLOY_BOT["user"] and e["stage"] == "ResponseComplete"]
    for i in sorted(rng.sample(complete, 5), reverse=True):  # webhook redelivery: same line again, a few lines later
        events.insert(i + rng.randint(3, 8), events[i])
    write("secret-burst", events)

    # 3. one cluster-wide Secret list
    start, end = at("2026-11-02T11:00:00Z"), at("2026-11-02T11:05:00Z")
    bg = background(start, end, 0.38)
    assert_benign(bg)
    events = ordered(bg + request(MALLORY, at("2026-11-02T11:02:30Z"), "list", ref("secrets"), "/api/v1/secrets",
                                  rr=False, took=(30, 45)), end)
    write("cluster-wide-list", events)

    # 4. impersonated service account reads kube-system Secrets
    start, end = at("2026-11-02T12:00:00Z"), at("2026-11-02T12:05:00Z")
    bg = background(start, end, 0.1)
    assert_benign(bg)
    ks = ["bootstrap-token-7k2q9x", "cloud-provider-credentials", "etcd-backup-s3", "sealed-secrets-key",
          "kube-proxy-token", "coredns-token", "metrics-server-certs", "cilium-ca", "hubble-server-certs",
          "aws-load-balancer-webhook-tls", "csi-snapshot-webhook-certs", "oidc-client-secret"]
    planted = secret_gets(EVE, at("2026-11-02T12:01:00Z"), 40, [("kube-system", n, 200) for n in ks], 4, imp=EVE_AS)
    assert list(max_distinct_in_5min(planted).values()) == [12]
    write("impersonation", ordered(bg + planted, end))

    # 5. a stolen token asks what it may do, lists Secrets, then execs into a pod
    start, end = at("2026-11-02T13:00:00Z"), at("2026-11-02T13:05:00Z")
    bg = background(start, end, 0.1)
    assert_benign(bg)
    # The web app's bound token, copied out of its pod and used with kubectl from a laptop outside the cluster
    # (created here, after the other files, so that their random draws stay as they were).
    WEB_STOLEN = service_account("default", "web", "web-6f7d9b8c5-h7k2m", "worker-1", "198.51.100.23", KUBECTL)
    planted = request(WEB_STOLEN, at("2026-11-02T13:01:00Z"), "create", ref("selfsubjectrulesreviews", group="authorization.k8s.io"),
                      code=201, rr=False)
    planted += request(WEB_STOLEN, at("2026-11-02T13:02:10Z"), "list", ref("secrets", "default"), code=403, rr=False)
    planted += request(WEB_STOLEN, at("2026-11-02T13:02:20Z"), "list", ref("secrets", "payments"), rr=False)
    pod = ref("pods", "payments", "payments-api-5d8f7c6b9-k2x9p", sub="exec")
    planted += request(WEB_STOLEN, at("2026-11-02T13:03:00Z"), "create", pod, code=101, rr=False,
                       uri=path(pod) + "?command=%2Fbin%2Fsh&container=api&stdin=true&stdout=true&tty=true")
    write("permission-discovery", ordered(bg + planted, end))


if __name__ == "__main__":
    main()
