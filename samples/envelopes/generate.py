"""Wraps samples/secret-burst.jsonl in the envelopes managed clusters deliver audit events in (documented shapes,
see ../../docs/operations notes and the corpora README): EKS CloudWatch Logs subscription records, AKS diagnostic
records and GKE Cloud Logging entries. Deterministic: run from this folder with python3 generate.py."""
import base64
import gzip
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
events = [json.loads(l) for l in open(os.path.join(HERE, "..", "secret-burst.jsonl")) if l.strip()]


def chunks(items, size):
    for i in range(0, len(items), size):
        yield items[i:i + size]


# EKS: CloudWatch Logs subscription. Each record holds awslogs.data = base64(gzip(DATA_MESSAGE)).
with open(os.path.join(HERE, "eks-cloudwatch-subscription.jsonl"), "w") as out:
    for n, chunk in enumerate(chunks(events, 50)):
        payload = {
            "messageType": "DATA_MESSAGE", "owner": "123456789012",
            "logGroup": "/aws/eks/demo/cluster", "logStream": "kube-apiserver-audit-0a1b2c3d",
            "subscriptionFilters": ["auditwatch"],
            "logEvents": [{"id": str(36000000000000000000000000000000000000000000000000000000 + n * 100 + i),
                           "timestamp": 1793613600000 + i, "message": json.dumps(e, separators=(",", ":"))}
                          for i, e in enumerate(chunk)],
        }
        data = gzip.compress(json.dumps(payload).encode(), mtime=0)
        out.write(json.dumps({"awslogs": {"data": base64.b64encode(data).decode()}}) + "\n")
    out.write(json.dumps({"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "", "logStream": "",
                          "subscriptionFilters": [], "logEvents": [{"id": "", "timestamp": 1793613600000,
                                                                    "message": "CWL CONTROL MESSAGE: Checking health of destination"}]}) + "\n")

# AKS: diagnostic settings records; properties.log is the Event as a JSON string, or (some exporters) an object.
with open(os.path.join(HERE, "aks-diagnostic-records.jsonl"), "w") as out:
    for n, chunk in enumerate(chunks(events, 50)):
        records = []
        for i, e in enumerate(chunk):
            log = json.dumps(e, separators=(",", ":")) if i % 2 == 0 else e
            records.append({"time": e.get("stageTimestamp") or e["requestReceivedTimestamp"],
                            "resourceId": "/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/DEMO",
                            "category": "kube-audit", "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
                            "properties": {"log": log, "stream": "stdout", "pod": "kube-apiserver-7d9c"}})
        records.append({"category": "kube-apiserver", "properties": {"log": "I1102 10:00:00 some apiserver log line"}})
        out.write(json.dumps({"records": records}) + "\n")

# GKE: Cloud Logging entries (Data Access audit logs). Only what GKE records: no groups, no stages, no user.extra.
GRPC = {200: 0, 201: 0, 403: 7, 404: 5, 401: 16}
with open(os.path.join(HERE, "gke-cloud-logging.jsonl"), "w") as out:
    for e in events:
        if e["stage"] == "RequestReceived" or "objectRef" not in e:
            continue
        ref = e["objectRef"]
        group = ref.get("apiGroup") or "core"
        version = ref.get("apiVersion", "v1")
        parts = [group, version]
        if ref.get("namespace"):
            parts += ["namespaces", ref["namespace"]]
        parts.append(ref["resource"])
        if ref.get("name"):
            parts.append(ref["name"])
        method_group = "core" if group == "core" else ".".join(reversed(group.replace(".k8s.io", "").split(".")))
        code = e.get("responseStatus", {}).get("code", 200)
        entry = {
            "insertId": e["auditID"][:12],
            "logName": "projects/demo/logs/cloudaudit.googleapis.com%2Fdata_access",
            "operation": {"id": e["auditID"], "producer": "k8s.io", "first": True, "last": True},
            "protoPayload": {
                "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
                "authenticationInfo": {"principalEmail": e["user"]["username"]},
                "authorizationInfo": [{"granted": code != 403, "permission": f"io.k8s.{method_group}.{version}.{ref['resource']}.{e['verb']}",
                                       "resource": "/".join(parts)}],
                "methodName": f"io.k8s.{method_group}.{version}.{ref['resource']}.{e['verb']}",
                "requestMetadata": {"callerIp": e["sourceIPs"][0], "callerSuppliedUserAgent": e.get("userAgent", "")},
                "resourceName": "/".join(parts),
                "serviceName": "k8s.io",
                "status": {"code": GRPC.get(code, 2)},
            },
            "receiveTimestamp": e["stageTimestamp"],
            "resource": {"type": "k8s_cluster", "labels": {"cluster_name": "demo", "location": "europe-west1", "project_id": "demo"}},
            "timestamp": e["requestReceivedTimestamp"],
        }
        out.write(json.dumps(entry) + "\n")
